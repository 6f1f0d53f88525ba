"""The steps every engine takes each page through (render/survey_pages.py), in-process over the
fixture site: a page's problems at their lines, "what links here" put in place as a page is
written, and the errors a page meets after the build has let its knowledge base go."""

from __future__ import annotations

from datetime import date

import markdown as python_markdown
import pytest
from helpers import FIXTURE_SITE, ROOT, finish_page

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


def test_a_pages_problems_are_at_their_lines_of_the_file_a_contributor_edits(pages: SurveyPages) -> None:
    source = (
        "# Approaches\n\nDeployed ones:\n\n/// comparison\ncollection: approaches\nwhere: {maturity: deployed}\n///\n"
    )
    finish_page(pages, "lists/deployed.md", source)
    assert [str(p) for p in pages.problems] == [
        "content/docs/lists/deployed.md:7: comparison: no approaches record matches where: {maturity: deployed} "
        "[component-no-match]"
    ]


def test_a_page_written_out_lists_the_pages_that_link_to_it(pages: SurveyPages) -> None:
    target = finish_page(pages, "b.md", "# Beta\n\nNo links.\n")
    finish_page(pages, "a.md", "# Alpha\n\nSee [the beta page](../b/).\n", title="Alpha")
    pages.close()
    written = pages.written("b.md", page_url("b.md"), f"<html>{target}</html>")
    assert "Alpha" in written and pages.backlinks.mark not in written
    assert pages.problems == []


def test_a_page_still_holding_a_placeholder_is_a_problem_of_its_file(pages: SurveyPages) -> None:
    # Left in the converted content (a stashed block Python-Markdown did not put back) ...
    pages.start("a.md", page_url("a.md"), lambda path: path, {})
    pages.finish("a.md", page_url("a.md"), "<h1>Alpha</h1>\n<p>\x02wzxhzdk:3\x03</p>", "# Alpha\n", "Alpha")
    # ... or in a title the theme prints beside the content (the table of contents').
    content = finish_page(pages, "b.md", "# Beta\n")
    pages.close()
    pages.written("a.md", page_url("a.md"), "<html></html>")
    pages.written("b.md", page_url("b.md"), f"<html>{content}</html>", ("Beta", "Part \x02wzxhzdk:0\x03"))
    assert [(p.path, p.code) for p in pages.problems] == [
        ("content/docs/a.md", "placeholder-left"),
        ("content/docs/b.md", "placeholder-left"),
    ]


def test_content_rendered_after_the_build_closed_raises_the_engines_error(pages: SurveyPages) -> None:
    pages.close()
    md = python_markdown.Markdown(extensions=[pages.extension])
    with pytest.raises(EngineError, match="only while the pages' content renders"):
        md.convert("A claim [@alpha2024].\n")
