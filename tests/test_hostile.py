"""Hostile input: every case ends in a clear problem (file, line, field) or in escaped output.

Never a traceback, never a hang (loader cases run in a worker process with a time limit, builds
with the build's own), never a script that runs in the browser. Loader cases call the loader
directly; render cases build a copy of the fixture site with hostile text in every text field of
every collection (generated from the models) and read the HTML.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import FIXTURE_SITE, build_with_pages, run_build
from hostile_content import MARKDOWN_INJECTIONS, MERMAID_INJECTIONS, hostile_records, write_hostile_site
from pydantic import TypeAdapter
from sandbox import Sandbox, load_outcome, render_outcome

from mi_survey.model.common import Markdown
from mi_survey.render.environment import mermaid_label

FIXTURE_DATA = FIXTURE_SITE / "content" / "data"
MB = 1024 * 1024

VENUE = "id: odd\nname: Odd\nkind: news\ncredibility: 3\n"
CRUX = """\
id: {id}
question: Q?
description: D.
stakes: S.
current_state: C.
importance: low
positions:
  - answer: A
    confidence: low
    reasoning: R.
    implication: I
  - answer: B
    confidence: high
    reasoning: R.
    implication: J
"""
LAUGHS = (
    "id: laughs\ntitle: T\nquestion: Q\n"
    + "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))
)


# -- loader cases ----------------------------------------------------------------------------


def _matches(expected: str | re.Pattern[str], printed: str) -> bool:
    """A problem as printed starts with the expected text, or matches the expected pattern."""
    return bool(expected.match(printed)) if isinstance(expected, re.Pattern) else printed.startswith(expected)


@dataclass(frozen=True)
class LoaderCase:
    id: str
    # Files to write below content/data (text is written as UTF-8, bytes as they are); a
    # callable gets the data directory and makes what cannot be written as text.
    files: dict[str, str | bytes] = field(default_factory=dict)
    # Each is the start of one reported problem, as printed: "path:line: field: message", or a
    # pattern the whole problem matches.
    expect: tuple[str | re.Pattern[str], ...] = ()
    make: Callable[[Path], None] | None = None
    timeout: float = 20


def _append(name: str, text: str) -> str:
    return (FIXTURE_DATA / name).read_text(encoding="utf-8") + text


def _replace(name: str, old: str, new: str) -> str:
    text = (FIXTURE_DATA / name).read_text(encoding="utf-8")
    assert old in text, (name, old)
    return text.replace(old, new)


def _dangling_link(data: Path) -> None:
    (data / "venues" / "gone.yaml").symlink_to(data / "venues" / "nowhere.yaml")


def _linked_folder(data: Path) -> None:
    (data / "references" / "more").symlink_to(data / "venues", target_is_directory=True)


def _pipe(data: Path) -> None:
    os.mkfifo(data / "venues" / "pipe.yaml")


V = "content/data/venues/odd.yaml"


def too_deep(start: str) -> re.Pattern[str]:
    """A nesting problem at ``start`` (file:line: field), however deep the field path goes."""
    return re.compile(re.escape(start) + r"(\[\d+\]|\.\w+)*\.\.\.: nested more than 20 levels deep")


LOADER_CASES = [
    # YAML syntax
    LoaderCase(
        "syntax-unclosed-flow",
        {"cruxes/broken.yaml": "id: broken\nquestion: [unclosed\nimportance: high\n"},
        ("content/data/cruxes/broken.yaml:3: YAML syntax error:",),
    ),
    LoaderCase(
        "syntax-unclosed-quote",
        {"venues/odd.yaml": 'id: odd\nname: "Odd\nkind: news\ncredibility: 3\n'},
        (f"{V}:5: YAML syntax error:",),
    ),
    LoaderCase(
        "syntax-colon-in-plain-text",
        {"venues/odd.yaml": "id: odd\nname: Odd: the venue\nkind: news\n"},
        (f"{V}:2: YAML syntax error:",),
    ),
    LoaderCase(
        "syntax-bad-indentation",
        {"venues/odd.yaml": "id: odd\nname: Odd\n  kind: news\ncredibility: 3\n"},
        (f"{V}:3: YAML syntax error:",),
    ),
    LoaderCase(
        "syntax-two-documents",
        {"venues/odd.yaml": VENUE + "---\nid: two\n"},
        (f"{V}:5: YAML syntax error: expected a single document in the stream but found another document",),
    ),
    LoaderCase(
        "syntax-python-tag",
        {"venues/odd.yaml": VENUE + "note: !!python/object/apply:os.system [echo pwned]\n"},
        (f"{V}:5: note: YAML tags are not supported (!!python/object/apply:os.system); write a plain mapping or list",),
    ),
    # Tabs
    LoaderCase(
        "tab-indents-a-mapping",
        {"venues/odd.yaml": "id: odd\n\tname: Odd\nkind: news\ncredibility: 3\n"},
        (f"{V}:2: YAML syntax error:",),
    ),
    LoaderCase(
        "tab-indents-a-sequence",
        {"requirements.yaml": "- id: r\n  title: T\n  needs:\n\t- a\n  status: partial\n"},
        ("content/data/requirements.yaml:4: YAML syntax error:",),
    ),
    # Anchors, aliases, merge keys
    LoaderCase(
        "alias-of-a-scalar",
        {"organisations/alias.yaml": "id: alias\nname: &n Alias\nkind: lab\ndescription: *n\n"},
        ("content/data/organisations/alias.yaml:4: description: YAML anchors and aliases are not supported",),
    ),
    LoaderCase(
        "alias-of-a-whole-record",
        {"milestones.yaml": _replace("milestones.yaml", "- id: circuits", "- &c\n  id: circuits") + "- *c\n"},
        ("content/data/milestones.yaml:20: [3]: YAML anchors and aliases are not supported",),
        timeout=10,
    ),
    LoaderCase(
        "billion-laughs",
        {"topics/laughs.yaml": LAUGHS},
        (
            "content/data/topics/laughs.yaml:5: b[0]: YAML anchors and aliases are not supported",
            "content/data/topics/laughs.yaml:5: b[8]: YAML anchors and aliases are not supported",
            "content/data/topics/laughs.yaml:12: i[8]: YAML anchors and aliases are not supported",
        ),
        timeout=10,
    ),
    LoaderCase(
        "merge-key-with-alias",
        {"organisations/merge.yaml": "base: &b {name: M, kind: lab}\nid: merge\n<<: *b\n"},
        ("content/data/organisations/merge.yaml:3: YAML merge keys (<<) are not supported",),
    ),
    LoaderCase(
        "merge-key-inline",
        {"organisations/merge.yaml": "id: merge\n<<: {name: M, kind: lab}\n"},
        ("content/data/organisations/merge.yaml:2: YAML merge keys (<<) are not supported",),
    ),
    # Duplicate keys
    LoaderCase(
        "duplicate-key",
        {"venues/odd.yaml": "id: odd\nname: A\nkind: news\nname: B\ncredibility: 3\n"},
        (f"{V}:4: name: duplicate key; the earlier value would be lost",),
    ),
    LoaderCase(
        "duplicate-key-quoted",
        {"venues/odd.yaml": VENUE + '"name": B\n'},
        (f"{V}:5: name: duplicate key; the earlier value would be lost",),
    ),
    LoaderCase(
        "duplicate-key-nested",
        {
            "cruxes/odd.yaml": CRUX.format(id="odd").replace(
                "    implication: I\n", "    implication: I\n    answer: again\n"
            )
        },
        ("content/data/cruxes/odd.yaml:12: positions[0].answer: duplicate key; the earlier value would be lost",),
    ),
    # Wrong types
    LoaderCase(
        "type-list-for-text",
        {"venues/odd.yaml": VENUE.replace("name: Odd", "name: [a, b]")},
        (f"{V}:2: name: expected text (got a list)",),
    ),
    LoaderCase(
        "type-mapping-for-list",
        {"cruxes/odd.yaml": CRUX.format(id="odd") + "related: {a: 1}\n"},
        ("content/data/cruxes/odd.yaml:16: related: expected a list (got a mapping)",),
    ),
    LoaderCase(
        "type-text-for-number",
        {"venues/odd.yaml": VENUE.replace("credibility: 3", "credibility: high")},
        (f"{V}:4: credibility: expected a whole number (got 'high')",),
    ),
    LoaderCase(
        "type-number-for-text",
        {"venues/odd.yaml": VENUE.replace("name: Odd", "name: 42")},
        (f"{V}:2: name: expected text (got 42)",),
    ),
    LoaderCase(
        "type-bool-for-text",
        {"venues/odd.yaml": VENUE.replace("name: Odd", "name: yes")},
        (f"{V}:2: name: yes is read by YAML 1.1 as true; put it in quotes ('yes') if it is text",),
    ),
    LoaderCase(
        "type-null-for-text",
        {"venues/odd.yaml": VENUE.replace("name: Odd", "name:")},
        (f"{V}:2: name: is empty; expected text",),
    ),
    LoaderCase(
        "type-text-for-nested-record",
        {"cruxes/odd.yaml": CRUX.format(id="odd").split("positions:")[0] + "positions: [yes, no]\n"},
        ("content/data/cruxes/odd.yaml:7: positions[0]: yes is read by YAML 1.1 as true",),
    ),
    LoaderCase(
        "type-keys-that-are-not-text",
        {"venues/odd.yaml": VENUE + "1: a\n~: b\n"},
        (f"{V}:5: [1]: keys should be strings (got 1)", f"{V}:6: None: is empty; keys should be strings"),
    ),
    LoaderCase(
        "unknown-field-like-an-attribute",
        {"venues/odd.yaml": VENUE + "onclick: alert(1)\n"},
        (f"{V}:5: onclick: unknown field; expected one of:",),
    ),
    # Huge values
    LoaderCase(
        "huge-text-5mb",
        {"venues/odd.yaml": VENUE.replace("name: Odd", "name: " + "a" * (5 * MB))},
        (f"{V}:1: the file is 5,242,921 bytes; a data file may be at most 2,097,152 bytes (2 MB)",),
        timeout=60,
    ),
    LoaderCase(
        "huge-markdown-5mb",
        {"venues/odd.yaml": VENUE + "note: |\n  " + "b" * (5 * MB) + "\n"},
        (f"{V}:1: the file is 5,242,935 bytes; a data file may be at most 2,097,152 bytes (2 MB)",),
        timeout=60,
    ),
    LoaderCase(
        "huge-key-1mb", {"venues/odd.yaml": VENUE + "k" * MB + ": x\n"}, (f"{V}:5: YAML syntax error:",), timeout=60
    ),
    LoaderCase(
        "huge-explicit-key-1mb",
        {"venues/odd.yaml": VENUE + "? " + "k" * MB + "\n: x\n"},
        (f"{V}:5: {'k' * 37}...: unknown field; expected one of: id, name, kind, credibility, url, note",),
        timeout=60,
    ),
    LoaderCase(
        "huge-number",
        {"venues/odd.yaml": VENUE.replace("credibility: 3", "credibility: " + "9" * 5000)},
        (f"{V}:4: credibility: cannot read '{'9' * 37}...' as a whole number; put text in quotes",),
    ),
    LoaderCase(
        "huge-list-200k-items",
        {"venues/odd.yaml": VENUE + "note: [" + "a, " * 200_000 + "a]\n"},
        (f"{V}:5: note: expected text (got a list)",),
        timeout=60,
    ),
    LoaderCase(
        "markdown-with-5000-brackets",
        {"venues/odd.yaml": VENUE + "note: " + "'" + "[" * 5000 + "'\n"},
        (f"{V}:5: note: has 5000 '[' characters; at most 100 fit in one text",),
    ),
    LoaderCase(
        "text-with-400-unclosed-links",
        {"venues/odd.yaml": VENUE.replace("name: Odd", "name: '" + "[a](" * 400 + "'")},
        (f"{V}:2: name: has 400 '[' characters; at most 100 fit in one text",),
    ),
    LoaderCase(
        "impossible-date",
        {"references/alpha2024.yaml": _replace("references/alpha2024.yaml", "date: 2024-05", "date: 2024-13-45")},
        (
            "content/data/references/alpha2024.yaml:5: date: cannot read '2024-13-45' as a date "
            "(month must be in 1..12)",
        ),
    ),
    LoaderCase(
        "explicit-tag-on-bad-value",
        {"venues/odd.yaml": VENUE.replace("credibility: 3", "credibility: !!int abc")},
        (f"{V}:4: credibility: YAML tags are not supported (!!int); write the value plainly or in quotes",),
    ),
    LoaderCase(
        "explicit-tag-on-bad-key",
        {"venues/odd.yaml": VENUE + "!!int <<: x\n"},
        (f"{V}:5: YAML tags are not supported (!!int); write the value plainly or in quotes",),
    ),
    LoaderCase(
        "mapping-tag-on-a-key",
        {"venues/odd.yaml": VENUE + "!!map note: x\n"},
        (f"{V}:5: YAML tags are not supported (!!map); write the value plainly or in quotes",),
    ),
    LoaderCase(
        "set-tag-on-a-value",
        {"venues/odd.yaml": VENUE + "note: !!set x\n"},
        (f"{V}:5: note: YAML tags are not supported (!!set); write the value plainly or in quotes",),
    ),
    # Deep nesting
    # libyaml 0.2.6 (PyYAML 6.0.4) stops deep flow nesting while reading ahead, libyaml 0.2.5 does
    # not: the user sees the same file, line, field and words either way (how far the field path
    # goes depends on where it stopped).
    LoaderCase(
        "deep-flow-sequences-200k",
        {"venues/odd.yaml": VENUE + "note: " + "[" * 200_000 + "]" * 200_000 + "\n"},
        (too_deep(f"{V}:5: note[0]"),),
    ),
    LoaderCase(
        "deep-flow-unclosed-200k",
        {"venues/odd.yaml": VENUE + "note: " + "[" * 200_000 + "\n"},
        (too_deep(f"{V}:5: note[0]"),),
    ),
    LoaderCase(
        "deep-flow-mappings-100k",
        {"venues/odd.yaml": VENUE + "note: " + "{a: " * 100_000 + "}" * 100_000 + "\n"},
        (f"{V}:5: note.a.a...: nested more than 20 levels deep",),
    ),
    LoaderCase(
        "deep-block-sequences-5000",
        {"venues/odd.yaml": VENUE + "note:\n" + "".join(" " * i + "-\n" for i in range(5000))},
        (f"{V}:1: the file is 12,507,550 bytes; a data file may be at most 2,097,152 bytes (2 MB)",),
    ),
    LoaderCase(
        "deep-block-mappings-5000",
        {"venues/odd.yaml": VENUE + "".join(" " * i + f"k{i}:\n" for i in range(5000))},
        (f"{V}:1: the file is 12,531,434 bytes; a data file may be at most 2,097,152 bytes (2 MB)",),
    ),
    # Unusual unicode
    LoaderCase(
        "rtl-override-in-id",
        {"venues/odd.yaml": VENUE.replace("id: odd", 'id: "odd\\u202e"')},
        (
            f"{V}:1: id: expected a lowercase id of letters, digits and single hyphens, like "
            "'sparse-autoencoder' (got 'odd\\u202e')",
        ),
    ),
    LoaderCase(
        "zero-width-space-in-id",
        {"venues/odd.yaml": VENUE.replace("id: odd", 'id: "o\\u200bdd"')},
        (f"{V}:1: id: expected a lowercase id",),
    ),
    LoaderCase(
        "emoji-id",
        {"venues/\U0001f600.yaml": VENUE.replace("id: odd", "id: \U0001f600")},
        ("content/data/venues/\U0001f600.yaml:1: id: expected a lowercase id",),
    ),
    LoaderCase(
        "nul-byte",
        {"venues/odd.yaml": VENUE + "note: a\x00b\n"},
        (f"{V}:5: YAML error: unacceptable character #x0000",),
    ),
    # Escaped control characters in text: no page can show them, and placeholders are made of them.
    *(
        LoaderCase(
            f"control-character-{name}-in-text",
            {"venues/odd.yaml": VENUE + f'note: "a{escape}b"\n'},
            (
                f"{V}:5: note: holds the control character U+{code:04X} (character 2); "
                "expected text without control characters",
            ),
        )
        for name, escape, code in (("nul", "\\0", 0), ("bell", "\\a", 7), ("escape", "\\e", 27), ("stx", "\\x02", 2))
    ),
    LoaderCase(
        "nul-escape-in-id",
        {"venues/odd.yaml": VENUE.replace("id: odd", 'id: "odd\\0"')},
        (f"{V}:1: id: expected a lowercase id",),
    ),
    LoaderCase(
        "lone-surrogate-escape", {"venues/odd.yaml": VENUE + 'note: "a\\ud800b"\n'}, (f"{V}:5: YAML syntax error:",)
    ),
    LoaderCase(
        "not-utf8",
        {"venues/odd.yaml": VENUE.encode() + "note: Caf\u00e9\n".encode("latin-1")},
        (f"{V}:5: not valid UTF-8 text (invalid continuation byte at byte 53)",),
    ),
    LoaderCase(
        "utf16",
        {"venues/odd.yaml": VENUE.encode("utf-16")},
        (f"{V}:1: not valid UTF-8 text (invalid start byte at byte 0)",),
    ),
    # Shapes
    LoaderCase("empty-file", {"venues/odd.yaml": ""}, (f"{V}:1: the file is empty; expected a record",)),
    LoaderCase("comments-only", {"venues/odd.yaml": "# nothing here\n\n"}, (f"{V}:1: the file is empty",)),
    LoaderCase(
        "list-where-a-record-is-expected",
        {"venues/odd.yaml": "- id: odd\n  name: Odd\n"},
        (f"{V}:1: expected one record: a mapping of field: value",),
    ),
    LoaderCase(
        "record-where-a-list-is-expected",
        {"glossary.yaml": "id: sae\nterm: SAE\n"},
        ("content/data/glossary.yaml:1: expected a list of records, each starting with '- id: ...'",),
    ),
    LoaderCase(
        "text-where-a-record-is-expected", {"venues/odd.yaml": "just some text\n"}, (f"{V}:1: expected one record",)
    ),
    LoaderCase(
        "list-item-that-is-not-a-record",
        {"milestones.yaml": _append("milestones.yaml", "- just text\n")},
        ("content/data/milestones.yaml:19: [3]: expected a record: a mapping of field: value",),
    ),
    LoaderCase(
        "wrong-extension",
        {"venues/odd.yml": VENUE},
        ("content/data/venues/odd.yml:1: not part of any collection (records are .yaml files)",),
    ),
    LoaderCase(
        "dangling-symlink", make=_dangling_link, expect=("content/data/venues/gone.yaml:1: not a regular file",)
    ),
    LoaderCase(
        "link-to-a-folder",
        make=_linked_folder,
        expect=("content/data/references/more:1: a link to a folder, which is not followed",),
    ),
    LoaderCase("named-pipe", make=_pipe, expect=("content/data/venues/pipe.yaml:1: not a regular file",)),
    # Ids across files
    LoaderCase(
        "duplicate-id-in-a-list-file",
        {
            "approaches.yaml": _append(
                "approaches.yaml",
                (
                    "- id: red-teaming\n  name: Again\n  verifies: v\n  deception_detection: d\n  scalability: s\n"
                    "  maturity: research\n  sufficient_alone: 'no'\n  best_for: b\n"
                ),
            )
        },
        (
            "content/data/approaches.yaml:23: [2].id: duplicate id 'red-teaming' in approaches; "
            "first used at content/data/approaches.yaml:1",
        ),
    ),
    LoaderCase(
        "id-of-another-file",
        {"cruxes/copy.yaml": CRUX.format(id="deception")},
        ("content/data/cruxes/copy.yaml:1: id: 'deception' must match the file name 'copy.yaml'",),
    ),
    LoaderCase(
        "same-id-for-a-person-and-an-organisation",
        {"people/lab.yaml": "id: lab\nname: Lab Person\n"},
        (
            "content/data/positions/lab-sufficiency.yaml:4: holder: ambiguous id 'lab': both people and "
            "organisations have a record with this id",
        ),
    ),
    # Dangling references and citations
    LoaderCase(
        "dangling-related-crux",
        {"cruxes/scaling.yaml": _replace("cruxes/scaling.yaml", "related: [deception]", "related: [deceptoin]")},
        (
            "content/data/cruxes/scaling.yaml:7: related[0]: unknown id 'deceptoin'; expected the id of a record "
            "in cruxes (did you mean 'deception'?)",
        ),
    ),
    LoaderCase(
        "dangling-holder",
        {"positions/lab-sufficiency.yaml": _replace("positions/lab-sufficiency.yaml", "holder: lab", "holder: nobody")},
        (
            "content/data/positions/lab-sufficiency.yaml:4: holder: unknown id 'nobody'; expected the id of a record "
            "in people or organisations",
        ),
    ),
    LoaderCase(
        "dangling-citation",
        {"cruxes/scaling.yaml": _replace("cruxes/scaling.yaml", "[@alpha2024]", "[@nobody]")},
        ("content/data/cruxes/scaling.yaml:5: current_state: citation of unknown reference 'nobody'",),
    ),
    LoaderCase(
        "malformed-citation-space",
        {"cruxes/scaling.yaml": _replace("cruxes/scaling.yaml", "[@alpha2024]", "[@Alpha 2024]")},
        (
            "content/data/cruxes/scaling.yaml:5: current_state: malformed citation '[@Alpha 2024]'; "
            'expected [@id], [@id, p. 52], [@id, sec. 3], [@id, sec. "Title"] or [@a; @b]',
        ),
    ),
    LoaderCase(
        "malformed-citation-empty",
        {"cruxes/scaling.yaml": _replace("cruxes/scaling.yaml", "[@alpha2024]", "[@]")},
        ("content/data/cruxes/scaling.yaml:5: current_state: malformed citation '[@]'",),
    ),
    LoaderCase(
        "malformed-citation-comma",
        {"cruxes/scaling.yaml": _replace("cruxes/scaling.yaml", "[@alpha2024]", "[@alpha2024, @beta2023]")},
        ("content/data/cruxes/scaling.yaml:5: current_state: malformed citation '[@alpha2024, @beta2023]'",),
    ),
    LoaderCase(
        "malformed-citation-with-html",
        {"cruxes/scaling.yaml": _replace("cruxes/scaling.yaml", "[@alpha2024]", "[@<script>alert(1)</script>]")},
        ("content/data/cruxes/scaling.yaml:5: current_state: malformed citation '[@<script>alert(1)</script>]'",),
    ),
]

# URL fields accept only absolute http(s) URLs.
URLS = {
    "javascript": "javascript:alert(1)",
    "mixed-case-javascript": "JaVaScRiPt:alert(1)",
    "tab-in-scheme": "java\\tscript:alert(1)",
    "newline-before-scheme": "\\njavascript:alert(1)",
    "entity-encoded-scheme": "&#106;avascript:alert(1)",
    "data": "data:text/html,<script>alert(1)</script>",
    "vbscript": "vbscript:msgbox(1)",
    "protocol-relative": "//evil.example/x",
    "backslashes": "\\\\\\\\evil.example\\\\x",
    "no-host": "https:javascript:alert(1)",
}
for name, url in URLS.items():
    LOADER_CASES.append(
        LoaderCase(
            f"url-{name}",
            {"venues/odd.yaml": VENUE + f'url: "{url}"\n'},
            (f"{V}:5: url: must be an absolute http:// or https:// URL",),
        )
    )
LOADER_CASES.append(
    LoaderCase(
        "url-with-white-space",
        {"people/odd.yaml": 'id: odd\nname: Odd\nurl: "https://a.example/ b"\n'},
        ("content/data/people/odd.yaml:3: url: must not contain white space",),
    )
)


@pytest.fixture(scope="module")
def sandbox():
    box = Sandbox()
    # The first call starts the worker and imports the package; hostile cases get their own limit.
    warm = box.call(load_outcome, str(FIXTURE_DATA), str(FIXTURE_SITE), timeout=120)
    assert warm.kind == "loaded", warm.detail
    yield box
    box.close()


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in LOADER_CASES])
def test_loader_reports_hostile_input_clearly(case: LoaderCase, sandbox: Sandbox, tmp_path: Path) -> None:
    data = tmp_path / "content" / "data"
    shutil.copytree(FIXTURE_DATA, data)
    for relative, content in case.files.items():
        target = data / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if case.make:
        case.make(data)

    outcome = sandbox.call(load_outcome, str(data), str(tmp_path), timeout=case.timeout)

    assert outcome.kind == "problems", f"{outcome.kind}: {outcome.detail}"
    for path, line, where, message in outcome.problems:
        assert path.startswith("content/data/") and line >= 1 and message, (path, line, where, message)
    assert all(len(p) < 600 for p in outcome.printed), "a problem is too long to read"
    assert all(re.search(r" \[[a-z]+(-[a-z]+)*\]$", p) for p in outcome.printed), "a problem names no rule"
    for expected in case.expect:
        assert any(_matches(expected, p) for p in outcome.printed), (
            f"expected a problem starting {expected!r}; got:\n" + "\n".join(p[:300] for p in outcome.printed)
        )


# -- the hostile site: hostile text in every field ---------------------------------------------

_, HOSTILE_FIELDS = hostile_records()
# Text the models hold that no template shows: it still reaches the published data (JSON).
NOT_SHOWN_ON_PAGES = {"people.also_known_as"}


class _Page(HTMLParser):
    """What a browser would make of a page: the text it shows, attributes, inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.titles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
        self._in = tag if tag in ("script", "title") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "title":
            self.titles.append(data)


