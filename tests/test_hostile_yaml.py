"""YAML that would change silently what a contributor wrote, and files too large to read.

YAML 1.1 (what PyYAML reads) makes numbers, booleans and dates of some unquoted values that YAML
1.2 (what editors read) leaves text or reads otherwise; tags turn text into anything. Each ends in
a clear problem (file, line, field, the value, what YAML 1.1 makes of it), in records and in the
options of a component. Text arrives in Unicode NFC. A file larger than 2 MB, or a list file of
more than 5,000 records, is one problem, found without reading it all.

Loader cases run as in test_hostile.py: in a worker process, with a time limit (the bound for the
large files: no timed assertion).
"""

from __future__ import annotations

import base64
import datetime
import re
import shutil
from pathlib import Path

import pytest
from helpers import build_with_pages
from sandbox import Outcome, Sandbox, load_outcome
from test_hostile import FIXTURE_DATA, MB, VENUE, LoaderCase, V, _matches, _replace, sandbox

from mi_survey.load import ContentError, load
from mi_survey.load.loader import MAX_FILE_BYTES, MAX_LIST_RECORDS
from mi_survey.load.yaml_source import parse

__all__ = ["sandbox"]  # the worker process of test_hostile.py, shared

REF = "content/data/references/alpha2024.yaml"
QUOTES = "put it in quotes ('{}') if it is text"

# Each unquoted value YAML 1.1 reads other than YAML 1.2 does, and the problem it gives.
AMBIGUOUS = {
    "33:44": "33:44 is read by YAML 1.1 as the number 2024 (base 60); " + QUOTES.format("33:44") + ", or write 2024",
    "2_024": "2_024 is read by YAML 1.1 as the number 2024 (the _ left out); "
    + QUOTES.format("2_024")
    + ", or write 2024",
    "0x7E8": "0x7E8 is read by YAML 1.1 as the number 2024 (hexadecimal); "
    + QUOTES.format("0x7E8")
    + ", or write 2024",
    "-0x1f": "-0x1f is read by YAML 1.1 as the number -31 (hexadecimal)",
    "0b11": "0b11 is read by YAML 1.1 as the number 3 (binary); " + QUOTES.format("0b11") + ", or write 3",
    "0777": "0777 is read by YAML 1.1 as the number 511 (octal); " + QUOTES.format("0777") + ", or write 511",
    "007": "007 is read by YAML 1.1 as the number 7 (octal)",
    "1_000.5": "1_000.5 is read by YAML 1.1 as the number 1000.5 (the _ left out); "
    + QUOTES.format("1_000.5")
    + ", or write 1000.5",
    "1:30.5": "1:30.5 is read by YAML 1.1 as the number 90.5 (base 60)",
    "yes": "yes is read by YAML 1.1 as true; " + QUOTES.format("yes") + ", or write true",
    "Yes": "Yes is read by YAML 1.1 as true",
    "YES": "YES is read by YAML 1.1 as true",
    "no": "no is read by YAML 1.1 as false; " + QUOTES.format("no") + ", or write false",
    "No": "No is read by YAML 1.1 as false",
    "on": "on is read by YAML 1.1 as true",
    "On": "On is read by YAML 1.1 as true",
    "off": "off is read by YAML 1.1 as false",
    "OFF": "OFF is read by YAML 1.1 as false",
    ".inf": ".inf is read by YAML as infinity, which no field takes; " + QUOTES.format(".inf"),
    "-.Inf": "-.Inf is read by YAML as minus infinity, which no field takes",
    "+.INF": "+.INF is read by YAML as infinity, which no field takes",
    ".nan": ".nan is read by YAML as not-a-number, which no field takes",
    ".NaN": ".NaN is read by YAML as not-a-number, which no field takes",
    "2024-05-01 10:00:00": "2024-05-01 10:00:00 is read by YAML 1.1 as a date and time; "
    + QUOTES.format("2024-05-01 10:00:00")
    + ", or write the day alone as 2024-05-01",
    "2024-5-1T10:00:00Z": "2024-5-1T10:00:00Z is read by YAML 1.1 as a date and time; "
    + QUOTES.format("2024-5-1T10:00:00Z")
    + ", or write the day alone as 2024-05-01",
    "<<": "<< is read by YAML 1.1 as a merge key; " + QUOTES.format("<<"),
    "=": "= is read by YAML 1.1 as a 'value' key; " + QUOTES.format("="),
}

