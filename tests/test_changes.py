"""The Changes page and its Atom feed: what changed between two tagged editions, in words."""

from __future__ import annotations

import html
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from helpers import ROOT, copy_fixture_site, run_build

from mi_survey.load import History, Snapshot, read_history
from mi_survey.render.changes import atom_feed, change_log, collection_changes, field_changes

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


def git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def two_editions(site: Path) -> None:
    """v1.0 as the fixture is; v1.1 with fields changed, a record added and one removed."""
    # The overrides hold the feed's <link> in the page head.
    edit(site / "mkdocs.yml", "  name: material\n", f"  name: material\n  custom_dir: {ROOT / 'templates/overrides'}\n")
    edit(site / "mkdocs.yml", "  - Data: data/index.md\n", "  - Data: data/index.md\n  - changes.md\n")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", ".")
    git(site, "commit", "-qm", "first edition")
    git(site, "tag", "v1.0")
    data = site / "content/data"
    edit(data / "positions/olah-sufficiency.yaml", "confidence: high", "confidence: medium")
    edit(data / "positions/olah-sufficiency.yaml", "Understanding networks is possible and needed.", "Possible.")
    edit(data / "cruxes/deception.yaml", "confidence: medium", "confidence: high")
    edit(data / "cruxes/deception.yaml", "importance: critical", "importance: high")
    edit(
        data / "references/gamma2022.yaml",
        "summary: Finds a circuit for in-context learning.",
        "summary: Finds a circuit for in-context learning, and shows how it forms during training.",
    )
    edit(data / "glossary.yaml", "  term: sparse autoencoder\n", f"  term: 'sparse autoencoder {HOSTILE}'\n")
    milestones = (data / "milestones.yaml").read_text(encoding="utf-8")
    start = milestones.index("- id: circuits\n")
    end = milestones.index("- id: ", start + 1)
    (data / "milestones.yaml").write_text(milestones[:start] + milestones[end:], encoding="utf-8")
    (data / "venues/new-venue.yaml").write_text(
        f"id: new-venue\nname: 'New {HOSTILE}'\nkind: journal\ncredibility: 3\n"
    )
    edit(
        site / "CITATION.cff",
        'version: "1.0"\ndate-released: "2026-11-30"',
        'version: "1.1"\ndate-released: "2026-12-14"',
    )
    git(site, "add", "-A")
    git(site, "commit", "-qm", "second edition")
    git(site, "tag", "-a", "v1.1", "-m", "v1.1")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("changes")
    site = copy_fixture_site(base / "project")
    two_editions(site)
    result = run_build(site / "mkdocs.yml", base / "out")
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output
    return result


def article(page: str) -> str:
    return page[page.index("<article") : page.index("</article>")]


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_the_changes_page_says_what_changed_newest_edition_first(built) -> None:
    page = article(built.page("changes/index.html"))
    assert page.index('id="v1-1"') < page.index('id="v1-0"')
    assert "v1.1 (14 December 2026)" in text_of(page) and "v1.0 (30 November 2026)" in text_of(page)
    newest = text_of(page[page.index('id="v1-1"') : page.index('id="v1-0"')])
    for words in (
        "Confidence of Chris Olah's position: high → medium",
        "Summary of Chris Olah's position: “Understanding networks is possible and needed.” → “Possible.”",
        f"Term “sparse autoencoder” renamed “sparse autoencoder {HOSTILE}”",
        "Importance of crux “Can a deceptive model hide from interpretability?”: critical → high",
        "Confidence of position “Yes, through steganography” of crux “Can a deceptive model hide from "
        "interpretability?”: medium → high",
        "Summary of reference “Induction heads” revised",
        f"Added: venue “New {HOSTILE}”",
        "Removed: milestone “Circuits in vision models”",
    ):
        assert words in newest, words
    # Grouped by collection, in the collections' order.
    assert newest.index("References") < newest.index("Venues") < newest.index("Positions") < newest.index("Cruxes")
    # The first edition is summed up, not listed as a change per record.
    first = text_of(page[page.index('id="v1-0"') :])
    assert "The first edition" in first and "Cruxes (2)" in first and "Added:" not in first
    assert "Unreleased" not in text_of(page)  # the working copy is v1.1 as tagged


def test_contributors_text_is_escaped_on_the_page_and_in_the_feed(built) -> None:
    page = built.page("changes/index.html")
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert f"Added: venue “New {HOSTILE}”" in text_of(article(page))  # shown as text
    feed = built.page("changes.xml")
    assert "<script>" not in feed
    content = ET.fromstring(feed).find(f"{ATOM}entry/{ATOM}content")
    assert content is not None and content.text is not None
    # HTML whose text is the contributor's, escaped: a reader shows it as written.
    assert HOSTILE not in content.text and f"Added: venue “New {HOSTILE}”" in text_of(content.text)


