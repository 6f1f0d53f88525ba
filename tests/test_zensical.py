"""The same survey built by Zensical from `mi-survey export`, checked page by page against the
MkDocs build: every page in both, each article the same (the benchmark's rule between its
variants), and the Zensical site as a reader meets it (diagrams drawn, nothing fetched from a
third-party host, search finds a crux). The print page is MkDocs-only (a plugin makes it)."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import MI_SURVEY, ROOT
from served_site import new_context, serve
from site_audit import audit_pages, broken_links, goto_settled, site_pages, wait_for_search_result

sys.path.insert(0, str(ROOT / "scripts"))
from bench.variants import differing_pages

ZENSICAL = Path(sys.executable).parent / "zensical"
MKDOCS_ONLY = {"print_page/index.html"}


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    """The real site exported and built by Zensical, once per session."""
    if not ZENSICAL.exists():
        pytest.fail(f"{ZENSICAL} is missing: `make setup` installs the lock, which holds Zensical")
    export = tmp_path_factory.mktemp("zensical") / "export"
    done = subprocess.run([MI_SURVEY, "export", str(export)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run(
        [str(ZENSICAL), "build", "--strict", "-f", "mkdocs.yml"],
        capture_output=True,
        text=True,
        cwd=export,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return export / "site"


def test_every_page_is_in_both_builds_and_its_article_is_the_same(built_site: Path, zensical_site: Path) -> None:
    pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")}
    assert len(pages) >= 25
    assert set(differing_pages(built_site, zensical_site)) == MKDOCS_ONLY


def test_the_exports_are_published_beside_the_pages(built_site: Path, zensical_site: Path) -> None:
    for path in ("bibliography.bib", "data/survey.json", "data/survey.schema.json", "llms.txt", "changes.xml"):
        assert (zensical_site / path).read_bytes() == (built_site / path).read_bytes(), path
    cited = sorted(p.relative_to(built_site).as_posix() for p in (built_site / "cite").rglob("*"))
    assert cited and cited == sorted(
        p.relative_to(zensical_site).as_posix() for p in (zensical_site / "cite").rglob("*")
    )


class _Meta(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, str]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs) -> None:
        found = dict(attrs)
        if tag == "meta" and (found.get("name") or "").startswith(("citation_", "DC.")):
            self.tags.append((found["name"] or "", found.get("content") or ""))


def test_pages_carry_their_scholarly_meta_tags(built_site: Path, zensical_site: Path) -> None:
    for page in ("index.html", "debate/index.html", "cruxes/deception-hiding/index.html", "timeline/index.html"):
        tags = _Meta((built_site / page).read_text()).tags
        assert any(name == "citation_reference" for name, _ in tags) or page == "index.html", page
        assert _Meta((zensical_site / page).read_text()).tags == tags, page


def test_no_broken_internal_link_or_anchor(zensical_site: Path) -> None:
    assert broken_links(zensical_site) == []


@pytest.mark.browser
def test_a_reader_of_the_zensical_site_meets_diagrams_and_no_third_party(browser, zensical_site: Path) -> None:
    # The pages with diagrams, and a few without (whose only risk is a request elsewhere).
    with_diagrams = [
        p for p in site_pages(zensical_site) if 'class="mermaid"' in (zensical_site / p / "index.html").read_text()
    ]
    assert len(with_diagrams) >= 4
    with serve(zensical_site) as url:
        problems = []
        for found in audit_pages(
            browser,
            url,
            zensical_site,
            [*with_diagrams, "", "bibliography/", "cruxes/deception-hiding/"],
            run_axe=False,
        ):
            problems += found.problems()
            if found.path in with_diagrams:
                assert found.diagrams and found.rendered == found.diagrams, found.path
    assert problems == []


@pytest.mark.browser
def test_search_finds_a_crux_by_a_word_of_its_question(browser, zensical_site: Path) -> None:
    with serve(zensical_site) as url:
        context = new_context(browser, search=True, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        goto_settled(page, url)
        # Zensical's search is a dialog of its own (in a shadow root, which Playwright's locators
        # enter), opened by the header's Search button or Ctrl+K.
        page.keyboard.press("Control+k")
        page.locator('dialog[aria-label="Search"] input[role="combobox"]').press_sequentially("steganography", delay=20)
        try:
            wait_for_search_result(page, 'dialog[aria-label="Search"] a[href*="?h="]', "cruxes/deception-hiding/")
        finally:
            context.close()