# Unquoted values both YAML versions read the same: taken as PyYAML reads them.
ACCEPTED = {
    # PyYAML reads and writes the single letters as text (the YAML 1.1 spec's booleans y and n):
    # our own tools write them unquoted, so they are taken as the text they look like.
    "y": "y",
    "N": "N",
    "-12": -12,
    "+12": 12,
    "0": 0,
    "2024": 2024,
    "0.5": 0.5,
    "-1.5": -1.5,
    "1.": 1.0,
    ".5": 0.5,
    "1.0e+3": 1000.0,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    "null": None,
    "Null": None,
    "NULL": None,
    "~": None,
    "": None,
    "2024-05-01": datetime.date(2024, 5, 1),
    # Text in YAML 1.1, as written (YAML 1.2 would read 1e3 as a number: the text is kept as written)
    "1e3": "1e3",
    "2024-05": "2024-05",
    "0o17": "0o17",
    "yess": "yess",
    "Offset": "Offset",
    "nothing": "nothing",
    "1.2.3": "1.2.3",
}

TAGS = {
    "!!binary aGVsbG8=": "!!binary",
    "!!str 2024": "!!str",
    "!!str text": "!!str",
    "!!int 3": "!!int",
    "!!int abc": "!!int",
    "!!float 1.5": "!!float",
    "!!bool yes": "!!bool",
    "!!null ''": "!!null",
    "!!timestamp 2024-01-01": "!!timestamp",
    "!!set x": "!!set",
    "!foo x": "!foo",
    "! x": "!",
    "!<tag:yaml.org,2002:str> x": "!!str",
    "!<tag:example.org,2024:thing> x": "tag:example.org,2024:thing",
    "!!python/name:os.system x": "!!python/name:os.system",
}
COLLECTION_TAGS = {
    "!!seq [a]": "!!seq",
    "!!map {a: b}": "!!map",
    "!!omap [{a: b}]": "!!omap",
    "!!set {a: null}": "!!set",
    "!foo [a]": "!foo",
    "!!python/object/apply:os.system [echo pwned]": "!!python/object/apply:os.system",
}
TAG_ON_VALUE = "YAML tags are not supported ({}); write the value plainly or in quotes [yaml-tag]"
TAG_ON_LIST = "YAML tags are not supported ({}); write a plain mapping or list"


def _milestones(count: int, record: str = '- {{id: m{i}, date: "2020", title: T, significance: S}}\n') -> str:
    return "".join(record.format(i=i) for i in range(count))


def _sparse_file(size: int):
    def make(data: Path) -> None:
        with open(data / "venues" / "odd.yaml", "wb") as file:
            file.write(VENUE.encode())
            file.truncate(size)  # a hole: nothing is written, a reader would get gigabytes of zeros

    return make


def _size_problem(size: int) -> str:
    return f"the file is {size:,} bytes; a data file may be at most 2,097,152 bytes (2 MB)"


OVER_LIMIT_NOTE = "note: " + "a" * (2 * MB - len(VENUE) - len("note: \n") + 1) + "\n"
AT_LIMIT_NOTE = "note: " + "a" * (2 * MB - len(VENUE) - len("note: \n")) + "\n"

