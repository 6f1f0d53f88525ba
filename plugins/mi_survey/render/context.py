"""What every component needs to render: the knowledge base, templates, and links for one page."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment
from markupsafe import Markup

from ..load import KnowledgeBase, PageRef
from ..model import COLLECTIONS, Record
from ..model.common import CITATION_PATTERN, citation_keys
from ..model.positions import Position
from .environment import make_environment
from .safe_markdown import SafeMarkdown

# Turns a path of the site's pages ("cruxes/deception.md#positions") into a URL relative to the
# page being rendered, so links keep working when the site is served under a sub-path.
Linker = Callable[[str], str]
T = TypeVar("T")


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


@dataclass
class RenderContext:
    """Built once per build; ``for_page`` gives the per-page view with its own links.

    Its templates write links as tokens holding the site path, so that HTML rendered once (the
    parts of citations) can serve every page: ``resolve`` turns the tokens into a page's URLs, and
    ``render`` into what this context's linker gives (site paths, for the exports)."""

    kb: KnowledgeBase
    templates_dir: Path
    linker: Linker = lambda path: path
    # Reference id -> every written page citing it; the adapter fills this from the page sources
    # (``scan_pages``) before any page renders.
    page_citations: Mapping[str, list[PageRef]] = field(default_factory=dict)
    env: Environment = field(init=False)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.env = make_environment(self.templates_dir)
        self._text: SafeMarkdown | None = None
        # Record text converted once per build, its citations left as tokens; shared by the page
        # views, which copy this context's attributes.
        self._compiled: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._recorder = _CitationRecorder()
        # Each reference's part of a citation, rendered once per build with its links as tokens.
        self._citation_parts: dict[str, tuple[Markup, Markup]] = {}
        self._citation_frames: dict[int, str | None] = {}
        # Any: a template module's macros are attributes only Jinja knows of.
        self._citation_macros: Any = self.env.get_template("macros.html").make_module(self._helpers())
        self._derived: dict[tuple, object] = {}

    def for_page(self, linker: Linker) -> PageContext:
        page = object.__new__(PageContext)
        page.__dict__.update(self.__dict__)
        page.linker = linker
        page._links = {}
        page._ids = itertools.count(1)
        page._text = None
        return page

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
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]  # type: ignore[return-value]

    # -- links -------------------------------------------------------------------------------
    def url(self, page_path: str) -> str:
        return f"\x02{page_path}\x03"

    def record_url(self, collection: str, record_id: str) -> str:
        return self.url(record_page(collection, record_id))

    def next_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def resolve(self, html: str) -> str:
        """``html`` with its link tokens made URLs: a page's own, or what the build's linker gives."""
        return _LINK_TOKEN.sub(self._resolve_link, html) if "\x02" in html else html

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
        }

    def markdown(self, text: str, inline: bool = False) -> str:
        """Record text as HTML: what ``self.text.block``/``inline`` give, without converting the
        same text again for every page.

        A text is converted once per build, each citation in it left as a token; on each page
        the tokens become that page's citations, rendered in the same order as the converter
        would. A bare citation (the templates' ``citations`` macro) and plain words need no
        converter at all.
        """
        if type(text) is not str or "\x00" in text:
            return self.text.inline(text) if inline else self.text.block(text)
        html, citations = self._compile(text)
        for index, inner in enumerate(citations):
            html = html.replace(_token(index), self.cite(inner), 1)
        return _unwrap_paragraph(html) if inline else html

    def plain(self, text: str) -> str:
        """Record text as the words a reader sees, without its markup, each citation as its
        labels in brackets: for a preview cut to a length, where half a tag would break the page."""
        if "\x00" in text:
            html, citations = self._recorder.compile(text)
        else:
            html, citations = self._compile(text)
        for index, inner in enumerate(citations):
            # Only the labels: a whole citation part would hold the cited reference's summary,
            # which may cite this one back.
            labels = "; ".join(
                self._citation_macros.cite_label(self._reference(key)) for key in citation_keys(inner) or ()
            )
            html = html.replace(_token(index), f"({labels})", 1)
        return Markup(html).striptags()

    def _compile(self, text: str) -> tuple[str, tuple[str, ...]]:
        """The text's HTML with a token for each citation, and the citations; once per build."""
        compiled = self._compiled.get(text)
        if compiled is None:
            whole = _WHOLE_CITATION.fullmatch(text) if "[@" in text else None
            if whole is not None:
                # Python-Markdown gives exactly this for a paragraph of one citation (an inline stash).
                compiled = (f"<p>{_token(0)}</p>", (whole.group(1),))
            elif "[@" not in text and _PLAIN.fullmatch(text):
                # Words and punctuation Markdown gives no meaning to: a paragraph, nothing escaped.
                compiled = (f"<p>{text}</p>", ())
            else:
                compiled = self._recorder.compile(text)
            self._compiled[text] = compiled
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
        keys = citation_keys(inner)
        if keys is None:
            raise ComponentError(
                f"malformed citation '[{inner}]'; expected [@id] or [@id; @id]", f"[{inner}]", "citation-malformed"
            )
        parts = [self._citation_part(key) for key in keys]
        frame = self._citation_frame(len(parts))
        if frame is None:
            html = self._render(
                "cite.html", labels=[label for label, _ in parts], entries=[entry for _, entry in parts]
            ).strip()
        else:
            html = frame.replace(_CARD_ID, str(next(self._ids)))
            for index, (label, entry) in enumerate(parts):
                html = html.replace(_slot("label", index), label, 1).replace(_slot("entry", index), entry, 1)
        return self.resolve(html)

    def _citation_frame(self, count: int) -> str | None:
        """cite.html rendered once for citations of ``count`` references, with a slot for each
        label and entry and for the card's number; None if the template does more with them than
        place them (then each citation renders it)."""
        if count not in self._citation_frames:
            calls = []

            def card_id(prefix: str) -> str:
                calls.append(prefix)
                return f"{prefix}-{_CARD_ID}"

            html = self._render(
                "cite.html",
                labels=[Markup(_slot("label", i)) for i in range(count)],
                entries=[Markup(_slot("entry", i)) for i in range(count)],
                next_id=card_id,
            )
            # Inline HTML: a trailing newline would put a space before the next punctuation mark.
            html = html.strip()
            slots = [_slot(kind, i) for kind in ("label", "entry") for i in range(count)]
            placed = len(calls) <= 1 and all(html.count(slot) == 1 for slot in slots)
            placed = placed and html.count("\x05") == 2 * len(slots) + 2 * html.count(_CARD_ID)
            self._citation_frames[count] = html if placed else None
        return self._citation_frames[count]

    def _citation_part(self, key: str) -> tuple[Markup, Markup]:
        """A reference's label and card entry, rendered once per build (links as tokens)."""
        part = self._citation_parts.get(key)
        if part is None:
            reference = self._reference(key)
            macros = self._citation_macros
            part = self._citation_parts[key] = (macros.cite_label(reference), macros.cite_entry(reference))
        return part

    def _reference(self, key: str) -> Record:
        reference = self.kb.get("references", key)
        if reference is None:
            raise ComponentError(f"citation of unknown reference '{key}'", f"@{key}", "citation-unknown")
        return reference


