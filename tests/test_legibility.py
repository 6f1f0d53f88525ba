"""Diagrams and comparison tables a reader can read, measured in Chromium at desktop and phone width.

A diagram fails when a label is cut or changed (an ellipsis, or words other than its source's),
when its text is drawn under 12 px at the size it is shown (the SVG's scale included), when it is
wider than its column, when it has no text alternative for a screen reader, or when a label's
contrast with what it is drawn on is under WCAG AA (4.5:1), in light and dark mode. A comparison table
fails when, at 1280 px, any of its columns lies past the edge of its box; at 390 px, when any cell
(the column the page argues about included) lies outside it.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from legibility import MIN_CONTRAST, VIEWS, Measured, has_comparison_table, has_diagram, measure
from served_site import new_context
from site_audit import goto_settled, site_pages

pytestmark = pytest.mark.browser


def test_the_argued_column_reads_on_a_phone(browser, site_url: str) -> None:
    """On a phone, each approach shows its "Sufficient alone?" answer with the column's name."""
    context = new_context(browser, **VIEWS["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    goto_settled(page, site_url + "approaches/")
    cells = page.evaluate("""() => {
        const table = document.querySelector('table[data-collection=approaches]');
        const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.replace(/[↕↑↓]/g, '').trim());
        const column = heads.indexOf('Sufficient alone?');
        return [...table.querySelectorAll('tbody tr')].map(tr => {
            const td = tr.children[column];
            const r = td.getBoundingClientRect();
            return {text: td.innerText.replace(/\\s+/g, ' ').trim(), left: r.left, right: r.right, height: r.height};
        });
    }""")
    context.close()
    assert len(cells) >= 6
    for cell in cells:
        assert cell["height"] > 0 and cell["left"] >= 0 and cell["right"] <= 390, cell
        assert cell["text"].startswith("Sufficient alone?"), cell


@pytest.fixture(scope="module")
def measured(browser, built_site: Path, site_url: str, desktop_visit) -> dict[str, Measured]:
    """Every page with a diagram or a comparison table, once in each view. At desktop width the
    shared visit of the real site (tests/conftest.py) measured them while the audit had them open;
    a page it leaves out (the print page) is visited here."""
    html = {path: (built_site / path / "index.html").read_text(encoding="utf-8") for path in site_pages(built_site)}
    shown = sorted(path for path, text in html.items() if has_diagram(text) or has_comparison_table(text))
    assert any(has_diagram(html[path]) for path in shown), "no page with a diagram"
    assert "approaches/" in shown and has_comparison_table(html["approaches/"])
    views = {"desktop": copy.deepcopy(desktop_visit.legibility), "phone": Measured()}
    for view, found in views.items():
        left = [path for path in shown if path not in found.pages]
        if not left:
            continue
        context = new_context(browser, **VIEWS[view])
        page = context.new_page()
        for path in left:
            goto_settled(page, site_url + path)
            measure(page, path, html[path], view, found)
        context.close()
    return views


@pytest.mark.parametrize("view", list(VIEWS))
def test_diagrams_are_whole_legible_fitting_and_described(measured: dict[str, Measured], view: str) -> None:
    assert measured[view].diagrams == [], "\n".join(measured[view].diagrams)


@pytest.mark.parametrize("view", list(VIEWS))
def test_comparison_tables_show_every_column(measured: dict[str, Measured], view: str) -> None:
    assert measured[view].tables == [], "\n".join(measured[view].tables)


@pytest.mark.parametrize("view", list(VIEWS))
def test_diagram_labels_have_aa_contrast(measured: dict[str, Measured], view: str) -> None:
    labels = measured[view].labels
    problems = [
        f"{f['path']} diagram {f['index'] + 1}: {f['text']!r} at {f['ratio']}:1 ({f['color']} on {f['bg']})"
        for f in labels
        if f["ratio"] < MIN_CONTRAST
    ]
    assert len(labels) > 50 and problems == [], "\n".join(problems)
