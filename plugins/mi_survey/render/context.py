"""What every component needs to render: the knowledge base, templates, and links for one page."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from ..load import KnowledgeBase
from ..model import COLLECTIONS, Record
from ..model.common import citation_keys
from .environment import make_environment
from .safe_markdown import SafeMarkdown

# Turns a path of the site's pages ("cruxes/deception.md#positions") into a URL relative to the
# page being rendered, so links keep working when the site is served under a sub-path.
Linker = Callable[[str], str]


class ComponentError(Exception):
    """A component request the knowledge base cannot satisfy; ``needle`` locates it in the page."""

    def __init__(self, message: str, needle: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.needle = needle


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


@dataclass
class RenderContext:
    """Built once per build; ``for_page`` gives the per-page view with its own links."""

    kb: KnowledgeBase
    templates_dir: Path
    linker: Linker = lambda path: path
    # Reference id -> (page title, page path) of every written page citing it; the adapter fills
    # this from the page sources before any page renders.
    page_citations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    env: Environment = field(init=False)
    text: SafeMarkdown = field(init=False)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.env = make_environment(self.templates_dir)
        self.text = SafeMarkdown(self.cite)

    def for_page(self, linker: Linker) -> "RenderContext":
        page = object.__new__(RenderContext)
        page.__dict__.update(self.__dict__)
        page.linker = linker
        page._ids = itertools.count(1)
        # The Markdown converter holds the citation callback, so each page gets its own.
        page.text = SafeMarkdown(page.cite)
        return page

    # -- links -------------------------------------------------------------------------------
    def url(self, page_path: str) -> str:
        return self.linker(page_path)

    def record_url(self, collection: str, record_id: str) -> str:
        return self.linker(record_page(collection, record_id))

    def next_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    # -- rendering ---------------------------------------------------------------------------
    def render(self, template: str, **values) -> str:
        # Page-bound helpers go in with the values: the environment is shared by every page.
        helpers = {
            "kb": self.kb, "url": self.url, "record_url": self.record_url, "next_id": self.next_id,
            "md": lambda text: Markup(self.text.block(text)),
            "md_inline": lambda text: Markup(self.text.inline(text)),
            "title_of": title_of, "cited_by": self.cited_by,
        }
        return self.env.get_template(template).render(**helpers, **values)

    def cited_by(self, reference_id: str) -> list[dict[str, str]]:
        """Pages and records citing a reference, for the bibliography's backlinks."""
        items = [{"title": title, "url": self.url(path), "kind": "page"}
                 for title, path in self.page_citations.get(reference_id, [])]
        for collection, record_id in self.kb.links_to("references", reference_id):
            record = self.kb.get(collection, record_id)
            items.append({"title": title_of(collection, record), "url": self.record_url(collection, record_id),
                          "kind": COLLECTIONS[collection].title.lower()})
        return items

    def cite(self, inner: str) -> str:
        keys = citation_keys(inner)
        if keys is None:
            raise ComponentError(f"malformed citation '[{inner}]'; expected [@id] or [@id; @id]", f"[{inner}]")
        missing = [k for k in keys if not self.kb.has("references", k)]
        if missing:
            raise ComponentError(f"citation of unknown reference '{missing[0]}'", f"@{missing[0]}")
        refs = [self.kb.get("references", k) for k in keys]
        # Inline HTML: a trailing newline would put a space before the next punctuation mark.
        return self.render("cite.html", refs=refs).strip()



def title_of(collection: str, record: Record) -> str:
    """The words a link to the record shows."""
    for attribute in ("question", "title", "name", "term", "risk", "achievement", "model"):
        value = getattr(record, attribute, None)
        if isinstance(value, str):
            return value
    if collection == "positions":
        return f"Position on {record.topic}: {record.holder}"
    return record.id
