"""What changed between editions, said in words: the Changes page, its Atom feed, page notes.

The records of two editions are compared as written (see ``load.history``): records added and
removed by collection and id, and each changed field said as a reader would say it ("Confidence
of Chris Olah's position: medium → high", "Summary of reference “Induction heads” revised").
Everything a contributor wrote is escaped here: the page carries it as raw HTML Markdown leaves
alone, the feed as text of XML elements.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from markupsafe import escape

from ..load import Edition, History, Records
from ..model import COLLECTIONS
from .backlinks import relative_url
from .text_forms import long_date, one_line

PAGE = "changes.md"
# Beside the site's sitemap.xml: Material takes every <link rel="alternate"> in a page's head for
# another language's site and fetches the sitemap.xml beside it (a 404 from changes/feed.xml).
FEED = "changes.xml"
UNRELEASED = "unreleased"


def feed_link(src: str, here: str) -> str:
    """The head tag that announces the Atom feed, on the Changes page only (``src``), its address
    relative to the page's URL ``here``. Only there: Material takes every ``<link rel="alternate">``
    for another language's site and fetches the sitemap.xml beside it, which is why the feed sits
    beside the site's own sitemap.xml."""
    if src != PAGE:
        return ""
    href = escape(relative_url(FEED, here))
    return f'\n<link rel="alternate" type="application/atom+xml" title="Changes to the survey" href="{href}">'


# A record is named by the first of these it has (a position by its holder).
NAME_FIELDS = ("title", "name", "question", "term", "risk", "achievement", "model")
# An item of a list of mappings (a crux's positions, a reference's corrections) is matched
# between editions, and named, by the first of these it has.
ITEM_KEYS = ("id", "answer", *NAME_FIELDS, "field", "against", "source")
KINDS = {
    "references": "reference",
    "venues": "venue",
    "organisations": "organisation",
    "people": "person",
    "topics": "topic",
    "positions": "position",
    "cruxes": "crux",
    "approaches": "approach",
    "milestones": "milestone",
    "results": "result",
    "scale-gap": "scale-gap row",
    "challenges": "challenge",
    "requirements": "requirement",
    "risk-models": "risk model",
    "glossary": "term",
}
SHORT = 60  # characters: a longer text is "revised", not quoted
NAME_LIMIT = 100
LISTED = 50  # record names listed per collection when an edition is summed up
NOTED = 5  # changes a generated page's note lists
_MISSING = object()
_WORDLIKE = re.compile(r"^[a-z0-9][a-z0-9.:/+_-]*$")  # a vocabulary word, an id, a number, a date


@dataclass(frozen=True)
class Change:
    collection: str
    record: str | None  # the id of the record it concerns; None for the collection's order
    words: str  # plain text, one sentence


@dataclass(frozen=True)
class Section:
    """One edition on the Changes page (or the working copy, anchor ``unreleased``)."""

    title: str
    anchor: str
    tag: str | None
    released: date | None
    intro: str  # plain text
    changes: tuple[Change, ...] = ()
    contents: tuple[tuple[str, tuple[str, ...]], ...] = ()  # a summed-up edition: collection, names

    def by_collection(self) -> list[tuple[str, list[Change]]]:
        return [
            (c.title, found)
            for c in COLLECTIONS.values()
            if (found := [x for x in self.changes if x.collection == c.name])
        ]


@dataclass(frozen=True)
class ChangeLog:
    sections: tuple[Section, ...]  # newest first
    current: Section | None  # the edition being built, when something changed in it
    note_title: str = ""  # "Changed in this edition (v1.1)"
    authors: tuple[str, ...] = ()
    site: str = ""  # the published survey's address, ending in "/" ("" if unknown)
    title: str = ""
    feed_updated: date | None = None

    def changes_to(self, collection: str, record: str | None = None) -> list[Change]:
        """The current edition's changes to a collection, or to one record of it."""
        if self.current is None:
            return []
        return [
            c for c in self.current.changes if c.collection == collection and (record is None or c.record == record)
        ]


# -- the words --------------------------------------------------------------------------------------


