"""The written pages: what the content rules need from them, and the rules a page must keep.

One scanner for the build, ``mi-survey validate``, ``mi-survey stats`` and the benchmark, so a
contributor's local check and CI count the same citations. A citation is ``[@id]`` or
``[@a; @b]`` in prose: not in fenced or indented code, a code span or an HTML comment, where the
Markdown renderer does not read it either.

The page rules (what the contributors' policy in CONTRIBUTING.md allows in a page) live here too:
``source_problems`` reads a page's Markdown, ``html_problems`` the HTML it became.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..model.common import CITATION_PATTERN, citation_keys
from .problems import Problem
from .yaml_source import parse

_CITATION = re.compile(CITATION_PATTERN)
_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)

# A page larger than this is a mistake or an attack; the largest written page is about 20 kB.
MAX_PAGE_BYTES = 1_000_000
# Python-Markdown recurses once per nested list or quote: a thousand levels exhaust the stack.
MAX_NESTING = 20
# Front matter a page may set, and what each holds. Material prints title and description into
# the page head; hide takes the parts of the page Material can hide.
FRONT_MATTER = {"title": str, "description": str, "hide": list}
HIDEABLE = ("navigation", "toc", "footer", "path", "tags", "feedback")


@dataclass(frozen=True)
class PageRef:
    title: str
    src_uri: str  # relative to the docs folder, with "/"


@dataclass
class PageScan:
    pages: list[PageRef] = field(default_factory=list)  # in the order given
    # Reference id -> the pages citing it, each once, in page order.
    citations: dict[str, list[PageRef]] = field(default_factory=dict)

    def cited(self, reference_id: str) -> bool:
        return reference_id in self.citations


def scan_pages(pages: Iterable[tuple[str, str]]) -> PageScan:
    """Scan ``(src_uri, Markdown)`` pairs."""
    scan = PageScan()
    for src_uri, text in pages:
        body = prose(text)
        page = PageRef(_title(src_uri, body), src_uri)
        scan.pages.append(page)
        for found in _CITATION.finditer(body):
            for key in citation_keys(found.group(1)) or []:
                citing = scan.citations.setdefault(key, [])
                if page not in citing:
                    citing.append(page)
    return scan


def read_pages(docs_dir: Path) -> list[tuple[str, str]]:
    """Every Markdown page below ``docs_dir`` as ``(src_uri, text)``, sorted by path."""
    if not docs_dir.is_dir():
        return []
    return [
        (path.relative_to(docs_dir).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted(docs_dir.rglob("*.md"))
    ]


def _title(src_uri: str, body: str) -> str:
    """The first level-1 heading outside code, else a title made from the file name."""
    match = _TITLE.search(body)
    if match:
        return match.group(1)
    return src_uri.rsplit("/", 1)[-1].removesuffix(".md").replace("-", " ").capitalize()


# -- prose: the text with code and comments blanked, line numbers kept ------------------------------

_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s")
# Blocks whose body is indented four spaces and is Markdown, not code: admonitions, details, tabs.
_INDENTED_BODY = re.compile(r"^\s{0,3}(?:!!!|\?\?\?\+?|===)\s")


def prose(text: str) -> str:
    """``text`` with fenced and indented code, code spans and HTML comments replaced by blank
    lines, so what is left is what Markdown reads as text, at the same line numbers."""
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text) if "<!--" in text else text
    out: list[str] = []
    fence: str | None = None
    nested = False  # inside a list item or an admonition: indented lines continue it
    previous_blank = True
    for line in text.split("\n"):
        marker = _FENCE_LINE.match(line)
        if fence is not None:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
            out.append("")
            continue
        if marker:
            fence = marker.group(1)
            out.append("")
            continue
        blank = not line.strip()
        indented = line.startswith(("    ", "\t"))
        if not blank and not indented:
            nested = bool(_LIST_ITEM.match(line) or _INDENTED_BODY.match(line))
        if indented and not nested and (previous_blank or (out and out[-1] == "" and not blank)):
            out.append("")  # an indented code block
            previous_blank = blank
            continue
        previous_blank = blank
        out.append(_CODE_SPAN.sub("", line) if "`" in line else line)
    return "\n".join(out)


# -- the page rules ---------------------------------------------------------------------------------

# A component block opens with "/// name" and closes with "///" (pymdownx.blocks).
BLOCK_OPEN = re.compile(r"^\s*/{3,}\s*([A-Za-z][\w-]*)")
BLOCK_CLOSE = re.compile(r"^\s*/{3,}\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_NESTING = re.compile(r"^(?:\s*(?:[-*+]|\d{1,9}[.)]|>)(?=\s|$))+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def front_matter(text: str) -> tuple[str | None, int]:
    """The page's YAML front matter (None when it has none) and where it ends (0 when it has
    none), as MkDocs finds them."""
    match = _FRONT_MATTER.match(text)
    return (match.group(1) or "", match.end()) if match else (None, 0)


def source_problems(display: str, text: str) -> list[Problem]:
    """What is wrong with a page's Markdown, each problem at its line."""
    size = len(text.encode("utf-8"))
    if size > MAX_PAGE_BYTES:
        return [Problem(display, 1, "", f"the page is {size:,} bytes; at most {MAX_PAGE_BYTES:,} fit", "page-size")]
    problems = []
    control = _CONTROL.search(text)
    if control:
        at = text.count("\n", 0, control.start()) + 1
        problems.append(
            Problem(
                display,
                at,
                "",
                f"control character U+{ord(control.group()):04X}; pages hold text only",
                "page-control-character",
            )
        )
    problems += _front_matter_problems(display, text)
    opened: list[tuple[str, int]] = []
    for number, line in enumerate(prose(text).split("\n"), start=1):
        if "/" in line:
            start, end = BLOCK_OPEN.match(line), BLOCK_CLOSE.match(line)
            if start:
                opened.append((start.group(1), number))
            elif end:
                if opened:
                    opened.pop()
                else:
                    problems.append(Problem(display, number, "", "'///' closes no component block", "block-unopened"))
        if "[@" in line and _HEADING.match(line):
            problems.append(
                Problem(
                    display,
                    number,
                    "",
                    "a citation in a heading; cite in the text below it, where a reader's "
                    "eye and the table of contents expect words only",
                    "citation-in-heading",
                )
            )
        nesting = _NESTING.match(line)
        if nesting and len(re.findall(r"[-*+>]|\d+[.)]", nesting.group(0))) > MAX_NESTING:
            problems.append(
                Problem(
                    display, number, "", f"lists or quotes nested more than {MAX_NESTING} levels deep", "page-nesting"
                )
            )
    for name, number in opened:
        problems.append(
            Problem(
                display,
                number,
                "",
                f"the component block '{name}' is not closed; end it with a line '///'",
                "block-unclosed",
            )
        )
    return problems


