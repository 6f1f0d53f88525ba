"""The `mi-survey` command: each subcommand's real effect on a copy of the fixture site."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from mi_survey.cli import main

MI_SURVEY = str(Path(sys.executable).parent / "mi-survey")


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


_FILL = {"importance": "high", "confidence": "medium"}


def fill_empty_fields(path: Path) -> None:
    """What a contributor does: write a value after every empty `field:`."""
    out = []
    for line in lines_of(path):
        match = re.fullmatch(r"(\s*(?:- )?)([a-z_]+):", line)
        if match and match.group(2) != "positions":  # positions: holds the entries below it
            name = match.group(2)
            line = f"{line} {_FILL.get(name, f'Text for {name}.')}"
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


# -- validate -----------------------------------------------------------------------------------


def test_validate_passes_on_the_fixture_and_lists_every_problem(fixture_site: Path, capsys) -> None:
    status, out, _ = run(capsys, "validate", "--root", str(fixture_site))
    assert status == 0 and "all valid" in out
    crux = fixture_site / "content/data/cruxes/scaling.yaml"
    crux.write_text(crux.read_text().replace("importance: high", "importance: huge"))
    (fixture_site / "content/data/venues/arxiv.yaml").write_text("id: arxiv\nname: arXiv\nkind: preprint\n")
    status, _, err = run(capsys, "--root", str(fixture_site), "validate")
    assert status == 1
    assert "content/data/cruxes/scaling.yaml:6: importance: expected one of:" in err
    assert "content/data/venues/arxiv.yaml:1: credibility: required field is missing" in err


def test_the_console_script_is_installed(fixture_site: Path) -> None:
    done = subprocess.run([MI_SURVEY, "validate", "--root", str(fixture_site)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "all valid" in done.stdout


# -- new ----------------------------------------------------------------------------------------


def test_new_crux_names_fields_to_fill_until_filled(fixture_site: Path, capsys) -> None:
    status, out, _ = run(capsys, "new", "crux", "automation-pace", "--root", str(fixture_site))
    assert status == 0
    path = fixture_site / "content/data/cruxes/automation-pace.yaml"
    assert "created content/data/cruxes/automation-pace.yaml" in out
    assert "fill in: question, description, stakes, current_state, importance, positions" in out
    lines = lines_of(path)
    assert lines[0] == "# yaml-language-server: $schema=../../schemas/cruxes.schema.json"
    assert "id: automation-pace" in lines
    # Every field is explained; optional ones are commented out; no placeholder text.
    assert "# Required. How much the answer matters for the survey's question: the editors' judgement. One of:" in lines
    assert "# related: []" in lines and "TODO" not in path.read_text()

    status, _, err = run(capsys, "validate", "--root", str(fixture_site))
    assert status == 1
    problems = [line for line in err.splitlines() if line.startswith("content/")]
    assert all(p.startswith("content/data/cruxes/automation-pace.yaml:") for p in problems)
    fields = [p.split(": ")[1] for p in problems]
    assert fields[:5] == ["question", "description", "stakes", "current_state", "importance"]
    assert "positions[1].implication" in fields and len(fields) == 13
    # Each problem's line is the line of the empty field.
    for problem in problems:
        line, field = int(problem.split(":")[1]), problem.split(": ")[1]
        assert lines[line - 1].strip().removeprefix("- ") == field.split(".")[-1] + ":"
    assert "content/data/cruxes/automation-pace.yaml:7: question: is empty; expected text" in err
    assert "importance: is empty; expected one of: 'low', 'medium', 'high', 'critical'" in err

    fill_empty_fields(path)
    status, out, err = run(capsys, "validate", "--root", str(fixture_site))
    assert status == 0, err


def comments_above_fields(path: Path) -> dict[tuple[bool, str], str]:
    """Each field of a skeleton (``name:``, ``- name:`` or commented ``# name:``), keyed by whether
    it is nested (indented) and its name, with the comment lines written directly above it, joined
    into one line."""
    found: dict[tuple[bool, str], str] = {}
    comment: list[str] = []
    for line in lines_of(path):
        text = line.strip().removeprefix("- ")
        field = re.fullmatch(r"(?:# )?([a-z_]+):(?: \[\])?", text)
        if field and comment:
            found.setdefault((line.startswith(" "), field.group(1)), " ".join(comment))
            comment = []
        elif text.startswith("# "):
            comment.append(text[2:])
        else:
            comment = []
    return found


def test_new_explains_every_field_with_its_docstring(fixture_site: Path, capsys) -> None:
    from mi_survey.model.cruxes import Crux, CruxPosition

    assert run(capsys, "new", "crux", "some-id", "--root", str(fixture_site))[0] == 0
    comments = comments_above_fields(fixture_site / "content/data/cruxes/some-id.yaml")
    for nested, model in ((False, Crux), (True, CruxPosition)):
        for name, info in model.model_fields.items():
            if name == "id":
                continue  # given on the command line: written, not explained
            docstring = " ".join((info.description or "").split())
            comment = comments[nested, name]
            assert docstring, f"{model.__name__}.{name}"
            assert re.fullmatch(rf"(Required|Optional)\. {re.escape(docstring)} \S.*", comment), (name, comment)
    assert comments[False, "stakes"] == (
        "Required. Why the answer matters: what depends on which answer is right. "
        "Markdown text; cite sources with [@reference-id]."
    )
    assert comments[True, "confidence"] == "Required. How confidently the answer is held. One of: low, medium, high."
    assert comments[False, "topic"].startswith("Optional. The topic whose question the crux bears on, if any. ")


def test_new_with_set_values_and_in_a_list_collection(fixture_site: Path, capsys) -> None:
    status, out, _ = run(
        capsys,
        "--root",
        str(fixture_site),
        "new",
        "milestones",
        "sae-release",
        "--set",
        "date=2024",
        "--set",
        "title=Sparse autoencoders released",
        "--set",
        "tags=sae, tools",
        "--set",
        "organisations=lab",
    )
    assert status == 0
    assert "appended milestones record 'sae-release' at content/data/milestones.yaml:21" in out
    text = (fixture_site / "content/data/milestones.yaml").read_text()
    assert text.startswith("- id: induction-heads\n")  # the existing records are untouched
    assert "- id: sae-release\n  date: '2024'\n" in text and "  tags: [sae, tools]\n" in text
    status, _, err = run(capsys, "validate", "--root", str(fixture_site))
    assert status == 1
    line = lines_of(fixture_site / "content/data/milestones.yaml").index("  significance:") + 1
    assert err.splitlines()[:-1] == [
        f"content/data/milestones.yaml:{line}: [3].significance: is empty; expected text [field-empty]"
    ]


def test_new_refuses_a_taken_id_a_bad_id_and_an_unknown_collection(fixture_site: Path, capsys) -> None:
    before = (fixture_site / "content/data/cruxes/deception.yaml").read_text()
    status, _, err = run(capsys, "new", "cruxes", "deception", "--root", str(fixture_site))
    assert status == 2
    assert err == (
        "mi-survey new: error: cruxes already has a record 'deception' "
        "(content/data/cruxes/deception.yaml); choose another id or edit that record\n"
    )
    assert (fixture_site / "content/data/cruxes/deception.yaml").read_text() == before
    status, _, err = run(capsys, "new", "milestone", "circuits", "--root", str(fixture_site))
    assert status == 2 and "(content/data/milestones.yaml:7)" in err
    status, _, err = run(capsys, "new", "cruxes", "Bad_Id", "--root", str(fixture_site))
    assert status == 2 and "like 'bad-id'" in err
    status, _, err = run(capsys, "new", "cruxs", "x", "--root", str(fixture_site))
    assert status == 2
    assert "unknown collection 'cruxs'; expected one of: references, venues," in err
    status, _, err = run(capsys, "new", "venues", "v", "--set", "rating=5", "--root", str(fixture_site))
    assert status == 2 and "venues has no field 'rating'" in err
    assert len(err.splitlines()) == 1


# -- schema -------------------------------------------------------------------------------------


def test_schema_writes_schemas_and_schema_lines_and_check_finds_staleness(fixture_site: Path, capsys) -> None:
    data = fixture_site / "content/data"
    before = {p: p.read_bytes() for p in data.rglob("*.yaml")}
    status, _, err = run(capsys, "schema", "--check", "--root", str(fixture_site))
    assert status == 1
    assert "content/schemas/cruxes.schema.json: schema missing" in err
    assert "content/data/cruxes/deception.yaml:1: schema line missing" in err

    status, _, _ = run(capsys, "schema", "--root", str(fixture_site))
    assert status == 0
    schemas = fixture_site / "content/schemas"
    assert sorted(p.name for p in schemas.iterdir())[:3] == [
        "approaches.schema.json",
        "challenges.schema.json",
        "cruxes.schema.json",
    ]
    for path, old in before.items():
        header, rest = path.read_bytes().split(b"\n", 1)
        depth = "../" if path.parent == data else "../../"
        collection = path.stem if path.parent == data else path.parent.name
        assert header == f"# yaml-language-server: $schema={depth}schemas/{collection}.schema.json".encode()
        assert rest == old  # the record itself is byte-identical
    assert run(capsys, "schema", "--check", "--root", str(fixture_site))[0] == 0
    assert run(capsys, "validate", "--root", str(fixture_site))[0] == 0

    # A changed schema, a header pointing elsewhere: both reported, then fixed.
    (schemas / "venues.schema.json").write_text("{}\n")
    crux = data / "cruxes/scaling.yaml"
    crux.write_text(crux.read_text().replace("../../schemas/cruxes", "../../schemas/crux", 1))
    status, _, err = run(capsys, "schema", "--check", "--root", str(fixture_site))
    assert status == 1
    assert "content/schemas/venues.schema.json: schema out of date" in err
    assert "content/data/cruxes/scaling.yaml:1: schema line points elsewhere" in err
    assert run(capsys, "schema", "--root", str(fixture_site))[0] == 0
    assert run(capsys, "schema", "--check", "--root", str(fixture_site))[0] == 0
    assert crux.read_bytes().split(b"\n", 1)[1] == before[crux]


# -- import-bibtex ------------------------------------------------------------------------------

BIB = r"""
@misc{Zeta:2024_Probes,
  title={Linear Probes for {Deception} -- A Study},
  author={Zeta, Zoe and van Eta, Ed and Theta, Jr., Tom},
  year={2024}, month=feb,
  eprint={2402.01234v2}, archivePrefix={arXiv}, primaryClass={cs.LG},
}

@article{beta2023again,
  title={A review, exported by a scholar search engine},
  author={Beta, Bo},
  journal={Synthese},
  year={2023},
  doi={https://doi.org/10.1007/S13194-024-00614-4}
}

@article{zeta2024copy,
  title={Linear probes for deception: a study},
  journal={arXiv preprint arXiv:2402.01234},
  year={2024}
}
"""


def test_import_bibtex_writes_new_entries_and_reports_duplicates(fixture_site: Path, tmp_path: Path, capsys) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB)
    references = fixture_site / "content/data/references"

    status, out, _ = run(capsys, "import-bibtex", str(bib), "--dry-run", "--root", str(fixture_site))
    assert status == 0 and "would write content/data/references/zeta-2024-probes.yaml" in out
    assert sorted(p.name for p in references.iterdir()) == ["alpha2024.yaml", "beta2023.yaml", "gamma2022.yaml"]

    status, out, _ = run(capsys, "import-bibtex", str(bib), "--root", str(fixture_site))
    assert status == 0
    assert f"{bib}:2: Zeta:2024_Probes: wrote content/data/references/zeta-2024-probes.yaml; fill in: summary" in out
    assert (
        f"{bib}:9: beta2023again: not written: same DOI (10.1007/S13194-024-00614-4) as "
        "content/data/references/beta2023.yaml"
    ) in out
    assert (
        f"{bib}:17: zeta2024copy: not written: same arXiv id (2402.01234) as entry 'Zeta:2024_Probes' "
        "(line 2) of this file"
    ) in out
    assert "imported 1 of 3 entries; 2 not written" in out
    assert sorted(p.name for p in references.iterdir()) == [
        "alpha2024.yaml",
        "beta2023.yaml",
        "gamma2022.yaml",
        "zeta-2024-probes.yaml",
    ]

    record = (references / "zeta-2024-probes.yaml").read_text()
    assert record.startswith("# yaml-language-server: $schema=../../schemas/references.schema.json\n")
    for line in [
        "id: zeta-2024-probes",
        "type: paper",
        "title: Linear Probes for Deception – A Study",
        "authors: [Zoe Zeta, Ed van Eta, Tom Theta Jr.]",
        "date: 2024-02",
        "venue: arxiv",
        "venue_detail: arXiv:2402.01234v2 [cs.LG]",
        "url: https://arxiv.org/abs/2402.01234v2",
        "arxiv: 2402.01234v2",
        "summary:",
    ]:
        assert line in record.splitlines(), line
    # The summary is the survey's to write: validate points at it.
    status, _, err = run(capsys, "validate", "--root", str(fixture_site))
    summary_line = record.splitlines().index("summary:") + 1
    assert status == 1
    assert (
        err.splitlines()[0]
        == f"content/data/references/zeta-2024-probes.yaml:{summary_line}: summary: is empty; expected text [field-empty]"
    )

    # Importing again writes nothing twice.
    status, out, _ = run(capsys, "import-bibtex", str(bib), "--root", str(fixture_site))
    assert status == 0 and "imported 0 of 3 entries" in out
    assert "same arXiv id (2402.01234) as content/data/references/zeta-2024-probes.yaml" in out


def test_import_bibtex_venues_and_unreadable_entries(fixture_site: Path, tmp_path: Path, capsys) -> None:
    bib = tmp_path / "more.bib"
    bib.write_text(
        "@article{new2021, title={On features}, author={Doe, Jane}, journal={Lab <Blog>},"
        " year={2021}, volume={3}, pages={1--9}}\n"
        "@inproceedings{conf2022, title={At a conference}, author={Roe, Rick},"
        " booktitle={Proceedings of the 39th International Conference on Machine Learning}, year=2022}\n"
        "@article{broken, title={unclosed\n"
    )
    status, out, err = run(capsys, "import-bibtex", str(bib), "--root", str(fixture_site))
    assert status == 1  # an unreadable entry
    assert f"{bib}:3: could not read this entry" in err
    new = (fixture_site / "content/data/references/new2021.yaml").read_text()
    assert "venue: lab-blog\n" in new and "venue_detail: vol. 3, pp. 1–9\n" in new
    assert (
        "venue 'Proceedings of the 39th International Conference on Machine Learning' matches no venue "
        "record: add one with `mi-survey new venues international-conference-on-machine-learning "
        '--set name="International Conference on Machine Learning"`'
    ) in out
    assert "conf2022.yaml; fill in: venue, summary" in out

    status, out, err = run(capsys, "import-bibtex", str(bib), "--venue", "nowhere", "--root", str(fixture_site))
    assert status == 2 and "--venue nowhere: no such venue; expected one of: arxiv, lab-blog" in err
    status, _, err = run(capsys, "import-bibtex", str(tmp_path / "missing.bib"), "--root", str(fixture_site))
    assert status == 2 and err.count("\n") == 1 and "no such file" in err


# -- stats --------------------------------------------------------------------------------------


def test_stats_counts_and_finds_uncited_references_and_unsourced_cruxes(fixture_site: Path, capsys) -> None:
    status, out, _ = run(capsys, "stats", "--root", str(fixture_site))
    assert status == 0
    assert re.search(r"^  references\s+3$", out, re.MULTILINE)
    assert re.search(r"^  cruxes\s+2$", out, re.MULTILINE)
    assert re.search(r"^  total\s+19$", out, re.MULTILINE)
    assert "Uncited references: 0 (cited by no record and by none of the 3 pages under content/docs/)" in out
    assert "Cruxes without sources: 0" in out

    data = fixture_site / "content/data"
    (data / "references/orphan2020.yaml").write_text(
        "id: orphan2020\ntype: web\ntitle: Orphan\ndate: 2020\nvenue: arxiv\nsummary: Never cited.\n"
    )
    (data / "references/paged2021.yaml").write_text(
        "id: paged2021\ntype: web\ntitle: Paged\ndate: 2021\nvenue: arxiv\nsummary: Cited by a page.\n"
    )
    (data / "references/fenced2021.yaml").write_text(
        "id: fenced2021\ntype: web\ntitle: Fenced\ndate: 2021\nvenue: arxiv\nsummary: Only in code.\n"
    )
    page = fixture_site / "content/docs/nested/page.md"
    page.write_text(page.read_text() + "\nAs shown [@alpha2024; @paged2021].\n\n```text\n[@fenced2021]\n```\n")
    crux = data / "cruxes/scaling.yaml"
    crux.write_text(crux.read_text().replace(" [@alpha2024]", "").replace("references: [alpha2024]\n", ""))

    status, out, _ = run(capsys, "stats", "--root", str(fixture_site))
    assert status == 0
    assert "Uncited references: 2" in out
    assert "  content/data/references/fenced2021.yaml:1: fenced2021" in out
    assert "  content/data/references/orphan2020.yaml:1: orphan2020" in out
    assert "Cruxes without sources: 1\n  content/data/cruxes/scaling.yaml:1: scaling" in out


def test_stats_on_invalid_content_and_a_missing_root_is_one_line(fixture_site: Path, tmp_path: Path, capsys) -> None:
    (fixture_site / "content/data/venues/arxiv.yaml").write_text("id: arxiv\n")
    status, _, err = run(capsys, "stats", "--root", str(fixture_site))
    assert status == 1 and err.count("\n") == 1 and "run `mi-survey validate` first" in err
    status, _, err = run(capsys, "validate", "--root", str(tmp_path / "nowhere"))
    assert status == 2 and err == f"mi-survey validate: error: --root {tmp_path / 'nowhere'}: no such folder\n"


@pytest.mark.parametrize("command", ["validate", "new", "schema", "import-bibtex", "stats"])
def test_every_command_has_help(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert "--root" in capsys.readouterr().out