def parse_page(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "ping"}


def unsafe_attributes(page: _Page) -> list[str]:
    """Event handlers, and URLs with a script scheme or a third-party host, as a browser reads them."""
    found = []
    for tag, name, value in page.attributes:
        if name.startswith("on"):
            found.append(f"<{tag} {name}={value[:60]!r}>")
        if name in _URL_ATTRIBUTES:
            cleaned = re.sub(r"[\x00-\x20\x7f]", "", value).lower()
            parts = urlsplit(cleaned)
            if parts.scheme in ("javascript", "data", "vbscript") or "evil.example" in cleaned:
                found.append(f"<{tag} {name}={value[:60]!r}>")
    return found


@dataclass
class BuiltSite:
    out: Path
    output: str
    returncode: int
    pages: dict[str, str]  # path -> HTML
    _parsed: dict[str, _Page] = field(default_factory=dict, repr=False)

    def parsed(self, path: str) -> _Page:
        """The page as parsed once: a hundred tests read the same forty pages."""
        if path not in self._parsed:
            self._parsed[path] = parse_page(self.pages[path])
        return self._parsed[path]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> BuiltSite:
    base = tmp_path_factory.mktemp("hostile")
    write_hostile_site(base / "project")
    result = run_build(base / "project" / "mkdocs.yml", base / "out")
    pages = {
        p.relative_to(base / "out").as_posix(): p.read_text(encoding="utf-8")
        for p in sorted((base / "out").rglob("*.html"))
    }
    return BuiltSite(base / "out", result.output, result.returncode, pages)


