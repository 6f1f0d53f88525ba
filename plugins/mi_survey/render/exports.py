"""Files published beside the pages so others can reuse the data."""

from __future__ import annotations

import html
import json
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote, urlsplit

import bibtexparser
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Block, Entry, Field

from ..load import KnowledgeBase
from ..model import COLLECTIONS
from ..model.common import citation_keys
from ..model.fields import editorial_fields
from ..model.references import Reference
from .context import RenderContext
from .environment import ET_AL, authors_full, authors_short
from .text_forms import latex_text, one_line, verbatim


def knowledge_base_json(kb: KnowledgeBase) -> str:
    """What ``json.dumps(..., ensure_ascii=False, indent=1)`` writes for every record by collection.

    Each record is dumped on its own and its dict let go: dumping all at once would hold a
    second copy of the knowledge base as dicts. Only structure puts a newline in JSON text (one
    inside a string is written ``\\n``), so a record's lines are indented to its depth."""
    collections = []
    for name in COLLECTIONS:
        records = [
            "   "
            + json.dumps(record.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=1).replace(
                "\n", "\n   "
            )
            for record in kb.all(name)
        ]
        collections.append(f"  {json.dumps(name)}: " + ("[\n" + ",\n".join(records) + "\n  ]" if records else "[]"))
    editorial = json.dumps(editorial_fields_by_collection(), ensure_ascii=False, indent=1).replace("\n", "\n ")
    return (
        '{\n "$schema": "survey.schema.json",\n "editorial": '
        + editorial
        + ',\n "collections": {\n'
        + ",\n".join(collections)
        + "\n }\n}"
    )


def editorial_fields_by_collection() -> dict[str, dict[str, str]]:
    """Collection -> each field holding the editors' judgement (not a source's), and what it is."""
    return {name: fields for name, c in COLLECTIONS.items() if (fields := editorial_fields(c.model))}


def knowledge_base_schema() -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Survey knowledge base",
        "type": "object",
        "properties": {
            "collections": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    name: {"type": "array", "items": c.model.model_json_schema()} for name, c in COLLECTIONS.items()
                },
            }
        },
    }
    return json.dumps(schema, indent=1)


# -- bibliography.bib ------------------------------------------------------------------------------

_ENTRY_TYPES = {"paper": "article", "article": "article", "book": "book", "report": "techreport"}
_VENUE_FIELDS = {"conference": "booktitle", "workshop": "booktitle", "journal": "journal"}

_AND = re.compile(r" and ", re.IGNORECASE)  # on one_line text: BibTeX splits at "and" between white space


def kept_whole(name: str, organisations: set[str]) -> bool:
    """Whether an author must be written in braces, so that BibTeX keeps it as one author.

    BibTeX reads an author as a person's name ("First von Last" or "Last, First") and splits the
    list at every word "and". Our records write people as printed ("Chris Olah") and have no mark
    for an organisation's name, so the rule is: an author is kept whole when it is the name of one
    of our organisation records (labs, teams, universities publish under their own name, like
    "Anthropic interpretability team"), compared without regard to case or spacing, or when BibTeX
    could not read it as one person: it holds the word "and" between spaces (BibTeX would split
    it), a comma (BibTeX would swap its parts) or is just "others" (BibTeX would read "et al.").
    A person's name stays unbraced, for styles to abbreviate and sort by family name.
    """
    plain = one_line(name)
    return (
        plain.casefold() in organisations
        or _AND.search(plain) is not None
        or "," in plain
        or plain.casefold() == "others"
    )


def _authors(authors: Iterable[str], organisations: set[str]) -> str:
    names = list(authors)
    # A final "et al." stands for authors the record does not list: BibTeX's "others".
    truncated = len(names) > 1 and names[-1].strip().casefold() == ET_AL
    written = [
        "{" + latex_text(name) + "}" if kept_whole(name, organisations) else latex_text(name)
        for name in (names[:-1] if truncated else names)
    ]
    return " and ".join(written + (["others"] if truncated else []))


def bibtex_entry(reference: Reference, kb: KnowledgeBase, organisations: set[str]) -> Entry:
    """One reference as a bibtexparser entry, each value as it is written between braces."""
    venue = kb.get("venues", reference.venue)
    assert venue is not None  # the loader resolves every venue id
    kind = venue.kind.value
    if kind in ("conference", "workshop"):
        entry_type = "inproceedings"
    else:
        entry_type = _ENTRY_TYPES.get(reference.type.value, "misc")
    # The title in a second pair of braces: styles keep its capitals.
    fields = [Field("title", "{" + latex_text(reference.title) + "}")]
    if reference.authors:
        fields.append(Field("author", _authors(reference.authors, organisations)))
    fields.append(Field("year", str(reference.year)))
    if len(reference.date) > 4:
        fields.append(Field("month", str(int(reference.date[5:7]))))
    fields.append(Field(_VENUE_FIELDS.get(kind, "howpublished"), latex_text(venue.name)))
    if reference.venue_detail:
        fields.append(Field("note", latex_text(reference.venue_detail)))
    if reference.doi:
        fields.append(Field("doi", verbatim(reference.doi)))
    if reference.arxiv:
        fields.append(Field("eprint", reference.arxiv))
        fields.append(Field("archiveprefix", "arXiv"))
    if reference.url:
        fields.append(Field("url", verbatim(reference.url)))
    return Entry(entry_type, reference.id, fields)


