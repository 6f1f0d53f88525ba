"""Measures of what a reader can read in Chromium: each diagram's labels, text size, fit and text
alternative, each label's contrast, and whether each comparison table shows every column.

Used by tests/test_legibility.py, and by the shared visit of the real site at desktop size
(tests/conftest.py), which takes them while the audit has each page open.
"""

from __future__ import annotations

import html
import html.parser
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from site_audit import DESKTOP

if TYPE_CHECKING:  # Playwright is imported only where a browser runs
    from playwright.sync_api import Page

# Each view is a width and a colour scheme: light mode is measured at desktop width, dark mode at
# phone width, so that two visits of each page cover both widths and both schemes.
VIEWS = {
    "desktop": DESKTOP,
    "phone": {"viewport": {"width": 390, "height": 844}, "color_scheme": "dark"},
}
MIN_TEXT_PX = 12
# The column each page with a comparison table argues about: never the one a phone hides.
ARGUED_COLUMNS = {"approaches/": "Sufficient alone?"}


class _MermaidSources(html.parser.HTMLParser):
    """The Mermaid source of each diagram of a built page, in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if self._depth:
            self._depth += 1
        elif tag == "div" and "mermaid" in (dict(attrs).get("class") or "").split():
            self._depth = 1
            self.sources.append("")

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.sources[-1] += data


def mermaid_sources(page_html: str) -> list[str]:
    parser = _MermaidSources()
    parser.feed(page_html)
    return parser.sources


_ENTITY = re.compile(r"#(\w+);")


def _decode(text: str) -> str:
    """Mermaid's entity codes (#quot;, #35;) as the characters they stand for."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code)) if code.isdigit() else html.unescape(f"&{code};")

    return _ENTITY.sub(one, text)


def _words(text: str) -> str:
    return " ".join(text.split())


def source_labels(source: str) -> list[str]:
    """The text of every quoted label (node, edge, subgraph) of a flowchart's source."""
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    if not first.startswith(("flowchart", "graph")):
        return []
    labels = []
    for line in source.splitlines():
        line = line.strip()
        if line.startswith(("click ", "accTitle", "accDescr", "%%")):
            continue
        for text in re.findall(r'"([^"]*)"', line):
            labels.append(_words(_decode(text.replace("<br/>", " ").replace("<br>", " "))))
    return labels


# Each visible diagram: its scale, its text sizes, its labels as drawn, its width and its
# container's, and its accessible name and description.
_MEASURE = """(min) => [...document.querySelectorAll('.mermaid')].map((box, index) => {
    const svg = box.querySelector('svg');
    if (!svg || !box.getClientRects().length) return {index, shown: false};
    const rect = svg.getBoundingClientRect();
    const viewWidth = svg.viewBox.baseVal && svg.viewBox.baseVal.width || rect.width;
    const scale = rect.width / viewWidth;
    const small = [];
    const walker = document.createTreeWalker(svg, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || el.closest('style, title, desc')) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        if (!r.width || !r.height) continue;
        const px = parseFloat(getComputedStyle(el).fontSize) * scale;
        if (px < min) small.push([node.textContent.trim(), Math.round(px * 10) / 10]);
    }
    const join = parts => parts.join(' ').replace(/\\s+/g, ' ').trim();
    const labels = [...svg.querySelectorAll('foreignObject')].map(fo => join([fo.firstElementChild ? fo.firstElementChild.innerText : fo.textContent]))
        .concat([...svg.querySelectorAll('text')].filter(t => !t.closest('foreignObject'))
            .map(t => t.querySelector('tspan') ? join([...t.querySelectorAll('tspan')].map(s => s.textContent))
                                               : join([t.textContent])))
        .filter(Boolean);
    const text = id => {
        const el = id && document.getElementById(id);
        return el ? el.textContent.trim() : '';
    };
    const ids = name => (svg.getAttribute(name) || '').split(/\\s+/).map(text).join(' ').trim();
    const img = box.closest('[role=img]');
    const column = box.closest('.md-content__inner') || document.body;
    return {
        index, shown: true, scale, small, labels,
        width: rect.width, box: box.clientWidth,
        overflows: rect.right > column.getBoundingClientRect().right + 1 || rect.left < column.getBoundingClientRect().left - 1,
        name: ids('aria-labelledby') || (img && img.getAttribute('aria-label')) || '',
        description: ids('aria-describedby') || (img && img.getAttribute('aria-label')) || '',
    };
})"""


