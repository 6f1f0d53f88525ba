"""Citing the survey: "Cite this page", "Cite this claim", the files they offer, the meta tags a
reference manager reads, the report links, and CITATION.cff, as a reader and a maintainer see them."""

from __future__ import annotations

import html
import json
import re
import tempfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
import yaml
from helpers import ROOT, run_build

from mi_survey.load import read_edition

CSL_SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "csl" / "csl-data.json").read_text())
CITED_PAGES = ["index.html", "nested/page/index.html", "editorial-policy/index.html", "cruxes/deception/index.html"]
INDEX_PAGES = ["bibliography/index.html", "glossary/index.html", "people/index.html", "data/index.html"]


class _Meta(HTMLParser):
    """The <meta name=... content=...> tags of a page, read as Zotero's embedded-metadata
    translator reads them: every tag, in order, with repeated names kept."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and values.get("name") and values.get("content") is not None:
            self.tags.append((values["name"], values["content"]))


def meta(page: str) -> dict[str, list[str]]:
    reader = _Meta()
    reader.feed(page)
    out: dict[str, list[str]] = {}
    for name, content in reader.tags:
        out.setdefault(name, []).append(content)
    return out


def section(page: str, start: str, end: str = "</section>") -> str:
    at = page.index(start)
    return page[at : page.index(end, at)]


def text(html: str) -> str:
    """The words of some HTML, without its permalink sign."""
    html = re.sub(r'<a class="headerlink".*?</a>', "", html)
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_a_cited_page_offers_its_citation_in_each_style_with_edition_address_and_access_date(fixture_build) -> None:
    edition = read_edition(ROOT / "tests/fixtures/site")
    page = fixture_build.page("nested/page/index.html")
    cite = section(page, '<section class="mi-cite-page" id="cite-this-page"')
    pinned = edition.pinned("nested/page/")
    assert f'<a class="mi-cite-page__pinned" href="{pinned}">' in cite
    styles = re.findall(
        r'<p class="mi-citation__style">([^<]+)</p><p class="mi-citation__text" id="([^"]+)">(.*?)</p>', cite
    )
    assert [s for s, _, _ in styles] == ["APA (7th edition)", "Chicago (author-date)"]
    for _, _, citation in styles:
        words = text(citation)
        assert "The mi-survey editors" in words and "Version 1.0" in words.replace("version 1.0", "Version 1.0")
        # The build's day (a script puts in the reader's): the session's build may be yesterday's.
        stamp = re.search(r'<time class="mi-accessed" datetime="(\d{4}-\d{2}-\d{2})">([^<]+)</time>', citation)
        assert stamp, citation
        built = date.fromisoformat(stamp.group(1))
        assert (date.today() - built).days in (0, 1)
        assert pinned in words and stamp.group(2) == f"{built:%B} {built.day}, {built.year}"
    assert cite.count('class="mi-copy md-button"') == 2


def test_index_like_pages_offer_no_citation_and_no_scholarly_tags(fixture_build) -> None:
    for path in INDEX_PAGES:
        page = fixture_build.page(path)
        assert 'id="cite-this-page"' not in page, path
        assert not [name for name in meta(page) if name.startswith(("citation_", "DC."))], path
    for path in CITED_PAGES:
        assert 'id="cite-this-page"' in fixture_build.page(path), path


def test_the_downloads_import_cleanly(fixture_build) -> None:
    """BibTeX parses with bibtexparser, RIS with rispy, CSL-JSON against the CSL schema, each
    naming the page's title and pinned address."""
    page = fixture_build.page("nested/page/index.html")
    downloads = dict((label, href) for href, label in re.findall(r'<a href="([^"]+)" download>([^<]+)</a>', page))
    assert list(downloads) == ["BibTeX", "RIS", "CSL-JSON"]
    pinned = read_edition(ROOT / "tests/fixtures/site").pinned("nested/page/")
    folder = fixture_build.site / "nested" / "page"

    library = bibtexparser.parse_string((folder / downloads["BibTeX"]).read_text())
    assert library.failed_blocks == [] and len(library.entries) == 1
    fields = library.entries[0].fields_dict
    assert fields["url"].value == pinned and fields["version"].value == "1.0"

    (ris,) = rispy.loads((folder / downloads["RIS"]).read_text())
    assert ris["urls"] == [pinned] and ris["edition"] == "1.0" and ris["authors"] == ["The mi-survey editors"]

    items = json.loads((folder / downloads["CSL-JSON"]).read_text())
    jsonschema.validate(items, CSL_SCHEMA)
    assert items[0]["URL"] == pinned and items[0]["version"] == "1.0"
    title = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert title and items[0]["title"] == text(title.group(1))


