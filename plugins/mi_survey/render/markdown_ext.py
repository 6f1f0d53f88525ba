"""The Python-Markdown extension pages are written against: component blocks and citations.

Components are ``pymdownx.blocks`` blocks whose body is YAML options; citations are ``[@key]``.
Problems are collected rather than raised, so one build reports every page's problems and the
MkDocs adapter decides how to fail.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from ..load import BLOCK_CLOSE, BLOCK_OPEN, html_problems, parse, prose
from ..model.common import CITATION_PATTERN
from .components import COMPONENTS, render_component
from .context import ComponentError, RenderContext

_ANCHOR_ID = re.compile(r' id="([^"]+)"')  # as the templates write attributes (a literal start is fast)


@dataclass(frozen=True)
class PageProblem:
    message: str
    needle: str | None  # text to find it by in the page
    block: int | None = None  # the component block it is in: 0 for the page's first block, ...
    code: str = ""


class SurveyExtension(BlocksExtension):
    """``context`` is asked for the current page's RenderContext each time one is needed."""

    def __init__(self, context: Callable[[], RenderContext], **kwargs) -> None:
        self.context = context
        self.problems: list[PageProblem] = []
        # MkDocs finds a page's anchors in its Markdown and raw HTML, not in HTML a block puts in
        # the stash: the blocks hand theirs on, so links to a glossary term check like any other.
        self.anchors: set[str] = set()
        self.blocks = 0  # component blocks of the current page opened so far, in page order
        super().__init__(**kwargs)

    def report(self, error: ComponentError, block: int | None = None) -> str:
        self.problems.append(PageProblem(error.message, error.needle, block, error.code))
        return f'<p class="mi-error">{_escape(error.message)}</p>'

    def take_problems(self) -> list[PageProblem]:
        problems, self.problems = self.problems, []
        self.blocks = 0
        return problems

    def finish_page(self, html: str, source: str | None) -> tuple[str, list[tuple[int, PageProblem]]]:
        """The page's content as it may be published, and its problems as (line, message).

        ``source`` is the page's Markdown (None for a page written from records, whose problems
        are at line 1 of its record's file). A page holding what the contributors' policy refuses
        is replaced by a notice: not even a preview shows it."""
        refused = [PageProblem(message, needle, None, "page-html") for message, needle in html_problems(html)]
        problems = [*self.take_problems(), *refused]
        located = locate(source, problems) if source is not None else [(1, p) for p in problems]
        return (_REFUSED_PAGE if refused else html), located

    def take_anchors(self) -> set[str]:
        anchors, self.anchors = self.anchors, set()
        return anchors

    def extendMarkdownBlocks(self, md: Markdown, block_mgr) -> None:  # noqa: N802 - Python-Markdown's method name
        for block_type in _BLOCK_TYPES:
            block_mgr.register(block_type, {"extension": self})
        md.inlinePatterns.register(_Citation(md, self), "survey_citation", 175)
        md.preprocessors.register(_UnknownBlocks(md, self, block_mgr), "survey_unknown_blocks", 5)
        md.treeprocessors.register(_EditorsNotes(md, self), "survey_editors_notes", 5)


class _ComponentBlock(Block):
    ARGUMENT = False

    def on_markdown(self) -> str:
        return "raw"

    def on_create(self, parent: etree.Element) -> etree.Element:
        extension: SurveyExtension = self.config["extension"]
        self.index = extension.blocks
        extension.blocks += 1
        return etree.SubElement(parent, "div", {"class": f"mi-component mi-{self.NAME}"})

    def on_end(self, block: etree.Element) -> None:
        extension: SurveyExtension = self.config["extension"]
        body = block.text or ""
        first_line = next((line.strip() for line in body.splitlines() if line.strip()), f"/// {self.NAME}")
        try:
            options: object = {}
            if any(line.strip() and not line.lstrip().startswith("#") for line in body.splitlines()):
                # The loader's parser: deep nesting, aliases and unreadable values are problems there,
                # where plain yaml.load overflows the stack or raises a bare ValueError.
                parsed, found = parse(str(body), self.NAME)  # an exact str: libyaml refuses subclasses
                if found:
                    problem = found[0]
                    field = f"{problem.field}: " if problem.field else ""
                    body_lines = body.splitlines()
                    at = body_lines[problem.line - 1].strip() if 0 < problem.line <= len(body_lines) else ""
                    raise ComponentError(
                        f"{self.NAME}: options are not valid YAML (line {problem.line} of the "
                        f"block): {field}{problem.message}",
                        at or first_line,
                        problem.code,
                    )
                assert parsed is not None  # parse gives data or problems
                options = parsed.data
            html = render_component(extension.context(), self.NAME, options)
            extension.anchors.update(_ANCHOR_ID.findall(html))
        except ComponentError as error:
            if error.needle is None or error.needle not in body:  # e.g. a key written in quotes
                error.needle = first_line
            html = extension.report(error, self.index)
        block.text = self.md.htmlStash.store(html)


