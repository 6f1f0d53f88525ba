"""Properties of the loader over generated input: whatever a record file holds, the answer is a
knowledge base or a ContentError whose every problem has a file, a line and a message."""

from __future__ import annotations

import datetime
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mi_survey.load import ContentError, load
from mi_survey.load.yaml_source import parse
from mi_survey.model import COLLECTIONS

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "site" / "content" / "data"

# Moderate counts: the whole file runs in a few seconds. The deadline is far above the few
# milliseconds a load takes; it is there to catch input that makes the loader crawl.
SETTINGS = settings(max_examples=60, deadline=5_000, suppress_health_check=[HealthCheck.too_slow])

# One folder collection and one list collection, each replacing a file the fixture has.
TARGETS = {"venues/prop.yaml": "venues", "cruxes/scaling.yaml": "cruxes", "milestones.yaml": "milestones"}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("properties")
    shutil.copytree(FIXTURE_DATA, root / "content" / "data")
    return root


def check(project: Path, relative: str, content: bytes) -> None:
    """Write ``content`` as the record file and load: anything but ContentError fails the test."""
    data = project / "content" / "data"
    target = data / relative
    original = (FIXTURE_DATA / relative).read_bytes() if (FIXTURE_DATA / relative).exists() else None
    target.write_bytes(content)
    try:
        load(data, project)
    except ContentError as error:
        assert error.problems
        # YAML also breaks lines at \r, NEL and the Unicode separators; the end of input is one further.
        lines = len(content.decode("utf-8", errors="replace").splitlines()) + 1
        for problem in error.problems:
            assert problem.path.startswith("content/data/"), problem
            assert problem.line >= 1 and problem.message.strip(), problem
            if problem.path == f"content/data/{relative}":
                assert problem.line <= lines + 1, (problem, lines)
            str(problem)  # prints
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)


# -- strategies -----------------------------------------------------------------------------

FIELD_NAMES = sorted({name for c in COLLECTIONS.values() for name in c.model.model_fields})

scalars = st.one_of(
    # (A number too long to print is in the YAML fragments: safe_dump cannot write one.)
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(FIELD_NAMES),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=10),
    st.just("prop"),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=10), st.integers(), st.none(), st.booleans())
structures = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=6)),
    max_leaves=25,
)
# Records that look almost right, so validation and cross-checks are reached.
records = st.builds(
    lambda fields, record_id: {"id": record_id, **fields},
    st.dictionaries(st.sampled_from(FIELD_NAMES), structures, max_size=12),
    st.sampled_from(["prop", "scaling", "deception", "x", "Bad Id", ""]),
)

YAML_TOKENS = [
    "- ",
    ": ",
    "? ",
    "&a ",
    "*a",
    "<<: ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "\t",
    "  ",
    "\n",
    "'",
    '"',
    "#",
    "|\n",
    ">\n",
    "!!int ",
    "!!str ",
    "!!map ",
    "!!seq ",
    "!!set ",
    "!!python/object:os.system ",
    "!foo ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "id: prop\n",
    "id",
    "name",
    "\\",
    "\x00",
    "\ufeff",
    "\u202e",
    "@",
    "[@",
    "`",
    "~",
    "9" * 5000,
    "2024-13-45",
    "yes",
    ".nan",
    # YAML 1.1's words for true, false and null, and text that only starts like one
    "True",
    "FALSE",
    "Off",
    "on",
    "NULL",
    "n",
    "y",
    "nothing",
    "falsely",
    "Offset",
    "Yes!",
    # YAML 1.1 forms the reader refuses unquoted (YAML 1.2 reads them otherwise), and near-misses
    "0x7E8",
    "0777",
    "2_024",
    "33:44",
    "1_000.5",
    ".inf",
    "2024-05-01 10:00:00",
    "1e3",
    "-12",
    "0.5",
    "e\u0301",  # a decomposed é, read composed (NFC)
]
yamlish_text = st.lists(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=6)), max_size=40).map("".join)


def dump(value) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8")