def test_the_feed_is_atom_with_one_entry_per_edition(built) -> None:
    feed = ET.parse(built.site / "changes.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert feed.find(ATOM + required) is not None, required
    assert feed.findtext(f"{ATOM}updated") == "2026-12-14T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["v1.1 (14 December 2026)", "v1.0 (30 November 2026)"]
    for entry, anchor in zip(entries, ("v1-1", "v1-0"), strict=True):
        assert entry.findtext(f"{ATOM}id") == f"https://mi-survey.github.io/mi-survey/changes/#{anchor}"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", entry.findtext(f"{ATOM}updated") or "")
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").endswith(f"/changes/#{anchor}")
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
    assert "Confidence of Chris Olah&#39;s position: high → medium" in (entries[0].findtext(f"{ATOM}content") or "")


def test_the_page_links_its_feed_and_sits_in_the_nav(built) -> None:
    page = built.page("changes/index.html")
    assert '<a href="../changes.xml">Atom feed</a>' in page
    head = page[: page.index("</head>")]
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Changes to the survey" href="../changes.xml">' in head
    )
    assert "application/atom+xml" not in built.page("cruxes/deception/index.html")  # that page's head only
    assert re.search(r'href="changes/"[^>]*>\s*<span[^>]*>\s*Changes', built.page("index.html"))


def test_a_changed_generated_page_notes_the_change(built) -> None:
    page = article(built.page("cruxes/deception/index.html"))
    assert "Changed in this edition (v1.1)" in page
    note = text_of(page[page.index("mi-changed") : page.index("</div>", page.index("mi-changed"))])
    assert "Importance of crux “Can a deceptive model hide from interpretability?”: critical → high" in note
    assert 'href="../../changes/#v1-1"' in page
    # The page with a note still names its record to a reader who reports an error on it.
    assert "record=deception" in built.page("cruxes/deception/index.html").split('class="mi-report"')[1]
    assert "Changed in this edition" not in built.page("cruxes/scaling/index.html")
    assert "Confidence of Chris Olah's position: high → medium" in text_of(built.page("data/positions/index.html"))
    glossary = built.page("glossary/index.html")
    assert "Changed in this edition (v1.1)" in glossary and "<script>window.__pwned" not in glossary


