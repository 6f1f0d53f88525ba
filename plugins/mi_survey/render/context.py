"""What every component needs to render: the knowledge base, templates, and links for one page."""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment
from markdown.extensions.toc import slugify
from markupsafe import Markup

from ..load import KnowledgeBase, PageRef
from ..model import COLLECTIONS, Record
from ..model.common import CITATION_FORMS, CITATION_PATTERN, citation_parts
from ..model.positions import Position
from . import search_view, tokens
from .environment import make_environment
from .safe_markdown import SafeMarkdown
from .scholarly import STYLES, CitedWork, SurveyCitations

# Turns a path of the site's pages ("cruxes/deception.md#positions") into a URL relative to the
# page being rendered, so links keep working when the site is served under a sub-path.
Linker = Callable[[str], str]
T = TypeVar("T")

log = logging.getLogger("mi_survey.render")


class ComponentError(Exception):
    """A component request the knowledge base cannot satisfy; ``needle`` locates it in the page."""

    def __init__(self, message: str, needle: str | None = None, code: str = "component-option") -> None:
        super().__init__(message)
        self.message = message
        self.needle = needle
        self.code = code


# Where each collection's records are shown; records of the other collections appear on the
# data view of their collection.
_RECORD_PAGES: dict[str, Callable[[str], str]] = {
    "references": lambda i: f"bibliography.md#ref-{i}",
    "cruxes": lambda i: f"cruxes/{i}.md",
    "people": lambda i: f"people.md#{i}",
    "organisations": lambda i: f"organisations.md#{i}",
    "glossary": lambda i: f"glossary.md#{i}",
}


def record_page(collection: str, record_id: str) -> str:
    page = _RECORD_PAGES.get(collection)
    return page(record_id) if page else f"data/{collection}.md#{record_id}"


@dataclass(frozen=True, slots=True)
class Citing:
    """A page or record citing a reference. (Templates read attributes faster than dict items.)"""

    title: str
    url: str
    kind: str  # "page", or the collection of the record


class _BuildShared:
    """What every page's context shares with the build's: the templates, and the work done once
    per build (record text converted, citation parts and frames, derived orders and indexes)."""

    def __init__(self, templates_dir: Path, helpers: Callable[[], dict]) -> None:
        self.env: Environment = make_environment(templates_dir)
        # Record text converted once per build, its citations left as tokens.
        self.compiled: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.recorder = _CitationRecorder()
        # Each reference's part of a citation, rendered once per build with its links as tokens.
        self.citation_parts: dict[str, tuple[Markup, Markup]] = {}
        # By number of references and whether the card's entries are marked for the search view.
        self.citation_frames: dict[tuple[int, bool], str | None] = {}
        # Set by ``mark_card_entries``: the tags the templates exclude from search, and whether
        # each reference's card entry may be left out of what the indexer reads.
        self.excluded_tags: frozenset[str] | None = None
        self.skippable: dict[tuple[str, bool], bool] = {}  # by reference and whether located
        # Any: a template module's macros are attributes only Jinja knows of.
        self.citation_macros: Any = self.env.get_template("macros.html").make_module(helpers())
        self.derived: dict[tuple, object] = {}