CASES = [
    # Ambiguous plain values: in a text field, in a date field, as a key, as a list item
    *(
        LoaderCase(f"value-{value}", {"venues/odd.yaml": VENUE + f"note: {value}\n"}, (f"{V}:5: note: {message}",))
        for value, message in AMBIGUOUS.items()
    ),
    *(
        LoaderCase(
            f"date-{value}",
            {"references/alpha2024.yaml": _replace("references/alpha2024.yaml", "date: 2024-05", f"date: {value}")},
            (f"{REF}:5: date: {AMBIGUOUS[value]}",),
        )
        for value in ("33:44", "2_024", "0x7E8")
    ),
    LoaderCase("key-yes", {"venues/odd.yaml": VENUE + "yes: x\n"}, (f"{V}:5: {AMBIGUOUS['yes']}",)),
    LoaderCase("key-octal", {"venues/odd.yaml": VENUE + "note:\n  0777: x\n"}, (f"{V}:6: note: {AMBIGUOUS['0777']}",)),
    LoaderCase(
        "list-item-off",
        {"references/alpha2024.yaml": _replace("references/alpha2024.yaml", "tags: [sae]", "tags: [sae, off]")},
        (f"{REF}:10: tags[1]: {AMBIGUOUS['off']}",),
    ),
    LoaderCase(
        "flow-mapping-on",
        {"venues/odd.yaml": VENUE + "note: {a: on}\n"},
        (f"{V}:5: note.a: {AMBIGUOUS['on']}",),
    ),
    LoaderCase(
        "long-base-60-value",
        {"venues/odd.yaml": VENUE + "note: " + "1:" * 100_000 + "1\n"},
        (f"{V}:5: note: {'1:' * 18}1... is read by YAML 1.1 as a number (base 60); put it in quotes if it is text",),
    ),
    # Tags on values, keys, list items and collections
    *(
        LoaderCase(
            f"tag-{tagged}",
            {"venues/odd.yaml": VENUE + f"note: {tagged}\n"},
            (f"{V}:5: note: {TAG_ON_VALUE.format(shown)}",),
        )
        for tagged, shown in TAGS.items()
    ),
    *(
        LoaderCase(
            f"collection-tag-{tagged}",
            {"venues/odd.yaml": VENUE + f"note: {tagged}\n"},
            (f"{V}:5: note: {TAG_ON_LIST.format(shown)}",),
        )
        for tagged, shown in COLLECTION_TAGS.items()
    ),
    LoaderCase(
        "tag-on-a-key", {"venues/odd.yaml": VENUE + "!!str note: x\n"}, (f"{V}:5: {TAG_ON_VALUE.format('!!str')}",)
    ),
    LoaderCase(
        "tag-on-a-list-item",
        {"references/alpha2024.yaml": _replace("references/alpha2024.yaml", "tags: [sae]", "tags: [sae, !!str x]")},
        (f"{REF}:10: tags[1]: {TAG_ON_VALUE.format('!!str')}",),
    ),
    LoaderCase(
        "tag-on-the-record",
        {"venues/odd.yaml": "--- !!map\n" + VENUE},
        (f"{V}:1: {TAG_ON_LIST.format('!!map')}",),
    ),
    LoaderCase(
        "tag-declared-by-a-directive",
        {"venues/odd.yaml": "%TAG !e! tag:example.org,2024:\n---\n" + VENUE + "note: !e!thing x\n"},
        (f"{V}:7: note: {TAG_ON_VALUE.format('tag:example.org,2024:thing')}",),
    ),
    LoaderCase(
        # Base64 text is no citation to check: "[@nobody]" in it would reach the page unchecked.
        "binary-hides-a-citation",
        {
            "cruxes/scaling.yaml": _replace(
                "cruxes/scaling.yaml",
                "current_state: 34 million features extracted [@alpha2024].",
                "current_state: !!binary " + base64.b64encode(b"34 million features [@nobody].").decode(),
            )
        },
        (f"content/data/cruxes/scaling.yaml:5: current_state: {TAG_ON_VALUE.format('!!binary')}",),
    ),
    # Size
    LoaderCase(
        "file-one-byte-over-2mb",
        {"venues/odd.yaml": VENUE + OVER_LIMIT_NOTE},
        (f"{V}:1: {_size_problem(2 * MB + 1)}",),
        timeout=60,
    ),
    LoaderCase(
        # Read: its note is too long for the field, which says so.
        "file-of-exactly-2mb",
        {"venues/odd.yaml": VENUE + AT_LIMIT_NOTE},
        (f"{V}:5: note: is {len(AT_LIMIT_NOTE) - len('note: ') - 1} characters long; at most 20000 fit",),
        timeout=60,
    ),
    LoaderCase(
        "sparse-file-of-10gb", make=_sparse_file(10 * 1024 * MB), expect=(f"{V}:1: {_size_problem(10 * 1024 * MB)}",)
    ),
    LoaderCase(
        "list-file-of-3mb",
        {"milestones.yaml": _milestones(60_000)},
        (f"content/data/milestones.yaml:1: {_size_problem(len(_milestones(60_000)))}",),
    ),
    # What the 5 MB cases of test_hostile.py checked, within the size limit
    LoaderCase(
        "huge-text-1.9mb",
        {"venues/odd.yaml": VENUE.replace("name: Odd", "name: " + "a" * (19 * MB // 10))},
        (f"{V}:2: name: is {19 * MB // 10} characters long; at most 2000 fit",),
        timeout=60,
    ),
    LoaderCase(
        "deep-block-sequences-1500",
        {"venues/odd.yaml": VENUE + "note:\n" + "".join(" " * i + "-\n" for i in range(1500))},
        (f"{V}:26: note[0][0]...: nested more than 20 levels deep",),
    ),
    LoaderCase(
        "deep-block-mappings-1500",
        {"venues/odd.yaml": VENUE + "".join(" " * i + f"k{i}:\n" for i in range(1500))},
        (f"{V}:26: k0.k1.k2...: nested more than 20 levels deep",),
    ),
    # Record count
    LoaderCase(
        "list-of-5001-records",
        {"milestones.yaml": _milestones(MAX_LIST_RECORDS + 1)},
        (
            "content/data/milestones.yaml:5001: the file holds 5,001 records; a list file may hold at most 5,000 "
            "(this is record 5,001)",
        ),
    ),
    LoaderCase(
        "list-of-20000-records",
        {"milestones.yaml": _milestones(20_000)},
        ("content/data/milestones.yaml:5001: the file holds 20,000 records; a list file may hold at most 5,000",),
    ),
    LoaderCase(
        "list-of-400000-empty-items",
        {"milestones.yaml": "-\n" * 400_000},
        ("content/data/milestones.yaml:5001: the file holds 400,000 records",),
    ),
    LoaderCase(
        # Each unknown id is compared with every id of the glossary for a suggestion: a few
        # thousand of each took minutes.
        "glossary-of-5000-with-unknown-related-terms",
        {
            "glossary.yaml": _milestones(
                MAX_LIST_RECORDS, "- {{id: term-{i}, term: T, short: S, definition: D, related: [term-x{i}]}}\n"
            )
        },
        (
            "content/data/glossary.yaml:1: [0].related[0]: unknown id 'term-x0'; expected the id of a record in "
            "glossary (did you mean 'term-0'?)",
            "content/data/glossary.yaml:5000: [4999].related[0]: unknown id 'term-x4999'; expected the id of a "
            "record in glossary",
        ),
        timeout=30,
    ),
]


def _run(case: LoaderCase, sandbox: Sandbox, tmp_path: Path, function=load_outcome) -> Outcome:
    """As test_hostile.test_loader_reports_hostile_input_clearly: write the files, load in the worker."""
    data = tmp_path / "content" / "data"
    shutil.copytree(FIXTURE_DATA, data)
    for relative, content in case.files.items():
        target = data / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if case.make:
        case.make(data)
    return sandbox.call(function, str(data), str(tmp_path), timeout=case.timeout)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_loader_reports_yaml_surprises_and_limits_clearly(case: LoaderCase, sandbox: Sandbox, tmp_path: Path) -> None:
    outcome = _run(case, sandbox, tmp_path)

    assert outcome.kind == "problems", f"{outcome.kind}: {outcome.detail}"
    for path, line, where, message in outcome.problems:
        assert path.startswith("content/data/") and line >= 1 and message, (path, line, where, message)
    assert all(len(p) < 600 for p in outcome.printed), "a problem is too long to read"
    for expected in case.expect:
        assert any(_matches(expected, p) for p in outcome.printed), (
            f"expected a problem starting {expected!r}; got:\n" + "\n".join(p[:300] for p in outcome.printed[:20])
        )


def test_a_refused_value_is_the_only_problem_of_its_file(sandbox: Sandbox, tmp_path: Path) -> None:
    """The crux with `answer: yes` is not read, and the crux pointing at it is no second problem."""
    case = LoaderCase(
        "crux-answer-yes",
        {"cruxes/scaling.yaml": _replace("cruxes/scaling.yaml", 'answer: "Yes"', "answer: yes")},
    )
    outcome = _run(case, sandbox, tmp_path)
    assert outcome.printed == [
        f"content/data/cruxes/scaling.yaml:10: positions[0].answer: {AMBIGUOUS['yes']} [yaml-ambiguous]"
    ]


def test_a_list_over_the_count_limit_is_not_validated(sandbox: Sandbox, tmp_path: Path) -> None:
    """One problem for the file, not one for each of its 20,000 records (none has a title)."""
    case = LoaderCase("count", {"milestones.yaml": _milestones(20_000, "- {{id: m{i}}}\n")})
    outcome = _run(case, sandbox, tmp_path)
    assert [p[:40] for p in outcome.printed] == ["content/data/milestones.yaml:5001: the f"]


def test_a_list_at_the_count_limit_loads(sandbox: Sandbox, tmp_path: Path) -> None:
    case = LoaderCase("count", {"milestones.yaml": _milestones(MAX_LIST_RECORDS)})
    outcome = _run(case, sandbox, tmp_path)
    assert outcome.kind == "loaded", outcome.detail
    assert outcome.detail == f"{MAX_LIST_RECORDS + 16} records"  # and the fixture's 16 others


# -- 20,000 records, without the limits --------------------------------------------------------


def load_without_limits(data_dir: str, root: str) -> Outcome:
    """load_outcome with the size and count limits lifted: loading itself must stay linear."""
    from mi_survey.load import loader

    limits = loader.MAX_FILE_BYTES, loader.MAX_LIST_RECORDS
    loader.MAX_FILE_BYTES, loader.MAX_LIST_RECORDS = 1 << 40, 1 << 40
    try:
        return load_outcome(data_dir, root)
    finally:
        loader.MAX_FILE_BYTES, loader.MAX_LIST_RECORDS = limits


MILESTONE = """\
- id: milestone-{i}
  date: 2024-05-01
  title: Milestone number {i}, caf\u00e9
  significance: >-
    A long significance text for milestone {i}, with a citation
    [@gamma2022] and more words after it.
  organisations: [lab]
  people: [chris-olah]
  tags: [circuits]
  references: [gamma2022]
"""


def test_twenty_thousand_records_load_in_time(sandbox: Sandbox, tmp_path: Path) -> None:
    """5.3 MB and 20,000 records, each citing and pointing at other records: about a second."""
    case = LoaderCase("20k", {"milestones.yaml": _milestones(20_000, MILESTONE)}, timeout=60)
    outcome = _run(case, sandbox, tmp_path, load_without_limits)
    assert outcome.kind == "loaded", outcome.detail
    assert outcome.detail == "20016 records"  # with the fixture's 16 others


def test_twenty_thousand_unknown_ids_in_one_list_are_reported_in_time(sandbox: Sandbox, tmp_path: Path) -> None:
    """Quadratic before: every unknown id was compared with all 20,000 ids (about 15 minutes)."""
    record = "- {{id: term-{i}, term: T, short: S, definition: D, related: [term-x{i}]}}\n"
    case = LoaderCase("20k-glossary", {"glossary.yaml": _milestones(20_000, record)}, timeout=60)
    outcome = _run(case, sandbox, tmp_path, load_without_limits)
    assert outcome.kind == "problems", outcome.detail
    assert len(outcome.problems) == 20_000
    assert outcome.printed[0].endswith("(did you mean 'term-0'?) [id-unknown]")


# -- in-process: the values as read ------------------------------------------------------------


@pytest.mark.parametrize("value", list(ACCEPTED))
def test_values_both_yaml_versions_read_alike_are_taken(value: str) -> None:
    parsed, problems = parse(f"a: {value}\n", "f.yaml")
    assert problems == [] and parsed is not None
    assert parsed.data == {"a": ACCEPTED[value]}
    assert type(parsed.data["a"]) is type(ACCEPTED[value])


@pytest.mark.parametrize("value", list(AMBIGUOUS))
def test_quoted_the_ambiguous_values_are_text(value: str) -> None:
    parsed, problems = parse(f"a: '{value}'\nb: \"{value}\"\n", "f.yaml")
    assert problems == [] and parsed is not None
    assert parsed.data == {"a": value, "b": value}


DECOMPOSED = "Cafe\u0301 cre\u0300me"  # e + combining accents, as some editors and macOS file names write
COMPOSED = "Caf\u00e9 cr\u00e8me"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "content" / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


def test_a_decomposed_title_arrives_composed(data: Path) -> None:
    path = data / "references" / "alpha2024.yaml"
    text = path.read_text(encoding="utf-8").replace("title: Scaling features", f"title: {DECOMPOSED} scaling features")
    path.write_text(text.replace("summary: Extracts", f'summary: "{DECOMPOSED}: extracts'), encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("interpretable.", 'interpretable."'), encoding="utf-8")
    kb = load(data, data.parent.parent)
    reference = kb.get("references", "alpha2024")
    assert reference is not None
    assert reference.title.startswith(COMPOSED) and reference.summary.startswith(COMPOSED)


def test_keys_are_composed_and_so_equal(data: Path) -> None:
    """A key typed once composed and once decomposed is one key written twice."""
    (data / "venues" / "odd.yaml").write_text(VENUE + f"{DECOMPOSED}: a\n{COMPOSED}: b\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load(data, data.parent.parent)
    assert [str(p) for p in caught.value.problems] == [
        f"{V}:6: {COMPOSED}: duplicate key; the earlier value would be lost [yaml-duplicate-key]"
    ]


def test_text_everywhere_is_composed() -> None:
    text = f"{DECOMPOSED}:\n  - {DECOMPOSED}\n  - '{DECOMPOSED} [@x]'\n  - {{k: \"{DECOMPOSED}\"}}\n  - |\n    {DECOMPOSED}\n"
    parsed, problems = parse(text, "f.yaml")
    assert problems == [] and parsed is not None
    assert parsed.data == {COMPOSED: [COMPOSED, f"{COMPOSED} [@x]", {"k": COMPOSED}, COMPOSED + "\n"]}
    assert parsed.cited == [((COMPOSED, 1), f"{COMPOSED} [@x]")]
    assert parsed.line_of((COMPOSED, 2, "k")) == 4


def test_an_unquoted_date_and_a_number_still_load(data: Path) -> None:
    path = data / "references" / "alpha2024.yaml"
    path.write_text(path.read_text().replace("date: 2024-05", "date: 2024-05-21"))
    kb = load(data, data.parent.parent)
    reference = kb.get("references", "alpha2024")
    assert reference is not None and reference.date == "2024-05-21"
    venue = kb.get("venues", "lab-blog")
    assert venue is not None and isinstance(venue.credibility, int)


def test_crlf_files_read_as_before(data: Path) -> None:
    """The loader reads bytes now: line ends are still those of a file opened as text."""
    path = data / "references" / "alpha2024.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n").replace(b"date: 2024-05", b"date: 33:44"))
    with pytest.raises(ContentError) as caught:
        load(data, data.parent.parent)
    assert [str(p) for p in caught.value.problems] == [f"{REF}:5: date: {AMBIGUOUS['33:44']} [yaml-ambiguous]"]


def test_the_limits_are_as_documented() -> None:
    assert MAX_FILE_BYTES == 2 * MB and MAX_LIST_RECORDS == 5_000


# -- component options in pages: the same parser -----------------------------------------------


@pytest.mark.parametrize("value", list(AMBIGUOUS))
def test_component_option_refuses_ambiguous_values(value: str) -> None:
    parsed, problems = parse(f"collection: approaches\nwhere:\n  maturity: {value}\n", "comparison")
    assert parsed is None
    (problem,) = problems
    assert str(problem).startswith(f"comparison:3: where.maturity: {AMBIGUOUS[value]}")


@pytest.mark.parametrize("tagged", list(TAGS))
def test_component_option_refuses_tags(tagged: str) -> None:
    parsed, problems = parse(f"from: {tagged}\n", "timeline")
    assert parsed is None
    assert [str(p) for p in problems] == [f"timeline:1: from: {TAG_ON_VALUE.format(TAGS[tagged])}"]


def test_component_option_text_is_composed() -> None:
    parsed, problems = parse(f"collection: approaches\ncaption: {DECOMPOSED}\n", "comparison")
    assert problems == [] and parsed is not None
    assert parsed.data == {"collection": "approaches", "caption": COMPOSED}


PAGE_CASES = {
    # id: (page body, line of the problem, message)
    "where-yes": (
        "/// comparison\ncollection: approaches\nwhere:\n  maturity: yes\n///",
        6,
        "comparison: options are not valid YAML (line 3 of the block): where.maturity: " + AMBIGUOUS["yes"],
    ),
    "from-underscore": (
        "/// timeline\nfrom: 2_020\n///",
        4,
        "timeline: options are not valid YAML (line 1 of the block): from: 2_020 is read by YAML 1.1 as the "
        "number 2020 (the _ left out)",
    ),
    "from-base-60": (
        "/// timeline\nfrom: 33:40\n///",
        4,
        "from: 33:40 is read by YAML 1.1 as the number 2020 (base 60)",
    ),
    "from-tagged": ("/// timeline\nfrom: !!int 2020\n///", 4, "from: " + TAG_ON_VALUE.format("!!int")),
    "tag-binary": ("/// timeline\ntag: !!binary aGVsbG8=\n///", 4, "tag: " + TAG_ON_VALUE.format("!!binary")),
}


@pytest.fixture(scope="module")
def component_pages(tmp_path_factory) -> tuple[str, Path]:
    """One build of the fixture site with one page per case, as test_hostile.broken_pages."""
    base = tmp_path_factory.mktemp("yaml-pages")
    result = build_with_pages(base, {case: f"# {case}\n\n{body}\n" for case, (body, _, _) in PAGE_CASES.items()})
    assert result.returncode != 0
    return result.output, result.site


@pytest.mark.parametrize("case", list(PAGE_CASES))
def test_component_problem_names_page_and_line(component_pages, case: str) -> None:
    output, _ = component_pages
    _, line, message = PAGE_CASES[case]
    assert "Traceback" not in output
    # The page's line of the offending value (markdown_ext.py finds it inside its block), at most
    # the line given, never above the block's first option.
    found = re.findall(rf"content/docs/bad/{re.escape(case)}\.md:(\d+): (.*)", output)
    assert any(message in text and 4 <= int(at) <= line for at, text in found), (message, found or output[-3000:])


def test_sizes_of_the_cases_are_what_they_claim() -> None:
    assert len((VENUE + OVER_LIMIT_NOTE).encode()) == 2 * MB + 1
    assert len((VENUE + AT_LIMIT_NOTE).encode()) == 2 * MB
    assert len(_milestones(20_000).encode()) < 2 * MB  # so the count, not the size, is the problem
    assert len(_milestones(60_000).encode()) > 2 * MB
