"""Mermaid diagrams computed from the data, so they follow the records when those change.

Every label goes through ``mermaid_label``: record text can hold anything, Mermaid syntax included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.common import date_key
from .environment import mermaid_label as label

if TYPE_CHECKING:
    from .context import RenderContext


def _node_id(prefix: str, record_id: str) -> str:
    return f"{prefix}_{record_id.replace('-', '_')}"


def crux_map(ctx: RenderContext) -> str:
    """Question -> each competing answer -> what follows from it; related cruxes linked."""
    lines = ["flowchart LR"]
    for crux in ctx.kb.all("cruxes"):
        cid = _node_id("c", crux.id)
        lines.append(f'  {cid}{{{{"{label(crux.question)}"}}}}')
        # No tooltip text: Mermaid shows a tooltip as HTML, and the label already says the question.
        lines.append(f'  click {cid} href "{ctx.record_url("cruxes", crux.id)}"')
        for index, position in enumerate(crux.positions):
            pid, iid = f"{cid}_a{index}", f"{cid}_i{index}"
            lines.append(f'  {cid} --> {pid}["{label(position.answer)}"]')
            lines.append(
                f'  {pid} -- "{position.confidence.label} confidence" --> {iid}(["{label(position.implication)}"])'
            )
        for other in crux.related:
            if crux.id < other:  # one edge per pair
                lines.append(f"  {cid} -.- {_node_id('c', other)}")
    return "\n".join(lines)


def requirements(ctx: RenderContext) -> str:
    """Each requirement for sufficiency, grouped by how far the field has got."""
    lines = ["flowchart TD", '  goal(["Interpretability sufficient for safety"])']
    for req in ctx.kb.all("requirements"):
        rid = _node_id("r", req.id)
        lines.append(f'  {rid}["{label(req.title)}<br/>status: {label(req.status.label)}"]')
        lines.append(f"  {rid} --> goal")
        lines.append(f"  class {rid} {req.status.value.replace('-', '_')}")
    # Status is in the label; the outline repeats it for sighted readers without relying on colour.
    lines += [
        "  classDef solved stroke-width:3px",
        "  classDef partial stroke-dasharray:6 3",
        "  classDef largely_unsolved stroke-dasharray:2 2",
        "  classDef unsolved stroke-dasharray:2 2",
    ]
    return "\n".join(lines)


def timeline(ctx: RenderContext) -> str:
    """Mermaid's own timeline diagram, one section per year."""
    lines = ["timeline"]
    years: dict[str, list[str]] = {}
    for m in sorted(ctx.kb.all("milestones"), key=lambda m: date_key(m.date)):
        years.setdefault(m.date[:4], []).append(m.title)
    for year, titles in years.items():
        # In a timeline a colon separates events, so it cannot appear inside one.
        events = " : ".join(label(t, 40).replace(":", " -") for t in titles)
        lines.append(f"  {year} : {events}")
    return "\n".join(lines)