def bibtex_entries(kb: KnowledgeBase) -> list[Entry]:
    """Every reference, in bibliography order."""
    organisations = {one_line(o.name).casefold() for o in kb.all("organisations")}
    return [bibtex_entry(r, kb, organisations) for r in sorted(kb.all("references"), key=lambda r: r.sort_key)]


def bibtex(ctx: RenderContext) -> str:
    """``bibliography.bib``, written by bibtexparser, every value between braces."""
    form = bibtexparser.BibtexFormat()
    form.indent = "  "
    form.block_separator = "\n"
    # The entries are ours alone: the writer may enclose their values in place, with no copy.
    enclose = AddEnclosingMiddleware(
        reuse_previous_enclosing=False, enclose_integers=True, default_enclosing="{", allow_inplace_modification=True
    )
    blocks: list[Block] = [*bibtex_entries(ctx.kb)]
    return bibtexparser.write_string(bibtexparser.Library(blocks), unparse_stack=[enclose], bibtex_format=form)


# -- llms.txt --------------------------------------------------------------------------------------

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # Markdown's backslash escapes
_CITATION = re.compile(r"\[(@[^\]]*)\]")
# HTML comments, CDATA, processing instructions, tags and autolinks (<https://...>, <a@b>).
_MARKUP = re.compile(r"<!--.*?(?:-->|$)|<!\[CDATA\[|\]\]>|<[!?/]?[A-Za-z][^<>]*>", re.DOTALL)
# An inline link or image, its destination allowed one level of parentheses; a reference link;
# a link reference definition.
_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_REFERENCE_LINK = re.compile(r"!?\[([^\[\]]*)\]\[[^\[\]]*\]")
_DEFINITION = re.compile(r"^ {0,3}\[[^\[\]]+\]:.*$", re.MULTILINE)
# Emphasis and strike-through markers around words; "_" and "__" only outside words, as in Markdown.
_EMPHASIS = re.compile(
    r"(\*\*|~~)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"
    r"|(?<![\w_])(__?)(?=\S)(.+?)(?<=\S)\4(?![\w_])"
)
# What would make words a link in a Markdown reader: a scheme and "//" (dropped), or a script
# scheme and its colon (kept apart: "JavaScript : the good parts").
_URL_SCHEME = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://")
_SCRIPT_SCHEME = re.compile(r"(javascript|vbscript|livescript)(?=:)|\b(data|file|blob)(?=:\S)", re.IGNORECASE)
MAX_PLAIN = 2_000
_BRACKETS = str.maketrans({"<": "‹", ">": "›", "[": "(", "]": ")"})


def plain_text(text: str, cite: Callable[[str], str | None] | None = None) -> str:
    """Markdown or HTML as the plain words a reader sees, on one line.

    Markup goes (tags, emphasis, link syntax: a link keeps its words, not its destination),
    citations become their labels, and what is left that a Markdown reader could take for markup
    or a link is changed: angle and square brackets into look-alike or round ones, a scheme
    before "//" dropped, a script scheme kept from its colon. So no text of ours carries a link
    or a tag. Text longer than a record's short text (a page's heading can be any length) is cut
    first: the patterns here take time with the square of the length of some texts."""
    if len(text) > MAX_PLAIN:
        text = text[:MAX_PLAIN] + "…"
    text = _ESCAPED.sub(r"\1", text)
    text = _CITATION.sub(lambda m: _citation(m.group(1), cite), text)
    text = _MARKUP.sub("", text)
    text = _DEFINITION.sub("", text)
    for _ in range(10):  # links in link texts: inner first
        linked = _REFERENCE_LINK.sub(r"\1", _LINK.sub(r"\1", text))
        if linked == text:
            break
        text = linked
    text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or m.group(5), text).replace("`", "")
    # Entities last, as the characters they show: "&lt;b&gt;" is the text "<b>", not a tag.
    text = one_line(html.unescape(text))
    while True:  # dropping one scheme may join the letters of another
        cleaned = _URL_SCHEME.sub("", text)
        if cleaned == text:
            break
        text = cleaned
    text = _SCRIPT_SCHEME.sub(lambda m: (m.group(1) or m.group(2)) + " ", text)
    return text.translate(_BRACKETS).strip()


