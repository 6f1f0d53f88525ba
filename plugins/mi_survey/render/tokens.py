"""The placeholders the render layer writes into HTML while it is being put together.

Rendering a citation or a record's text once per build, and reusing it on every page, needs HTML
with holes: for a link (each page has its own relative URL), for a text's citations (each page
numbers its own cards), and in the citation template (a reference's label and card entry, and the
card's number). The holes are made of control characters, which no template writes, no page or
record may hold (the loader and the page rules refuse them) and no HTML page may keep: the build
fails if one is left in a written page.

=====================  ===================  =====================================================
token                  stands for           filled by
=====================  ===================  =====================================================
``link(path)``         a page's URL         ``RenderContext.resolve`` with the page's linker
``citation(i)``        a text's i-th cite   ``RenderContext.markdown`` with the page's citation
``slot(kind, i)``      i-th label/entry     ``RenderContext.cite`` from the reference's parts
``CARD_ID``            a card's number      ``RenderContext.cite`` with the page's next number
``SEARCH_SKIP_*``      around card entries  removed by ``search_view.unmark`` as the page finishes
=====================  ===================  =====================================================

The last pair does not stand for anything: it marks what Material's search indexer may be spared
reading (``search_view.py``).
"""

from __future__ import annotations

import re

LINK_START, LINK_END = "\x02", "\x03"
CITATION_MARK = "\x00"
SLOT_MARK = "\x05"
SEARCH_SKIP_START, SEARCH_SKIP_END = "\x0e", "\x0f"

# Resolving runs on escaped HTML and only ever swaps a site path for a URL, so text that forged a
# token would gain nothing.
LINK = re.compile(r"\x02([^\x00-\x1f\"<>]*)\x03")
CARD_ID = f"{SLOT_MARK}#{SLOT_MARK}"


def link(page_path: str) -> str:
    return f"{LINK_START}{page_path}{LINK_END}"


def citation(index: int) -> str:
    """A text's ``index``-th citation, until the page's own is rendered in its place."""
    return f"{CITATION_MARK}{index}{CITATION_MARK}"


def slot(kind: str, index: int) -> str:
    """Where the ``index``-th reference's ``kind`` ("label" or "entry") goes in a citation."""
    return f"{SLOT_MARK}{kind}{index}{SLOT_MARK}"
