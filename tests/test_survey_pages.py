"""The steps every engine takes each page through (render/survey_pages.py), in-process over the
fixture site: a page's problems at their lines, "what links here" put in place as a page is
written, and the errors a page meets after the build has let its knowledge base go."""

from __future__ import annotations

from datetime import date

import markdown as python_markdown
import pytest
from helpers import FIXTURE_SITE, ROOT

from mi_survey.render.backlinks import relative_url
from mi_survey.render.pages import page_url
from mi_survey.render.survey_build import SiteSettings, SurveyBuild
from mi_survey.render.survey_pages import SurveyPages


class EngineError(Exception):
    pass


@pytest.fixture
def pages() -> SurveyPages:
    site = SiteSettings(name="Fixture")
    build = SurveyBuild.prepare(
        FIXTURE_SITE, "content/data", ROOT / "templates" / "components", date(2026, 12, 1), site
    )
    build.read_pages([])
    return SurveyPages(build, "content/docs", error=EngineError)


def _render(pages: SurveyPages, src: str, source: str, title: str) -> str:
    """The page through start, its Markdown converted as an engine converts it, and finish."""
    url = page_url(src)

    def linker(path: str) -> str:
        return relative_url(page_url(path), url) if path.endswith(".md") else path

    pages.start(src, url, linker, {})
    md = python_markdown.Markdown(extensions=[pages.extension, "attr_list"])
    content, _ = pages.finish(src, url, md.convert(source), source, title)
    return content


def test_a_pages_problems_are_at_their_lines_of_the_file_a_contributor_edits(pages: SurveyPages) -> None:
    source = (
        "# Approaches\n\nDeployed ones:\n\n/// comparison\ncollection: approaches\nwhere: {maturity: deployed}\n///\n"
    )
    _render(pages, "lists/deployed.md", source, "Approaches")
    assert [str(p) for p in pages.problems] == [
        "content/docs/lists/deployed.md:7: comparison: no approaches record matches where: {maturity: deployed} "
        "[component-no-match]"
    ]


def test_a_page_written_out_lists_the_pages_that_link_to_it(pages: SurveyPages) -> None:
    target = _render(pages, "b.md", "# Beta\n\nNo links.\n", "Beta")
    _render(pages, "a.md", "# Alpha\n\nSee [the beta page](../b/).\n", "Alpha")
    pages.close()
    written = pages.written("b.md", page_url("b.md"), f"<html>{target}</html>")
    assert "Alpha" in written and pages.backlinks.mark not in written
    assert pages.problems == []


def test_a_page_still_holding_a_placeholder_is_a_problem_of_its_file(pages: SurveyPages) -> None:
    content = _render(pages, "a.md", "# Alpha\n", "Alpha")
    pages.close()
    pages.written("a.md", page_url("a.md"), content + "<p>\x02wzxhzdk:3\x03</p>")
    assert [(p.path, p.code) for p in pages.problems] == [("content/docs/a.md", "placeholder-left")]


def test_content_rendered_after_the_build_closed_raises_the_engines_error(pages: SurveyPages) -> None:
    pages.close()
    md = python_markdown.Markdown(extensions=[pages.extension])
    with pytest.raises(EngineError, match="only while the pages' content renders"):
        md.convert("A claim [@alpha2024].\n")