def test_each_position_and_crux_answer_has_an_anchor_and_its_own_citation(fixture_build) -> None:
    edition = read_edition(ROOT / "tests/fixtures/site")
    crux = fixture_build.page("cruxes/deception/index.html")
    anchors = re.findall(r'<article class="mi-crux-position" id="([^"]+)">', crux)
    assert anchors and all(a.startswith("answer-") for a in anchors) and len(set(anchors)) == len(anchors)
    for anchor in anchors:
        claim = section(crux, f'id="{anchor}"', "</article>")
        assert f'href="{edition.pinned("cruxes/deception/")}#{anchor}"' in claim
        assert f"<code>cruxes/deception#{anchor}</code>" in claim
    debate = fixture_build.page("nested/page/index.html")
    for position in re.findall(r'<article class="mi-position" id="(position-[^"]+)">', debate):
        claim = section(debate, f'id="{position}"', "</article>")
        assert f'href="{edition.pinned("nested/page/")}#{position}"' in claim
        assert "The position of " in text(claim)


def test_pages_carry_the_tags_zotero_reads(fixture_build) -> None:
    edition = read_edition(ROOT / "tests/fixtures/site")
    for path in CITED_PAGES:
        tags = meta(fixture_build.page(path))
        for required in ("citation_title", "citation_author", "citation_publication_date", "DC.title", "DC.creator"):
            assert tags.get(required), (path, required)
        assert tags["citation_author"] == [a.display for a in edition.authors]
        assert tags["citation_publication_date"] == [edition.date_released.strftime("%Y/%m/%d")]
        assert tags["DC.identifier"][0].startswith(edition.pinned())
    home = meta(fixture_build.page("index.html"))
    assert home["citation_title"] == [edition.title] and "citation_inbook_title" not in home
    crux = meta(fixture_build.page("cruxes/deception/index.html"))
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", fixture_build.page("cruxes/deception/index.html"), re.S)
    assert heading and crux["citation_title"] == [text(heading.group(1))]
    cited = {re.search(r"citation_title=([^;]+)", r).group(1) for r in crux["citation_reference"]}  # type: ignore[union-attr]
    assert "Induction heads" in cited and len(cited) == len(crux["citation_reference"])


def test_every_page_links_to_report_an_error_with_its_address_and_record(fixture_build) -> None:
    edition = read_edition(ROOT / "tests/fixtures/site")
    for path in CITED_PAGES + INDEX_PAGES:
        page = fixture_build.page(path)
        assert "Report an error on this page</a>" in page and "Suggest an addition</a>" in page, path
    crux = fixture_build.page("cruxes/deception/index.html")
    href = re.search(r'<p class="mi-report"><a href="([^"]+)"', crux).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://example.org/repo/issues/new"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "template": "report-error.yml",
        "page": edition.pinned("cruxes/deception/"),
        "file": "content/data/cruxes/deception.yaml",
        "record": "deception",
    }


def test_the_issue_forms_have_the_fields_the_links_fill() -> None:
    forms = ROOT / ".github" / "ISSUE_TEMPLATE"
    report = yaml.safe_load((forms / "report-error.yml").read_text())
    suggest = yaml.safe_load((forms / "suggest-addition.yml").read_text())
    assert {"page", "record", "file"} <= {f.get("id") for f in report["body"]}
    assert "page" in {f.get("id") for f in suggest["body"]}


