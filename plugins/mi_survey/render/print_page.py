"""The print page (mkdocs-print-site-plugin's print_page/, which `make pdf` prints) with its
diagrams drawn and its links whole.

mkdocs-mermaid2 writes its Mermaid loader into each page that has a diagram as MkDocs writes the
page; the print page is written later, by another plugin, and gets none. It gets the site's own
loader and settings here, taken from a page that has them, its import made relative to the print
page (one folder below the root, as every page is).
"""

from __future__ import annotations

import re
from pathlib import Path

from .text_forms import VOID_ELEMENTS

PRINT_PAGE = Path("print_page") / "index.html"
_LOADER = re.compile(r'<script type="module">import mermaid from "([^"]+)";.*?</script>', re.S)


# mkdocs-print-site-plugin renders the print page with the theme's base as "/" when the site has
# no site_url (make build, make serve): its search would then ask the host's root for the index.
_BASE = re.compile(r'(<script id="__config" type="application/json">\{.*?"base": )"[^"]*"', re.S)


def finish_print_page(site_dir: Path, backlinks_mark: str) -> None:
    """Give the print page, if the site has one, its anchors, the site's Mermaid loader and the
    theme's base relative to it (".." from print_page/, right whether or not the site has a
    site_url, and in each edition's folder).

    The print page is made from the pages' content before "what links here" fills each page's
    ``backlinks_mark``: paper has no use for those links, so the marks go, and the page comes
    out the same from one build of the same content to the next."""
    page = site_dir / PRINT_PAGE
    if not page.is_file():
        return
    text = page.read_text(encoding="utf-8").replace(backlinks_mark, "\n")
    html = _BASE.sub(r'\1".."', anchor_links(text), count=1)
    if 'class="mermaid"' in html and not _LOADER.search(html):
        for other in sorted(site_dir.glob("*/index.html")):  # one folder deep, as the print page
            found = _LOADER.search(other.read_text(encoding="utf-8")) if other != page else None
            if found:
                html = html.replace("</body>", found.group(0) + "\n</body>", 1)
                break
    page.write_text(html, encoding="utf-8")


_ID = re.compile(r'\sid="([^"]+)"')
_LINK = re.compile(r'\shref="#([^"]+)"')
_SECTION = re.compile(r'<section class="print-page" id="([^"]+)"')


def anchor_links(html: str) -> str:
    """The print page with an anchor for each of its links that had none.

    mkdocs-print-site-plugin rewrites a link to another page's element (``organisations/#anthropic``)
    as a link within the print page (``#organisations-anthropic``), but renames only headings: an
    element a component wrote keeps its id. Such a link gets its anchor here, in the section of
    the page it pointed into: at the start of the element, or just before it if the element holds
    nothing (an anchor beside a term would break its definition list, beside a row its table)."""
    sections = [(m.group(1), m.start()) for m in _SECTION.finditer(html)]
    if sections:  # a link to the home page ("../") comes out as "#.": the first section is home
        html = html.replace(' href="#."', f' href="#{sections[0][0]}"')
        sections = [(m.group(1), m.start()) for m in _SECTION.finditer(html)]
    ids = set(_ID.findall(html))
    bounds = {
        name: (start, sections[i + 1][1] if i + 1 < len(sections) else len(html))
        for i, (name, start) in enumerate(sections)
    }
    inserts: dict[int, str] = {}
    for target in dict.fromkeys(_LINK.findall(html)):
        if target in ids:
            continue
        for name, (start, end) in bounds.items():
            if not target.startswith(name + "-"):
                continue
            at = html.find(f' id="{target[len(name) + 1 :]}"', start, end)
            if at != -1:
                inserts[_anchor_position(html, html.rfind("<", start, at))] = f'<span id="{target}"></span>'
                ids.add(target)
                break
    for at in sorted(inserts, reverse=True):
        html = html[:at] + inserts[at] + html[at:]
    return html


def _anchor_position(html: str, tag_start: int) -> int:
    """Where an anchor for the element whose tag opens at ``tag_start`` goes: just inside it,
    or just before it when it is an element that holds nothing."""
    name = re.match(r"<([a-zA-Z0-9-]+)", html[tag_start:])
    if name and name.group(1).lower() in VOID_ELEMENTS:
        return tag_start
    return html.index(">", tag_start) + 1
