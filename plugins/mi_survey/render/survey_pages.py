"""The survey's pages rendered one after another, whichever engine drives the build.

The MkDocs adapter and ``mi-survey export`` take each page through the same steps: ``start``
before its Markdown is converted (by a converter that holds ``extension``), ``finish`` after it;
once every page has finished, ``close``; then ``written`` as each page is written out, which puts
its "what links here" in place. Every page's problems gather in ``problems``, each at its line of
the file a contributor edits. With ``search_views``, an engine whose search indexer reads the
pages' content (MkDocs with Material's ``search``) hands it ``view_for_search`` and takes the page
back with ``indexed`` (see search_view.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..load import Problem, leaked_placeholder, placeholder_problem
from . import search_view
from .backlinks import Backlinks
from .context import Linker, RenderContext
from .markdown_ext import SurveyExtension
from .survey_build import SurveyBuild

log = logging.getLogger("mi_survey.render")


class SurveyPages:
    def __init__(
        self,
        build: SurveyBuild,
        docs_dir: str,
        error: Callable[[str], Exception] = RuntimeError,
        search_views: bool = False,
    ) -> None:
        """``docs_dir`` is the folder of the written pages, relative to the project; ``error``
        makes the engine's kind of error (raised when content renders after ``close``);
        ``search_views``: the engine's search indexer is Material's, handed ``view_for_search``."""
        self.build: SurveyBuild | None = build  # let go at close: nothing renders content after
        self.generated = build.generated  # the pages made from records, by src_uri
        self.docs_dir = docs_dir
        self.error = error
        # Each finished page's content and where its cards' entries lie, until it is indexed.
        self._skips: dict[str, tuple[str, search_view.Spans]] | None = {} if search_views else None
        if search_views:
            build.context.mark_card_entries()
        self._viewing: dict[str, tuple[str, str]] = {}  # the view handed out and the page, by src_uri
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
            raise self.error("survey components and citations render only while the pages' content renders")
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
        marked, spans = search_view.unmark(html)
        html, located = self.extension.finish_page(marked, None if generated else source)
        path = self.source_path(src)
        self.problems += [Problem(path, line, "", problem.message, problem.code) for line, problem in located]
        self.parts[src] = self.build.page_parts(self._page, src, url, html, path)
        if leaked_placeholder(html) or any(map(leaked_placeholder, self.parts[src])):
            self.problems.append(placeholder_problem(path))
        self._page = None
        content = self.backlinks.record(url, generated.title if generated else title, dest_path, html)
        # Not a page refused for its HTML (a notice replaced it), nor one whose source excludes.
        if self._skips is not None and html is marked and search_view.may_skip(html, spans, source):
            self._skips[src] = (content, spans)
        return content, self.extension.take_anchors()

    def view_for_search(self, src: str, content: str) -> str:
        """What the search indexer should read of page ``src``, whose ``content`` is as finished."""
        if self._skips is None or (skip := self._skips.pop(src, None)) is None:
            return content
        finished, spans = skip
        if content is not finished:
            log.debug("%s changed after it finished: the search indexer reads all of it", src)
            return content
        view = search_view.leave_out(content, spans)
        self._viewing[src] = (view, content)
        return view

    def indexed(self, src: str, content: str) -> str:
        """Page ``src`` as published, once the indexer has read ``content`` (its search view)."""
        if (viewing := self._viewing.pop(src, None)) is None:
            return content
        view, published = viewing
        if content is not view and content != view:
            raise self.error(
                f"{src}: the page's content changed while the search index read it (a plugin's "
                "on_page_context between the survey's and search's?): the page cannot be put back"
            )
        return published

    def close(self) -> None:
        """Every page has finished: "what links here" is known for each. The knowledge base and
        the render caches go."""
        assert self.build is not None, "closed twice"
        self.backlinks.render(self.build.context)
        self.build = None

    def written(self, src: str, url: str, output: str, titles: tuple[str, ...] = ()) -> str:
        """Page ``src`` as it is written out (``output``), with its "what links here" in place. A
        page that still holds a placeholder is a problem (a bug of ours). Its content, head tags
        and foot were checked as it finished; besides them an engine's theme prints the page's
        ``titles`` (its own and its table of contents'), checked here, and other pages' titles,
        each checked on its own page: the whole output, mostly navigation, is not searched. (The
        "what links here" block put in here is our template over those titles.)"""
        output, mark_left = self.backlinks.fill(url, output)
        if mark_left or any(map(leaked_placeholder, titles)):
            self.problems.append(placeholder_problem(self.source_path(src)))
        return output