def test_hostile_site_builds_strict_without_a_traceback(hostile_site: BuiltSite) -> None:
    assert "Traceback" not in hostile_site.output
    assert hostile_site.returncode == 0, hostile_site.output[-3000:]


@pytest.mark.parametrize("marker", [pytest.param(m, id=f.name) for m, f in HOSTILE_FIELDS.items()])
def test_every_text_field_reaches_the_site_as_text(hostile_site: BuiltSite, marker: str) -> None:
    """The field's hostile text shows as text somewhere: escaped, neither run nor dropped."""
    text_field = HOSTILE_FIELDS[marker]
    if text_field.name in NOT_SHOWN_ON_PAGES:
        assert marker in (hostile_site.out / "data" / "survey.json").read_text(encoding="utf-8")
        return
    shown = []
    for path, source in hostile_site.pages.items():
        if marker in source:
            shown.append(path)
            page = hostile_site.parsed(path)
            assert not unsafe_attributes(page), (path, unsafe_attributes(page))
            assert not any("__pwned" in s for s in page.scripts), path
    assert shown, f"{text_field.name}: its text appears on no page"
    # Shown as text somewhere in full: the tags in it are characters a reader sees.
    readable = " ".join(" ".join(" ".join(hostile_site.parsed(p).text).split()) for p in shown)
    assert re.search(re.escape(marker) + r".{0,400}<script>window\.__pwned=1</script><img src=x", readable), (
        f"{text_field.name}: its HTML is never shown as text"
    )


