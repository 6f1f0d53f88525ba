"""The pages generated from the data, as Markdown sources that call components.

Generating Markdown (rather than HTML) lets these pages go through the same Markdown pipeline,
search index and theme as written pages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..load import KnowledgeBase
from ..model import COLLECTIONS
from .changes import PAGE as CHANGES_PAGE
from .changes import ChangeLog, changes_markdown, page_note

# Collections whose records are shown on a page of their own; the others get a data view.
_OWN_PAGES = {"references", "cruxes", "people", "organisations", "glossary"}


@dataclass(frozen=True)
class GeneratedPage:
    path: str  # below docs_dir
    title: str  # plain text
    markdown: str
    # The file a contributor edits to change the page (relative to the project root).
    edit_source: str
    record: str | None = None  # the id of the record the page shows, for a page of one record


def _page(
    path: str, title: str, intro: str, component: str, edit_source: str, options: str = "", after: str = ""
) -> GeneratedPage:
    body = f"{options}\n" if options else ""
    markdown = f"# {_heading(title)}\n\n{intro}\n\n/// {component}\n{body}///\n{after}"
    return GeneratedPage(path, title, markdown, edit_source)


# The collection each generated page shows, for its note of what changed in this edition.
_SHOWS = {
    "cruxes/index.md": "cruxes",
    "bibliography.md": "references",
    "glossary.md": "glossary",
    "people.md": "people",
    "organisations.md": "organisations",
}


def generated_pages(kb: KnowledgeBase, data_dir: str, changes: ChangeLog | None = None) -> list[GeneratedPage]:
    """Every generated page; with ``changes``, the Changes page too, and on each page a note of
    what changed in this edition to the records it shows."""
    pages = _pages(kb, data_dir)
    if changes is None:
        return pages
    noted = []
    for page in pages:
        # A page of one record is a crux's page; the others show a whole collection.
        collection = "cruxes" if page.record else _SHOWS.get(page.path) or _data_view(page.path)
        note = page_note(changes, page.path, collection, page.record) if collection else ""
        if note:
            heading, _, rest = page.markdown.partition("\n\n")
            page = replace(page, markdown=f"{heading}\n\n{note}\n{rest}")
        noted.append(page)
    noted.append(GeneratedPage(CHANGES_PAGE, "Changes", changes_markdown(changes), data_dir))
    return noted


def _data_view(path: str) -> str | None:
    name = path[len("data/") : -len(".md")] if path.startswith("data/") else ""
    return name if name in COLLECTIONS else None


def _pages(kb: KnowledgeBase, data_dir: str) -> list[GeneratedPage]:
    pages = [
        _page(
            "cruxes/index.md",
            "Key cruxes",
            "The questions on which the debate turns. Each has its own page with the competing "
            "answers, how confident their holders are, and what would change minds.",
            "crux-index",
            f"{data_dir}/cruxes",
            after="\n/// diagram\nkind: crux-map\n///\n",
        ),
        _page(
            "bibliography.md",
            "Bibliography",
            "Every source the survey cites, with full bibliographic data and the pages and records "
            "that cite it. Credibility stars (1 to 5) say whose rating they are: a source's rating of "
            "the work, or the editors' rating of its venue.",
            "bibliography",
            f"{data_dir}/references",
        ),
        _page(
            "glossary.md",
            "Glossary",
            "Terms used across the survey. Where a term appears in the text, hovering or focusing "
            "it shows the short definition.",
            "glossary",
            f"{data_dir}/glossary.yaml",
        ),
        _page(
            "people.md",
            "People",
            "Researchers whose positions or work the survey discusses, with everything the data records about each.",
            "people",
            f"{data_dir}/people",
        ),
        _page(
            "organisations.md",
            "Organisations",
            "Labs, teams and communities in the debate, with their results, milestones and positions.",
            "organisations",
            f"{data_dir}/organisations",
        ),
    ]
    for crux in kb.all("cruxes"):
        pages.append(
            GeneratedPage(
                f"cruxes/{crux.id}.md",
                crux.question,
                f"# {_heading(crux.question)}\n\n/// crux\nid: {crux.id}\n///\n",
                kb.source("cruxes", crux.id).path,
                crux.id,
            )
        )
    views = [c for c in COLLECTIONS.values() if c.name not in _OWN_PAGES]
    listing = "\n".join(f"- [{c.title}]({c.name}.md): {len(kb.all(c.name))} records" for c in views)
    pages.append(
        GeneratedPage(
            "data/index.md",
            "Data",
            (
                "# Data\n\nEvery record behind the survey, one page per collection. The whole knowledge "
                "base is also published as [JSON](survey.json) with its [JSON Schema](survey.schema.json), "
                f"and the references as [BibTeX](../bibliography.bib).\n\n{listing}\n"
            ),
            data_dir,
        )
    )
    for c in views:
        pages.append(
            _page(
                f"data/{c.name}.md",
                c.title,
                f"All {c.title.lower()} records, as written in `{data_dir}/{c.path}`.",
                "data-view",
                f"{data_dir}/{c.path}",
                options=f"collection: {c.name}",
            )
        )
    return pages


def _heading(text: str) -> str:
    """A record's text as a Markdown heading: one line, Markdown syntax shown literally."""
    text = " ".join(text.split())
    # Python-Markdown has no backslash escape for "<", so markup characters become entities.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_{}[]()#+!|":
        text = text.replace(ch, "\\" + ch)
    return text


def expand_nav(nav: list, generated: list[str]) -> list:
    """The navigation with a child under the crux index and the data index for each generated
    page below it (``nav`` as written in mkdocs.yml: titles mapped to paths or lists)."""
    children = {
        index: [p for p in generated if p.startswith(index[: -len("index.md")]) and p != index]
        for index in ("cruxes/index.md", "data/index.md")
    }

    def walk(items: list) -> list:
        out: list = []
        for item in items:
            if isinstance(item, dict):
                ((title, value),) = item.items()
                if isinstance(value, str) and value in children:
                    out.append({title: [value, *children[value]]})
                elif isinstance(value, list):
                    out.append({title: walk(value)})
                else:
                    out.append(item)
            elif isinstance(item, str) and item in children:
                out.extend([item, *children[item]])
            else:
                out.append(item)
        return out

    return walk(nav)


def abbreviations(kb: KnowledgeBase) -> dict[str, str]:
    """Glossary terms (and their abbreviations) with their short definitions, for Python-Markdown's
    ``abbr``: each use of a term in a page gets its definition as a tooltip."""
    glossary: dict[str, str] = {}
    for term in kb.all("glossary"):
        for word in filter(None, (term.abbreviation, term.term, term.term[:1].upper() + term.term[1:])):
            glossary[word] = term.short
    return glossary


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL of a page below the site's root, as MkDocs makes it from the page's source path."""
    path = src_uri[:-3]
    if directory_urls:
        return "" if path == "index" else (path[:-5] if path.endswith("/index") else path + "/")
    return path + ".html"


def file_order(src_uri: str) -> tuple:
    """The key that sorts the files of docs_dir as MkDocs lists them (index first, folders after files)."""
    parts = tuple(src_uri.split("/"))
    return parts[:-1], parts[-1] != "index.md", parts[-1]