# A page with one of these is built empty: MkDocs or Python-Markdown would choke on it.
BLOCKING = frozenset({"page-size", "page-control-character", "page-nesting", "front-matter"})


def blocks_rendering(problems: Iterable[Problem]) -> bool:
    return any(p.code in BLOCKING for p in problems)


def _front_matter_problems(display: str, text: str) -> list[Problem]:
    body, _ = front_matter(text)
    if not body or not body.strip():
        return []
    # The loader's parser: aliases, deep nesting and tags are problems there, with lines.
    parsed, found = parse(body, display)
    if found:
        return [Problem(display, p.line + 1, p.field, f"front matter: {p.message}", "front-matter") for p in found]
    assert parsed is not None
    if not isinstance(parsed.data, dict):
        return [Problem(display, 2, "", "front matter must be a mapping of key: value", "front-matter")]
    problems = []
    for key, value in parsed.data.items():
        line = parsed.line_of((key,)) + 1
        expected = FRONT_MATTER.get(key) if isinstance(key, str) else None
        if expected is None:
            message = f"unknown front-matter key; expected one of: {', '.join(FRONT_MATTER)}"
            problems.append(Problem(display, line, str(key)[:40], message, "front-matter"))
        elif not isinstance(value, expected):
            message = f"expected {'text' if expected is str else 'a list'}"
            problems.append(Problem(display, line, key, message, "front-matter"))
        elif key == "hide" and not all(item in HIDEABLE for item in value):
            problems.append(Problem(display, line, key, f"expected a list of: {', '.join(HIDEABLE)}", "front-matter"))
    return problems