class RenderContext:
    """Built once per build; ``for_page`` gives the per-page view with its own links.

    Its templates write links as tokens holding the site path, so that HTML rendered once (the
    parts of citations) can serve every page: ``resolve`` turns the tokens into a page's URLs, and
    ``render`` into what this context's linker gives (site paths, for the exports)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        templates_dir: Path,
        linker: Linker = lambda path: path,
        page_citations: Mapping[str, list[PageRef]] | None = None,
        shared: _BuildShared | None = None,
        citations: SurveyCitations | None = None,
        page_url: str = "",
    ) -> None:
        self.kb = kb
        self.templates_dir = templates_dir
        self.linker = linker
        # Reference id -> every written page citing it; the adapter fills this from the page
        # sources (``scan_pages``) before any page renders.
        self.page_citations: Mapping[str, list[PageRef]] = page_citations or {}
        self._ids = itertools.count(1)  # this page's numbers for cards and other ids
        self._text: SafeMarkdown | None = None
        self.shared = shared or _BuildShared(templates_dir, self._helpers)
        self.env = self.shared.env
        # The survey's own citations (None without a CITATION.cff, as in a bare component test),
        # and the page being rendered, whose claims cite it.
        self.citations = citations
        self.page_url = page_url

    def mark_card_entries(self) -> None:
        """From now on, citations mark their cards' entries for the search view (search_view.py):
        for an engine whose search indexer is handed the view."""
        self.shared.excluded_tags = search_view.excluded_tags(self.templates_dir)

    def for_page(self, linker: Linker, page_url: str = "") -> PageContext:
        return PageContext(
            self.kb, self.templates_dir, linker, self.page_citations, self.shared, self.citations, page_url
        )

    @property
    def text(self) -> SafeMarkdown:
        """This page's converter for record text. It holds the page's citation callback, so each
        page has its own; made on first use, as most text comes converted from the cache."""
        if self._text is None:
            self._text = SafeMarkdown(self.cite)
        return self._text

    def derived(self, key: tuple, compute: Callable[[], T]) -> T:
        """What ``compute`` derives from the knowledge base, computed once per build for ``key``:
        components ask for the same slice or order of a collection on page after page."""
        if key not in self.shared.derived:
            self.shared.derived[key] = compute()
        return self.shared.derived[key]  # type: ignore[return-value]  # one cache holds every key's own type

    # -- links -------------------------------------------------------------------------------
    def url(self, page_path: str) -> str:
        return tokens.link(page_path)

    def record_url(self, collection: str, record_id: str) -> str:
        return self.url(record_page(collection, record_id))

    def next_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def resolve(self, html: str) -> str:
        """``html`` with its link tokens made URLs: a page's own, or what the build's linker gives."""
        return tokens.LINK.sub(self._resolve_link, html) if tokens.LINK_START in html else html

    def _resolve_link(self, match: re.Match) -> str:
        return self.linker(match.group(1))

    # -- rendering ---------------------------------------------------------------------------
    def render(self, template: str, **values) -> str:
        return self.resolve(self._render(template, **values))

    def _render(self, template: str, **values) -> str:
        """The template's HTML, without ``resolve``: the build's context leaves its links tokens."""
        return self.env.get_template(template).render({**self._helpers(), **values})

    def _helpers(self) -> dict:
        # Page-bound helpers go in with the values: the environment is shared by every page.
        return {
            "kb": self.kb,
            "url": self.url,
            "record_url": self.record_url,
            "next_id": self.next_id,
            "md": lambda text: Markup(self.markdown(text)),
            "md_inline": lambda text: Markup(self.markdown(text, inline=True)),
            "plain": self.plain,
            "title_of": title_of,
            "cited_by": self.cited_by,
            "cite_claim": self.cite_claim,
            "anchors": anchors,
        }

    def cite_claim(self, title: str, anchor: str, claim_id: str) -> Markup:
        """How to cite one claim shown on this page (a position, a crux answer): its own
        citation, pointing at its anchor in this edition."""
        if self.citations is None:
            return Markup("")
        url = self.citations.edition.pinned(self.page_url) + "#" + anchor
        work = CitedWork(title, url, part_of_survey=True)
        return Markup(
            self._render(
                "cite_claim.html",
                claim_id=claim_id,
                url=url,
                formatted=self.citations.formatted(work),
                styles=STYLES,
                edition=self.citations.edition,
            )
        )

    def markdown(self, text: str, inline: bool = False) -> str:
        """Record text as HTML: what ``self.text.block``/``inline`` give, without converting the
        same text again for every page.

        A text is converted once per build, each citation in it left as a token; on each page
        the tokens become that page's citations, rendered in the same order as the converter
        would. A bare citation (the templates' ``citations`` macro) and plain words need no
        converter at all.
        """
        if type(text) is not str or tokens.CITATION_MARK in text:
            log.debug("record text converted for this page alone (not text, or it holds a token character)")
            return self.text.inline(text) if inline else self.text.block(text)
        html, citations = self._compile(text)
        for index, inner in enumerate(citations):
            html = html.replace(tokens.citation(index), self.cite(inner), 1)
        return _unwrap_paragraph(html) if inline else html

    def plain(self, text: str) -> str:
        """Record text as the words a reader sees, without its markup, each citation as its
        labels in brackets: for a preview cut to a length, where half a tag would break the page."""
        if tokens.CITATION_MARK in text:
            html, citations = self.shared.recorder.compile(text)
        else:
            html, citations = self._compile(text)
        for index, inner in enumerate(citations):
            # Only the labels: a whole citation part would hold the cited reference's summary,
            # which may cite this one back.
            labels = "; ".join(
                self.shared.citation_macros.cite_label(self._reference(key)) + (f", {locator}" if locator else "")
                for key, locator in citation_parts(inner) or ()
            )
            html = html.replace(tokens.citation(index), f"({labels})", 1)
        return Markup(html).striptags()

    def _compile(self, text: str) -> tuple[str, tuple[str, ...]]:
        """The text's HTML with a token for each citation, and the citations; once per build."""
        compiled = self.shared.compiled.get(text)
        if compiled is None:
            whole = _WHOLE_CITATION.fullmatch(text) if "[@" in text else None
            if whole is not None:
                # Python-Markdown gives exactly this for a paragraph of one citation (an inline stash).
                compiled = (f"<p>{tokens.citation(0)}</p>", (whole.group(1),))
            elif "[@" not in text and _PLAIN.fullmatch(text):
                # Words and punctuation Markdown gives no meaning to: a paragraph, nothing escaped.
                compiled = (f"<p>{text}</p>", ())
            else:
                compiled = self.shared.recorder.compile(text)
            self.shared.compiled[text] = compiled
        return compiled

    def cited_by(self, reference_id: str) -> list[Citing]:
        """Pages and records citing a reference, for the bibliography's backlinks."""
        items = [
            Citing(page.title, self.url(page.src_uri), "page") for page in self.page_citations.get(reference_id, [])
        ]
        for collection, record_id in self.kb.links_to("references", reference_id):
            record = self.kb.get(collection, record_id)
            assert record is not None, (collection, record_id)  # backlinks come from records that exist
            items.append(
                Citing(
                    title_of(collection, record),
                    self.record_url(collection, record_id),
                    COLLECTIONS[collection].title.lower(),
                )
            )
        return items

    def cite(self, inner: str) -> str:
        cited = citation_parts(inner)
        if cited is None:
            raise ComponentError(
                f"malformed citation '[{inner}]'; expected {CITATION_FORMS}", f"[{inner}]", "citation-malformed"
            )
        parts = [_located(self._citation_part(key), locator) for key, locator in cited]
        frame = self._citation_frame(len(parts), all(self._skippable(key, locator) for key, locator in cited))
        if frame is None:
            html = self._render(
                "cite.html", labels=[label for label, _ in parts], entries=[entry for _, entry in parts]
            ).strip()
        else:
            html = frame.replace(tokens.CARD_ID, str(next(self._ids)))
            for index, (label, entry) in enumerate(parts):
                html = html.replace(tokens.slot("label", index), label, 1).replace(
                    tokens.slot("entry", index), entry, 1
                )
        return self.resolve(html)

    def _citation_frame(self, count: int, marked: bool) -> str | None:
        """cite.html rendered once for citations of ``count`` references, with a slot for each
        label and entry and for the card's number; None if the template does more with them than
        place them (then each citation renders it). ``marked``: with the entries between the
        search view's tokens, where the frame allows it."""
        frames = self.shared.citation_frames
        if (count, False) not in frames:
            frames[count, False] = self._render_frame(count)
        if (count, marked) not in frames:
            frame = frames[count, False]
            if marked and frame is not None:
                entries = [tokens.slot("entry", i) for i in range(count)]
                excluded = self.shared.excluded_tags or frozenset()
                if (marked_frame := search_view.mark_frame(frame, entries, excluded)) is None:
                    log.debug("cite.html does not put the entries alone in an excluded element: the indexer reads them")
                frame = marked_frame or frame
            frames[count, marked] = frame
        return frames[count, marked]

    def _render_frame(self, count: int) -> str | None:
        calls = []

        def card_id(prefix: str) -> str:
            calls.append(prefix)
            return f"{prefix}-{tokens.CARD_ID}"

        html = self._render(
            "cite.html",
            labels=[Markup(tokens.slot("label", i)) for i in range(count)],
            entries=[Markup(tokens.slot("entry", i)) for i in range(count)],
            next_id=card_id,
        )
        # Inline HTML: a trailing newline would put a space before the next punctuation mark.
        html = html.strip()
        slots = [tokens.slot(kind, i) for kind in ("label", "entry") for i in range(count)]
        placed = len(calls) <= 1 and all(html.count(slot) == 1 for slot in slots)
        placed = placed and html.count(tokens.SLOT_MARK) == 2 * len(slots) + 2 * html.count(tokens.CARD_ID)
        if not placed:
            log.debug(
                "cite.html does more than place each label and entry once (or asks next_id twice): "
                "citations of %d reference(s) render the template each time, which is slower",
                count,
            )
        return html if placed else None

    def _skippable(self, key: str, locator: str) -> bool:
        """Whether the card entry of reference ``key`` (with a locator, if ``locator``) may be left
        out of the search view: judged once per reference and build, on the entry as ``_located``
        writes it (a locator is escaped text, so any one stands for all)."""
        if (excluded := self.shared.excluded_tags) is None:
            return False
        judged = (key, bool(locator))
        if (skippable := self.shared.skippable.get(judged)) is None:
            entry = _located(self._citation_part(key), "1" if locator else "")[1]
            skippable = self.shared.skippable[judged] = search_view.entry_removable(entry, excluded)
        return skippable

    def _citation_part(self, key: str) -> tuple[Markup, Markup]:
        """A reference's label and card entry, rendered once per build (links as tokens)."""
        part = self.shared.citation_parts.get(key)
        if part is None:
            reference = self._reference(key)
            macros = self.shared.citation_macros
            part = self.shared.citation_parts[key] = (macros.cite_label(reference), macros.cite_entry(reference))
        return part

    def _reference(self, key: str) -> Record:
        reference = self.kb.get("references", key)
        if reference is None:
            raise ComponentError(f"citation of unknown reference '{key}'", f"@{key}", "citation-unknown")
        return reference


def _located(part: tuple[Markup, Markup], locator: str) -> tuple[Markup, Markup]:
    """A reference's label and card entry, with the place in the work a citation points at:
    after the label ("Olah 2020, p. 3") and at the end of the card."""
    if not locator:
        return part
    label, entry = part
    return label + Markup(", ") + locator, entry + Markup('<span class="mi-card__locator">') + locator + Markup(
        "</span>"
    )


class PageContext(RenderContext):
    """One page's view of the build's context: its templates write the page's relative URLs."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._links: dict[str, str] = {}  # the page's URL of each site path it links to

    def url(self, page_path: str) -> str:
        url = self._links.get(page_path)
        if url is None:
            url = self._links[page_path] = self.linker(page_path)
        return url

    def _resolve_link(self, match: re.Match) -> str:
        return self.url(match.group(1))

    def render(self, template: str, **values) -> str:
        return self._render(template, **values)


_WHOLE_CITATION = re.compile(CITATION_PATTERN)


class _CitationRecorder:
    """A converter whose citations become tokens, and the citations it met, in order."""

    def __init__(self) -> None:
        self.citations: list[str] = []
        self.converter = SafeMarkdown(self._record)

    def _record(self, inner: str) -> str:
        self.citations.append(inner)
        return tokens.citation(len(self.citations) - 1)

    def compile(self, text: str) -> tuple[str, tuple[str, ...]]:
        self.citations = []
        return self.converter.block(text), tuple(self.citations)


# One line that starts with a letter and holds only letters, digits, spaces and punctuation that
# Python-Markdown leaves alone: no block syntax (#, >, list markers, |, indentation), no inline
# syntax (* _ ` [ ] < > & \ !), nothing the serializer escapes.
_PLAIN = re.compile(r"[^\W\d_](?:[^\W_]|[ ,.;:'\"?%()/\-\u2013\u2014\u2019])*")


def _unwrap_paragraph(html: str) -> str:
    """SafeMarkdown.inline's rule: a single paragraph loses its <p>."""
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def anchors(texts: list[str], prefix: str) -> list[str]:
    """A stable anchor for each of ``texts`` (the slug of its words, as headings get), unique
    among them: "answer-yes-through-steganography-and-obfuscation"."""
    seen: set[str] = set()
    out = []
    for text in texts:
        base = f"{prefix}-{slugify(text, '-')[:60].strip('-')}"
        anchor, n = base, 1
        while anchor in seen:
            n += 1
            anchor = f"{base}-{n}"
        seen.add(anchor)
        out.append(anchor)
    return out


def title_of(collection: str, record: Record) -> str:
    """The words a link to the record shows."""
    for attribute in ("question", "title", "name", "term", "risk", "achievement", "model"):
        value = getattr(record, attribute, None)
        if isinstance(value, str):
            return value
    if isinstance(record, Position):
        return f"Position on {record.topic}: {record.holder}"
    return record.id