def collection_changes(name: str, old: Records, new: Records) -> list[Change]:
    """Every change to collection ``name`` from ``old`` to ``new``, in words."""
    before, after = old.get(name, {}), new.get(name, {})
    found = [Change(name, rid, f"Added: {record_name(name, r, new)}") for rid, r in after.items() if rid not in before]
    found += [
        Change(name, rid, f"Removed: {record_name(name, r, old)}") for rid, r in before.items() if rid not in after
    ]
    for rid, record in after.items():
        if rid in before and before[rid] != record:
            # Named as it was: a record renamed in this edition is said to be renamed.
            subject = record_name(name, before[rid], old, possessive=True)
            key = next((k for k in NAME_FIELDS if isinstance(record.get(k), str)), None)
            renamed = name != "positions" and key is not None and before[rid].get(key) != record.get(key)
            if renamed:
                found.append(Change(name, rid, _sentence(f"{subject} renamed “{_clip(_name_of(record) or rid)}”")))
            skip = {key} if renamed and key else set()
            words = field_changes(before[rid], record, subject, skip=skip)
            found += [Change(name, rid, _sentence(w)) for w in words]
    if COLLECTIONS[name].layout == "list":
        kept = [rid for rid in before if rid in after]
        if kept != [rid for rid in after if rid in before]:
            found.append(Change(name, None, f"Order of {COLLECTIONS[name].title.lower()} changed"))
    return found


def record_name(
    collection: str, record: Mapping, records: Records, possessive: bool = False, bare: bool = False
) -> str:
    """ "crux “Can a model hide?”", "position of Chris Olah" (possessive: "Chris Olah's position";
    bare, under the collection's title: "Can a model hide?", "Chris Olah")."""
    kind = KINDS.get(collection, collection)
    if collection == "positions":
        holder = record.get("holder")
        holder_record = None
        if isinstance(holder, str):
            holder_record = records.get("people", {}).get(holder) or records.get("organisations", {}).get(holder)
        who = _name_of(holder_record) or (holder if isinstance(holder, str) else None)
        if who:
            who = _clip(who)
            return who if bare else f"{who}'s position" if possessive else f"position of {who}"
    name = _name_of(record)
    if bare:
        return _clip(name) if name else str(record.get("id"))
    return f"{kind} “{_clip(name)}”" if name else f"{kind} {record.get('id')}"


def field_changes(
    old: Mapping, new: Mapping, subject: str, prefix: str = "", skip: set[str] | None = None
) -> list[str]:
    """How the fields of one record (or of a mapping inside it) changed, one sentence each."""
    words: list[str] = []
    for key in [*new, *(k for k in old if k not in new)]:
        if skip and key in skip:
            continue
        a, b = old.get(key, _MISSING), new.get(key, _MISSING)
        if a == b:
            continue
        label = f"{prefix} {_words(key)}" if prefix else _words(key)
        words += _value_change(label, a, b, subject)
    return words


def _value_change(label: str, a: object, b: object, subject: str) -> list[str]:
    if a is _MISSING:
        return [f"{label} of {subject} set to {_value(b)}" if _short(b) else f"{label} of {subject} added"]
    if b is _MISSING:
        return [f"{label} of {subject} removed"]
    if isinstance(b, bool) and isinstance(a, bool):
        return [f"{subject} {label}" if b else f"{subject} no longer {label}"]
    if isinstance(a, dict) and isinstance(b, dict):
        return field_changes(a, b, subject, label)
    if isinstance(a, list) and isinstance(b, list):
        return _list_change(label, a, b, subject)
    if _short(a) and _short(b):
        return [f"{label} of {subject}: {_value(a)} → {_value(b)}"]
    return [f"{label} of {subject} revised"]


def _list_change(label: str, a: list, b: list, subject: str) -> list[str]:
    if a and b and all(isinstance(x, dict) for x in [*a, *b]):
        return _items_change(label, a, b, subject)
    if any(isinstance(x, (dict, list)) for x in [*a, *b]):
        return [f"{label} of {subject} changed"]
    added = [x for x in b if x not in a]
    removed = [x for x in a if x not in b]
    if not added and not removed:
        return [f"{label} of {subject} reordered"]
    parts = [f"{verb} {_items(items)}" for verb, items in (("added", added), ("removed", removed)) if items]
    return [f"{label} of {subject}: {'; '.join(parts)}"]