class PageContext(RenderContext):
    """One page's view of the build's context: its templates write the page's relative URLs."""

    _links: dict[str, str]  # the page's URL of each site path it links to

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
_CARD_ID = "\x05#\x05"  # where a citation's card number goes in its frame


def _slot(kind: str, index: int) -> str:
    return f"\x05{kind}{index}\x05"


# Link tokens are made of control characters templates never write. Resolving runs on
# escaped HTML and only ever swaps a site path for a URL, so text that forges a token gains nothing.
_LINK_TOKEN = re.compile(r"\x02([^\x00-\x1f\"<>]*)\x03")


def _token(index: int) -> str:
    """Stands for a text's index-th citation until the page's own is rendered. Text holding a NUL
    is never cached (YAML refuses the character anyway)."""
    return f"\x00{index}\x00"


class _CitationRecorder:
    """A converter whose citations become tokens, and the citations it met, in order."""

    def __init__(self) -> None:
        self.citations: list[str] = []
        self.converter = SafeMarkdown(self._record)

    def _record(self, inner: str) -> str:
        self.citations.append(inner)
        return _token(len(self.citations) - 1)

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


def title_of(collection: str, record: Record) -> str:
    """The words a link to the record shows."""
    for attribute in ("question", "title", "name", "term", "risk", "achievement", "model"):
        value = getattr(record, attribute, None)
        if isinstance(value, str):
            return value
    if isinstance(record, Position):
        return f"Position on {record.topic}: {record.holder}"
    return record.id