# One block class per component, made once: MkDocs registers the extension again for every page.
_BLOCK_TYPES = [
    type(f"{name.title().replace('-', '')}Block", (_ComponentBlock,), {"NAME": name}) for name in COMPONENTS
]


class _Citation(InlineProcessor):
    def __init__(self, md: Markdown, extension: SurveyExtension) -> None:
        super().__init__(CITATION_PATTERN, md)
        self.extension = extension

    def handleMatch(self, m, data):  # type: ignore[override]  # noqa: N802 - Python-Markdown's names; its stubs say Element, a stash key is a str
        opened = data.rfind("<!--", 0, m.start(0))
        if opened != -1 and data.find("-->", opened, m.start(0)) == -1:
            return None, None, None  # inside an HTML comment: no reader sees it
        try:
            html = self.extension.context().cite(m.group(1))
        except ComponentError as error:
            html = self.extension.report(error)
        return self.md.htmlStash.store(html), m.start(0), m.end(0)


# An admonition of one of these types is the editors' own statement on a page (`!!! editorial`)
# or says where the page departs from a source (`!!! correction`): its title gets the marker the
# records' editorial fields and corrections show (the macros of macros.html), linking to the
# editorial policy.
EDITORS_NOTES = ("editorial", "correction")


class _EditorsNotes(Treeprocessor):
    def __init__(self, md: Markdown, extension: SurveyExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        for div in root.iter("div"):
            classes = div.get("class", "").split()
            kind = next((k for k in EDITORS_NOTES if k in classes), None)
            if "admonition" not in classes or kind is None:
                continue
            heading = next((c for c in div if c.tag == "p" and "admonition-title" in c.get("class", "")), None)
            if heading is None:  # `!!! editorial ""` has no title: the marker still shows
                heading = etree.Element("p", {"class": "admonition-title"})
                div.insert(0, heading)
            context = self.extension.context()
            macros = context.shared.citation_macros
            marker = context.resolve(str(macros.editorial() if kind == "editorial" else macros.corrected("page")))
            placeholder = self.md.htmlStash.store(marker)
            if len(heading):
                heading[-1].tail = (heading[-1].tail or "") + placeholder
            else:
                heading.text = (heading.text or "") + placeholder


class _UnknownBlocks(Preprocessor):
    """A misspelt block name would otherwise come out as a paragraph of text."""

    def __init__(self, md: Markdown, extension: SurveyExtension, block_mgr) -> None:
        super().__init__(md)
        self.extension = extension
        self.block_mgr = block_mgr

    def run(self, lines: list[str]) -> list[str]:
        for line in lines:
            match = BLOCK_OPEN.match(line)
            if match and match.group(1) not in self.block_mgr.blocks:
                known = ", ".join(sorted(self.block_mgr.blocks))
                self.extension.report(
                    ComponentError(
                        f"unknown component '{match.group(1)}'; expected one of: {known}",
                        line.strip(),
                        "component-unknown",
                    )
                )
        return lines


def locate(source: str, problems: list[PageProblem]) -> list[tuple[int, PageProblem]]:
    """Each problem's line in the page's Markdown.

    A problem in a component block is looked for in that block (the n-th block opened outside
    code); any other, by its text outside code, its second report at the text's second place."""
    lines = prose(source).split("\n")
    openings = [n for n, line in enumerate(lines) if (m := BLOCK_OPEN.match(line)) and m.group(1) in COMPONENTS]
    located = []
    seen: dict[str | None, int] = {}
    for problem in problems:
        if problem.block is not None and problem.block < len(openings):
            start = openings[problem.block]
            end = next((n for n in range(start + 1, len(lines)) if BLOCK_CLOSE.match(lines[n])), len(lines))
            inside = [n for n in range(start, end) if problem.needle and problem.needle in lines[n]]
            located.append(((inside[0] if inside else start) + 1, problem))
            continue
        seen[problem.needle] = seen.get(problem.needle, 0) + 1
        found = [n for n, line in enumerate(lines) if problem.needle and problem.needle in line]
        occurrence = seen[problem.needle]
        located.append((found[occurrence - 1] + 1 if len(found) >= occurrence else 1, problem))
    return located


_REFUSED_PAGE = '<p class="mi-error">This page holds what the site does not publish; see the build log.</p>'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
