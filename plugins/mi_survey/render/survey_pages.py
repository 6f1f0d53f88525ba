"""The survey's pages rendered one after another, whichever engine drives the build.

The MkDocs adapter and ``mi-survey export`` take each page through the same steps: ``start``
before its Markdown is converted (by a converter that holds ``extension``), ``finish`` after it;
once every page has finished, ``close``; then ``written`` as each page is written out, which puts
its "what links here" in place. Every page's problems gather in ``problems``, each at its line of
the file a contributor edits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..load import Problem, placeholder_problem
from .backlinks import Backlinks
from .context import Linker, RenderContext
from .markdown_ext import SurveyExtension
from .survey_build import SurveyBuild


class SurveyPages:
    def __init__(self, build: SurveyBuild, docs_dir: str, closed: Callable[[str], Exception] = RuntimeError) -> None:
        """``docs_dir`` is the folder of the written pages, relative to the project; ``closed``
        makes the error (of the engine's kind) raised when content renders after ``close``."""
        self.build: SurveyBuild | None = build  # let go at close: nothing renders content after
        self.generated = build.generated  # the pages made from records, by src_uri
        self.docs_dir = docs_dir
        self.closed = closed
        self.extension = SurveyExtension(context=self.context)
        self.backlinks = Backlinks()
        self.problems: list[Problem] = []
        self.parts: dict[str, tuple[str, str]] = {}  # each page's head tags and foot, by src_uri
        self._page: RenderContext | None = None  # the page between start and finish

    def context(self) -> RenderContext:
        """The render context of the page being converted; between pages, the build's."""
        if self._page is not None:
            return self._page
        if self.build is None:
            raise self.closed("survey components and citations render only while the pages' content renders")
        return self.build.context

    def source_path(self, src: str) -> str:
        """The file a contributor edits for page ``src``, relative to the project."""
        generated = self.generated.get(src)
        return generated.edit_source if generated else f"{self.docs_dir}/{src}"

    def start(self, src: str, url: str, linker: Linker, meta: dict[str, Any]) -> None:
        """Before page ``src`` (at ``url``) is converted: its links go through ``linker``, and its
        front matter (``meta``) is made safe to print."""
        assert self.build is not None, "start after close"
        self._page = self.build.context.for_page(linker, url)
        self.build.page_meta(meta, src)
        self.extension.take_problems()
        self.extension.take_anchors()

    def finish(
        self, src: str, url: str, html: str, source: str, title: str, dest_path: str = ""
    ) -> tuple[str, set[str]]:
        """After page ``src`` is converted into ``html`` from ``source`` (its Markdown): its content
        as published, which holds the mark of its "what links here", and the anchors its
        components made. ``title`` is a written page's (a generated page has its record's);
        ``dest_path`` is the file the page is written to."""
        assert self.build is not None and self._page is not None, "finish without start"
        generated = self.generated.get(src)
        html, located = self.extension.finish_page(html, None if generated else source)
        path = self.source_path(src)
        self.problems += [Problem(path, line, "", problem.message, problem.code) for line, problem in located]
        self.parts[src] = self.build.page_parts(self._page, src, url, html, path)
        self._page = None
        content = self.backlinks.record(url, generated.title if generated else title, dest_path, html)
        return content, self.extension.take_anchors()

    def close(self) -> None:
        """Every page has finished: "what links here" is known for each. The knowledge base and
        the render caches go."""
        assert self.build is not None, "closed twice"
        self.backlinks.render(self.build.context)
        self.build = None

    def written(self, src: str, url: str, output: str) -> str:
        """Page ``src`` as it is written out (``output``), with its "what links here" in place. A
        page that still holds a placeholder is a problem (a bug of ours)."""
        output = self.backlinks.fill(url, output)
        if self.backlinks.unfinished(output):
            self.problems.append(placeholder_problem(self.source_path(src)))
        return output
