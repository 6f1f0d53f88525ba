"""What Material's search indexer is handed of a page (render/search_view.py): the page without its
citation cards' entries, which it would skip anyway, and so a search index the same as the whole
page's; the page as published afterwards; and every page it must read whole."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import FIXTURE_SITE, ROOT, copy_fixture_site, finish_page, run_build
from material.plugins.search.plugin import SearchIndex

from mi_survey.load import read_pages
from mi_survey.render.search_view import entry_removable, mark_frame
from mi_survey.render.survey_build import SiteSettings, SurveyBuild
from mi_survey.render.survey_pages import SurveyPages

WRITTEN = read_pages(FIXTURE_SITE / "content" / "docs")
EXTENSIONS = ("abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc")


class EngineError(Exception):
    pass


def _pages(templates: Path = ROOT / "templates" / "components") -> SurveyPages:
    build = SurveyBuild.prepare(FIXTURE_SITE, "content/data", templates, date(2026, 12, 1), SiteSettings("Fixture"))
    build.read_pages(WRITTEN)
    return SurveyPages(build, "content/docs", error=EngineError, search_views=True)


def _index(content: str) -> list[dict]:
    """The entries Material's search plugin makes of a page whose content is ``content``."""
    index = SearchIndex()
    index.add_entry_from_context(SimpleNamespace(content=content, toc=[], url="page/", meta={}, title="Page"))
    return index.entries


def test_the_indexer_reads_each_page_without_its_cards_entries_and_indexes_the_same() -> None:
    pages = _pages()
    cited = 0
    for src, source in WRITTEN:
        content = finish_page(pages, src, source, EXTENSIONS)
        view = pages.view_for_search(src, content)
        assert _index(view) == _index(content), src
        assert pages.indexed(src, view) is content
        if 'class="mi-card"' in content:
            cited += 1
            assert len(view) < len(content) and 'class="mi-card"' in view, src
            assert "mi-card__ref" in content and "mi-card__ref" not in view, src
    assert cited >= 2  # the fixture pages that cite


def test_pages_that_exclude_elements_themselves_are_read_whole() -> None:
    pages = _pages()
    sources = {
        # A link around a citation, excluded: its end tag ends the exclusion where the card's
        # entries hold a link too, so the indexer must see the entries.
        "raw.md": '# Raw\n\nBefore <a href="x/" data-search-exclude>see [@alpha2024] more words</a> after.\n',
        "attrs.md": "# Attrs\n\nA claim [@alpha2024] here.\n{: DATA-SEARCH-EXCLUDE }\n",
        # Material deletes data-search-*="..." attributes after indexing: the page must be its own.
        "valued.md": '# Valued\n\nA claim <span data-search-boost="2">[@alpha2024]</span>.\n',
    }
    for src, source in sources.items():
        content = finish_page(pages, src, source, EXTENSIONS)
        assert 'class="mi-card"' in content
        assert pages.view_for_search(src, content) is content, src
        assert pages.indexed(src, content) is content


def test_a_page_changed_after_it_finished_is_read_as_it_is_now() -> None:
    pages = _pages()
    content = finish_page(pages, "a.md", "# A\n\nA claim [@alpha2024].\n")
    changed = content.replace("A claim", "A changed claim")
    assert pages.view_for_search("a.md", changed) is changed


def test_a_view_changed_while_it_was_indexed_stops_the_build() -> None:
    pages = _pages()
    content = finish_page(pages, "a.md", "# A\n\nA claim [@alpha2024].\n")
    view = pages.view_for_search("a.md", content)
    with pytest.raises(EngineError, match=r"a\.md: the page.s content changed while the search index read it"):
        pages.indexed("a.md", view + "<p>added</p>")


def test_a_cite_template_with_more_than_the_entries_in_the_card_keeps_them_for_the_indexer(tmp_path: Path) -> None:
    templates = tmp_path / "components"
    shutil.copytree(ROOT / "templates" / "components", templates)
    cite = templates / "cite.html"
    cite.write_text(cite.read_text(encoding="utf-8").replace("{{ entries|join }}", "Works: {{ entries|join }}"))
    pages = _pages(templates)
    content = finish_page(pages, "a.md", "# A\n\nA claim [@alpha2024].\n")
    assert "Works: " in content
    assert pages.view_for_search("a.md", content) is content


@pytest.mark.parametrize(
    ("entry", "removable"),
    [
        ('<span class="e"><a href="x/">Title</a>, 2024.</span>', True),
        ("<span>line<br>break<br/>and an empty<span/></span>", True),
        ('<span><h3 id="x">A heading starts a section, even excluded</h3></span>', False),
        ("<span>a link left open <a href='x/'>here</span>", False),
        ("<span>closes what it did not open</span></a>", False),
        ("<small>the card's own tag ends the exclusion</small>", False),
        ("<span data-search-exclude>excluded itself</span>", False),
        ("<span><!-- a comment --></span>", False),
        ("<span>a tag left half written</span><a href", False),
        ("<script>x</script>", False),
    ],
)
def test_which_card_entries_the_indexer_may_be_spared(entry: str, removable: bool) -> None:
    assert entry_removable(entry, frozenset({"small", "aside", "details", "div"})) is removable


def test_headings_holding_citations_build_with_material_search_and_name_their_entries_plainly(tmp_path: Path) -> None:
    """Python-Markdown names a heading's table-of-contents entry (and the page's title) before the
    page finishes: a citation there must not leave the search view's tokens in either."""
    site = copy_fixture_site(tmp_path / "project")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - search\n", 1))
    (site / "content" / "docs" / "cited.md").write_text(
        "Cited title [@alpha2024]\n===\n\n> ## Quoted [@alpha2024]\n\n!!! note\n\n    ## In a note [@beta2023]\n\n"
        "A claim [@alpha2024].\n",
        encoding="utf-8",
    )
    result = run_build(config, tmp_path / "site")
    assert result.returncode == 0, result.output
    page = result.page("cited/index.html")
    assert "\x0e" not in page and "\x0f" not in page
    assert "<title>Cited title" in page
    index = json.loads(result.page("search/search_index.json"))
    cited = [doc for doc in index["docs"] if doc["location"].startswith("cited/")]
    assert cited and all("\x0e" not in doc["title"] + doc["text"] for doc in cited)


@pytest.mark.parametrize(
    ("before", "marked"),
    [
        ('<span class="c"><small class="card" id="c-1" data-search-exclude>', True),
        ('<span class="c"><small title="not data-search-exclude ">', False),  # a value, not the attribute
        ("<span><small data-search-exclude>Works: ", False),  # more than the entries inside
        ("<span><aside data-search-exclude>", False),  # a tag the entries were not checked against
    ],
)
def test_which_cite_frames_put_their_entries_out_of_the_indexers_reading(before: str, marked: bool) -> None:
    frame = f"{before}ENTRY</{'aside' if 'aside' in before else 'small'}></span>"
    assert (mark_frame(frame, ["ENTRY"], frozenset({"small"})) is not None) is marked
