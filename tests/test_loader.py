"""The loader: what a contributor sees when a record is wrong, and what a valid corpus yields."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from mi_survey.load import ContentError, load

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "site" / "content" / "data"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "content" / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


def write(data: Path, relative: str, text: str) -> None:
    path = data / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def problems(data: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(data, data.parent.parent)
    return [str(p) for p in caught.value.problems]


def test_valid_fixture_loads_with_backlinks_and_authorship(data: Path) -> None:
    kb = load(data, data.parent.parent)
    assert [c.id for c in kb.all("cruxes")] == ["deception", "scaling"]
    # A crux citing a reference in a field and in its Markdown both count as citing it.
    assert ("cruxes", "deception") in kb.links_to("references", "beta2023")
    assert ("positions", "olah-sufficiency") in kb.links_to("people", "chris-olah")
    assert kb.authored["chris-olah"] == ("alpha2024", "gamma2022")
    assert kb.source("cruxes", "scaling").path == "content/data/cruxes/scaling.yaml"


def test_yaml_syntax_error_names_file_and_line(data: Path) -> None:
    write(
        data,
        "cruxes/broken.yaml",
        """
        id: broken
        question: [unclosed
        importance: high
    """,
    )
    found = problems(data)
    assert len(found) == 1
    assert found[0].startswith("content/data/cruxes/broken.yaml:3: YAML syntax error")


def test_unknown_field_lists_the_allowed_ones(data: Path) -> None:
    write(
        data,
        "venues/odd.yaml",
        """
        id: odd
        name: Odd
        kind: news
        credibility: 3
        colour: red
    """,
    )
    assert problems(data) == [
        "content/data/venues/odd.yaml:5: colour: unknown field; expected one of: id, name, kind, credibility, url, note [field-unknown]"
    ]


def test_wrong_type(data: Path) -> None:
    write(
        data,
        "venues/odd.yaml",
        """
        id: odd
        name: Odd
        kind: news
        credibility: [3]
    """,
    )
    assert problems(data) == [
        "content/data/venues/odd.yaml:4: credibility: expected a whole number (got a list) [field-type]"
    ]


def test_enum_value_lists_allowed_values(data: Path) -> None:
    write(
        data,
        "positions/bad.yaml",
        """
        id: bad
        topic: sufficiency
        attributed_by: {source: alpha2024}
        holder: lab
        stance: hopeful
        confidence: low
        summary: s
        reasoning: r
    """,
    )
    (message,) = problems(data)
    assert message.startswith("content/data/positions/bad.yaml:5: stance: expected one of: ")
    assert "'strong-optimist'" in message and "'skeptic'" in message and "(got 'hopeful')" in message


def test_an_attribution_without_its_source_is_refused_naming_the_holder(data: Path) -> None:
    """Naming who holds a view is a claim: a position or a crux answer must cite the source that
    makes it, and the problem names the file, the holder's line and the holder."""
    write(
        data,
        "positions/unsourced.yaml",
        """
        id: unsourced
        topic: sufficiency
        holder: lab
        stance: optimist
        confidence: low
        summary: s
        reasoning: r
    """,
    )
    crux = data / "cruxes" / "deception.yaml"
    text = crux.read_text()
    crux.write_text(
        text.replace(
            "    holders:\n      - id: chris-olah\n        attributed_by: {source: gamma2022, locator: p. 3}\n",
            "    holders: [chris-olah]\n",
        )
    )
    holder_line = crux.read_text().splitlines().index("    holders: [chris-olah]") + 1
    found = problems(data)
    claim = "as a holder is a claim: say which source makes it, with {source: reference-id, locator: where in it}"
    assert f"content/data/positions/unsourced.yaml:3: holder: naming 'lab' {claim} [field-value]" in found
    assert (
        f"content/data/cruxes/deception.yaml:{holder_line}: positions[0].holders[0]: naming 'chris-olah' {claim} [field-value]"
        in found
    )


def test_missing_required_field_points_at_the_record(data: Path) -> None:
    write(
        data,
        "organisations/team.yaml",
        """
        id: team
        kind: team
    """,
    )
    assert problems(data) == ["content/data/organisations/team.yaml:1: name: required field is missing [field-missing]"]


def test_duplicate_ids_in_a_list_collection(data: Path) -> None:
    milestones = (data / "milestones.yaml").read_text()
    (data / "milestones.yaml").write_text(
        milestones
        + textwrap.dedent("""
        - id: circuits
          date: "2021"
          title: Again
          significance: Twice.
    """)
    )
    (message,) = problems(data)
    assert message.startswith("content/data/milestones.yaml:20: [3].id: duplicate id 'circuits' in milestones")
    assert "first used at content/data/milestones.yaml:7" in message


def test_dangling_reference_suggests_the_close_id(data: Path) -> None:
    text = (data / "cruxes" / "scaling.yaml").read_text().replace("references: [alpha2024]", "references: [alpha2042]")
    (data / "cruxes" / "scaling.yaml").write_text(text)
    assert problems(data) == [
        "content/data/cruxes/scaling.yaml:8: references[0]: unknown id 'alpha2042'; expected the id of a "
        "record in references (did you mean 'alpha2024'?) [id-unknown]"
    ]


def test_dangling_citation_in_markdown_text(data: Path) -> None:
    text = (data / "cruxes" / "scaling.yaml").read_text().replace("[@alpha2024]", "[@nobody]")
    (data / "cruxes" / "scaling.yaml").write_text(text)
    assert problems(data) == [
        "content/data/cruxes/scaling.yaml:5: current_state: citation of unknown reference 'nobody' [citation-unknown]"
    ]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/x", "example.org"])
def test_urls_must_be_http(data: Path, url: str) -> None:
    write(
        data,
        "venues/odd.yaml",
        f"""
        id: odd
        name: Odd
        kind: news
        credibility: 3
        url: "{url}"
    """,
    )
    assert problems(data) == [
        "content/data/venues/odd.yaml:5: url: must be an absolute http:// or https:// URL [field-value]"
    ]


def test_three_mistakes_in_one_file_give_three_lines(data: Path) -> None:
    write(
        data,
        "references/sloppy.yaml",
        """
        id: sloppy
        type: paper
        title: A sloppy record
        date: May 2024
        venue: arxiv
        summary: Fine.
        credibility: 5
        url: javascript:alert(1)
    """,
    )
    assert problems(data) == [
        "content/data/references/sloppy.yaml:4: date: expected a date written YYYY, YYYY-MM or YYYY-MM-DD (got 'May 2024') [field-value]",
        "content/data/references/sloppy.yaml:7: credibility: unknown field; expected one of: id, type, title, "
        "authors, date, venue, venue_detail, organisation, url, doi, arxiv, summary, key_points, tags, annotation, rating, corrections, checked [field-unknown]",
        "content/data/references/sloppy.yaml:8: url: must be an absolute http:// or https:// URL [field-value]",
    ]


def test_every_file_reports_in_one_run(data: Path) -> None:
    write(data, "venues/one.yaml", "id: one\nname: One\nkind: news\n")
    write(data, "venues/two.yaml", "id: two\nname: Two\nkind: nope\ncredibility: 2\n")
    found = problems(data)
    assert [f.split(":")[0] for f in found] == ["content/data/venues/one.yaml", "content/data/venues/two.yaml"]


def test_anchors_and_aliases_are_refused(data: Path) -> None:
    write(
        data,
        "venues/laughs.yaml",
        """
        id: laughs
        name: &a Laughs
        kind: news
        credibility: 3
        note: *a
    """,
    )
    assert problems(data) == [
        "content/data/venues/laughs.yaml:2: name: YAML anchors and aliases are not supported; write the value out [yaml-alias]",
        "content/data/venues/laughs.yaml:5: note: YAML anchors and aliases are not supported; write the value out [yaml-alias]",
    ]


def test_duplicate_keys_are_not_silently_dropped(data: Path) -> None:
    write(data, "venues/twice.yaml", "id: twice\nname: A\nname: B\nkind: news\ncredibility: 3\n")
    assert problems(data) == [
        "content/data/venues/twice.yaml:3: name: duplicate key; the earlier value would be lost [yaml-duplicate-key]"
    ]


def test_id_must_match_file_name(data: Path) -> None:
    write(data, "venues/named.yaml", "id: other\nname: A\nkind: news\ncredibility: 3\n")
    assert problems(data) == [
        "content/data/venues/named.yaml:1: id: 'other' must match the file name 'named.yaml' [id-file-name]"
    ]


def test_a_file_outside_every_collection_is_reported(data: Path) -> None:
    write(data, "referenses/x.yaml", "id: x\n")
    (message,) = problems(data)
    assert message.startswith("content/data/referenses/x.yaml:1: not part of any collection")


def test_yes_and_no_are_refused_unquoted(data: Path) -> None:
    text = (data / "cruxes" / "scaling.yaml").read_text().replace('answer: "Yes"', "answer: Yes")
    (data / "cruxes" / "scaling.yaml").write_text(text)
    assert problems(data) == [
        "content/data/cruxes/scaling.yaml:10: positions[0].answer: Yes is read by YAML 1.1 as true; "
        "put it in quotes ('Yes') if it is text, or write true [yaml-ambiguous]"
    ]


def test_true_for_text_is_reported_with_a_hint(data: Path) -> None:
    text = (data / "cruxes" / "scaling.yaml").read_text().replace('answer: "Yes"', "answer: true")
    (data / "cruxes" / "scaling.yaml").write_text(text)
    assert problems(data) == [
        "content/data/cruxes/scaling.yaml:10: positions[0].answer: expected text (got True); YAML reads a bare "
        "true or false as a truth value: put the text in quotes [field-type]"
    ]


def test_a_folder_that_cannot_be_read_is_reported(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Permissions do not stop root (as CI runs), so the listing itself is made to fail.
    import os

    listing = os.scandir

    def scandir(path):
        if str(path).endswith("people"):
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert (
        "content/data/people:1: this folder cannot be read; its records would be left out [file-unreadable]"
        in problems(data)
    )