def test_unreleased_changes_and_a_repository_without_tags(tmp_path: Path) -> None:
    site = copy_fixture_site(tmp_path / "project")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", ".")
    git(site, "commit", "-qm", "no edition yet")
    result = run_build(site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 0, result.output
    page = text_of(article(result.page("changes/index.html")))
    assert "No edition has been published yet: this is the working copy, which will become v1.0" in page
    assert "Cruxes (2): Can a deceptive model hide from interpretability?; Will interpretability" in page
    assert "Positions (2): The Lab; Chris Olah" in page
    assert ET.fromstring(result.page("changes.xml")).find(f"{ATOM}entry") is None

    git(site, "tag", "v1.0")
    edit(site / "content/data/cruxes/scaling.yaml", "importance: high", "importance: critical")
    result = run_build(site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 0, result.output
    page = text_of(article(result.page("changes/index.html")))
    assert "Unreleased" in page and "Changes since v1.0, not yet published as an edition" in page
    assert "Importance of crux “Will interpretability scale to frontier models?”: high → critical" in page
    crux = result.page("cruxes/scaling/index.html")
    assert "Changed since v1.0 (not yet published)" in crux and 'href="../../changes/#unreleased"' in crux


def test_without_git_the_page_says_so_and_the_build_passes(fixture_build) -> None:
    assert fixture_build.returncode == 0, fixture_build.output
    page = text_of(article(fixture_build.page("changes/index.html")))
    assert "was built without its git history" in page and "v1.0, released 30 November 2026" in page
    ET.fromstring(fixture_build.page("changes.xml"))


def test_history_reads_each_tag_once(tmp_path: Path) -> None:
    site = copy_fixture_site(tmp_path / "project")
    git(site, "init", "-q", "-b", "main")
    git(site, "add", ".")
    git(site, "commit", "-qm", "one")
    git(site, "tag", "v1.0")
    first = read_history(site, "content/data")
    second = read_history(site, "content/data")
    assert first.git and [s.tag for s in first.editions] == ["v1.0"]
    assert first.editions[0] is second.editions[0]  # cached by commit
    assert first.editions[0].records == first.working.records
    assert first.editions[0].released == date(2026, 11, 30)
    assert not read_history(tmp_path / "nowhere", "content/data").git


# -- the words, kind by kind ----------------------------------------------------------------------

PEOPLE = {"people": {"chris-olah": {"id": "chris-olah", "name": "Chris Olah"}}}


def words(collection: str, old: list[dict], new: list[dict]) -> list[str]:
    before = {**PEOPLE, collection: {r["id"]: r for r in old}}
    after = {**PEOPLE, collection: {r["id"]: r for r in new}}
    return [c.words for c in collection_changes(collection, before, after)]


def test_words_for_records_added_removed_and_reordered() -> None:
    a = {"id": "a", "title": "Alpha"}
    b = {"id": "b", "title": "Beta"}
    assert words("references", [a], [a, b]) == ["Added: reference “Beta”"]
    assert words("references", [a, b], [b]) == ["Removed: reference “Alpha”"]
    position = {"id": "p", "holder": "chris-olah", "confidence": "high"}
    assert words("positions", [], [position]) == ["Added: position of Chris Olah"]
    assert words("topics", [{"id": "x"}], []) == ["Removed: topic x"]  # no name: the id
    assert words("references", [a], [{**a, "title": "Gamma", "year": 2024}]) == [
        "Reference “Alpha” renamed “Gamma”",
        "Year of reference “Alpha” set to 2024",
    ]
    m1, m2 = {"id": "m1", "title": "One"}, {"id": "m2", "title": "Two"}
    assert words("milestones", [m1, m2], [m2, m1]) == ["Order of timeline milestones changed"]
    assert words("references", [a, b], [b, a]) == []  # a folder collection has no order


def test_words_for_changed_fields() -> None:
    subject = "Chris Olah's position"
    old = {"confidence": "medium", "summary": "x" * 100, "quote": "A.", "retracted": False, "n": 1}
    new = {"confidence": "high", "summary": "y" * 100, "retracted": True, "n": 2, "locator": "p. 3"}
    assert field_changes(old, new, subject) == [
        "confidence of Chris Olah's position: medium → high",
        "summary of Chris Olah's position revised",
        "Chris Olah's position retracted",
        "n of Chris Olah's position: 1 → 2",
        "locator of Chris Olah's position set to “p. 3”",
        "quote of Chris Olah's position removed",
    ]
    assert field_changes({"retracted": True}, {"retracted": False}, "reference “Y”") == [
        "reference “Y” no longer retracted"
    ]
    assert field_changes(
        {"attributed_by": {"source": "a", "locator": "p. 1"}},
        {"attributed_by": {"source": "a", "locator": "p. 2"}},
        "S",
    ) == ["attributed by locator of S: “p. 1” → “p. 2”"]


def test_words_for_lists() -> None:
    assert field_changes({"tags": ["a", "b"]}, {"tags": ["b", "c d"]}, "S") == ["tags of S: added “c d”; removed a"]
    assert field_changes({"tags": ["a", "b"]}, {"tags": ["b", "a"]}, "S") == ["tags of S reordered"]
    assert field_changes({"points": ["x" * 80]}, {"points": ["x" * 80, "y" * 80]}, "S") == ["points of S: added 1 item"]
    yes = {"answer": "Yes", "confidence": "low"}
    no = {"answer": "No", "confidence": "low"}
    assert field_changes({"positions": [yes, no]}, {"positions": [{**yes, "confidence": "high"}]}, "crux “Q”") == [
        "position “No” removed from crux “Q”",
        "confidence of position “Yes” of crux “Q”: low → high",
    ]
    assert field_changes({"holders": [{"x": 1}]}, {"holders": [{"x": 2}]}, "S") == ["x of holder 1 of S: 1 → 2"]


def test_the_feed_is_valid_xml_whatever_the_text(tmp_path: Path) -> None:
    old = Snapshot("v1.0", date(2026, 1, 1), {"references": {"a": {"id": "a", "title": "A"}}})
    new = Snapshot("v1.1", None, {"references": {"a": {"id": "a", "title": "B\x01 ]]> & <x>"}}})
    log = change_log(History((old, new), new, True), None)
    feed = ET.fromstring(atom_feed(log, "", "Site"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2 and entries[0].findtext(f"{ATOM}id") == "urn:mi-survey:changes/#v1-1"
    assert "]]&gt; &amp; &lt;x&gt;" in (entries[0].findtext(f"{ATOM}content") or "")
    assert entries[0].find(f"{ATOM}link").get("href") == "changes/#v1-1"  # type: ignore[union-attr]
