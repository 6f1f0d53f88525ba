"""The MkDocs adapter: a few lines per hook, each calling the load and render layers.

Once per build it loads the knowledge base; it adds the generated pages and the exports, takes
each page through the render layer's SurveyPages, applies the page rules, and fails the build
with every problem as ``path:line: field: message [code]``. ``mkdocs serve`` rebuilds when the
data or the templates change (not this package: see ``on_serve``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .git_dates import SourceDates, date_generated_page, revision_plugin
from .load import ContentError, RefusedFilesError, blocks_rendering, refused_files, source_problems
from .mkdocs_config import SurveyConfig
from .render import SurveyExtension
from .render.diagrams import mermaid_import_fixed
from .render.exports import ExportFolder, OutsideFolderError
from .render.pages import expand_nav
from .render.print_page import finish_print_page
from .render.scholarly import cover_facts
from .render.search_view import without_tokens
from .render.survey_build import SiteSettings, SurveyBuild
from .render.survey_pages import SurveyPages
from .theme_templates import cache_theme_templates

# Set by `mike deploy` for its build: the folder on gh-pages the build is published into.
MIKE_VERSION = "MIKE_DOCS_VERSION"


class SurveyPlugin(BasePlugin[SurveyConfig]):
    def __init__(self) -> None:
        self.pages: SurveyPages | None = None  # this build's, from on_config on
        self.source_dates: SourceDates | None = None  # last commit of each data file
        self.exports = ExportFolder()

    def _root(self, config) -> Path:
        # Absolute as MkDocs makes docs_dir: `mkdocs build -f mkdocs.yml` (as mike runs it) gives
        # a relative config_file_path.
        return Path(os.path.abspath(config.config_file_path)).parent

    def on_config(self, config):
        root = self._root(config)
        try:
            site = SiteSettings.read(config, self.config)
            build = SurveyBuild.prepare(
                root, self.config.data_dir, root / self.config.templates_dir, date.today(), site
            )
        except RefusedFilesError as error:
            raise PluginError("files the build will not read:\n" + "\n".join(map(str, error.problems))) from None
        except ContentError as error:
            raise PluginError("the content does not validate:\n" + error.report()) from None
        docs = Path(config.docs_dir).relative_to(root).as_posix()
        # The search view is for Material's indexer, which skips excluded elements (MkDocs' own does not).
        # (MkDocs names it "material/search" however mkdocs.yml does.)
        material_search = any(type(p).__module__.startswith("material.plugins.search") for p in config.plugins.values())
        self.pages = pages = SurveyPages(build, docs, error=PluginError, search_views=material_search)
        # The PDF's cover (templates/print/cover.html) cites the edition as the home page does.
        config.extra["survey_cover"] = cover_facts(build.citations)
        # Material's version selector and outdated banner belong to the editions `mike deploy`
        # publishes beside their versions.json; in any other build the selector's request for
        # that file would fail on every page. A published edition's folder is CITATION.cff's.
        if not (folder := os.environ.get(MIKE_VERSION)):
            config.extra.pop("version", None)
        elif refusal := build.edition.refuses_folder(folder):
            raise PluginError(refusal)
        # Ours replaces an earlier build's, should MkDocs hand this configuration over again.
        extensions = [e for e in config.markdown_extensions if not isinstance(e, SurveyExtension)]
        config.markdown_extensions[:] = [*extensions, pages.extension]
        build.markdown_extensions(config.markdown_extensions, config.mdx_configs)
        if config.nav:
            config.nav = expand_nav(config.nav, list(pages.generated))
        return config

    def on_files(self, files: Files, config) -> Files:
        assert self.pages is not None and self.pages.build is not None
        pages, build = self.pages, self.pages.build
        # Before anything is read or copied (a link to /dev/zero would never finish); the theme's
        # files come from the installed theme, not from a contribution.
        docs = os.path.join(os.path.abspath(config.docs_dir), "")
        contributed = [f.abs_src_path for f in files if f.abs_src_path and f.abs_src_path.startswith(docs)]
        if refused := refused_files(self._root(config), contributed):
            raise PluginError("files the build will not publish:\n" + "\n".join(map(str, refused)))
        for page in pages.generated.values():
            files.append(File.generated(config, page.path, content=page.markdown))
        # Generated pages are dated by their YAML sources: one `git log` for all, once per build.
        if revision_plugin(config):
            self.source_dates = SourceDates.read(self._root(config), self.config.data_dir)
        written = [f for f in files.documentation_pages() if f.src_uri not in pages.generated]
        pages.problems += build.read_pages((f.src_uri, f.content_string) for f in written)
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

    def on_page_read_source(self, page, config):
        # The page rules read the Markdown before MkDocs parses its front matter (an alias bomb
        # there exhausts memory) and Python-Markdown renders it (a list nested a thousand deep
        # exhausts the stack): such a page is built empty.
        assert self.pages is not None
        source = page.file.content_string
        if page.file.src_uri in self.pages.generated:
            return source
        problems = source_problems(self.pages.source_path(page.file.src_uri), source)
        self.pages.problems += problems
        return "" if blocks_rendering(problems) else source

    @event_priority(-50)  # after git-revision-date-localized, whose dates a generated page replaces
    def on_page_markdown(self, markdown, page, config, files):
        assert self.pages is not None
        self.pages.start(page.file.src_uri, page.url, _linker(page.file, files), page.meta)
        if generated := self.pages.generated.get(page.file.src_uri):
            if config.repo_url:
                page.edit_url = f"{config.repo_url.rstrip('/')}/{self.config.edit_root}{generated.edit_source}"
            if self.source_dates is not None:
                date_generated_page(page, self.source_dates.of(generated.edit_source), revision_plugin(config))
        return markdown

    def on_page_content(self, html, page, config, files):
        assert self.pages is not None
        file = page.file
        html, anchors = self.pages.finish(
            file.src_uri, page.url, html, file.content_string, page.title or page.url, file.abs_dest_path
        )
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(anchors)
        # A heading holding a citation named its TOC entry (and the page) before the page finished.
        for item in _toc_items(page.toc):
            item.title = without_tokens(item.title)
        if page.title and page.title != (plain := without_tokens(page.title)):
            page.title = plain
        return html

    def on_env(self, env, config, files):
        # Every page's content has rendered; nothing later renders content, so the knowledge
        # base and the render caches go before the theme's pass.
        assert self.pages is not None
        self.pages.close()
        cache_theme_templates(env)
        return env

    @event_priority(50)  # before Material's search, which indexes page.content: it reads less
    def _view_for_search(self, context, page, config, nav):
        assert self.pages is not None
        page.content = self.pages.view_for_search(page.file.src_uri, page.content)
        # The theme's main.html prints these: the meta tags in its head, the foot after the page.
        context["survey_head"], context["survey_foot"] = self.pages.parts.get(page.file.src_uri, ("", ""))
        return context

    @event_priority(-50)  # after search: the page whole again, before the theme renders it
    def _indexed(self, context, page, config, nav):
        assert self.pages is not None
        page.content = self.pages.indexed(page.file.src_uri, page.content)
        return context

    on_page_context = CombinedEvent(_view_for_search, _indexed)

    @event_priority(-50)  # after mermaid2, whose script it corrects
    def on_post_page(self, output, page, config):
        assert self.pages is not None
        output = mermaid_import_fixed(output, page.file.dest_uri)
        titles = (page.title or "", *(item.title for item in _toc_items(page.toc)))
        return self.pages.written(page.file.src_uri, page.url, output, titles)

    def _finish(self, config):
        assert self.pages is not None
        self.exports.close()  # MkDocs has copied them into the site
        self.pages.backlinks.fill_written()
        if problems := self.pages.problems:
            count = len(problems)
            raise PluginError("\n".join(map(str, problems)) + f"\n{count} page problem{'s' * (count != 1)} found.")

    @event_priority(-100)  # after mkdocs-print-site-plugin has written the print page
    def _print_page(self, config):
        assert self.pages is not None
        finish_print_page(Path(config.site_dir), self.pages.backlinks.mark)

    on_post_build = CombinedEvent(_finish, _print_page)

    def on_build_error(self, error):
        self.exports.close()

    def on_serve(self, server, config, builder):
        # Not this package: a rebuild runs the code the process imported at its start, so a change
        # to the generator's Python code shows only when `make serve` is started again.
        root = self._root(config)
        for folder in (self.config.data_dir, self.config.templates_dir):
            server.watch(str(root / folder))
        return server


def _toc_items(toc) -> Iterator:
    """A page's table of contents, nested entries included."""
    for item in toc:
        yield item
        yield from _toc_items(item.children)


def _linker(page_file: File, files: Files):
    """A page's links to other pages of the site, as URLs relative to it."""

    def linker(path: str) -> str:
        target, _, fragment = path.partition("#")
        file = files.get_file_from_path(target)
        url = file.url_relative_to(page_file) if file else target
        return f"{url}#{fragment}" if fragment else url

    return linker
