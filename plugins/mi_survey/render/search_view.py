"""What Material's search indexer reads of a page: the page without the entries of its citation cards.

Every citation carries a card with the full entry of each work it cites, inside an element marked
``data-search-exclude`` (``cite.html``). Material's indexer (the ``search`` plugin) parses all of
a page's HTML and drops what is inside such an element; on the benchmark's survey at ten times
the real one's size, the cards are three fifths of what it reads and half of its time. So the indexer is handed the page with each card's
entries taken out (its "search view"), and the page is put back as soon as it has read it. The
search index is the same, byte for byte, because Material's parser does nothing with what an
excluded element holds unless that content:

- opens a heading (``h1`` to ``h6``: a heading starts a section even where it is excluded);
- has an element of the same tag as an excluded element (its end tag ends the exclusion: the
  parser compares elements by tag), or is itself excluded or a ``linenodiv``;
- leaves an element open or closes one it did not open (the parser's stack of open elements);
- holds ``script``, ``style`` or ``object``, which the parser treats apart.

So an entry is left out only when it has none of these (``entry_removable``, judged once per
reference and build), in a card whose frame puts the entries, and nothing else, directly inside
the excluded element (``mark_frame``); the tags of excluded elements are read from the templates
(``excluded_tags``) and a page whose Markdown marks anything excluded itself keeps its cards (a
page's raw HTML or attribute lists could exclude an element of a tag a card holds). Material also
deletes every ``data-search-*="..."`` attribute from the page after indexing; a page holding one
keeps its cards, so that nothing but the index sees the view.

The cards' entries reach the page's HTML between two tokens (``tokens.SEARCH_SKIP_START`` and
``SEARCH_SKIP_END``), and only where the build asked for them (``RenderContext.mark_card_entries``,
which the MkDocs adapter's ``SurveyPages`` does; the export and the tools never see them).
``unmark`` removes the tokens as the page finishes, giving the page as published and where the
entries lie in it; ``may_skip`` says whether the page may be read without them and ``leave_out``
makes that view. The adapter hands it to the indexer just before Material's ``search`` reads
``page.content`` and puts the page back just after (hook priorities 50 and -50: a plugin reading
``page.content`` in ``on_page_context`` between the two would see the view; one changing it there
stops the build, as the page could not be put back). Every case left out logs at debug level, and
the indexer reads the whole page, as it did before (an entry that does not qualify is read silently:
it is the rule, not a refusal).
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from . import tokens

log = logging.getLogger("mi_survey.render")

EXCLUDE = "data-search-exclude"
# The elements Material's indexer does not expect to be closed (material/plugins/search/plugin.py).
VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr")
)
_APART = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "object"))
# Material deletes these attributes from the page after indexing (the view would lose them).
_VALUED_ATTRIBUTE = re.compile(r"data-search-\w+=\"")
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_TAG_BEFORE = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)\b[^<]*\Z")

Spans = list[tuple[int, int]]


def excluded_tags(templates_dir: Path) -> frozenset[str] | None:
    """The tags the templates mark ``data-search-exclude``; None if one cannot be told (then
    every page keeps its cards for the indexer)."""
    tags: set[str] = set()
    for path in sorted(templates_dir.rglob("*")):
        if not path.is_file():
            continue
        try:
            text = _JINJA_COMMENT.sub("", path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue  # not a template the render layer reads
        for found in re.finditer(EXCLUDE, text, re.IGNORECASE):
            tag = _TAG_BEFORE.search(text, 0, found.start())
            if tag is None:
                log.debug(
                    "%s excludes an element from search whose tag is not plain: the indexer reads every card", path
                )
                return None
            tags.add(tag.group(1).lower())
    return frozenset(tags)


class _Shape(HTMLParser):
    """Whether a fragment of HTML is one the indexer passes over without a trace."""

    def __init__(self, refused: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.refused = refused
        self.open: list[str] = []
        self.clean = True
        self.tags = 0  # start and end tags read, to tell every "<" was one

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)
        self.tags -= tag not in VOID  # one "<"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if tag in self.refused or any(k == EXCLUDE or (k == "class" and v == "linenodiv") for k, v in attrs):
            self.clean = False
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.tags += 1
        if not self.open or self.open[-1] != tag:
            self.clean = False
        else:
            self.open.pop()


class _LastStartTag(HTMLParser):
    """Whether HTML ends with the start tag of an excluded element, read as the indexer reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.last: tuple[str, list[tuple[str, str | None]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.last = (tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.last = None

    def handle_endtag(self, tag: str) -> None:
        self.last = None

    def handle_data(self, data: str) -> None:
        self.last = None

    def excluded_tag(self) -> str | None:
        """The last start tag's name, if it is the end of what was fed and marks its element excluded."""
        if self.rawdata or self.last is None or not any(key == EXCLUDE for key, _ in self.last[1]):
            return None
        return self.last[0]


def entry_removable(html: str, excluded: frozenset[str]) -> bool:
    """Whether a card's entry may be left out of the search view (see the module's text)."""
    shape = _Shape(_APART | excluded)
    shape.feed(html)
    shape.close()
    # Every "<" a tag (no comment, and nothing left half written for the next markup to complete).
    return shape.clean and not shape.open and shape.tags == html.count("<")


def mark_frame(frame: str, entries: list[str], excluded: frozenset[str]) -> str | None:
    """``frame`` (cite.html rendered with the ``entries`` slots) with the run of entries between
    the skip tokens; None unless that run is the whole content of an element marked excluded,
    whose tag is one of ``excluded`` (those the entries are checked against)."""
    run = "".join(entries)
    if frame.count(run) != 1:
        return None
    before, after = frame.split(run)
    opened = _LastStartTag()
    opened.feed(before)
    tag = opened.excluded_tag()
    if tag is None or tag not in excluded or not after.startswith(f"</{tag}>"):
        return None
    return before + tokens.SEARCH_SKIP_START + run + tokens.SEARCH_SKIP_END + after


def unmark(html: str) -> tuple[str, Spans]:
    """The page as published (no skip tokens), and where the marked entries lie in it."""
    if tokens.SEARCH_SKIP_START not in html:
        return html, []
    pieces: list[str] = []
    spans: Spans = []
    length = position = 0
    while (start := html.find(tokens.SEARCH_SKIP_START, position)) != -1:
        end = html.index(tokens.SEARCH_SKIP_END, start)
        pieces.append(html[position:start])
        length += start - position
        pieces.append(entries := html[start + 1 : end])
        spans.append((length, length + len(entries)))
        length += len(entries)
        position = end + 1
    pieces.append(html[position:])
    return "".join(pieces), spans


def without_tokens(text: str) -> str:
    """``text`` with the skip tokens taken out and what they held kept: a table of contents' entry
    or a page title, made from a heading holding a citation before the page finished."""
    return text.replace(tokens.SEARCH_SKIP_START, "").replace(tokens.SEARCH_SKIP_END, "")


def may_skip(html: str, spans: Spans, source: str) -> bool:
    """Whether the indexer may read page ``html`` without its marked entries: not where its
    Markdown ``source`` marks elements excluded itself, nor where it holds an attribute Material
    deletes after indexing."""
    if not spans:
        return False
    if EXCLUDE in source.lower() or _VALUED_ATTRIBUTE.search(html):
        log.debug("a page excludes elements from search itself: the indexer reads its cards")
        return False
    return True


def leave_out(html: str, spans: Spans) -> str:
    """``html`` without the text at ``spans``."""
    pieces, position = [], 0
    for start, end in spans:
        pieces.append(html[position:start])
        position = end
    pieces.append(html[position:])
    return "".join(pieces)