def _site_pages() -> list[str]:
    """The pages of the hostile site, known before it is built (for test ids)."""
    names = [
        "index.html",
        "404.html",
        "hostile/index.html",
        "nested/page/index.html",
        "cruxes/index.html",
        "bibliography/index.html",
        "glossary/index.html",
        "people/index.html",
        "organisations/index.html",
        "data/index.html",
    ]
    names += [f"cruxes/{c}/index.html" for c in ("deception", "scaling", "hostile-cruxes")]
    names += [f"cruxes/mermaid-{c}/index.html" for c in MERMAID_INJECTIONS]
    names += [
        f"data/{c}/index.html"
        for c in (
            "venues",
            "topics",
            "positions",
            "approaches",
            "milestones",
            "results",
            "scale-gap",
            "challenges",
            "requirements",
            "risk-models",
        )
    ]
    return names


@pytest.mark.parametrize("path", _site_pages())
def test_page_holds_no_injected_markup(hostile_site: BuiltSite, path: str) -> None:
    assert path in hostile_site.pages, f"{path} was not built"
    page = hostile_site.parsed(path)
    assert unsafe_attributes(page) == []
    assert [s[:80] for s in page.scripts if "__pwned" in s or "alert(" in s] == []
    # One <title>, and the hostile text stays inside it.
    assert len(page.titles) == 1 and hostile_site.pages[path].count("<title>") == 1


