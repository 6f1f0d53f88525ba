"""The Jinja2 environment: autoescaped HTML templates, plain-text ones for exports."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..model.common import date_label
from .template_cache import compiled_template_cache


def make_environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment per build (a rebuild makes a new one), so a template never changes under
        # it: no need to stat the file on every include and import, some 100,000 times a build.
        auto_reload=False,
    )
    env.filters.update(
        date_label=date_label,
        stars=_stars,
        bibtex=_bibtex,
        mermaid_label=mermaid_label,
        authors=authors_short,
        authors_full=authors_full,
        host=_host,
    )
    # Compiling the templates is a tenth of a second of every build: Jinja keeps the code.
    env.bytecode_cache = compiled_template_cache()
    return env


def _host(url: str) -> str:
    """The site a URL points at, as a reader names it ("arxiv.org")."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _stars(value: int) -> str:
    return "★" * value + "☆" * (5 - value)


ET_AL = "et al."


def authors_short(authors: list[str]) -> str:
    """Author-year label style: "Olah", "Bereska & Gavves", "Templeton et al."."""
    # A final "et al." entry stands for authors the record does not list.
    truncated = bool(authors) and authors[-1].strip().casefold() == ET_AL
    surnames = [a.split()[-1] for a in (authors[:-1] if truncated else authors)]
    if not surnames:
        return ""
    if len(surnames) > 2 or truncated:
        return f"{surnames[0]} et al."
    return " & ".join(surnames)


def authors_full(authors: list[str]) -> str:
    """ "A, B and C"; a final "et al." entry stays at the end without a comma."""
    truncated = bool(authors) and authors[-1].strip().casefold() == ET_AL
    names = list(authors[:-1] if truncated else authors)
    if truncated:
        return ", ".join(names) + " et al."
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _bibtex(value: str) -> str:
    """Text safe inside a braced BibTeX field: braces balanced by escaping, specials escaped."""
    out = []
    for ch in str(value):
        if ch in "{}" or ch in "&%$#_":
            out.append("\\" + ch)
        elif ch == "\\":
            out.append("\\textbackslash{}")
        else:
            out.append(ch)
    return "".join(out)


def mermaid_label(value: str) -> str:
    """Text for a quoted Mermaid label: Mermaid's entity codes for quotes and markup characters.

    The whole text, never shortened: a diagram wraps a long label onto more lines (a label cut
    with "…" hides the words the reader came for)."""
    text = " ".join(str(value).split())
    # "#" first: the codes that follow contain it.
    for ch, code in (
        ("#", "#35;"),
        ('"', "#quot;"),
        ("<", "#lt;"),
        (">", "#gt;"),
        ("&", "#amp;"),
        ("`", "#96;"),
        ("[", "#91;"),
        ("]", "#93;"),
        ("{", "#123;"),
        ("}", "#125;"),
        ("|", "#124;"),
        ("(", "#40;"),
        (")", "#41;"),
    ):
        text = text.replace(ch, code)
    return text
