"""Every record in content/data appears on the built site: nothing a contributor wrote is dropped.

Each record has one place where the site shows it (the bibliography, a crux's own page, the
people page, a data view...): that page must exist, carry the record's anchor, and show the
record's title, name or question.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ROOT
from site_audit import built_page

from mi_survey.load import load
from mi_survey.render.context import record_page, title_of

KB = load(ROOT / "content" / "data", ROOT)
RECORDS = [(name, record.id) for name in KB.records for record in KB.all(name)]


def _built_file(site: Path, page: str) -> Path:
    """``cruxes/x.md`` -> ``cruxes/x/index.html`` (directory URLs); ``a/index.md`` -> ``a/index.html``."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / f"{stem}.html"
    return site / stem / "index.html"


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_content_has_records_of_every_kind() -> None:
    assert len(RECORDS) > 100
    assert {name for name, _ in RECORDS} >= {
        "references",
        "cruxes",
        "people",
        "organisations",
        "positions",
        "approaches",
        "milestones",
        "glossary",
        "venues",
        "topics",
    }


@pytest.mark.parametrize(("collection", "record_id"), RECORDS, ids=[f"{c}/{i}" for c, i in RECORDS])
def test_record_appears_on_the_site(built_site: Path, collection: str, record_id: str) -> None:
    page, _, anchor = record_page(collection, record_id).partition("#")
    file = _built_file(built_site, page)
    assert file.exists(), f"{collection}/{record_id}: {page} was not built"
    parsed = built_page(file)
    if anchor:
        assert anchor in parsed.ids, f"{collection}/{record_id}: no anchor #{anchor} on {page}"
    record = KB.get(collection, record_id)
    assert record is not None, (collection, record_id)
    title = _words(title_of(collection, record))
    assert title in _words(parsed.text), f"{collection}/{record_id}: '{title}' is not shown on {page}"


def test_every_written_page_of_the_nav_is_built(built_site: Path) -> None:
    docs = ROOT / "content" / "docs"
    for source in docs.rglob("*.md"):
        page = source.relative_to(docs).as_posix()
        assert _built_file(built_site, page).exists(), f"{page} was not built"