def test_page_title_and_description_reach_the_head_as_text(hostile_site: BuiltSite) -> None:
    """A front-matter title and description, and an encoded heading, stay text in <title> and meta."""
    for path in ("hostile-meta/index.html", "hostile-heading/index.html"):
        page = (hostile_site.out / path).read_text(encoding="utf-8")
        head = page.split("</head>", 1)[0]
        title = re.search(r"<title>(.*?)</title>", head, re.DOTALL)
        assert title is not None and "<" not in title.group(1), (path, title)
        assert "window.__pwned" in html.unescape(title.group(1))  # shown, as text
        parsed = parse_page(page)
        assert not any("__pwned" in script for script in parsed.scripts), path
        assert unsafe_attributes(parsed) == [], path
        assert [t for t in parsed.titles if "__pwned" in t] == [html.unescape(title.group(1))], path


def test_crux_question_cannot_close_the_title(hostile_site: BuiltSite) -> None:
    page = hostile_site.parsed("cruxes/hostile-cruxes/index.html")
    (title,) = page.titles
    assert "</title><script>window.__pwned=1</script>" in title  # as text, inside the title
    assert "<title>" + "hx" in hostile_site.pages["cruxes/hostile-cruxes/index.html"]


def _built_pages(site: BuiltSite) -> list[str]:
    return [p for p in site.pages if not p.startswith(("assets/", "search/"))]


