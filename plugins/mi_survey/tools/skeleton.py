"""``mi-survey new COLLECTION ID``: start a record in the right place, with every field explained.

Design: the skeleton is deliberately *not* valid until the contributor has written it. Each
required field the command was not given a value for (``--set field=value``) is written empty,
under a comment saying what it holds (the docstring under the field in its model) and what it
expects (``hints``); each optional field is written commented out, under the same. Then
``mi-survey validate`` (and a strict build) lists exactly the fields still to fill, each as
``path:line: field: is empty; expected ...``, and passes once they are filled.

Why not placeholder text such as ``TODO``? A placeholder is valid, so nothing would stop it from
reaching the published site; an empty field cannot be merged by mistake, and the error names the
line to edit. Why not leave required fields out? Then the contributor would have to know their
names; here they see every field, in the order the site uses, with its vocabulary.

Folder collections get a new file ``<collection>/<id>.yaml``; list collections get the record
appended to ``<collection>.yaml`` (the list's order is the site's order: move it if needed).
Both start with the ``yaml-language-server`` line that gives editors the collection's schema.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..load import parse
from ..model import COLLECTIONS, Collection
from ..model.common import ID_PATTERN
from . import ToolError
from .hints import FieldInfo, Shape, fields_of
from .schemas import header_line

WIDTH = 100
_MAX_LISTED_IDS = 12


@dataclass(frozen=True)
class Written:
    path: str  # relative to the project root
    line: int  # where the record starts
    to_fill: tuple[str, ...]  # required fields left empty
    text: str  # what was written (the record only, for a list collection)


def collection_named(name: str) -> Collection:
    """A collection by its name (``cruxes``) or the singular its model is named after (``crux``)."""
    collection = COLLECTIONS.get(name) or next(
        (c for c in COLLECTIONS.values() if _kebab(c.model.__name__) == name), None
    )
    if collection is None:
        raise ToolError(f"unknown collection '{name}'; expected one of: {', '.join(COLLECTIONS)}")
    return collection


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def check_id(record_id: str) -> None:
    if not re.match(ID_PATTERN, record_id) or len(record_id) > 80:
        suggestion = normalise_id(record_id)
        hint = f" (like '{suggestion}')" if suggestion else ""
        raise ToolError(
            f"'{record_id}' is not a valid id: use lowercase letters, digits and single "
            f"hyphens, at most 80 characters{hint}"
        )


def normalise_id(text: str) -> str:
    """Any text as an id: ``Bereska:2024_MI`` -> ``bereska-2024-mi``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:80].rstrip("-")


def parse_assignments(collection: Collection, assignments: list[str]) -> dict[str, Any]:
    """``["importance=high", "tags=a, b"]`` -> values typed for the fields they set."""
    fields = {f.name: f for f in fields_of(collection.model)}
    values: dict[str, Any] = {}
    for assignment in assignments:
        name, sep, raw = assignment.partition("=")
        name = name.strip()
        if not sep:
            raise ToolError(f"--set expects field=value, got '{assignment}'")
        info = fields.get(name)
        if info is None or name == "id":
            settable = ", ".join(f for f in fields if f != "id")
            raise ToolError(f"{collection.name} has no field '{name}' to set; expected one of: {settable}")
        values[name] = _typed(info, raw.strip())
    return values


def _typed(info: FieldInfo, raw: str) -> Any:
    shape = info.shape
    if shape.kind == "list":
        assert shape.item is not None
        if shape.item.kind == "record":
            raise ToolError(f"{info.name} holds nested entries: fill it in the file, not with --set")
        return [part.strip() for part in raw.split(",") if part.strip()]
    if shape.kind == "number":
        try:
            return int(raw)
        except ValueError:
            raise ToolError(f"{info.name} expects a whole number, got '{raw}'") from None
    return raw


def yaml_value(value: Any) -> str:
    """One value as YAML on one line: quoted where YAML would misread it (``"no"``, ``"2404.14082"``)."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=2**31 - 1, sort_keys=False).rstrip(
        "\n"
    )
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    return text


def record_lines(collection: Collection, values: dict[str, Any], data_dir: Path) -> list[str]:
    """The record's lines, unindented, starting with its ``id``."""
    return _lines(collection.model, values, "", _IdLister(data_dir))


def _lines(model, values: dict[str, Any], pad: str, ids: _IdLister) -> list[str]:
    out: list[str] = []
    for info in fields_of(model):
        value = values.get(info.name)
        if value is not None and value != []:
            out.append(f"{pad}{info.name}: {yaml_value(value)}")
            continue
        if info.required:
            out.extend(_comment(f"Required. {info.describe()}{ids.hint(info.shape)}", pad))
            out.extend(_empty(info, pad, ids))
        else:
            out.extend(_comment(f"Optional. {info.describe()}{ids.hint(info.shape)}", pad))
            example = " []" if info.shape.kind == "list" else ""
            out.append(f"{pad}# {info.name}:{example}")
    return out


