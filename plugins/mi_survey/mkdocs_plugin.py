"""The MkDocs adapter: a few lines per hook, each calling the load and render layers.

Once per build it loads the knowledge base; it adds the generated pages and the exports, gives
each page the links its components need, applies the page rules, fills in "what links here",
and fails the build with every problem as ``path:line: message``. ``mkdocs serve`` rebuilds when
the data or the templates change (not this package: see ``on_serve``).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .git_dates import SourceDates, date_generated_page, revision_plugin
from .load import (
    ContentError,
    Edition,
    Problem,
    RefusedFilesError,
    blocks_rendering,
    placeholder_problem,
    refused_files,
    source_problems,
)
from .render import RenderContext, SurveyExtension
from .render.backlinks import Backlinks
from .render.diagrams import mermaid_import_fixed
from .render.exports import ExportFolder, OutsideFolderError
from .render.pages import GeneratedPage, expand_nav
from .render.print_page import finish_print_page
from .render.scholarly import INDEX_PAGES, cover_facts
from .render.survey_build import SiteSettings, SurveyBuild
from .theme_templates import cache_theme_templates

# Set by `mike deploy` for its build: the folder on gh-pages the build is published into.
MIKE_VERSION = "MIKE_DOCS_VERSION"


class SurveyConfig(Config):
    data_dir = c.Type(str, default="content/data")
    templates_dir = c.Type(str, default="templates/components")
    # Prefix, relative to repo_url, of an edit link for any file of the project (not only docs).
    edit_root = c.Type(str, default="edit/main/")
    # Every reference must be cited by a page or a record: an uncited one is a claim-less source.
    require_citations = c.Type(bool, default=True)
    # Pages that list rather than argue: no "Cite this page" and no scholarly meta tags. A path
    # ending in "/" stands for every page below it.
    index_pages = c.ListOfItems(
        c.Type(str),
        default=list(INDEX_PAGES),
    )


class SurveyPlugin(BasePlugin[SurveyConfig]):
    def __init__(self) -> None:
        # What the build made before its first page (knowledge base, render context, citations),
        # let go once every page's content has rendered (on_env).
        self.build: SurveyBuild | None = None
        self.page_context: RenderContext | None = None  # the page being rendered
        self.extension = SurveyExtension(context=self._render_context)
        self.problems: list[Problem] = []
        self.backlinks = Backlinks()
        self.generated: dict[str, GeneratedPage] = {}  # by page src_uri; kept to the end of the build
        self.source_dates: SourceDates | None = None  # last commit of each data file
        self.exports = ExportFolder()
        self.page_parts: dict[str, tuple[str, str]] = {}  # each page's head tags and foot, by src_uri

    def _root(self, config) -> Path:
        # Absolute as MkDocs makes docs_dir: `mkdocs build -f mkdocs.yml` (as mike runs it) gives
        # a relative config_file_path.
        return Path(os.path.abspath(config.config_file_path)).parent

    def _path(self, config, option: str) -> Path:
        return self._root(config) / getattr(self.config, option)

    def _page_path(self, page, config) -> str:
        """The file a contributor edits for the page, relative to the project."""
        origin = self.generated.get(page.file.src_uri)
        if origin:
            return origin.edit_source
        return f"{Path(config.docs_dir).relative_to(self._root(config)).as_posix()}/{page.file.src_uri}"

    def on_config(self, config):
        self.problems, self.backlinks, self.page_context = [], Backlinks(), None
        root = self._root(config)
        try:
            site = SiteSettings.read(config, self.config)
            build = SurveyBuild.prepare(
                root, self.config.data_dir, self._path(config, "templates_dir"), date.today(), site
            )
        except RefusedFilesError as error:
            raise PluginError("files the build will not read:\n" + "\n".join(map(str, error.problems))) from None
        except ContentError as error:
            raise PluginError("the content does not validate:\n" + error.report()) from None
        self.build, self.generated = build, build.generated
        # The PDF's cover (templates/print/cover.html) cites the edition as the home page does.
        config.extra["survey_cover"] = cover_facts(build.citations)
        self.page_parts = {}
        self._check_published_edition(config, build.edition)
        if self.extension not in config.markdown_extensions:
            config.markdown_extensions.append(self.extension)
        build.markdown_extensions(config.markdown_extensions, config.mdx_configs)
        if config.nav:
            config.nav = expand_nav(config.nav, list(self.generated))
        return config

    def _check_published_edition(self, config, edition: Edition) -> None:
        """Only in a build ``mike deploy`` publishes, and only as CITATION.cff's edition.

        Material's version selector and outdated banner (``extra.version``) belong to the editions
        mike publishes on gh-pages beside their versions.json. A plain build (``make build``,
        ``make serve``, the tests) has no versions.json, and the selector's request for it would
        fail on every page: there the setting is dropped.
        """
        folder = os.environ.get(MIKE_VERSION)
        if not folder:
            config.extra.pop("version", None)
        elif refusal := edition.refuses_folder(folder):
            raise PluginError(refusal)

    def on_files(self, files: Files, config) -> Files:
        build = self.build
        assert build is not None
        # Before anything is read or copied (a link to /dev/zero would never finish); the theme's
        # files come from the installed theme, not from a contribution.
        docs = os.path.join(os.path.abspath(config.docs_dir), "")
        contributed = [f.abs_src_path for f in files if f.abs_src_path and f.abs_src_path.startswith(docs)]
        refused = refused_files(self._root(config), contributed)
        if refused:
            raise PluginError("files the build will not publish:\n" + "\n".join(map(str, refused)))
        for page in self.generated.values():
            files.append(File.generated(config, page.path, content=page.markdown))
        # Generated pages are dated by their YAML sources: one `git log` for all, once per build.
        if revision_plugin(config):
            self.source_dates = SourceDates.read(self._root(config), self.config.data_dir)
        written = [f for f in files.documentation_pages() if f.src_uri not in self.generated]
        self.problems += build.read_pages((f.src_uri, f.content_string) for f in written)
        try:
            folder = self.exports.fresh()
            site_files = build.write_site_files(folder)
        except (OSError, OutsideFolderError) as error:
            raise PluginError(f"cannot write the exports to a temporary folder: {error}") from None
        for path in site_files:
            files.append(
                File.generated(config, path, abs_src_path=str(folder / path), inclusion=InclusionLevel.NOT_IN_NAV)
            )
        return files

    def _render_context(self) -> RenderContext:
        context = self.page_context or (self.build.context if self.build else None)
        if context is None:  # after on_env, or outside a build
            raise PluginError("survey components and citations render only while MkDocs renders pages' content")
        return context

    def on_page_read_source(self, page, config):
        # The page rules read the Markdown before MkDocs parses its front matter (an alias bomb
        # there exhausts memory) and Python-Markdown renders it (a list nested a thousand deep
        # exhausts the stack): such a page is built empty.
        source = page.file.content_string
        if page.file.src_uri in self.generated:
            return source
        problems = source_problems(self._page_path(page, config), source)
        self.problems += problems
        return "" if blocks_rendering(problems) else source

    @event_priority(-50)  # after git-revision-date-localized, whose dates a generated page replaces
    def on_page_markdown(self, markdown, page, config, files):
        assert self.build is not None
        self.page_context = self.build.context.for_page(_linker(page.file, files), page.url)
        self.build.page_meta(page.meta, page.file.src_uri)
        generated = self.generated.get(page.file.src_uri)
        if generated:
            if config.repo_url:
                page.edit_url = f"{config.repo_url.rstrip('/')}/{self.config.edit_root}{generated.edit_source}"
            if self.source_dates is not None:
                date_generated_page(page, self.source_dates.of(generated.edit_source), revision_plugin(config))
        self.extension.take_problems()
        self.extension.take_anchors()
        return markdown

    def on_page_content(self, html, page, config, files):
        generated = self.generated.get(page.file.src_uri)
        html, located = self.extension.finish_page(html, None if generated else page.file.content_string)
        path = self._page_path(page, config)
        self.problems += [Problem(path, line, "", problem.message, problem.code) for line, problem in located]
        assert self.page_context is not None and self.build is not None
        self.page_parts[page.file.src_uri] = self.build.page_parts(
            self.page_context, page.file.src_uri, page.url, html, path
        )
        self.page_context = None
        title = generated.title if generated else (page.title or page.url)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(self.extension.take_anchors())
        return self.backlinks.record(page.url, title, page.file.abs_dest_path, html)

    def on_env(self, env, config, files):
        # Every page's content has rendered: "what links here" is known for all. Nothing later
        # renders content, so the knowledge base and the render caches go before the theme's pass.
        assert self.build is not None
        self.backlinks.render(self.build.context)
        self.build = self.page_context = None
        cache_theme_templates(env)
        return env

    def on_page_context(self, context, page, config, nav):
        # The theme's main.html prints these: the meta tags in its head, the foot after the page.
        context["survey_head"], context["survey_foot"] = self.page_parts.get(page.file.src_uri, ("", ""))
        return context

    @event_priority(-50)  # after mermaid2, whose script it corrects
    def on_post_page(self, output, page, config):
        output = self.backlinks.fill(page.url, mermaid_import_fixed(output, page.file.dest_uri))
        if self.backlinks.unfinished(output):
            self.problems.append(placeholder_problem(self._page_path(page, config)))
        return output

    def _finish(self, config):
        self.exports.close()  # MkDocs has copied them into the site
        self.backlinks.fill_written()
        if self.problems:
            count = len(self.problems)
            raise PluginError("\n".join(map(str, self.problems)) + f"\n{count} page problem{'s' * (count != 1)} found.")

    @event_priority(-100)  # after mkdocs-print-site-plugin has written the print page
    def _print_page(self, config):
        finish_print_page(Path(config.site_dir), self.backlinks.mark)

    on_post_build = CombinedEvent(_finish, _print_page)

    def on_build_error(self, error):
        self.exports.close()

    def on_serve(self, server, config, builder):
        # Not this package: a rebuild runs the code the process imported at its start, so a change
        # to the generator's Python code shows only when `make serve` is started again.
        for path in (self._path(config, "data_dir"), self._path(config, "templates_dir")):
            server.watch(str(path))
        return server


def _linker(page_file: File, files: Files):
    """A page's links to other pages of the site, as URLs relative to it."""

    def linker(path: str) -> str:
        target, _, fragment = path.partition("#")
        file = files.get_file_from_path(target)
        url = file.url_relative_to(page_file) if file else target
        return f"{url}#{fragment}" if fragment else url

    return linker
