"""The MkDocs adapter: a thin layer that wires the load and render layers into a build.

Once per build it loads the knowledge base; it adds the generated pages and exports, binds each
page's links for the components, turns component problems into ``page:line`` errors, and tells
``mkdocs serve`` to rebuild when data, templates or this package change.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
import secrets
import tempfile
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from .git_dates import SourceDates, date_generated_page, revision_plugin
from .load import ContentError, KnowledgeBase, load, page_rules, scan_pages
from .render import RenderContext, SurveyExtension
from .render.exports import bibtex, knowledge_base_json, knowledge_base_schema, llms_txt
from .render.pages import GeneratedPage, generated_pages

log = logging.getLogger("mkdocs.plugins.survey")

_HREF = re.compile(r'href="([^"]*)"')
_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|/")
_MERMAID_IMPORT = re.compile(r'import mermaid from "(?![./]|https?:)')


class SurveyConfig(Config):
    data_dir = c.Type(str, default="content/data")
    templates_dir = c.Type(str, default="templates/components")
    # Prefix, relative to repo_url, of an edit link for any file of the project (not only docs).
    edit_root = c.Type(str, default="edit/main/")
    # Every reference must be cited by a page or a record: an uncited one is a claim-less source.
    require_citations = c.Type(bool, default=True)


class SurveyPlugin(BasePlugin[SurveyConfig]):
    def __init__(self) -> None:
        self.kb: KnowledgeBase | None = None
        self.context: RenderContext | None = None
        self.page_context: RenderContext | None = None
        self.extension = SurveyExtension(context=self._render_context)
        self.problems: list[str] = []
        # For "what links here": each rendered page's title, output file and the pages it links to;
        # then, once every page has rendered, the block of each page not yet written.
        self.rendered: dict[str, tuple[str, str, set[str]]] = {}
        self.backlinks: dict[str, str] = {}
        # Where "what links here" goes: a comment no page can write, as it holds a random number.
        self.backlinks_mark = f"\n<!-- mi-survey: what links here {secrets.token_hex(8)} -->\n"
        self.generated: dict[str, GeneratedPage] = {}  # by page src_uri
        self.source_dates: SourceDates | None = None  # last commit of each data file
        self.exports_dir: tempfile.TemporaryDirectory | None = None  # this build's exports

    # -- paths ---------------------------------------------------------------------------------
    def _root(self, config) -> Path:
        return Path(config.config_file_path).parent

    def _data_dir(self, config) -> Path:
        return self._root(config) / self.config.data_dir

    def _templates_dir(self, config) -> Path:
        return self._root(config) / self.config.templates_dir

    # -- build ---------------------------------------------------------------------------------
    def on_config(self, config):
        self.problems = []
        self.rendered = {}
        self.backlinks = {}
        self.page_context = None
        try:
            self.kb = load(self._data_dir(config), self._root(config))
        except ContentError as error:
            raise PluginError("the content does not validate:\n" + error.report()) from None
        self.context = RenderContext(self.kb, self._templates_dir(config))
        if self.extension not in config.markdown_extensions:
            config.markdown_extensions.append(self.extension)
        # Glossary terms become abbreviations, which Material shows as tooltips where they appear.
        abbr = config.mdx_configs.setdefault("abbr", {})
        abbr["glossary"] = _abbreviations(self.kb)
        if "abbr" not in config.markdown_extensions:
            config.markdown_extensions.append("abbr")
        # Built once per build: the nav needs their paths now, on_files their content.
        self.generated = {page.path: page for page in generated_pages(self.kb, self.config.data_dir)}
        if config.nav:
            config.nav = _expand_nav(config.nav, list(self.generated))
        return config

    def on_files(self, files: Files, config) -> Files:
        assert self.kb is not None and self.context is not None
        for page in self.generated.values():
            files.append(File.generated(config, page.path, content=page.markdown))
        # Generated pages are dated by their YAML sources: one `git log` for all, once per build.
        self.source_dates = (
            SourceDates.read(self._root(config), self.config.data_dir) if revision_plugin(config) else None
        )

        written = [f for f in files.documentation_pages() if f.src_uri not in self.generated]
        scan = scan_pages((f.src_uri, f.content_string) for f in written)
        self.context.page_citations = scan.citations
        if self.config.require_citations:
            self.problems.extend(str(problem) for problem in page_rules(self.kb, scan))

        exports = {
            "bibliography.bib": bibtex(self.context),
            "data/survey.json": knowledge_base_json(self.kb),
            "data/survey.schema.json": knowledge_base_schema(),
            "llms.txt": llms_txt(
                self.context,
                config.site_name,
                config.site_description or "",
                [(p.title, _page_url(p.src_uri, config)) for p in scan.pages],
            ),
        }
        # Written to a temporary folder for MkDocs to copy like any static file: held in memory,
        # they would stay there until the build ends (the JSON is 5 MB at 100 times our content).
        # The folder goes with the next build's, or with this plugin object (TemporaryDirectory).
        self._drop_exports()
        try:
            self.exports_dir = tempfile.TemporaryDirectory(prefix="mi-survey-exports-")
            for path, content in exports.items():
                target = Path(self.exports_dir.name, path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
                files.append(
                    File.generated(config, path, abs_src_path=str(target), inclusion=InclusionLevel.NOT_IN_NAV)
                )
        except OSError as error:
            raise PluginError(
                f"cannot write the exports (bibliography.bib, data/survey.json, llms.txt) to "
                f"a temporary folder: {error}"
            ) from None
        return files

    def _render_context(self) -> RenderContext:
        context = self.page_context or self.context
        if context is None:  # after on_env, or outside a build
            raise PluginError("survey components and citations render only while MkDocs renders pages' content")
        return context

    def _drop_exports(self) -> None:
        if self.exports_dir is not None:
            self.exports_dir.cleanup()
            self.exports_dir = None

    def on_page_markdown(self, markdown, page, config, files):
        assert self.context is not None
        page_file = page.file

        def linker(path: str) -> str:
            target, _, fragment = path.partition("#")
            file = files.get_file_from_path(target)
            url = file.url_relative_to(page_file) if file else target
            return f"{url}#{fragment}" if fragment else url

        self.page_context = self.context.for_page(linker)
        generated = self.generated.get(page.file.src_uri)
        if generated:
            # The theme prints a title from the meta data as it is, and one from the heading
            # with its entities decoded: record text must reach the <title> element escaped.
            page.meta["title"] = html.escape(generated.title)
            if config.repo_url:
                page.edit_url = f"{config.repo_url.rstrip('/')}/{self.config.edit_root}{generated.edit_source}"
            if self.source_dates is not None:
                date_generated_page(page, self.source_dates.of(generated.edit_source), revision_plugin(config))
        self.extension.take_problems()
        self.extension.take_anchors()
        return markdown

    def on_page_content(self, html, page, config, files):
        problems = self.extension.take_problems()
        if problems:
            source = page.file.content_string.splitlines()
            origin = self.generated.get(page.file.src_uri)
            path = (
                origin.edit_source
                if origin
                else f"{Path(config.docs_dir).relative_to(self._root(config)).as_posix()}/{page.file.src_uri}"
            )
            seen: dict[str | None, int] = {}
            for problem in problems:
                # The same needle twice (one unknown key cited twice) is its first and second place.
                seen[problem.needle] = seen.get(problem.needle, 0) + 1
                line = _line_of(source, problem.needle, seen[problem.needle]) if not origin else 1
                self.problems.append(f"{path}:{line}: {problem.message}")
        self.page_context = None
        generated = self.generated.get(page.file.src_uri)
        title = generated.title if generated else (page.title or page.url)
        self.rendered[page.url] = (title, page.file.abs_dest_path, _links_from(page.url, html))
        anchors = self.extension.take_anchors()
        if page.present_anchor_ids is not None:
            page.present_anchor_ids.update(anchors)
        return html + self.backlinks_mark

    def on_env(self, env, config, files):
        # Every page's content has rendered by now, so "what links here" is known for all of
        # them. Nothing later renders content: the knowledge base and the render caches are let
        # go, which leaves their memory to the theme's pass over every page.
        assert self.context is not None
        incoming: dict[str, list[str]] = {}
        for source, (_, _, targets) in self.rendered.items():
            for target in targets:
                incoming.setdefault(target, []).append(source)
        for url in self.rendered:
            pages = [
                {"title": self.rendered[s][0], "url": get_relative_url(s, url)}
                for s in sorted(incoming.get(url, []), key=lambda s: self.rendered[s][0].casefold())
            ]
            self.backlinks[url] = self.context.render("backlinks.html", pages=pages)
        self.kb = self.context = self.page_context = None
        return env

    def on_post_page(self, output, page, config):
        # mermaid2 writes the import path relative to the page; from a page in the site's root
        # folder that path has no "./", which a browser rejects as a bare module specifier.
        if "/" not in page.file.dest_uri and 'import mermaid from "' in output:
            output = _MERMAID_IMPORT.sub('import mermaid from "./', output)
        # "What links here" was made in on_env, before MkDocs writes any page: filled in here
        # rather than by rewriting every written file afterwards.
        block = self.backlinks.pop(page.url, None)
        if block is not None:
            output = output.replace(self.backlinks_mark, block, 1)
        return output

    def on_post_build(self, config):
        self._write_backlinks()
        if self.problems:
            count = len(self.problems)
            raise PluginError("\n".join(self.problems) + f"\n{count} page problem{'s' if count != 1 else ''} found.")

    def _write_backlinks(self) -> None:
        """Fill "what links here" in any written page on_post_page did not see (normally none)."""
        for url, block in self.backlinks.items():
            path = Path(self.rendered[url][1])
            if path.exists():
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace(self.backlinks_mark, block, 1), encoding="utf-8")

    def on_serve(self, server, config, builder):
        package = Path(__file__).parent
        for path in (self._data_dir(config), self._templates_dir(config), package):
            server.watch(str(path))
        return server


def _abbreviations(kb: KnowledgeBase) -> dict[str, str]:
    glossary: dict[str, str] = {}
    for term in kb.all("glossary"):
        for word in filter(None, (term.abbreviation, term.term, term.term[:1].upper() + term.term[1:])):
            glossary[word] = term.short
    return glossary


def _expand_nav(nav, generated: list[str]):
    """Give the crux index and the data index a child per generated page below it."""
    children = {
        index: [p for p in generated if p.startswith(index[: -len("index.md")]) and p != index]
        for index in ("cruxes/index.md", "data/index.md")
    }

    def walk(items: list) -> list:
        out: list = []
        for item in items:
            if isinstance(item, dict):
                ((title, value),) = item.items()
                if isinstance(value, str) and value in children:
                    out.append({title: [value, *children[value]]})
                elif isinstance(value, list):
                    out.append({title: walk(value)})
                else:
                    out.append(item)
            elif isinstance(item, str) and item in children:
                out.extend([item, *children[item]])
            else:
                out.append(item)
        return out

    return walk(nav)


def _links_from(page_url: str, html_text: str) -> set[str]:
    """The pages this content links to, as MkDocs writes page URLs ("", "cruxes/", "a/b/")."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    targets = set()
    # A table or a list of citations links to the same pages many times: each path is resolved once.
    for path in {href.split("#", 1)[0] for href in _HREF.findall(html_text)}:
        if not path or _ABSOLUTE.match(path):
            continue  # same page, another site, or a scheme
        resolved = posixpath.normpath(posixpath.join(base, path))
        resolved = "" if resolved == "." else resolved + ("/" if path.endswith("/") else "")
        if resolved != page_url:
            targets.add(resolved)
    return targets


def _line_of(lines: list[str], needle: str | None, occurrence: int = 1) -> int:
    """The line of the ``occurrence``-th appearance of ``needle`` outside fenced code."""
    if needle:
        fence = None
        found = 0
        for number, line in enumerate(lines, start=1):
            marker = re.match(r"^\s*(```|~~~)", line)
            if marker:
                fence = None if fence == marker.group(1) else (fence or marker.group(1))
                continue
            if fence is None and needle in line:
                found += 1
                if found == occurrence:
                    return number
    return 1


def _page_url(src_uri: str, config) -> str:
    path = src_uri[:-3]
    if config.use_directory_urls:
        return "" if path == "index" else (path[:-5] if path.endswith("/index") else path + "/")
    return path + ".html"