# -- what a page's HTML may hold --------------------------------------------------------------------

# Elements that run code, load other documents or restyle the whole site; no page needs them.
REFUSED_ELEMENTS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "form",
        "base",
        "meta",
        "link",
        "style",
        "template",
        "portal",
    }
)
_URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "data",
        "poster",
        "xlink:href",
        "background",
        "cite",
        "srcset",
        "ping",
        "manifest",
    }
)
# After "\\" became "/" (as browsers read it): http(s), mailto, a fragment, or a path on this site.
_SAFE_URL = re.compile(r"^(?!//)(?:https?://|mailto:|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
# Cheap screen, on the lowercased HTML: a page with none of these needs no parse (almost every
# page of a build). Three plain patterns are five times faster than one with IGNORECASE.
_SUSPECT_ELEMENT = re.compile(r"<(?:" + "|".join(sorted(REFUSED_ELEMENTS)) + r")\b")
# A browser reads an attribute's name after a space, a "/" or a closing quote alike.
_SUSPECT_HANDLER = re.compile(r"[\s/\"']on[a-z]+\s*=")
_SUSPECT_URL = re.compile(
    r"(?:" + "|".join(sorted(_URL_ATTRIBUTES)) + r")\s*=\s*[\"']?+"
    r"(?!https?://|mailto:|#|/(?!/)|\.{1,2}[/#?\"']|[\w%~-]+(?:[./?#\"'\s>]))"
)


def _suspect(html: str) -> bool:
    low = html.lower()
    return bool(
        _SUSPECT_ELEMENT.search(low) or _SUSPECT_HANDLER.search(low) or "srcdoc" in low or _SUSPECT_URL.search(low)
    )


def leaked_placeholder(html: str) -> bool:
    """The generator's and Python-Markdown's placeholders are control characters, which the page
    rules refuse in a page's source: one in a written page means a component or citation did not
    render where it stood."""
    return _CONTROL.search(html) is not None


def placeholder_problem(path: str) -> Problem:
    """The problem of the page built from ``path`` that still holds a placeholder: a bug of ours."""
    message = (
        "an internal placeholder was left in the page (a component or citation that did not render "
        "where it stood); this is a bug: please report it"
    )
    return Problem(path, 1, "", message, "placeholder-left")


def html_problems(html: str) -> list[tuple[str, str]]:
    """What the page's HTML holds that the policy refuses, as ``(message, text to find it by)``."""
    if not _suspect(html):
        return []
    finder = _Refused()
    finder.feed(html)
    finder.close()
    return finder.found


class _Refused(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in REFUSED_ELEMENTS:
            self.found.append((f"a <{tag}> element; pages may not hold {tag} elements", f"<{tag}"))
        for name, value in attrs:
            if name.startswith("on") or name == "srcdoc":
                self.found.append(
                    (f"the attribute {name} on <{tag}>; pages may not hold event handlers or inline documents", name)
                )
            elif name in _URL_ATTRIBUTES and value is not None:
                url = re.sub(r"[\x00-\x20\x7f]", "", value).replace("\\", "/")
                if not _SAFE_URL.match(url):
                    what = (
                        "a link with no scheme to another host"
                        if url.startswith("//")
                        else (f"a {url.split(':', 1)[0][:20]}: URL")
                    )
                    self.found.append(
                        (
                            f"{what} in {name}; links go to http(s) addresses, mailto: or pages of this site",
                            value[:40] or name,
                        )
                    )

    handle_startendtag = handle_starttag