def _items_change(label: str, a: list[dict], b: list[dict], subject: str) -> list[str]:
    singular = label[:-1] if label.endswith("s") and not label.endswith("ss") else f"{label} item"
    old_keys, new_keys = _keys(a), _keys(b)
    if old_keys is None or new_keys is None:  # no key names every item once: by position
        old_keys, new_keys = [str(n + 1) for n in range(len(a))], [str(n + 1) for n in range(len(b))]
        named = False
    else:
        named = True

    def item(key: str) -> str:
        return f"{singular} “{_clip(key)}”" if named else f"{singular} {key}"

    before, after = dict(zip(old_keys, a, strict=True)), dict(zip(new_keys, b, strict=True))
    words = [f"{item(k)} added to {subject}" for k in new_keys if k not in before]
    words += [f"{item(k)} removed from {subject}" for k in old_keys if k not in after]
    for key in new_keys:
        if key in before and before[key] != after[key]:
            words += field_changes(before[key], after[key], f"{item(key)} of {subject}")
    kept = [k for k in old_keys if k in after]
    if named and kept != [k for k in new_keys if k in before]:
        words.append(f"{label} of {subject} reordered")
    return words


def _keys(items: list[dict]) -> list[str] | None:
    for key in ITEM_KEYS:
        values = [item.get(key) for item in items]
        if all(isinstance(v, str) and v for v in values) and len(set(values)) == len(values):
            return [one_line(str(v)) for v in values]
    return None


def _name_of(record: object) -> str | None:
    if not isinstance(record, Mapping):
        return None
    name = next((record[k] for k in NAME_FIELDS if isinstance(record.get(k), str) and record[k].strip()), None)
    return one_line(name) if name else None


def _short(value: object) -> bool:
    if isinstance(value, str):
        return "\n" not in value.strip() and len(value) <= SHORT
    return isinstance(value, (bool, int, float, date)) or value is None


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "nothing"
    text = one_line(str(value))
    return text if _WORDLIKE.match(text) else f"“{text}”"


def _items(items: list) -> str:
    if all(_short(x) for x in items):
        return ", ".join(_value(x) for x in items)
    return f"{len(items)} item{'s' * (len(items) != 1)}"


def _words(key: object) -> str:
    return str(key).replace("_", " ").replace("-", " ")


def _clip(text: str) -> str:
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1].rstrip() + "…"


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def changes_between(old: Records, new: Records) -> tuple[Change, ...]:
    return tuple(c for name in COLLECTIONS for c in collection_changes(name, old, new))


# -- the edition log --------------------------------------------------------------------------------


def change_log(history: History, edition: Edition | None) -> ChangeLog:
    """The sections of the Changes page, newest first, and the current edition's changes."""
    current_version = _version(edition.version) if edition else None
    # Building an older edition: the editions after it are not part of it.
    tags = [s for s in history.editions if current_version is None or (s.version or (0, 0)) <= current_version]
    sections: list[Section] = []
    for n, snapshot in enumerate(tags):
        tag = snapshot.tag or ""
        if n == 0:
            sections.append(
                Section(
                    tag,
                    _anchor(tag),
                    tag,
                    snapshot.released,
                    "The first edition. It holds:",
                    (),
                    _contents(snapshot.records),
                )
            )
            continue
        before = tags[n - 1]
        found = changes_between(before.records, snapshot.records)
        intro = f"Changes since {before.tag}:" if found else f"No record changed since {before.tag}."
        sections.append(Section(tag, _anchor(tag), tag, snapshot.released, intro, found))
    label = edition.tag if edition else "the next edition"
    current: Section | None = None
    note = ""
    if tags and (current_version is None or tags[-1].version == current_version):
        current, note = sections[-1], f"Changed in this edition ({tags[-1].tag})"
    if not history.git:
        released = f", released {long_date(edition.date_released)}" if edition else ""
        intro = (
            f"This copy of the survey ({label}{released}) was built without its git history, so the "
            "changes between editions cannot be listed here; the repository's history holds them. "
            "This copy holds:"
        )
        sections.append(
            Section(
                f"{label}, this copy" if edition else "This copy",
                UNRELEASED,
                None,
                None,
                intro,
                (),
                _contents(history.working.records),
            )
        )
    elif not tags:
        intro = f"No edition has been published yet: this is the working copy, which will become {label}. It holds:"
        sections.append(
            Section(
                f"{label}, not yet published", UNRELEASED, None, None, intro, (), _contents(history.working.records)
            )
        )
    elif history.working.records != tags[-1].records:
        found = changes_between(tags[-1].records, history.working.records)
        after_tag = current_version is not None and current_version > (tags[-1].version or (0, 0))
        title = f"{label}, not yet published" if after_tag else "Unreleased"
        intro = f"Changes since {tags[-1].tag}, not yet published as an edition:"
        current = Section(title, UNRELEASED, None, None, intro, found)
        sections.append(current)
        note = f"Changed since {tags[-1].tag} (not yet published)"
    newest = max((s.released for s in tags if s.released), default=None)
    return ChangeLog(
        tuple(reversed(sections)),
        current if current is not None and current.changes else None,
        note,
        tuple(a.display for a in edition.authors) if edition else (),
        edition.site if edition else "",
        edition.title if edition else "",
        newest or (edition.date_released if edition else None),
    )