def _citation(inner: str, cite: Callable[[str], str | None] | None) -> str:
    keys = citation_keys(inner)
    labels = [cite(key) for key in keys] if keys and cite else []
    if not labels or None in labels:
        return ""
    return "(" + "; ".join(label for label in labels if label) + ")"


# What a link may hold as it is: RFC 3986's characters but parentheses (they end a Markdown link).
_LINK_SAFE = "-._~:/?#[]@!$&'*+,;=%"


def link_url(url: str) -> str | None:
    """An http(s) URL as a Markdown link destination, or None for any other URL."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    return quote(url, safe=_LINK_SAFE)


def _identifier(value: str) -> str:
    """A DOI as text: what is not a URL character percent-encoded (brackets too), no script scheme."""
    text = quote(value, safe="-._~:/?#@!$&'()*+,;=%")
    return _SCRIPT_SCHEME.sub(lambda m: (m.group(1) or m.group(2)) + " ", text)


def page_path(path: str) -> str:
    """A site-relative page path as a link destination: never absolute, never a scheme."""
    return quote(path.lstrip("/"), safe="/-._~") or "./"


def llms_txt(ctx: RenderContext, site_name: str, description: str, pages: list[tuple[str, str]]) -> str:
    """``llms.txt``: plain text but the links it lists (pages, and the references' own URLs)."""
    kb = ctx.kb

    def cite(key: str) -> str | None:
        reference = kb.get("references", key)
        if reference is None:
            return None
        return f"{authors_short(reference.authors) or reference.title} {reference.year}"

    def plain(text: str) -> str:
        return plain_text(text, cite)

    cruxes = [
        f"{plain(crux.question)} ({crux.importance.label} importance): "
        + " / ".join(f"{plain(p.answer)} ({p.confidence.label.lower()} confidence)" for p in crux.positions)
        for crux in kb.all("cruxes")
    ]
    references = []
    for r in sorted(kb.all("references"), key=lambda r: r.sort_key):
        venue = kb.get("venues", r.venue)
        by = plain(authors_full(list(r.authors)))
        about = f"{by} ({r.year})" if by else str(r.year)
        if venue is not None:
            about += f", {plain(venue.name)}"
        if r.doi:
            about += f". doi:{_identifier(r.doi)}"
        if r.arxiv:
            about += f". arXiv:{r.arxiv}"
        references.append((plain(r.title) or r.id, link_url(r.url) if r.url else None, about))
    return ctx.render(
        "llms.txt",
        site_name=plain_text(site_name),
        description=plain_text(description),
        pages=[(plain(title) or page_path(path), page_path(path)) for title, path in pages],
        cruxes=cruxes,
        references=references,
    )


# What the build publishes beside the pages, by path below the site.
EXPORTS = ("bibliography.bib", "data/survey.json", "data/survey.schema.json", "llms.txt")


class ExportFolder:
    """A temporary folder holding what one build publishes beside its pages (the exports, the
    pages' citation files, the feed), for the site generator to copy like any static file: held
    in memory they would stay there until the build ends (the JSON is 5 MB at 100 times the real
    content). Each build's replaces the last (``mkdocs serve``)."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory | None = None

    def fresh(self) -> Path:
        """An empty folder for this build's exports; the last build's goes."""
        self.close()
        self._folder = tempfile.TemporaryDirectory(prefix="mi-survey-exports-")
        return Path(self._folder.name)

    def close(self) -> None:
        """Remove the folder, once the generator has copied its files. Not left to the end of the
        process: a process that ends without its clean-up (a forked one, as the tests' builds
        are) would leave the folder behind, one per build."""
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


class OutsideFolderError(Exception):
    """A file the site publishes would be written outside the folder of the site's files."""


def write_text_files(folder: Path, files: dict[str, str]) -> list[str]:
    """Write each text of ``files`` (by path) below ``folder``; give their paths. A path that
    would lead outside the folder is refused (OutsideFolderError) before anything is written."""
    root = folder.resolve()
    targets = {path: (root / path).resolve() for path in files}
    outside = [path for path, target in targets.items() if not target.is_relative_to(root)]
    if outside:
        raise OutsideFolderError(f"{outside[0]}: outside the folder of the site's files")
    for path, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[path], encoding="utf-8")
    return list(files)


def write_exports(
    ctx: RenderContext, folder: Path, site_name: str, description: str, pages: list[tuple[str, str]]
) -> list[str]:
    """Write every export below ``folder``; give their paths (``EXPORTS``)."""
    contents = {
        "bibliography.bib": lambda: bibtex(ctx),
        "data/survey.json": lambda: knowledge_base_json(ctx.kb),
        "data/survey.schema.json": knowledge_base_schema,
        "llms.txt": lambda: llms_txt(ctx, site_name, description, pages),
    }
    for path in EXPORTS:  # one at a time: the JSON is 5 MB at 100 times the real content
        write_text_files(folder, {path: contents[path]()})
    return list(EXPORTS)
