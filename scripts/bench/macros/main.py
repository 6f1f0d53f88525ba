"""mkdocs-macros module of the benchmark's generic variant: the same YAML, read as plain data.

This is what an MkDocs user without our plugin would write: load every YAML file into template
variables, index records by id, and leave the tables and lists to Jinja loops in ``survey.j2``.
Nothing is validated; record text goes into the page Markdown as it is, and citations become
Markdown links.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FOLDERS = ["references", "venues", "organisations", "people", "topics", "positions", "cruxes"]
LISTS = ["approaches", "milestones", "results", "scale-gap", "challenges", "requirements", "risk-models", "glossary"]
CITATION = re.compile(r"\[(@[^\]]*)\]")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
ORDER = {  # enum values in their order, for sorting and the disagreement map
    "stance": ["strong-optimist", "optimist", "cautious-optimist", "pessimist", "skeptic"],
    "confidence": ["low", "medium", "high"],
}


def _date(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def define_env(env):
    data_dir = Path(env.project_dir) / "content" / "data"
    data: dict[str, list[dict]] = {}
    for name in FOLDERS:
        data[name] = [
            yaml.load(p.read_text(encoding="utf-8"), Loader=Loader) for p in sorted((data_dir / name).glob("*.yaml"))
        ]
    for name in LISTS:
        data[name] = yaml.load((data_dir / f"{name}.yaml").read_text(encoding="utf-8"), Loader=Loader) or []
    for records in data.values():
        for record in records:
            if "date" in record:
                record["date"] = _date(record["date"])
    by_id = {name: {r["id"]: r for r in records} for name, records in data.items()}
    for ref in data["references"]:
        authors = ref.get("authors") or []
        ref["_sort"] = (
            (authors[0].split()[-1] if authors else ref["title"]).casefold(),
            ref["date"],
            ref["title"].casefold(),
        )

    # Reverse look-ups: who cites a reference, who authored it, which cruxes name a holder.
    cited_by: dict[str, list[tuple[str, str]]] = {}
    for name, records in data.items():
        for record in records:
            keys = set(record.get("references") or [])
            for text in _texts(record):
                for match in CITATION.finditer(text):
                    keys.update(k.strip().lstrip("@") for k in match.group(1).split(";"))
            for key in keys:
                cited_by.setdefault(key, []).append((name, record["id"]))
    names = {}
    for person in data["people"]:
        for name in [person["name"], *(person.get("also_known_as") or [])]:
            names[name.casefold()] = person["id"]
    authored: dict[str, list[str]] = {}
    for ref in data["references"]:
        for author in ref.get("authors") or []:
            if author.casefold() in names:
                authored.setdefault(names[author.casefold()], []).append(ref["id"])
    crux_holders: dict[str, list[str]] = {}
    for crux in data["cruxes"]:
        for position in crux["positions"]:
            for holder in position.get("holders") or []:
                crux_holders.setdefault(holder["id"], []).append(crux["id"])

    env.variables["data"] = data
    env.variables["by_id"] = by_id
    env.variables["cited_by"] = cited_by
    env.variables["authored"] = authored
    env.variables["crux_holders"] = crux_holders
    env.variables["order"] = ORDER

    indexes: dict[tuple[str, str], dict] = {}

    @env.macro
    def select(collection: str, field: str, value) -> list[dict]:
        """Records of ``collection`` whose ``field`` is ``value`` or, for a list, holds it."""
        index = indexes.get((collection, field))
        if index is None:
            index = indexes[(collection, field)] = {}
            for record in data[collection]:
                found = record.get(field)
                for item in found if isinstance(found, list) else [found]:
                    index.setdefault(item, []).append(record)
        return index.get(value, [])

    @env.macro
    def rel(path: str) -> str:
        """A docs path as a Markdown link target relative to the page being rendered."""
        target, _, fragment = path.partition("#")
        here = posixpath.dirname(env.page.file.src_uri)
        url = posixpath.relpath(target, here or ".")
        return f"{url}#{fragment}" if fragment else url

    def cite_one(key: str) -> str:
        ref = by_id["references"][key]
        venue = by_id["venues"][ref["venue"]]
        title = f"{ref['title']}. {venue['name']}, {date_label(ref['date'])}. {_truncate(ref['summary'], 160)}"
        return (
            f"[{authors_short(ref.get('authors') or []) or ref['title']} {ref['date'][:4]}]"
            f'({rel("bibliography.md#ref-" + key)} "{title.replace(chr(34), chr(39))}")'
        )

    @env.macro
    def cite(ids) -> str:
        return "; ".join(cite_one(k) for k in ids)

    @env.filter
    def md(text: str) -> str:
        """Record text for the page: citations become links to the bibliography."""
        return CITATION.sub(
            lambda m: "(" + cite([k.strip().lstrip("@") for k in m.group(1).split(";")]) + ")", str(text)
        )

    @env.filter
    def md_line(text: str) -> str:
        """Record text inside a table cell: one line, no cell separators."""
        return md(" ".join(str(text).split())).replace("|", "\\|")

    @env.filter
    def date_label(value: str) -> str:
        parts = str(value).split("-")
        if len(parts) == 1:
            return parts[0]
        month = MONTHS[int(parts[1]) - 1]
        return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"

    @env.filter
    def authors_short(authors: list[str]) -> str:
        truncated = bool(authors) and authors[-1].casefold() == "et al."
        surnames = [a.split()[-1] for a in (authors[:-1] if truncated else authors)]
        if not surnames:
            return ""
        return f"{surnames[0]} et al." if len(surnames) > 2 or truncated else " & ".join(surnames)

    @env.filter
    def label(value: str) -> str:
        return str(value).replace("-", " ").replace("_", " ").capitalize()

    @env.filter
    def mermaid(value: str, limit: int = 60) -> str:
        text = " ".join(str(value).split())
        if len(text) > limit:
            text = text[: limit - 1].rstrip() + "…"
        for ch, code in (
            ("#", "#35;"),
            ('"', "#quot;"),
            ("<", "#lt;"),
            (">", "#gt;"),
            ("&", "#amp;"),
            ("[", "#91;"),
            ("]", "#93;"),
            ("(", "#40;"),
            (")", "#41;"),
        ):
            text = text.replace(ch, code)
        return text

    @env.filter
    def node(value: str) -> str:
        return value.replace("-", "_")


def _truncate(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