def test_every_other_page_holds_no_injected_markup(hostile_site: BuiltSite) -> None:
    """Pages added after this suite was written are checked too."""
    assert set(_site_pages()) <= set(_built_pages(hostile_site))
    for path in sorted(set(_built_pages(hostile_site)) - set(_site_pages())):
        page = hostile_site.parsed(path)
        assert unsafe_attributes(page) == [], path
        assert [s[:80] for s in page.scripts if "__pwned" in s or "alert(" in s] == [], path


def _risk_card(site: BuiltSite, case: str) -> str:
    source = site.pages["hostile/index.html"]
    start = source.index(f'id="risk-md-{case}"')
    return source[start : source.index("</article>", start)]


@pytest.mark.parametrize("case", list(MARKDOWN_INJECTIONS))
def test_markdown_cannot_inject_html(hostile_site: BuiltSite, case: str) -> None:
    card = _risk_card(hostile_site, case)
    page = parse_page("<div " + card + "</div>")
    assert f"mdx-{case}" in " ".join(page.text)
    assert unsafe_attributes(page) == []
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", card))
    assert not tags & {"script", "img", "iframe", "svg", "object", "embed", "style", "b", "div", "math"}, tags
    for tag, name, value in page.attributes:
        if name in ("href", "src"):
            assert urlsplit(value).scheme in ("", "http", "https") and "evil.example" not in value, (tag, name, value)
        assert name not in ("style", "srcdoc", "action", "formaction", "autofocus"), (tag, name, value)


# The worst Markdown the model accepts (20,000 characters, at most 100 "["): each renders in a
# fraction of a second of processor time, where Python-Markdown alone took minutes on thousands of
# brackets. The bound (processor time, which a busy machine does not inflate) is fifteen times the
# worst case's today: it catches a return to quadratic work or worse, not a slower machine.
SLOW_MARKDOWN = {
    "unclosed-brackets": "[" * 100 + "x" * 19_900,
    "unclosed-links": ("[a](" + "x" * 10) * 100 + "x" * 18_500,
    "unclosed-images": "![" * 100 + "x" * 19_800,
    "unclosed-citations": "[@" * 100 + "x" * 19_800,
    "brackets-spread-out": ("[" + "x" * 199) * 100,
    "asterisks": "*" * 20_000,
    "underscores": "_a" * 10_000,
    "backticks": "`" * 20_000,
    "angle-brackets": "<" * 20_000,
    "entities": "&#" * 10_000,
    "nested-lists": "- " * 10_000,
    "nested-quotes": "> " * 10_000,
    "table-pipes": "|" * 10_000 + "\n" + "|-" * 4_999,
}


@pytest.mark.parametrize("case", list(SLOW_MARKDOWN))
def test_worst_accepted_markdown_renders_in_bounded_work(case: str, sandbox: Sandbox) -> None:
    text = SLOW_MARKDOWN[case]
    TypeAdapter(Markdown).validate_python(text)  # the model accepts it
    outcome = sandbox.call(render_outcome, text, timeout=60)
    assert outcome.kind == "rendered", f"{outcome.kind}: {outcome.detail}"
    assert float(outcome.detail) < 5, f"took {outcome.detail} s of processor time"
    assert "<script" not in outcome.printed[0]


def _diagram(site: BuiltSite, kind: str) -> str:
    source = site.pages["hostile/index.html"]
    start = source.index(f"mi-diagram--{kind}")
    block = re.search(r'<div [^>]*class="mermaid"[^>]*>(.*?)</div>', source[start:], re.S)
    assert block is not None, "no diagram after the marker"
    # Mermaid reads the element's text with the entities decoded.
    return html.unescape(block.group(1))