def diagram_problems(page, path: str, sources: list[str]) -> list[str]:
    """What is wrong with the page's diagrams, measured again for a few seconds while anything is:
    on a busy machine Mermaid may still be drawing when the page's network is quiet."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.mermaid')].every(d => d.querySelector('svg[aria-roledescription]'))",
            timeout=20_000,
        )
    except PlaywrightTimeout:  # a problem of this page, not an error of the visit of every page
        return [f"{path}: a diagram was not drawn within 20 s"]
    for _ in range(20):
        problems = _measured_problems(page, path, sources)
        if not problems:
            break
        page.wait_for_timeout(250)
    return problems


def _measured_problems(page, path: str, sources: list[str]) -> list[str]:
    problems = []
    for d in page.evaluate(_MEASURE, MIN_TEXT_PX):
        if not d["shown"]:
            continue
        where = f"{path} diagram {d['index'] + 1}"
        for text, px in d["small"][:3]:
            problems.append(f"{where}: text drawn at {px} px (under {MIN_TEXT_PX}, scale {d['scale']:.2f}): {text!r}")
        if len(d["small"]) > 3:
            problems.append(f"{where}: {len(d['small']) - 3} more texts under {MIN_TEXT_PX} px")
        drawn = set(d["labels"])
        for text in d["labels"]:
            if "…" in text or "..." in text:
                problems.append(f"{where}: label cut short: {text!r}")
        for label in source_labels(sources[d["index"]]):
            if label and label not in drawn:
                problems.append(f"{where}: label not drawn whole: {label!r}")
        if d["width"] > d["box"] + 0.5 or d["overflows"]:
            problems.append(f"{where}: {d['width']:.0f} px wide in a {d['box']} px column")
        if not d["name"] or not d["description"]:
            problems.append(f"{where}: no text alternative (accTitle and accDescr, or role=img with aria-label)")
    return problems


_TABLES = """() => [...document.querySelectorAll('.mi-table-wrap')].filter(w => w.querySelector('table[data-collection]'))
    .map((wrap, index) => {
        const box = wrap.getBoundingClientRect();
        const table = wrap.querySelector('table');
        const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.replace(/[↕↑↓]/g, '').trim());
        const hidden = [];
        table.querySelectorAll('tbody tr').forEach(tr => [...tr.children].forEach((td, column) => {
            const r = td.getBoundingClientRect();
            const style = getComputedStyle(td);
            if (!r.width || !r.height || style.visibility === 'hidden' || r.right > box.right + 1 || r.left < box.left - 1)
                hidden.push(heads[column] || String(column));
        }));
        return {index, caption: wrap.getAttribute('aria-label'), scroll: wrap.scrollWidth, client: wrap.clientWidth,
                hidden: [...new Set(hidden)], heads};
    })"""


def table_problems(page, path: str, view: str) -> list[str]:
    problems = []
    tables = page.evaluate(_TABLES)
    for t in tables:
        where = f"{path} table {t['index'] + 1} ({t['caption']})"
        if view == "desktop" and t["scroll"] > t["client"]:
            problems.append(f"{where}: {t['scroll']} px wide in a {t['client']} px box")
        for column in t["hidden"]:
            problems.append(f"{where}: column {column!r} not wholly visible in its box at {view} width")
    argued = ARGUED_COLUMNS.get(path)
    if argued and not any(argued in t["heads"] for t in tables):
        problems.append(f"{path}: no comparison table with the column {argued!r}")
    return problems


# Each diagram label's text colour against what it is drawn on: its own box, else its node's shape
# (or the edge label's box), else the diagram's background, else the page's.
_LABEL_CONTRAST = r"""() => {
  const rgb = (s) => { const m = /rgba?\(([^)]+)\)/.exec(s || ""); if (!m) return null; const p = m[1].split(",").map(Number); return p.length === 4 && p[3] === 0 ? null : p.slice(0, 3); };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const pageBg = () => { for (let a = document.querySelector(".md-content"); a; a = a.parentElement) { const c = rgb(getComputedStyle(a).backgroundColor); if (c) return c; } return [255, 255, 255]; };
  const out = [];
  document.querySelectorAll(".mermaid svg").forEach((svg, index) => {
    const svgBg = rgb(getComputedStyle(svg).backgroundColor) || pageBg();
    svg.querySelectorAll("foreignObject span, foreignObject p, foreignObject div, text").forEach((el) => {
      const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("").trim();
      if (!own) return;
      const svgText = el.namespaceURI === "http://www.w3.org/2000/svg";
      const color = rgb(svgText ? getComputedStyle(el).fill : getComputedStyle(el).color);
      let bg = null;
      for (let a = el; a && a !== svg && !bg; a = a.parentElement) {
        if (a instanceof HTMLElement) bg = rgb(getComputedStyle(a).backgroundColor);
      }
      if (!bg) {
        const node = el.closest("g.node, g.cluster, g.edgeLabel");
        const shape = node && node.querySelector(":scope > rect, :scope > polygon, :scope > path, :scope > circle, :scope > g > rect, :scope > g > path");
        if (shape) bg = rgb(getComputedStyle(shape).fill);
      }
      bg = bg || svgBg;
      if (color) out.push({ index, text: own.slice(0, 40), ratio: Math.round(ratio(color, bg) * 100) / 100, color, bg });
    });
  });
  return out;
}"""

MIN_CONTRAST = 4.5  # WCAG AA for normal text


@dataclass
class Measured:
    """What one view showed: the pages measured, the problems of their diagrams and tables, and
    each label's contrast."""

    pages: list[str] = field(default_factory=list)
    diagrams: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)


def has_diagram(page_html: str) -> bool:
    return 'class="mermaid"' in page_html


def has_comparison_table(page_html: str) -> bool:
    return "mi-table mi-sortable" in page_html


def measure(page: Page, path: str, page_html: str, view: str, found: Measured) -> None:
    """Add to ``found`` what the open page ``path`` (built as ``page_html``) shows in ``view``."""
    if has_diagram(page_html) or has_comparison_table(page_html):
        found.pages.append(path)
    if has_diagram(page_html):
        found.diagrams += diagram_problems(page, path, mermaid_sources(page_html))  # waits for the drawing
        found.labels += [{"path": path, **label} for label in page.evaluate(_LABEL_CONTRAST)]
    if has_comparison_table(page_html):
        found.tables += table_problems(page, path, view)
