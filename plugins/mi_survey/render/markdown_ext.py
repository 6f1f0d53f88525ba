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
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from ..load.yaml_source import parse
from ..model.common import CITATION_PATTERN
from .components import COMPONENTS, render_component
from .context import ComponentError, RenderContext

_BLOCK_START = re.compile(r"^\s*/{3,}\s*([A-Za-z][\w-]*)")
_ANCHOR_ID = re.compile(r' id="([^"]+)"')  # as the templates write attributes (a literal start is fast)


@dataclass(frozen=True)
class PageProblem:
    message: str
    needle: str | None


class SurveyExtension(BlocksExtension):
    """``context`` is asked for the current page's RenderContext each time one is needed."""

    def __init__(self, context: Callable[[], RenderContext], **kwargs) -> None:
        self.context = context
        self.problems: list[PageProblem] = []
        # MkDocs finds a page's anchors in its Markdown and raw HTML, not in HTML a block puts in
        # the stash: the blocks hand theirs on, so links to a glossary term check like any other.
        self.anchors: set[str] = set()
        super().__init__(**kwargs)

    def report(self, error: ComponentError) -> str:
        self.problems.append(PageProblem(error.message, error.needle))
        return f'<p class="mi-error">{_escape(error.message)}</p>'

    def take_problems(self) -> list[PageProblem]:
        problems, self.problems = self.problems, []
        return problems

    def take_anchors(self) -> set[str]:
        anchors, self.anchors = self.anchors, set()
        return anchors

    def extendMarkdownBlocks(self, md: Markdown, block_mgr) -> None:  # noqa: N802
        for block_type in _BLOCK_TYPES:
            block_mgr.register(block_type, {"extension": self})
        md.inlinePatterns.register(_Citation(md, self), "survey_citation", 175)
        md.preprocessors.register(_UnknownBlocks(md, self, block_mgr), "survey_unknown_blocks", 5)


class _ComponentBlock(Block):
    ARGUMENT = False

    def on_markdown(self) -> str:
        return "raw"

    def on_create(self, parent: etree.Element) -> etree.Element:
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
                    raise ComponentError(
                        f"{self.NAME}: options are not valid YAML (line {problem.line} of the "
                        f"block): {field}{problem.message}",
                        first_line,
                    )
                assert parsed is not None  # parse gives data or problems
                options = parsed.data
            html = render_component(extension.context(), self.NAME, options)
            extension.anchors.update(_ANCHOR_ID.findall(html))
        except ComponentError as error:
            if error.needle is None or error.needle not in body:  # e.g. a key written in quotes
                error.needle = first_line
            html = extension.report(error)
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
        try:
            html = self.extension.context().cite(m.group(1))
        except ComponentError as error:
            html = self.extension.report(error)
        return self.md.htmlStash.store(html), m.start(0), m.end(0)


class _UnknownBlocks(Preprocessor):
    """A misspelt block name would otherwise come out as a paragraph of text."""

    def __init__(self, md: Markdown, extension: SurveyExtension, block_mgr) -> None:
        super().__init__(md)
        self.extension = extension
        self.block_mgr = block_mgr

    def run(self, lines: list[str]) -> list[str]:
        for line in lines:
            match = _BLOCK_START.match(line)
            if match and match.group(1) not in self.block_mgr.blocks:
                known = ", ".join(sorted(self.block_mgr.blocks))
                self.extension.report(
                    ComponentError(f"unknown component '{match.group(1)}'; expected one of: {known}", line.strip())
                )
        return lines


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
