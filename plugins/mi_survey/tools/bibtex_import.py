"""``mi-survey import-bibtex FILE``: reference records from BibTeX, as Google Scholar or arXiv export it.

Parsing is bibtexparser's (2.x): ``@string`` macros, month names, LaTeX accents and braces, and
author lists ("Last, First and First Last") are its job. This module maps the fields:

=====================================  ================================================================
BibTeX                                 reference record
=====================================  ================================================================
key                                    ``id``, normalised (``Bereska:2024_MI`` -> ``bereska-2024-mi``)
entry type                             ``type`` (``@article``, ``@inproceedings``, arXiv ``@misc`` -> paper)
title, author                          ``title``, ``authors`` ("Last, First" -> "First Last")
year, month (day), or date             ``date`` (``2024-04``)
doi                                    ``doi`` (a ``https://doi.org/`` prefix is dropped)
eprint + archivePrefix, arXiv URL,     ``arxiv``; with no ``url``, the abstract page becomes ``url``
"arXiv preprint arXiv:..." journal
url                                    ``url``
journal / booktitle                    ``venue``: an existing venue whose name (or id, or the acronym
                                       in its name's parentheses) matches, case-insensitively
volume, number, pages; primaryClass    ``venue_detail``
=====================================  ================================================================

What it does not make up: a BibTeX entry has no summary (the abstract is the authors' words, the
summary is the survey's), and a venue it cannot match gets no invented credibility rating. Such an
entry is written all the same, with what BibTeX gave, and the missing fields left empty under a
comment, exactly as ``mi-survey new`` leaves them: the report names them, ``mi-survey validate``
points at each one by file and line, and the record cannot be published until they are filled.
An unmatched venue falls back to ``--venue ID`` when given.

An entry whose DOI or arXiv id is already that of a reference (or of an earlier entry in the same
file) is reported as a duplicate and not written; so is one with the same title (blog posts and
reports often have neither identifier), and one whose id is taken. ``--dry-run`` reports the same
without writing anything.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import DuplicateBlockKeyBlock, Entry

from ..load import parse
from ..model import COLLECTIONS
from ..model.common import ARXIV_PATTERN, DATE_PATTERN, DOI_PATTERN
from . import ToolError
from .skeleton import normalise_id, write_record

_ARXIV_ID = r"(\d{4}\.\d{4,5}(?:v\d+)?)"
_ARXIV_IN_TEXT = [
    re.compile(r"arxiv\.org/(?:abs|pdf)/" + _ARXIV_ID, re.IGNORECASE),
    re.compile(r"arxiv:\s*" + _ARXIV_ID, re.IGNORECASE),
    re.compile(r"10\.48550/arxiv\." + _ARXIV_ID, re.IGNORECASE),
]
_TYPES = {
    "article": "paper",
    "inproceedings": "paper",
    "conference": "paper",
    "incollection": "paper",
    "unpublished": "paper",
    "phdthesis": "report",
    "mastersthesis": "report",
    "thesis": "report",
    "techreport": "report",
    "report": "report",
    "book": "book",
    "inbook": "book",
    "online": "web",
    "electronic": "web",
    "www": "web",
    "software": "software",
    "dataset": "dataset",
}
# Fields whose text is taken verbatim: LaTeX decoding would read "%" in a URL as a comment.
_VERBATIM = {"url", "doi", "eprint", "archiveprefix", "eprinttype", "file", "pdf"}


@dataclass
class Outcome:
    key: str
    line: int  # in the .bib file
    written: str | None = None  # path of the record, when written (or, in a dry run, to be written)
    to_fill: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None  # why it was not written

    def report(self, bib: str, dry_run: bool) -> str:
        where = f"{bib}:{self.line}: {self.key}"
        if self.skipped:
            return f"{where}: not written: {self.skipped}"
        verb = "would write" if dry_run else "wrote"
        text = f"{where}: {verb} {self.written}"
        if self.to_fill:
            text += f"; fill in: {', '.join(self.to_fill)}"
        return "\n".join([text, *(f"    {note}" for note in self.notes)])


@dataclass
class Result:
    outcomes: list[Outcome]
    failures: list[str]  # blocks the parser could not read, as "file:line: message"

    @property
    def written(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.written]


class _DecodeText(middlewares.LatexDecodingMiddleware):
    """LaTeX to Unicode in every field but the verbatim ones (URLs, DOIs, eprint ids)."""

    def transform_entry(self, entry: Entry, library):
        kept = [f for f in entry.fields if f.key.lower() in _VERBATIM]
        entry.fields = [f for f in entry.fields if f.key.lower() not in _VERBATIM]
        decoded = super().transform_entry(entry, library)
        if isinstance(decoded, Entry):
            decoded.fields = decoded.fields + kept
        return decoded


def read_bibtex(text: str):
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # failures are reported by line below, not logged
    try:
        return bibtexparser.parse_string(
            text,
            append_middleware=[
                _DecodeText(),
                middlewares.MonthIntMiddleware(True),
                middlewares.SeparateCoAuthors(),
                middlewares.SplitNameParts(),
            ],
        )
    finally:
        logger.setLevel(level)


def import_bibtex(
    root: Path,
    data_dir: Path,
    bib_path: Path,
    *,
    venue: str | None = None,
    dry_run: bool = False,
    schemas_dir: Path | None = None,
) -> Result:
    try:
        text = bib_path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ToolError(f"{bib_path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ToolError(f"{bib_path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    known = _Known.read(data_dir, root)
    if venue is not None and venue not in known.venue_ids:
        raise ToolError(f"--venue {venue}: no such venue; expected one of: {', '.join(sorted(known.venue_ids))}")

    library = read_bibtex(text)
    shown = _display(bib_path, root)
    failures = []
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            failures.append(f"{shown}:{line}: duplicate key '{block.key}'; only its first entry was read")
        else:
            failures.append(f"{shown}:{line}: could not read this entry: {_reason(block)}")

    outcomes = []
    seen_doi: dict[str, str] = {}
    seen_arxiv: dict[str, str] = {}
    for entry in library.entries:
        outcome = Outcome(entry.key, entry.start_line + 1)
        outcomes.append(outcome)
        values = to_record(entry, known, venue, outcome.notes)
        earlier = f"entry '{entry.key}' (line {outcome.line})"
        duplicate = _duplicate(values, known, seen_doi, seen_arxiv)
        if duplicate:
            outcome.skipped = duplicate
            outcome.notes.clear()
            continue
        if values.get("doi"):
            seen_doi[values["doi"].lower()] = f"{earlier} of this file"
        if values.get("arxiv"):
            seen_arxiv[_arxiv_base(values["arxiv"])] = f"{earlier} of this file"
        if values.get("title"):
            known.titles.setdefault(_title_key(values["title"]), f"{earlier} of this file")
        if values["id"] in known.reference_ids:
            outcome.skipped = (
                f"the id '{values['id']}' is taken by {known.reference_ids[values['id']]}; give the entry another key"
            )
            outcome.notes.clear()
            continue
        written = write_record(
            root,
            data_dir,
            COLLECTIONS["references"],
            values,
            schemas_dir=schemas_dir,
            dry_run=dry_run,
            intro=(
                f"Imported from {bib_path.name} (entry '{entry.key}'). Fill in every field marked "
                f"Required, check the others against the source, and delete these comments."
            ),
        )
        known.reference_ids[values["id"]] = written.path
        outcome.written = written.path
        outcome.to_fill = written.to_fill
    return Result(outcomes, failures)


def to_record(entry: Entry, known: _Known, fallback_venue: str | None, notes: list[str]) -> dict[str, Any]:
    """The reference fields an entry provides; ``notes`` collects what needs a person."""
    f = {key.lower(): value.value for key, value in entry.fields_dict.items()}
    values: dict[str, Any] = {"id": normalise_id(entry.key) or "reference"}

    arxiv = _arxiv(f)
    values["type"] = (
        "paper"
        if arxiv and entry.entry_type.lower() == "misc"
        else _TYPES.get(entry.entry_type.lower(), "web" if f.get("url") else "paper")
    )
    values["title"] = _text(f.get("title"))
    values["authors"] = _authors(f.get("author"))
    values["date"] = _date(f, notes)

    venue_text = _text(f.get("journal") or f.get("booktitle") or f.get("journaltitle"))
    if arxiv and (not venue_text or re.match(r"^arxiv\b", venue_text, re.IGNORECASE)):
        venue_text = "arXiv"
    match = known.venue_for(venue_text) if venue_text else None
    if match:
        values["venue"] = match
    elif fallback_venue:
        values["venue"] = fallback_venue
        if venue_text:
            notes.append(f"venue '{venue_text}' matches no venue record; used --venue {fallback_venue}")
    elif venue_text:
        name = _venue_name(venue_text)
        suggestion = normalise_id(name) or "venue-id"
        notes.append(
            f"venue '{venue_text}' matches no venue record: add one with "
            f'`mi-survey new venues {suggestion} --set name="{name}"` (and rate its '
            f"credibility), or pass --venue ID"
        )
    else:
        notes.append("the entry names no journal or booktitle: set venue, or pass --venue ID")

    values["venue_detail"] = _venue_detail(f, arxiv)
    url = (f.get("url") or "").strip()
    if url and not re.match(r"^https?://\S+$", url):
        notes.append(f"url '{url}' is not an http(s) URL; left out")
        url = ""
    values["url"] = url or (f"https://arxiv.org/abs/{arxiv}" if arxiv else None)
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", (f.get("doi") or "").strip(), flags=re.IGNORECASE)
    if doi and not re.match(DOI_PATTERN, doi):
        notes.append(f"doi '{doi}' is not a DOI; left out")
        doi = ""
    values["doi"] = doi or None
    values["arxiv"] = arxiv
    return {key: value for key, value in values.items() if value not in (None, "", [])}


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.replace("{", "").replace("}", "").split())
    return text or None


def _authors(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    names = []
    for name in value:
        full = name.merge_first_name_first if hasattr(name, "merge_first_name_first") else str(name)
        full = _text(full)
        if full and full.casefold() != "others":
            names.append(full)
    return names


def _date(f: dict[str, Any], notes: list[str]) -> str | None:
    given = _text(str(f["date"])) if f.get("date") else None
    if given and re.match(DATE_PATTERN, given[:10]):
        return given[:10]
    year = re.search(r"\d{4}", str(f.get("year", "")))
    if not year:
        notes.append("the entry has no year")
        return None
    date = year.group(0)
    month = f.get("month")
    if isinstance(month, int) and 1 <= month <= 12:
        date += f"-{month:02d}"
        day = re.fullmatch(r"\s*(\d{1,2})\s*", str(f.get("day", "")))
        if day and 1 <= int(day.group(1)) <= 31:
            date += f"-{int(day.group(1)):02d}"
    return date


def _arxiv(f: dict[str, Any]) -> str | None:
    eprint = (f.get("eprint") or "").strip()
    prefix = (f.get("archiveprefix") or f.get("eprinttype") or "").strip().lower()
    if eprint and prefix in ("arxiv", "") and re.match(ARXIV_PATTERN, eprint):
        return eprint
    for name in ("url", "journal", "note", "doi", "howpublished"):
        text = f.get(name)
        if isinstance(text, str):
            for pattern in _ARXIV_IN_TEXT:
                found = pattern.search(text)
                if found:
                    return found.group(1)
    return None


def _arxiv_base(arxiv: str) -> str:
    return re.sub(r"v\d+$", "", arxiv)


def _venue_detail(f: dict[str, Any], arxiv: str | None) -> str | None:
    journal = str(f.get("journal") or "")
    if arxiv and (not (journal or f.get("booktitle")) or re.match(r"^arxiv\b", journal, re.IGNORECASE)):
        category = _text(f.get("primaryclass"))
        return f"arXiv:{arxiv} [{category}]" if category else f"arXiv:{arxiv}"
    parts = []
    for name, label in (("volume", "vol."), ("number", "no."), ("pages", "pp.")):
        text = _text(f.get(name))
        if text:
            parts.append(f"{label} {text.replace('--', '–')}" if name == "pages" else f"{label} {text}")
    return ", ".join(parts) or None


def _duplicate(
    values: dict[str, Any], known: _Known, seen_doi: dict[str, str], seen_arxiv: dict[str, str]
) -> str | None:
    doi = values.get("doi", "").lower()
    if doi and doi in known.dois:
        return f"same DOI ({values['doi']}) as {known.dois[doi]}"
    if doi and doi in seen_doi:
        return f"same DOI ({values['doi']}) as {seen_doi[doi]}"
    arxiv = _arxiv_base(values.get("arxiv", ""))
    if arxiv and arxiv in known.arxivs:
        return f"same arXiv id ({arxiv}) as {known.arxivs[arxiv]}"
    if arxiv and arxiv in seen_arxiv:
        return f"same arXiv id ({arxiv}) as {seen_arxiv[arxiv]}"
    # Blog posts and reports often have neither DOI nor arXiv id: the same title is the same work.
    title = _title_key(values.get("title", ""))
    if title and title in known.titles:
        return f"same title as {known.titles[title]}"
    return None


@dataclass
class _Known:
    """What the data already holds, read straight from the files: the import works on content
    that does not validate yet (a previous import whose summaries are still to write)."""

    reference_ids: dict[str, str]  # id -> path
    titles: dict[str, str]  # normalised title -> path (or earlier entry)
    dois: dict[str, str]  # lowercased DOI -> path
    arxivs: dict[str, str]  # arXiv id without version -> path
    venue_ids: set[str]
    venue_names: dict[str, str]  # normalised name, acronym or id -> venue id

    @classmethod
    def read(cls, data_dir: Path, root: Path) -> _Known:
        known = cls({}, {}, {}, {}, set(), {})
        for path in sorted((data_dir / "references").glob("*.yaml")):
            shown = _display(path, root)
            known.reference_ids[path.stem] = shown
            data = _mapping(path)
            if isinstance(data.get("title"), str):
                known.titles.setdefault(_title_key(data["title"]), shown)
            if isinstance(data.get("doi"), str):
                known.dois.setdefault(data["doi"].strip().lower(), shown)
            if isinstance(data.get("arxiv"), (str, float)):
                known.arxivs.setdefault(_arxiv_base(str(data["arxiv"]).strip()), shown)
        for path in sorted((data_dir / "venues").glob("*.yaml")):
            known.venue_ids.add(path.stem)
            known.venue_names.setdefault(_venue_key(path.stem), path.stem)
            name = _mapping(path).get("name")
            if isinstance(name, str):
                known.venue_names.setdefault(_venue_key(name), path.stem)
                bare = re.sub(r"\s*\(([^)]*)\)\s*", " ", name).strip()
                known.venue_names.setdefault(_venue_key(bare), path.stem)
                for acronym in re.findall(r"\(([^)]*)\)", name):
                    known.venue_names.setdefault(_venue_key(acronym), path.stem)
        return known

    def venue_for(self, text: str) -> str | None:
        return self.venue_names.get(_venue_key(text))


def _title_key(title: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", title.casefold()))


def _venue_name(text: str) -> str:
    """A venue's own name from a booktitle: no "Proceedings of the 40th", no year."""
    text = re.sub(r"^(proceedings|proc\.)\s+of\s+(the\s+)?", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\b\d+(st|nd|rd|th)\s+|\s*\b(19|20)\d\d\b", "", text)
    return " ".join(text.split()) or text


def _venue_key(text: str) -> str:
    """``Proceedings of the 41st International Conference on Machine Learning`` and
    ``International Conference on Machine Learning`` compare equal."""
    text = text.casefold()
    text = re.sub(r"^(proceedings|proc\.)\s+of\s+(the\s+)?", "", text)
    text = re.sub(r"\b\d+(st|nd|rd|th)\b|\b(19|20)\d\d\b", " ", text)
    return " ".join(re.findall(r"[^\W_]+", text))


def _mapping(path: Path) -> dict[str, Any]:
    try:
        parsed, _ = parse(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError):
        return {}
    return parsed.data if parsed is not None and isinstance(parsed.data, dict) else {}


def _reason(block) -> str:
    error = getattr(block, "error", None)
    text = " ".join(str(error).split()) if error is not None and str(error) else ""
    return text or "BibTeX syntax error (an unbalanced brace or a missing comma?)"


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
