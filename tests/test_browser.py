"""The real site in Chromium, served under a sub-path on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page
from served_site import new_context
from site_audit import goto_settled

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser) -> Iterator[Page]:
    # Whether each page loads without errors, diagrams drawn and nothing fetched from another host
    # is the audit's (tests/test_reader.py); these tests are about what a reader does on a page.
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_comparison_table_sorts_on_header_click(page: Page, site_url: str) -> None:
    goto_settled(page, site_url + "approaches/")
    table = page.locator("table.mi-sortable").first
    header = table.locator("th", has_text="Maturity")
    header.click()
    first_rows = table.locator("tbody tr td:nth-child(1)").all_inner_texts()
    header.click()
    reversed_rows = table.locator("tbody tr td:nth-child(1)").all_inner_texts()
    assert first_rows != reversed_rows and sorted(first_rows) == sorted(reversed_rows)
    assert header.get_attribute("aria-sort") in ("ascending", "descending")


def test_citation_card_opens_on_hover_focus_and_tap(page: Page, site_url: str) -> None:
    goto_settled(page, site_url)
    cite = page.locator(".mi-cite").first
    card = cite.locator(".mi-card")
    assert not card.is_visible()
    cite.locator(".mi-cite__label").hover()
    assert card.is_visible() and card.locator(".mi-card__title").inner_text()
    # The open card hides the text beneath it: opaque, and on top where the reader looks.
    on_top = card.evaluate("""card => {
        const box = card.getBoundingClientRect();
        let node = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        let opacity = 1;
        for (let e = card; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
        return [card.contains(node), opacity];
    }""")
    assert on_top == [True, 1], on_top
    page.mouse.move(0, 0)
    page.keyboard.press("Escape")
    cite.locator(".mi-cite__label").focus()
    assert card.is_visible()
    page.locator("h1").click()  # focus leaves, nothing hovered
    assert not card.is_visible()


def test_citation_card_opens_on_tap_on_a_phone(browser, site_url: str) -> None:
    context = new_context(browser, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    goto_settled(page, site_url)
    cite = page.locator(".mi-cite").first
    cite.locator(".mi-cite__label").tap()
    assert cite.locator(".mi-card").is_visible()
    page.locator("h1").tap()
    assert not cite.locator(".mi-card").is_visible()
    # The citation furthest right on the screen: its card still opens wholly on the screen.
    index = page.evaluate("""() => {
        const labels = [...document.querySelectorAll(".mi-cite__label")];
        const right = labels.map(l => l.getBoundingClientRect().right);
        return right.indexOf(Math.max(...right.filter(r => r <= innerWidth)));
    }""")
    far = page.locator(".mi-cite").nth(index)
    far.locator(".mi-cite__label").tap()
    box = far.locator(".mi-card").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844, box
    context.close()


def test_cite_this_page_is_dated_today_and_copies_with_one_click(browser, site_url: str) -> None:
    """The citation a reader copies names the day they read it, wherever they are."""
    context = new_context(browser, viewport={"width": 390, "height": 844}, timezone_id="Pacific/Kiritimati")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    goto_settled(page, site_url + "debate/arguments/")
    today = page.evaluate(
        "new Intl.DateTimeFormat('en-US', {month: 'long', day: 'numeric', year: 'numeric'}).format(new Date())"
    )
    apa = page.locator("#cite-this-page .mi-citation").first
    assert today in apa.locator(".mi-citation__text").inner_text()
    apa.get_by_role("button", name="Copy").click()
    page.wait_for_function("document.querySelector('#cite-this-page .mi-copy').textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == apa.locator(".mi-citation__text").inner_text().strip()
    from helpers import ROOT

    from mi_survey.load import read_edition

    edition = read_edition(ROOT)
    assert edition.pinned("debate/arguments/") in copied and f"Version {edition.version}" in copied
    context.close()