def _empty(info: FieldInfo, pad: str, ids: _IdLister) -> list[str]:
    shape = info.shape
    if shape.kind != "list":
        return [f"{pad}{info.name}:"]
    assert shape.item is not None
    lines = [f"{pad}{info.name}:"]
    for _ in range(max(shape.min_items, 1)):
        if shape.item.kind == "record":
            assert shape.item.model is not None
            item = _lines(shape.item.model, {}, pad + "    ", ids)
            first = next(i for i, line in enumerate(item) if not line.lstrip().startswith("#"))
            for i in range(first):
                item[i] = pad + "  " + item[i].lstrip()
            item[first] = pad + "  - " + item[first].lstrip()
            lines.extend(item)
        else:
            lines.append(f"{pad}  -")
    return lines


def _comment(text: str, pad: str) -> list[str]:
    return [f"{pad}# {line}" for line in textwrap.wrap(text, width=max(WIDTH - len(pad) - 2, 40))]


class _IdLister:
    """Names the records an id field may point at, read from the files (no validation)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def hint(self, shape: Shape) -> str:
        if shape.kind != "id" or not shape.refs:
            return ""
        found = [i for name in shape.refs for i in sorted(existing_ids(self.data_dir, COLLECTIONS[name]))]
        if not found:
            return ""
        shown = ", ".join(found[:_MAX_LISTED_IDS]) + (", ..." if len(found) > _MAX_LISTED_IDS else "")
        return f" Existing: {shown}."


def existing_ids(data_dir: Path, collection: Collection) -> dict[str, int]:
    """Ids already used in ``collection``, with the line where each is written."""
    if collection.layout == "folder":
        folder = data_dir / collection.name
        return {p.stem: 1 for p in folder.glob("*.yaml")} if folder.is_dir() else {}
    path = data_dir / collection.path
    if not path.is_file():
        return {}
    parsed, _ = parse(path.read_text(encoding="utf-8"), str(path))
    if parsed is None or not isinstance(parsed.data, list):
        return {}
    return {
        item["id"]: parsed.line_of((index, "id"))
        for index, item in enumerate(parsed.data)
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }


def new_record(
    root: Path,
    data_dir: Path,
    collection_name: str,
    record_id: str,
    assignments: list[str] | tuple[str, ...] = (),
    *,
    schemas_dir: Path | None = None,
    intro: str | None = None,
) -> Written:
    """Write a skeleton record; refuse an id that exists. Raises ToolError."""
    collection = collection_named(collection_name)
    check_id(record_id)
    values = {"id": record_id, **parse_assignments(collection, list(assignments))}
    return write_record(root, data_dir, collection, values, schemas_dir=schemas_dir, intro=intro)


def write_record(
    root: Path,
    data_dir: Path,
    collection: Collection,
    values: dict[str, Any],
    *,
    schemas_dir: Path | None = None,
    intro: str | None = None,
    dry_run: bool = False,
) -> Written:
    """Write one record (typed values; missing required fields left empty). Raises ToolError."""
    record_id = values["id"]
    schemas_dir = schemas_dir or root / "content" / "schemas"
    target = data_dir / (f"{collection.name}/{record_id}.yaml" if collection.layout == "folder" else collection.path)
    shown = _display(target, root)
    used = existing_ids(data_dir, collection)
    if record_id in used:
        where = shown if collection.layout == "folder" else f"{shown}:{used[record_id]}"
        raise ToolError(
            f"{collection.name} already has a record '{record_id}' ({where}); choose another id or edit that record"
        )
    intro = intro or (
        f"New {_kebab(collection.model.__name__).replace('-', ' ')} record. Fill in every field marked Required (an empty one "
        f"fails `mi-survey validate`), uncomment the optional ones you use, and delete "
        f"these comments when you are done."
    )
    body = record_lines(collection, values, data_dir)
    to_fill = tuple(f.name for f in fields_of(collection.model) if f.required and values.get(f.name) in (None, []))

    if collection.layout == "folder":
        lines = [header_line(target, collection, schemas_dir), *_comment(intro, ""), *body]
        text = "\n".join(lines) + "\n"
        start = 1 + len(lines) - len(body)
        if not dry_run:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_new(target, text)
        return Written(shown, start, to_fill, text)

    item = [*(_comment(intro, "")), *body]
    first = next(i for i, line in enumerate(item) if not line.startswith("#"))
    item = [line if i < first else ("- " + line if i == first else "  " + line) for i, line in enumerate(item)]
    record_text = "\n".join(item) + "\n"
    if target.exists():
        existing = target.read_text(encoding="utf-8")
        prefix = existing if existing.endswith("\n") or not existing else existing + "\n"
    else:
        prefix = header_line(target, collection, schemas_dir) + "\n"
    start = prefix.count("\n") + 1 + first
    if not dry_run:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(prefix + record_text)
    return Written(shown, start, to_fill, record_text)


def _write_new(path: Path, text: str) -> None:
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ToolError(f"{path} already exists; choose another id or edit that file") from None


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