# What each generated line of a diagram may look like once its quoted labels are blanked.
_LINE_SHAPES = {
    "crux-map": [
        r"flowchart TD",
        r"accTitle: [\w ,]+",
        r'accDescr: [^"`{}\[\]<>\n]+',
        r'c_\w+\{\{""\}\}',
        r'click c_\w+ href ""',  # no tooltip text: Mermaid shows a tooltip as HTML
        r"c_\w+( & c_\w+)* ~~~ c_\w+",
        r'c_\w+ --> c_\w+\[""\]',
        r'c_\w+ -- "" --> c_\w+\(""\)',
    ],
    "requirements": [
        r"flowchart LR",
        r"accTitle: [\w ,]+",
        r'accDescr: [^"`{}\[\]<>\n]+',
        r'goal\(\[""\]\)',
        r'r_\w+\[""\]',
        r"r_\w+ --> goal",
        r"class r_\w+ \w+",
        r"classDef \w+ [\w:\- ]+",
    ],
    "timeline": [
        r"flowchart LR",
        r"accTitle: [\w ,]+",
        r'accDescr: [^"`{}\[\]<>\n]+',
        r'y\d{4}\[""\] --- m\d+\[""\]( & m\d+\[""\])*',
    ],
}


@pytest.mark.parametrize("kind", list(_LINE_SHAPES))
@pytest.mark.parametrize("case", list(MERMAID_INJECTIONS))
def test_mermaid_labels_cannot_break_out(hostile_site: BuiltSite, case: str, kind: str) -> None:
    source = _diagram(hostile_site, kind)
    marker = {"crux-map": "mmq-", "requirements": "mmr-", "timeline": "mmt-"}[kind] + case
    assert marker in source
    for line in source.splitlines():
        labels = re.findall(r'"([^"]*)"', line)
        for text in labels:
            assert not re.search(r"[`{}\[\]<>]", text.replace("<br/>", "")), line
        blank = re.sub(r'"[^"]*"', '""', line.strip())
        assert any(re.fullmatch(shape, blank) for shape in _LINE_SHAPES[kind]), line
    assert "%%{" not in source and "`" not in source
    # The label is the record's text, Mermaid-escaped: nothing of it was read as syntax.
    text = MERMAID_INJECTIONS[case]
    assert mermaid_label(marker + " " + text) in source


# -- page-level cases: components and citations written in pages ------------------------------

PAGE_CASES: dict[str, tuple[str, int, str | re.Pattern[str]]] = {
    # id: (page body, line of the problem, message)
    "unknown-option": (
        "/// comparison\ncollection: approaches\ncolour: red\n///",
        5,
        "comparison: option colour: unknown field",
    ),
    "unknown-option-with-html": (
        '/// timeline\n"<script>alert(1)</script>": 1\n///',
        4,
        "timeline: option <script>alert(1)</script>: unknown field; expected one of: from, to, tag",
    ),
    "unknown-component": ("/// comparisn\ncollection: approaches\n///", 3, "unknown component 'comparisn'"),
    "option-of-the-wrong-type": (
        "/// timeline\nfrom: soon\n///",
        4,
        "timeline: option from: expected a whole number (got 'soon')",
    ),
    "unknown-collection": (
        "/// comparison\ncollection: <b>nope</b>\n///",
        4,
        "comparison: option collection: unknown collection '<b>nope</b>'",
    ),
    "unknown-record": ("/// crux\nid: nothing-here\n///", 4, "unknown cruxes id 'nothing-here'"),
    "body-not-yaml": (
        "/// comparison\ncollection: [approaches\n///",
        4,
        "comparison: options are not valid YAML (line 2 of the block): YAML syntax error",
    ),
    "body-a-list": (
        "/// comparison\n- approaches\n- name\n///",
        4,
        "the options of 'comparison' must be a YAML mapping of option: value",
    ),
    "body-a-scalar": (
        "/// timeline\njust words\n///",
        4,
        "the options of 'timeline' must be a YAML mapping of option: value",
    ),
    "body-tab-indented": (
        "/// comparison\ncollection: approaches\n\tsort: name\n///",
        5,
        "comparison: options are not valid YAML (line 2 of the block): YAML syntax error",
    ),
    "body-duplicate-option": (
        "/// timeline\nfrom: 2020\nfrom: 2021\n///",
        5,
        "timeline: options are not valid YAML (line 2 of the block): from: duplicate key",
    ),
    "body-deep-nesting": (
        "/// comparison\ncollection: approaches\nwhere: " + "[" * 50_000 + "]" * 50_000 + "\n///",
        5,
        too_deep("comparison: options are not valid YAML (line 2 of the block): where[0]"),
    ),
    "body-billion-laughs": (
        "/// comparison\ncollection: approaches\n" + LAUGHS.split("question: Q\n")[1] + "///",
        5,
        "comparison: options are not valid YAML (line 2 of the block): a: YAML anchors and aliases are not supported",
    ),
    "body-huge-number": (
        "/// timeline\nfrom: " + "9" * 5000 + "\n///",
        4,
        "timeline: options are not valid YAML (line 1 of the block): from: cannot read",
    ),
    "citation-malformed-space": ("Text [@Alpha 2024].", 3, "malformed citation '[@Alpha 2024]'"),
    "citation-malformed-empty": ("Text [@].", 3, "malformed citation '[@]'"),
    "citation-malformed-comma": ("Text [@alpha2024, @beta2023].", 3, "malformed citation '[@alpha2024, @beta2023]'"),
    "citation-with-html": (
        "Text [@<script>alert(1)</script>].",
        3,
        "malformed citation '[@<script>alert(1)</script>]'",
    ),
    "citation-unknown": ("Text [@nobody].", 3, "citation of unknown reference 'nobody'"),
}


@pytest.fixture(scope="module")
def broken_pages(tmp_path_factory) -> tuple[str, Path]:
    """One build of the fixture site with one broken page per case: every problem is listed."""
    result = build_with_pages(
        tmp_path_factory.mktemp("pages"), {case: f"# {case}\n\n{body}\n" for case, (body, _, _) in PAGE_CASES.items()}
    )
    assert result.returncode != 0
    return result.output, result.site


