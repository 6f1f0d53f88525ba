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

PRINT_PAGE = Path("print_page") / "index.html"
_LOADER = re.compile(r'<script type="module">import mermaid from "([^"]+)";.*?</script>', re.S)


def finish_print_page(site_dir: Path) -> None:
    """Give the print page, if the site has one, its anchors and the site's Mermaid loader."""
    page = site_dir / PRINT_PAGE
    if not page.is_file():
        return
    html = anchor_links(page.read_text(encoding="utf-8"))
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
    element a component wrote keeps its id. Such a link gets its anchor here, just before the
    element, in the section of the page it pointed into."""
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
                inserts[html.rfind("<", start, at)] = f'<span id="{target}"></span>'
                ids.add(target)
                break
    for at in sorted(inserts, reverse=True):
        html = html[:at] + inserts[at] + html[at:]
    return html
