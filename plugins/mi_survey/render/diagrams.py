"""Mermaid diagrams computed from the data, so they follow the records when those change.

Every label goes through ``mermaid_label``: record text can hold anything, Mermaid syntax included.

Each diagram is laid out to fit a phone's column (about 360 px) at its full text size, so the same
drawing serves every width and print: the column never shrinks its text below 12 px, and no label
is shortened (Mermaid wraps it at `flowchart.wrappingWidth`, set in mkdocs.yml). Things that grow
with the data grow downwards: cruxes are stacked one under another, requirements and years listed
top to bottom. Each has an accessible title and description (`accTitle`, `accDescr`), which
Mermaid puts in the SVG's <title> and <desc> and links with aria-labelledby and aria-describedby.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model.common import date_key
from .environment import mermaid_label as label

if TYPE_CHECKING:
    from .context import RenderContext

# mermaid2's import of Mermaid, from a path that starts neither with "." or "/" nor with a scheme.
_BARE_IMPORT = re.compile(r'import mermaid from "(?![./]|https?:)')

TITLES = {
    "crux-map": "The cruxes, their competing answers and what follows from each",
    "requirements": "What interpretability would need to achieve, and how far it has got",
    "timeline": "Milestones of interpretability research by year",
}


def _node_id(prefix: str, record_id: str) -> str:
    return f"{prefix}_{record_id.replace('-', '_')}"


def _accessible(kind: str, description: list[str]) -> list[str]:
    """The diagram's title and its text alternative: the same words as the drawing, in reading
    order, on one line (Mermaid's one-line accDescr runs to the end of the line)."""
    return [f"  accTitle: {TITLES[kind]}", f"  accDescr: {label(' '.join(description))}"]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def crux_map(ctx: RenderContext) -> str:
    """Each question -> its competing answers -> what follows from each, one crux under another.

    Top-down, each crux is as wide as its answers side by side; a link nobody sees (`~~~`) from
    a crux's last row to the next question stacks the cruxes instead of setting them side by side.
    Related cruxes are named on each crux's page: linking them here pushed cruxes sideways and made
    the map too wide to read on a phone."""
    cruxes = ctx.kb.all("cruxes")
    lines = ["flowchart TD"]
    words = ["Each crux, its competing answers and what follows from each."]
    previous: list[str] = []
    for crux in cruxes:
        cid = _node_id("c", crux.id)
        lines.append(f'  {cid}{{{{"{label(crux.question)}"}}}}')
        # No tooltip text: Mermaid shows a tooltip as HTML, and the label already says the question.
        lines.append(f'  click {cid} href "{ctx.record_url("cruxes", crux.id)}"')
        if previous:
            lines.append(f"  {' & '.join(previous)} ~~~ {cid}")
        words.append(f"Crux: {crux.question}")
        previous = []
        for index, position in enumerate(crux.positions):
            pid, iid = f"{cid}_a{index}", f"{cid}_i{index}"
            lines.append(f'  {cid} --> {pid}["{label(position.answer)}"]')
            lines.append(
                f'  {pid} -- "{position.confidence.label} confidence" --> {iid}("{label(position.implication)}")'
            )
            words.append(
                f"Answer: {position.answer} ({position.confidence.label.lower()} confidence), "
                f"so: {_sentence(position.implication)}"
            )
            previous.append(iid)
    return "\n".join(lines[:1] + _accessible("crux-map", words) + lines[1:])


def requirements(ctx: RenderContext) -> str:
    """Each requirement for sufficiency, listed top to bottom, pointing to the goal on its right."""
    reqs = ctx.kb.all("requirements")
    lines = ["flowchart LR", '  goal(["Interpretability sufficient for safety"])']
    words = ["What interpretability would need to achieve to be sufficient for safety, with the status of each:"]
    for req in reqs:
        rid = _node_id("r", req.id)
        lines.append(f'  {rid}["{label(req.title)}<br/>status: {label(req.status.label)}"]')
        lines.append(f"  {rid} --> goal")
        lines.append(f"  class {rid} {req.status.value.replace('-', '_')}")
        words.append(f"{req.title}: {req.status.label.lower()};")
    # Status is in the label; the outline repeats it for sighted readers without relying on colour.
    lines += [
        "  classDef solved stroke-width:3px",
        "  classDef partial stroke-dasharray:6 3",
        "  classDef largely_unsolved stroke-dasharray:2 2",
        "  classDef unsolved stroke-dasharray:2 2",
    ]
    return "\n".join(lines[:1] + _accessible("requirements", words) + lines[1:])


def timeline(ctx: RenderContext) -> str:
    """The years top to bottom, each joined to its milestones on its right.

    A flowchart rather than Mermaid's `timeline`: that one sets the years side by side in boxes of a
    fixed width (some 1,600 px for six years, 690 px in its vertical form), too wide for a column
    at a legible size."""
    years: dict[str, list[str]] = {}
    for m in sorted(ctx.kb.all("milestones"), key=lambda m: date_key(m.date)):
        years.setdefault(m.date[:4], []).append(m.title)
    lines = ["flowchart LR"]
    words = ["Milestones by year."]
    count = 0
    for year, titles in years.items():
        events = []
        for title in titles:
            count += 1
            events.append(f'm{count}["{label(title)}"]')
        lines.append(f'  y{year}["{year}"] --- {" & ".join(events)}')
        words.append(f"{year}: {'; '.join(titles)}.")
    return "\n".join(lines[:1] + _accessible("timeline", words) + lines[1:])


def mermaid_import_fixed(output: str, dest_uri: str) -> str:
    """The page (``output``, written to ``dest_uri`` below the site) with mermaid2's import of
    Mermaid made loadable. mermaid2 writes the import path relative to the page; from a page in
    the site's root folder that path has no "./", which a browser rejects as a bare module name."""
    if "/" in dest_uri or 'import mermaid from "' not in output:
        return output
    return _BARE_IMPORT.sub('import mermaid from "./', output)