@pytest.mark.parametrize("case", list(PAGE_CASES))
def test_page_problem_names_page_and_line(broken_pages, case: str) -> None:
    output, out = broken_pages
    _, line, message = PAGE_CASES[case]
    assert "Traceback" not in output
    where = f"content/docs/bad/{case}.md:{line}: "
    if isinstance(message, re.Pattern):
        assert any(
            _matches(message, found[len(where) :]) for found in output.splitlines() if found.startswith(where)
        ), output[-4000:]
    else:
        assert where + message in output, output[-4000:]
    # The page still written shows the problem as text, not as markup.
    page = (out / "bad" / case / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and unsafe_attributes(parse_page(page)) == []


# -- browser -----------------------------------------------------------------------------------

_HOVER_ALL = """() => {
    const hovered = '.md-content a, [title], abbr, .md-nav__link, .mermaid .node, .mi-cite__label';
    for (const element of document.querySelectorAll(hovered)) {
        for (const type of ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'focusin']) {
            element.dispatchEvent(new MouseEvent(type, {bubbles: type.endsWith('over') || type === 'focusin'}));
        }
        // Its focus handlers, without moving the focus: a real focus restyles the page, each time.
        element.dispatchEvent(new FocusEvent('focus'));
        if (/[<&]/.test(element.getAttribute('title') || '')) element.setAttribute('data-test-tooltip', '');
    }
}"""
_SCRIPT_LINKS = """() => [...document.querySelectorAll('a[href], area[href], iframe[src], form[action]')]
    .map(e => e.href || e.src || e.action).filter(u => /^(javascript|data|vbscript):/i.test(u))"""


@pytest.mark.browser
def test_no_content_script_runs_in_chromium(hostile_site: BuiltSite, browser) -> None:
    """Every page of the hostile site in Chromium: no dialog, no script from content, no request out."""
    from served_site import BROKEN_DIAGRAM, DIAGRAMS_DRAWN, new_context, requests_elsewhere, serve
    from site_audit import goto_settled

    assert hostile_site.returncode == 0, hostile_site.output[-3000:]
    if not (hostile_site.out / "assets" / "vendor" / "mermaid").is_dir():
        pytest.fail("content/docs/assets/vendor is missing: `make assets` copies Mermaid there")
    dialogs: list[str] = []
    problems: list[str] = []
    foreign: list[list[str]] = []  # each tab's requests to another host, as they are made
    with serve(hostile_site.out) as base:

        def open_tab(search: bool):
            context = new_context(browser, search=search, viewport={"width": 1280, "height": 900})
            # Watched rather than routed: a route through Playwright cost each request a round trip
            # and the browser its cache, a fifth of the visit; Chromium fails a request elsewhere itself.
            foreign.append(requests_elsewhere(context, base))
            page = context.new_page()
            page.set_default_timeout(20_000)

            def on_dialog(dialog) -> None:
                dialogs.append(f"{page.url}: {dialog.message}")
                dialog.dismiss()

            page.on("dialog", on_dialog)
            return context, page

        # The pages without the search index built behind them (see new_context); search after.
        context, page = open_tab(search=False)
        for path in _built_pages(hostile_site):
            if path == "404.html":
                continue
            url = base + path.removesuffix("index.html")
            # No wait for the network to settle: the request and dialog handlers watch the whole
            # visit, so a late request or dialog is caught on whichever page it comes.
            page.goto(url, wait_until="load")
            diagrams = page.locator(".mermaid").count()
            if diagrams:
                page.wait_for_function(DIAGRAMS_DRAWN)
                broken = page.locator(BROKEN_DIAGRAM).count()
                if broken:
                    problems.append(f"{path}: {broken} diagram(s) with a Mermaid syntax error")
            # Events where an injected handler would fire, sent to every element of the content at
            # once; then the pointer itself over each element whose tooltip text holds markup (a
            # theme that showed it as HTML would run it: only a real pointer opens the tooltip).
            page.evaluate(_HOVER_ALL)
            hovered = 0
            for element in page.locator(".md-content [data-test-tooltip]").all()[:40]:
                if element.is_visible():
                    element.hover(timeout=10_000, force=True)
                    hovered += 1
            # What Mermaid drew or a tooltip showed comes after the load event, and an image in it
            # fails only after its own request: a moment for those.
            if diagrams or hovered:
                page.wait_for_timeout(150)
            if page.evaluate("() => window.__pwned") is not None:
                problems.append(f"{path}: a script from the content ran")
            # A handler whose event comes later still (a lazy image's error, autofocus, a toggle)
            # is found where it would wait, in the page as it now stands: the same check as the
            # built pages get, and neither the theme nor Mermaid writes on* attributes.
            for found in unsafe_attributes(parse_page(page.content())):
                problems.append(f"{path}: in the page as shown: {found}")
            # Links as the browser resolved them: a click on any of these would run code.
            for url in page.evaluate(_SCRIPT_LINKS):
                problems.append(f"{path}: a link runs code when clicked: {url[:80]}")
        context.close()
        # Search shows page text as markup in its results.
        context, page = open_tab(search=True)
        goto_settled(page, base)
        page.locator("input.md-search__input").click()
        page.keyboard.type("pwned script")
        page.locator(".md-search-result__item").first.wait_for()
        if page.evaluate("() => window.__pwned") is not None:
            problems.append("search: a script from the content ran")
        context.close()
    assert dialogs == []
    assert [url for tab in foreign for url in tab] == []
    assert problems == []


# -- the size of this suite --------------------------------------------------------------------


def test_suite_has_at_least_thirty_hostile_cases() -> None:
    cases = (
        len(LOADER_CASES)
        + len(HOSTILE_FIELDS)
        + len(_site_pages())
        + len(MARKDOWN_INJECTIONS)
        + len(SLOW_MARKDOWN)
        + len(MERMAID_INJECTIONS) * len(_LINE_SHAPES)
        + len(PAGE_CASES)
    )
    assert cases >= 30
