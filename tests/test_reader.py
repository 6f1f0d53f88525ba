"""Every page of the real site as a reader meets it: in Chromium, under a sub-path, offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import enable_mermaid, run_build
from served_site import new_context, serve
from site_audit import audit_pages, broken_links, goto_settled, site_pages, wait_for_search_result

pytestmark = pytest.mark.browser


def test_every_page_renders_offline_accessible_and_within_budget(built_site: Path, desktop_visit) -> None:
    # Every page but the print page (tests/test_pdf.py prints it: diagrams drawn, nothing fetched
    # from elsewhere; its links are checked below), as the shared desktop visit found it.
    audited = [audit.path for audit in desktop_visit.audits]
    assert audited == [p for p in site_pages(built_site) if p != "print_page/"]
    assert len(audited) >= 25  # the written pages plus every generated one
    assert [problem for audit in desktop_visit.audits for problem in audit.problems()] == []


def test_no_broken_internal_link_or_anchor(built_site: Path) -> None:
    assert broken_links(built_site) == []


def test_a_mermaid_syntax_error_is_caught_with_its_page(browser, fixture_site: Path, tmp_path: Path) -> None:
    page = fixture_site / "content/docs/nested/page.md"
    page.write_text(page.read_text().replace("A[Question] --> B[Answer]", "A[Question] --> --> B[[Answer"))
    enable_mermaid(fixture_site, "      arguments:\n        securityLevel: strict\n")
    result = run_build(fixture_site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 0, result.output
    with serve(tmp_path / "out") as url:
        problems = audit_pages(browser, url, tmp_path / "out", ["nested/page/"], run_axe=False)[0].problems()
    assert "nested/page/: 1 diagram(s) have a Mermaid syntax error" in problems


def test_search_finds_a_crux_by_a_word_of_its_question(browser, site_url: str) -> None:
    context = new_context(browser, search=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    goto_settled(page, site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("steganography", delay=20)
    try:
        wait_for_search_result(page, ".md-search-result__item a", "cruxes/deception-hiding/")
    finally:
        context.close()


def _contrast(page) -> float:
    return page.evaluate("""() => {
        const rgb = s => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                                    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
        const text = rgb(getComputedStyle(document.querySelector('.md-typeset p')).color);
        const back = rgb(getComputedStyle(document.body).backgroundColor);
        const [hi, lo] = [lum(text), lum(back)].sort((a, b) => b - a);
        return (hi + 0.05) / (lo + 0.05);
    }""")


def test_dark_mode_toggle_keeps_text_readable(browser, site_url: str) -> None:
    context = new_context(browser, viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    goto_settled(page, site_url + "debate/arguments/")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    assert _contrast(page) >= 4.5
    context.close()


def test_phone_width_navigation_opens_and_tables_fit_their_box(browser, site_url: str) -> None:
    context = new_context(browser, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    goto_settled(page, site_url + "approaches/")
    page.locator("label.md-header__button[for='__drawer']").tap()
    # The drawer slides in from the left edge.
    page.wait_for_function("document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    assert page.locator(".md-sidebar--primary nav").first.is_visible()
    page.touchscreen.tap(380, 500)  # on the overlay, beside the drawer
    page.wait_for_function("!document.getElementById('__drawer').checked")
    # The page itself never scrolls sideways; the comparison table is a card per row, in its box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wrap = page.locator(".mi-table-wrap").first
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    context.close()