def _as_file(collection: str, value) -> object:
    """A list collection's file is a list of records."""
    return [value] if COLLECTIONS[collection].layout == "list" and isinstance(value, dict) else value


# -- properties -----------------------------------------------------------------------------


@pytest.mark.parametrize("relative", list(TARGETS))
@SETTINGS
@given(text=st.text())
def test_arbitrary_text_gives_content_errors_only(project: Path, relative: str, text: str) -> None:
    check(project, relative, text.encode("utf-8"))


@pytest.mark.parametrize("relative", list(TARGETS))
@SETTINGS
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_give_content_errors_only(project: Path, relative: str, raw: bytes) -> None:
    check(project, relative, raw)


@pytest.mark.parametrize("relative", list(TARGETS))
@SETTINGS
@given(text=yamlish_text)
def test_yaml_fragments_give_content_errors_only(project: Path, relative: str, text: str) -> None:
    check(project, relative, text.encode("utf-8"))


@pytest.mark.parametrize("relative", list(TARGETS))
@SETTINGS
@given(value=st.one_of(structures, records))
def test_yaml_structures_give_content_errors_only(project: Path, relative: str, value) -> None:
    check(project, relative, dump(_as_file(TARGETS[relative], value)))


@settings(max_examples=300, deadline=5_000)
@given(text=st.one_of(st.text(), yamlish_text))
def test_parse_never_raises(text: str) -> None:
    parsed, problems = parse(text, "f.yaml")
    assert (parsed is None) == bool(problems)
    for problem in problems:
        assert problem.line >= 1 and problem.message


def test_dates_and_times_survive_the_dump() -> None:
    """The structures strategy relies on safe_dump writing dates PyYAML reads back as dates."""
    text = dump({"d": datetime.date(2024, 5, 1), "t": datetime.datetime(2024, 5, 1, 10, 0)})
    assert yaml.safe_load(text) == {"d": datetime.date(2024, 5, 1), "t": datetime.datetime(2024, 5, 1, 10, 0)}


def _pyyaml(text: str):
    """PyYAML's own reading, with the libyaml parser the loader uses (the pure-Python one differs
    on details such as a tab after a plain scalar)."""
    return yaml.load(text, Loader=yaml.CSafeLoader)


def _nfc(value):
    """PyYAML's data with its text in Unicode NFC, as the loader reads text."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


def _same(a, b) -> bool:
    """Equal data, where NaN equals NaN and types must match (1 is not True)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (a != a and b != b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@settings(max_examples=300, deadline=5_000)
@given(value=structures)
def test_parse_reads_structures_as_pyyaml_does(value) -> None:
    """The one-pass reader builds the very data PyYAML's own loader builds, its text in NFC. (It
    refuses what YAML 1.2 reads otherwise, such as .nan, date-times and !!binary: no data then.)"""
    text = dump(value).decode("utf-8")
    parsed, problems = parse(text, "f.yaml")
    if not problems:  # (keys equal in Python, such as 1 and true, are duplicates here)
        assert parsed is not None
        assert _same(parsed.data, _nfc(_pyyaml(text))), text


@settings(max_examples=300, deadline=5_000)
@given(text=yamlish_text)
@example(text="!!int <<: ")  # a typed key PyYAML cannot read
@example(text="!!int : ")  # ... and one where PyYAML itself stops with IndexError
@example(text="&a : &a ")  # one anchor name twice, which PyYAML refuses
@example(text="!!map a: 1")  # a collection tag on one value, which PyYAML reads as {} and then fails
@example(text="a: Off\nb: Offset\nc: NULL\nd: nothing\ne: FALSE\nf: falsely\ng: y\nOn: n\n")  # words and near-words
def test_parse_reads_any_accepted_text_as_pyyaml_does(text: str) -> None:
    parsed, problems = parse(text, "f.yaml")
    if problems:
        return
    try:
        expected = _pyyaml(text)
    except Exception:
        raise AssertionError(f"accepted what PyYAML refuses: {text!r}") from None
    assert parsed is not None
    assert _same(parsed.data, _nfc(expected)), text