def _version(text: str) -> tuple[int, int] | None:
    major, _, minor = text.partition(".")
    return (int(major), int(minor)) if major.isdigit() and minor.isdigit() else None


def _anchor(tag: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-") or "edition"


def _contents(records: Records) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (c.title, tuple(record_name(c.name, r, records, bare=True) for r in records.get(c.name, {}).values()))
        for c in COLLECTIONS.values()
        if records.get(c.name)
    )


# -- HTML, the page and the feed ----------------------------------------------------------------------


def section_html(section: Section) -> str:
    """A section's body: escaped text in a few elements, on lines without a blank one (Markdown
    takes it as one raw HTML block, and reads nothing inside)."""
    out = [f"<p>{escape(section.intro)}</p>"]
    if section.contents:
        out.append('<ul class="mi-changes-contents">')
        for title, names in section.contents:
            shown = "; ".join(names[:LISTED]) + (f"; and {len(names) - LISTED} more" if len(names) > LISTED else "")
            out.append(f"<li><strong>{escape(title)}</strong> ({len(names)}): {escape(shown)}</li>")
        out.append("</ul>")
    for title, changes in section.by_collection():
        out.append(f"<h3>{escape(title)}</h3>")
        out.append("<ul>" + "".join(f"<li>{escape(c.words)}</li>" for c in changes) + "</ul>")
    return "\n".join(out)


def changes_markdown(log: ChangeLog) -> str:
    """The Changes page: the editions newest first, each a section with its anchor."""
    parts = [
        "# Changes\n",
        "What changed in the survey's data from one edition to the next, newest first: records added "
        f"and removed, and fields changed, grouped by collection. The [Atom feed]({FEED}) "
        "announces each new edition.\n",
    ]
    for section in log.sections:
        when = f" ({long_date(section.released)})" if section.released else ""
        parts.append(f"## {section.title}{when} {{#{section.anchor}}}\n")
        parts.append(f'<div class="mi-changes">\n{section_html(section)}\n</div>\n')
    return "\n".join(parts)


def page_note(log: ChangeLog, page_path: str, collection: str, record: str | None = None) -> str:
    """A generated page's note of what changed in this edition to what it shows ("" if nothing)."""
    changes = log.changes_to(collection, record)
    if not changes or log.current is None:
        return ""
    items = "".join(f"<li>{escape(c.words)}</li>" for c in changes[:NOTED])
    if len(changes) > NOTED:
        items += f"<li>and {len(changes) - NOTED} more</li>"
    link = posixpath.relpath(PAGE, posixpath.dirname(page_path) or ".")
    return (
        f'<div class="admonition info mi-changed">\n<p class="admonition-title">{escape(log.note_title)}</p>\n'
        f"<ul>{items}</ul>\n</div>\n\n[Every change in this edition]({link}#{log.current.anchor})\n"
    )


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(log: ChangeLog, site_url: str, site_name: str, directory_urls: bool = True) -> str:
    """The Atom feed: one entry per published edition, its changes as escaped HTML."""
    page = "changes/" if directory_urls else "changes.html"
    base = (site_url or log.site).rstrip("/") + "/" if (site_url or log.site) else ""
    ids = (log.site or base) or "urn:mi-survey:"
    # Without any address, links are relative to the feed itself, at the site's root.
    page_link = base + page

    def text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = _XML_INVALID.sub("", value)
        return element

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    text(feed, "title", f"Changes: {log.title or site_name}")
    text(feed, "id", f"{ids}changes/")
    text(feed, "updated", _stamp(log.feed_updated))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page_link})
    if base:
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": f"{base}{FEED}"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    text(author, "name", ", ".join(log.authors) or site_name)
    for section in log.sections:
        if section.tag is None:
            continue  # the working copy is no edition
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        text(entry, "id", f"{ids}changes/#{section.anchor}")
        text(entry, "title", f"{section.tag}" + (f" ({long_date(section.released)})" if section.released else ""))
        text(entry, "updated", _stamp(section.released or log.feed_updated))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": f"{page_link}#{section.anchor}"})
        text(entry, "content", section_html(section), type="html")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _stamp(day: date | None) -> str:
    return f"{(day or date(1970, 1, 1)).isoformat()}T00:00:00Z"