def test_citation_cff_zenodo_and_the_site_agree() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    zenodo = json.loads((ROOT / ".zenodo.json").read_text())
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_ConfigLoader)
    edition = read_edition(ROOT)
    assert cff["cff-version"] == "1.2.0" and cff["message"] and cff["type"] in ("dataset", "software")
    assert cff["title"] == zenodo["title"] == config["site_name"] == edition.title
    assert " ".join(cff["abstract"].split()) == zenodo["description"] == " ".join(config["site_description"].split())
    assert cff["version"] == zenodo["version"] == edition.version
    assert cff["date-released"] == zenodo["publication_date"] == edition.date_released.isoformat()
    assert [a["name"] for a in cff["authors"]] == [c["name"] for c in zenodo["creators"]]
    assert cff["license"] == zenodo["license"]
    assert cff["repository-code"] in {r["identifier"] for r in zenodo["related_identifiers"]}
    assert cff["url"] in {r["identifier"] for r in zenodo["related_identifiers"]}


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml's own tags (!ENV, !!python/name) read as plain values: only the text matters."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ('version: "1.0"', 'version: "one"'),
        ('date-released: "2026-11-30"', 'date-released: "2026-13-45"'),
        ("  - name: The mi-survey editors", "  - {}"),
    ],
)
def test_a_wrong_citation_file_fails_the_build_with_its_line(
    fixture_site: Path, tmp_path: Path, change, problem
) -> None:
    cff = fixture_site / "CITATION.cff"
    assert change in cff.read_text()
    cff.write_text(cff.read_text().replace(change, problem))
    line = next(n for n, text in enumerate(cff.read_text().splitlines(), 1) if problem.strip() in text)
    result = run_build(fixture_site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0 and f"CITATION.cff:{line}:" in result.output, result.output
    assert "Traceback" not in result.output


def test_hostile_page_titles_stay_text_in_citations_tags_and_files(fixture_site: Path, tmp_path: Path) -> None:
    hostile = 'A "quoted" <script>alert(1)</script> title; with } and { and \\end & 50%'
    page = fixture_site / "content/docs/nested/page.md"
    page.write_text(page.read_text().replace(page.read_text().splitlines()[0], "# " + hostile.replace("<", "&lt;"), 1))
    result = run_build(fixture_site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 0, result.output
    built = result.page("nested/page/index.html")
    assert "<script>alert(1)</script>" not in built
    assert meta(built)["citation_title"] == [hostile]
    library = bibtexparser.parse_string((result.site / "cite/nested/page.bib").read_text())
    assert library.failed_blocks == [] and len(library.entries) == 1
    items = json.loads((result.site / "cite/nested/page.json").read_text())
    assert items[0]["title"] == hostile


def test_a_hostile_citation_file_stays_text_in_every_citation(fixture_site: Path, tmp_path: Path) -> None:
    """CITATION.cff comes in a pull request like any file: its title and names are text."""
    cff = fixture_site / "CITATION.cff"
    cff.write_text(
        cff.read_text()
        .replace("title: Is mechanistic", "title: '<img src=x onerror=alert(1)> & <b>co</b>: Is mechanistic", 1)
        .replace("for AI safety?\n", "for AI safety?'\n", 1)
        .replace("  - name: The mi-survey editors", '  - name: "Editors <script>alert(2)</script>"', 1)
    )
    result = run_build(fixture_site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 0, result.output
    for path in CITED_PAGES:
        built = result.page(path)
        assert "<img src=x" not in built and "<script>alert" not in built and "<b>co</b>" not in built, path
        cited = text(section(built, 'id="cite-this-page"'))
        assert "<img src=x onerror=alert(1)> & <b>co</b>: Is mechanistic" in html.unescape(cited), path
        assert "Editors <script>alert(2)</script>" in html.unescape(cited), path


# -- citations kept between builds ---------------------------------------------------------------


@pytest.fixture
def renders(monkeypatch, tmp_path: Path) -> list[str]:
    """The styles citeproc-py renders a citation in, call by call, with the builds' kept text in
    a temporary folder of this test's own."""
    from mi_survey.render import scholarly

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    calls: list[str] = []
    render = scholarly._render

    def counted(style: str, item: dict) -> str:
        calls.append(style)
        return render(style, item)

    monkeypatch.setattr(scholarly, "_render", counted)
    return calls


def _cite_a_page(accessed: date) -> dict[str, str]:
    from mi_survey.render.scholarly import CitedWork, SurveyCitations

    work = CitedWork("Risk <models> & cruxes", "https://example.org/mi-survey/1.0/debate/", part_of_survey=True)
    return {style: str(text) for style, text in SurveyCitations(read_edition(ROOT), accessed).formatted(work).items()}


def test_a_second_build_formats_citations_without_rendering_them_again(renders: list[str]) -> None:
    first = _cite_a_page(date(2026, 12, 1))
    assert renders == ["apa", "chicago-author-date"] and "Risk &lt;models&gt; &amp; cruxes" in first["apa"]
    assert _cite_a_page(date(2026, 12, 1)) == first
    assert len(renders) == 2
    # Another day's build gives another access date: rendered anew.
    next_day = _cite_a_page(date(2026, 12, 2))
    assert len(renders) == 4
    assert all("December 2, 2026" in text for text in next_day.values()), next_day


def test_kept_citations_that_are_damaged_or_cannot_be_read_are_made_anew(renders: list[str], tmp_path: Path) -> None:
    first = _cite_a_page(date(2026, 12, 1))
    entries = sorted(tmp_path.glob("*/__mi_survey_citation_*"))
    assert len(entries) == 2
    for entry in entries:
        entry.write_text("A citation without the places where a title and an address go", encoding="utf-8")
    assert _cite_a_page(date(2026, 12, 1)) == first
    assert len(renders) == 4
    assert _cite_a_page(date(2026, 12, 1)) == first
    assert len(renders) == 4  # the damaged entries were replaced
    for entry in entries:
        entry.unlink()
        entry.mkdir()  # an entry that is a folder can be neither read nor replaced
    assert _cite_a_page(date(2026, 12, 1)) == first
    assert len(renders) == 6
    assert sorted(entries[0].parent.iterdir()) == entries  # nothing half written is left
