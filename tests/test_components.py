"""Each component and citation, rendered in-process: golden files of input and expected output.

A case is ``tests/components/NAME.md`` (a page's Markdown) beside ``NAME.html`` (the HTML it
renders to) or ``NAME.problems`` (the problems it reports, ``line: message [code]``, one a line).
After a deliberate change of output, ``UPDATE_GOLDEN=1 make pytest PYTEST_ARGS=tests/test_components.py``
rewrites the expected files: read their diff before committing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import PageRenderer

from mi_survey.render.components import COMPONENTS

CASES = Path(__file__).parent / "components"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def renderer() -> PageRenderer:
    return PageRenderer()


def _cases() -> list[str]:
    return sorted(path.stem for path in CASES.glob("*.md"))


@pytest.mark.parametrize("case", _cases())
def test_component_renders_as_its_golden_file(renderer: PageRenderer, case: str) -> None:
    source = (CASES / f"{case}.md").read_text(encoding="utf-8")
    html, problems = renderer.render(source)
    expected_html, expected_problems = CASES / f"{case}.html", CASES / f"{case}.problems"
    if UPDATE:
        target = expected_problems if problems else expected_html
        (expected_html if problems else expected_problems).unlink(missing_ok=True)
        target.write_text(("\n".join(problems) if problems else html) + "\n", encoding="utf-8")
    if expected_problems.exists():
        assert "\n".join(problems) + "\n" == expected_problems.read_text(encoding="utf-8")
    else:
        assert problems == [], problems
        assert html + "\n" == expected_html.read_text(encoding="utf-8")


def test_every_component_has_a_golden_case() -> None:
    """A component added to the registry is not untested: it needs a case of its own."""
    covered = {path.stem.split("--")[0] for path in CASES.glob("*.md")}
    assert sorted(set(COMPONENTS) - covered) == []


def test_golden_html_is_what_a_reader_reads() -> None:
    """The expected files hold rendered components, not placeholders or empty output."""
    for path in CASES.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert 'class="mi-component' in text or "mi-cite" in text, path.name
        assert "\x02" not in text and "\x00" not in text, path.name


def test_a_locator_in_record_text_is_checked_and_kept_in_the_json_export(tmp_path: Path) -> None:
    """Record text cites with locators as pages do; the export keeps the text as written."""
    import shutil

    from helpers import FIXTURE_SITE

    from mi_survey.load import ContentError, load
    from mi_survey.render.exports import knowledge_base_json

    data = tmp_path / "content" / "data"
    shutil.copytree(FIXTURE_SITE / "content" / "data", data)
    crux = data / "cruxes" / "scaling.yaml"
    crux.write_text(crux.read_text().replace("[@alpha2024]", "[@alpha2024, p. 52]"))
    assert "[@alpha2024, p. 52]" in knowledge_base_json(load(data, tmp_path))
    crux.write_text(crux.read_text().replace("[@alpha2024, p. 52]", "[@alpha2024, page fifty-two or so]"))
    with pytest.raises(ContentError) as caught:
        load(data, tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "content/data/cruxes/scaling.yaml:5: current_state: malformed citation '[@alpha2024, page fifty-two or so]'; "
        'expected [@id], [@id, p. 52], [@id, sec. 3], [@id, sec. "Title"] or [@a; @b] [citation-malformed]'
    ]
