"""``mi-survey export DIR``: the whole site as plain Markdown and HTML, for any Material engine.

The export is what the MkDocs build publishes, made by the load and render layers alone: every
page rendered by Python-Markdown with the site's own extensions and the survey's components and
citations (the same pipeline, so everything is escaped as the site escapes it), "what links
here", "Cite this page" and the scholarly meta tags, the generated pages, the Changes page and its
feed, the exports (BibTeX, JSON, llms.txt, each page's citation files) and the assets. Each page is
written as Markdown whose top-level headings stay Markdown (so the engine makes the table of
contents, the title and the search sections) and whose other content is the rendered HTML, which
an engine copies as raw HTML. ``DIR/mkdocs.yml`` is the site's configuration without any plugin
but search; ``DIR/overrides`` holds the two theme overrides the pages need (the meta tags and the
Mermaid loader of each page come from its front matter, written here and nowhere else).

MkDocs with Material builds the export, and so does Zensical, which reads ``mkdocs.yml`` and runs
no MkDocs plugin (``make build-zensical``). Nothing here imports MkDocs. The print page is made by
an MkDocs plugin and is not part of the export.
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml
from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import stashedHTML2text
from markdown.treeprocessors import Treeprocessor

from .load import (
    ContentError,
    blocks_rendering,
    front_matter,
    refused_files,
    source_problems,
)
from .render.backlinks import relative_url
from .render.changes import FEED
from .render.exports import EXPORTS, OutsideFolderError
from .render.pages import expand_nav, file_order, page_url
from .render.survey_build import SiteSettings, SurveyBuild
from .render.survey_pages import SurveyPages
from .render.text_forms import VOID_ELEMENTS

MARKER = ".mi-survey-export"  # in every export folder: the only non-empty folder export replaces
DOCS = "docs"
OVERRIDES = "overrides"
# The site's plugins that are MkDocs plugins: their work is done here (survey, mermaid2), or is
# MkDocs-only (mike's editions, git dates, the print page). Search is each engine's own.
_KEPT_PLUGINS = ("search",)
# Zensical 0.0.73 indexes at most 65,536 word positions of a page's text; a margin for headings.
ZENSICAL_SEARCH_WORDS = 60_000
_TAG = re.compile(r"<[^>]+>")


class ExportError(Exception):
    """The export cannot be written; the message says why."""


@dataclass
class ExportResult:
    folder: Path
    pages: int
    files: int  # every file written, pages included


# -- the site's configuration ---------------------------------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it: ``!ENV`` and ``!!python/name:`` (the fence formatters)."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        values = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = values[:-1], values[-1]
    return next((os.environ[n] for n in names if n in os.environ), default)


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    module, _, name = suffix.rpartition(".")
    return getattr(importlib.import_module(module), name)


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)


def read_config(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as stream:
        config = yaml.load(stream, Loader=_ConfigLoader)
    if not isinstance(config, dict):
        raise ExportError(f"{path}: not a mapping")
    return config


def _plugin_options(config: dict[str, Any], name: str) -> dict[str, Any] | None:
    for item in config.get("plugins") or []:
        if item == name:
            return {}
        if isinstance(item, dict) and name in item:
            return item[name] or {}
    return None


def _extensions(config: dict[str, Any]) -> tuple[list[str], dict[str, dict]]:
    names, configs = [], {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, options in item.items():
                names.append(name)
                configs[name] = dict(options or {})  # a copy: the build adds its own settings
        else:
            names.append(item)
    return names, configs


# -- the folder ------------------------------------------------------------------------------------


def _check_destination(root: Path, dest: Path, docs_dir: Path, site_dir: Path) -> None:
    """Refuse a folder that holds, or lies in, the sources or the MkDocs site, and any non-empty
    folder that is not an earlier export (its files would be lost)."""
    dest = dest.resolve()
    for guarded, what in ((root / "content", "the content"), (docs_dir, "the pages"), (site_dir, "the MkDocs site")):
        guarded = guarded.resolve()
        if dest == guarded or dest.is_relative_to(guarded) or guarded.is_relative_to(dest):
            raise ExportError(f"{dest}: the export may not be written into or over {what} ({guarded})")
    if dest == root.resolve() or root.resolve().is_relative_to(dest):
        raise ExportError(f"{dest}: the export may not replace the project")
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise ExportError(f"{dest}: not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / MARKER).is_file():
        raise ExportError(f"{dest}: a folder that holds files and no earlier export; give an empty or new folder")


class _Writer:
    """Writes below one folder only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.count = 0

    def path(self, relative: str) -> Path:
        target = (self.folder / relative).resolve()
        if not target.is_relative_to(self.folder):
            raise ExportError(f"{relative}: outside the export folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def text(self, relative: str, content: str) -> None:
        self.path(relative).write_text(content, encoding="utf-8")
        self.count += 1

    def copy(self, relative: str, source: Path) -> None:
        shutil.copyfile(source, self.path(relative))
        self.count += 1


# -- pages -----------------------------------------------------------------------------------------


def _file_url(src: str, directory_urls: bool) -> str:
    """What MkDocs' File.url is, which page links are made relative from: index.md -> ./"""
    return page_url(src, directory_urls) or "./"


class _PageLinks(Treeprocessor):
    """What MkDocs does to a page's links: a link to a page's Markdown becomes that page's URL."""

    def __init__(self, md: Markdown, src: str, pages: set[str], static: set[str], directory_urls: bool) -> None:
        super().__init__(md)
        self.src = src
        self.pages = pages
        self.static = static
        self.directory_urls = directory_urls

    def run(self, root) -> None:
        here = _file_url(self.src, self.directory_urls)
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if not value or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|/|#", value):
                    continue
                path, hash_, fragment = value.partition("#")
                target = posixpath.normpath(posixpath.join(posixpath.dirname(self.src), path))
                if target in self.pages:
                    element.set(
                        attribute, relative_url(_file_url(target, self.directory_urls), here) + hash_ + fragment
                    )
                elif target in self.static:
                    # A file of the site: MkDocs writes its path relative to the page's URL.
                    element.set(attribute, relative_url(target, here) + hash_ + fragment)


class _Title(Treeprocessor):
    """The page's title as MkDocs takes it: the text of a level-1 heading that opens the page."""

    title: str | None = None

    def run(self, root) -> None:
        for element in root:
            if element.tag == "h1":
                if len(element) and element[-1].tag == "a" and not (element[-1].tail or "").strip():
                    element = copy.copy(element)
                    del element[-1]
                text = stashedHTML2text("".join(element.itertext()), self.md, strip_entities=False)
                self.title = text.strip()
            break


class _PagePipeline(Extension):
    def __init__(self, src: str, pages: set[str], static: set[str], directory_urls: bool) -> None:
        super().__init__()
        self.src, self.pages, self.static, self.directory_urls = src, pages, static, directory_urls
        self.title: _Title | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's method name
        # After the inline patterns (links exist) and before the table of contents' ids matter.
        md.treeprocessors.register(
            _PageLinks(md, self.src, self.pages, self.static, self.directory_urls), "survey_export_links", 19
        )
        self.title = _Title(md)
        md.treeprocessors.register(self.title, "survey_export_title", 1)


_HEADING = re.compile(r"h[1-6]")
_HEADERLINK = re.compile(r'<a class="headerlink" href="#[^"]*" title="[^"]*">(?:&para;|¶)</a>$')
_ENTITY_OR_TAG = re.compile(r"(<[^>]*>|&#?\w+;)")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#])")


class _TopHeadings(HTMLParser):
    """The top-level headings of a page's HTML: (start, end, level, attributes) by offset."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.lines = [0]
        for line in text.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.depth = 0
        self.open: tuple[int, str, dict] | None = None
        self.found: list[tuple[int, int, int, dict[str, str | None]]] = []
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs) -> None:
        if tag in VOID_ELEMENTS:
            return
        if self.depth == 0 and _HEADING.fullmatch(tag):
            self.open = (self._offset(), tag, dict(attrs))
        self.depth += 1

    def handle_startendtag(self, tag, attrs) -> None:
        pass

    def handle_endtag(self, tag) -> None:
        if tag in VOID_ELEMENTS:
            return
        self.depth = max(0, self.depth - 1)
        if self.depth == 0 and self.open is not None and tag == self.open[1]:
            start, name, attrs = self.open
            end = self._offset() + len(f"</{tag}>")
            self.found.append((start, end, int(name[1]), attrs))
            self.open = None


def _markdown_heading(level: int, inner: str, attrs: dict[str, str | None]) -> str:
    inner = _HEADERLINK.sub("", inner.strip())
    parts = _ENTITY_OR_TAG.split(inner)
    text = "".join(p if i % 2 else _MARKDOWN_SPECIAL.sub(r"\\\1", p) for i, p in enumerate(parts))
    text = " ".join(text.split())
    return f"{'#' * level} {text} {{#{attrs['id']}}}"


def markdown_with_html(page_html: str) -> str:
    """A page's HTML as Markdown: each top-level heading with an id as a Markdown heading (so an
    engine makes its table of contents, title and search sections), the rest as raw HTML."""
    out, last = [], 0
    for start, end, level, attrs in _TopHeadings(page_html).found:
        inner_start = page_html.index(">", start) + 1
        inner = page_html[inner_start : end - len(f"</h{level}>")]
        if set(attrs) != {"id"} or "\n" in inner.strip() or not attrs["id"]:
            continue  # left as HTML: the engine copies it as it is
        out.append(page_html[last:start].strip())
        out.append(_markdown_heading(level, inner, attrs))
        last = end
    out.append(page_html[last:].strip())
    return "\n\n".join(part for part in out if part) + "\n"


_LINK_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
_NOT_RELATIVE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?")


def source_relative(page_html: str, src: str, url: str, sources: dict[str, str]) -> str:
    """The page's links, relative to the page's URL as MkDocs writes them, made relative to the
    page's Markdown file: Zensical reads every relative link in a page's HTML as it reads one in
    its Markdown, from the file's folder. A link to a page becomes a link to its Markdown file
    (``sources`` maps page URLs to files), which every engine turns into the page's URL."""
    folder = posixpath.dirname(src) or "."

    def relink(match: re.Match[str]) -> str:
        value = match.group(2)
        if not value or _NOT_RELATIVE.match(value):
            return match.group(0)
        path, hash_, fragment = value.partition("#")
        target = posixpath.normpath(posixpath.join(url, path))
        target = "" if target == "." else target
        page = sources.get(f"{target}/" if target else "")
        if page == src and hash_:
            return f'{match.group(1)}="#{fragment}"'
        if page is not None:
            link = posixpath.relpath(page, folder)
        else:
            link = posixpath.relpath(target or ".", folder) + ("/" if path.endswith("/") else "")
        return f'{match.group(1)}="{link}{hash_}{fragment}"'

    return _LINK_ATTRIBUTE.sub(relink, page_html)


def _nav_titles(nav: Any) -> dict[str, str]:
    """The title the navigation gives each page it names with one (MkDocs' page title then)."""
    titles: dict[str, str] = {}
    for item in nav if isinstance(nav, list) else []:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    titles[value] = str(title)
                else:
                    titles |= _nav_titles(value)
    return titles


def _mermaid_loader(config: dict[str, Any], url: str) -> str:
    """The module script mkdocs-mermaid2 adds to a page with a diagram, from its settings."""
    options = _plugin_options(config, "mermaid2") or {}
    script = options.get("javascript") or "assets/vendor/mermaid/mermaid.esm.min.mjs"
    if re.match(r"https?:", script):
        raise ExportError(f"mermaid2's javascript is {script}: the export serves Mermaid from the site itself")
    depth = url.count("/")
    source = "../" * depth + script if depth else "./" + script
    arguments = json.dumps(options.get("arguments") or {}, indent=4)
    return f'<script type="module">import mermaid from "{source}";\nmermaid.initialize({arguments});</script>'


@dataclass
class _Rendered:
    src: str
    html: str
    meta: dict[str, Any]  # the page's front matter
    foot: str  # what follows the page's content: its citation and report links


ENGINES = ("zensical", "mkdocs")


def export(
    root: Path, dest: Path, config_file: str = "mkdocs.yml", today: date | None = None, engine: str = "zensical"
) -> ExportResult:
    """Write the site below ``dest``; raise ExportError, or ContentError with every problem.

    ``engine`` says how the pages' links are written: from the page's Markdown file, as Zensical
    reads them, or from the page's URL, as MkDocs reads raw HTML (the benchmark's floor)."""
    if engine not in ENGINES:
        raise ExportError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")
    root = root.resolve()
    config = read_config(root / config_file)
    survey = _plugin_options(config, "survey")
    if survey is None:
        raise ExportError(f"{config_file}: no `survey` plugin; nothing to export")
    docs_dir = root / config.get("docs_dir", "docs")
    site_dir = root / config.get("site_dir", "site")
    data_rel = survey.get("data_dir", "content/data")
    templates_dir = root / survey.get("templates_dir", "templates/components")
    _check_destination(root, Path(dest), docs_dir, site_dir)

    site = SiteSettings.read(config, survey)
    build = SurveyBuild.prepare(root, data_rel, templates_dir, today or date.today(), site, read_also=[docs_dir])
    generated = build.generated

    # Written pages, in MkDocs' file order, then the generated ones (MkDocs renders them last).
    files = sorted((p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file()), key=file_order)
    refused = refused_files(root, [docs_dir / f for f in files])
    if refused:
        raise ContentError(refused)
    written = [(f, (docs_dir / f).read_text(encoding="utf-8")) for f in files if f.endswith(".md")]
    written = [(f, t) for f, t in written if f not in generated]
    pages = SurveyPages(build, docs_dir.relative_to(root).as_posix(), error=ExportError)
    for src, text in written:
        pages.problems += source_problems(pages.source_path(src), text)
    if blocks_rendering(pages.problems):
        raise ContentError(pages.problems)
    pages.problems += build.read_pages(written)
    use_directory_urls = site.directory_urls

    names, mdx_configs = _extensions(config)
    build.markdown_extensions(names, mdx_configs)
    all_pages = {src for src, _ in written} | set(generated)
    static = {f for f in files if not f.endswith(".md")} | set(EXPORTS) | set(build.cite_files) | {FEED}
    nav_titles = _nav_titles(config.get("nav"))
    rendered: list[_Rendered] = []
    for src, source in [*written, *((g.path, g.markdown) for g in generated.values())]:
        url = page_url(src, use_directory_urls)
        here = _file_url(src, use_directory_urls)

        def linker(target_path: str, here: str = here) -> str:
            target, _, fragment = target_path.partition("#")
            if target in all_pages:
                link = relative_url(_file_url(target, use_directory_urls), here)
            else:  # a file of the site (an export, a citation file), or what the page wrote
                link = relative_url(target, here) if target in static else target
            return f"{link}#{fragment}" if fragment else link

        front, end = front_matter(source)
        meta = (yaml.safe_load(front) or {}) if front is not None else {}
        pages.start(src, url, linker, meta)
        pipeline = _PagePipeline(src, all_pages, static, use_directory_urls)
        md = Markdown(extensions=[*names, pages.extension, pipeline], extension_configs=mdx_configs)
        converted = md.convert(source[end:])
        found = pipeline.title.title if pipeline.title else None
        title = nav_titles.get(src) or meta.get("title") or found or url
        content, _ = pages.finish(src, url, converted, source, title)
        meta["survey_head"], foot = pages.parts[src]
        rendered.append(_Rendered(src, content, meta, foot))
    if pages.problems:
        raise ContentError(pages.problems)
    pages.close()

    dest = Path(dest)
    if (dest / MARKER).is_file():
        shutil.rmtree(dest)
    dest.mkdir(parents=True, exist_ok=True)
    out = _Writer(dest)
    out.text(MARKER, "Written by `mi-survey export`; the next export replaces this folder.\n")
    sources = {page_url(src, use_directory_urls): src for src in all_pages}
    for item in rendered:
        url = page_url(item.src, use_directory_urls)
        body = pages.written(item.src, url, item.html)
        if pages.problems:
            raise ContentError(pages.problems)
        if 'class="mermaid' in body:
            item.meta["survey_scripts"] = _mermaid_loader(config, url)
        if engine == "zensical" and len(_TAG.sub(" ", body).split()) > ZENSICAL_SEARCH_WORDS:
            # Zensical's search index refuses a page of more words than this (the bibliography at a
            # hundred times the survey's size): such a page is built, and left out of search.
            item.meta["search"] = {"exclude": True}
        front = yaml.safe_dump(item.meta, sort_keys=False, allow_unicode=True, width=10_000)
        body = source_relative(body + item.foot, item.src, url, sources) if engine == "zensical" else body + item.foot
        out.text(f"{DOCS}/{item.src}", f"---\n{front}---\n\n{markdown_with_html(body)}")

    try:
        out.count += len(build.write_site_files(out.path(DOCS)))
    except OutsideFolderError as error:
        raise ExportError(str(error)) from None
    for f in files:
        if not f.endswith(".md") and f != "survey.pdf":
            out.copy(f"{DOCS}/{f}", docs_dir / f)

    custom = (config.get("theme") or {}).get("custom_dir")
    export_templates = templates_dir.parent / "export"
    for template in sorted(export_templates.rglob("*.html")):
        out.copy(f"{OVERRIDES}/{template.relative_to(export_templates).as_posix()}", template)
    if custom and (root / custom / "partials" / "source.html").is_file():
        out.copy(f"{OVERRIDES}/partials/source.html", root / custom / "partials" / "source.html")
    nav = config.get("nav")
    out.text("mkdocs.yml", _export_config(config, expand_nav(nav, list(generated)) if nav else None))
    return ExportResult(dest, len(rendered), out.count)


def _export_config(config: dict[str, Any], nav: list | None) -> str:
    """The site's configuration for the export: its theme, assets and Markdown extensions, no
    MkDocs plugin but search, no editions. Pages are rendered already: the engine needs only what
    makes headings (toc and attr_list, which gives each heading the id the site gives it)."""
    theme = dict(config.get("theme") or {})
    theme["custom_dir"] = OVERRIDES
    # Zensical's name for Material's own look (MkDocs' Material ignores the setting).
    theme.setdefault("variant", "classic")
    extra = {k: v for k, v in (config.get("extra") or {}).items() if k not in ("version", "survey_cover")}
    toc = _extensions(config)[1].get("toc") or {"permalink": True}
    out: dict[str, Any] = {
        "site_name": config["site_name"],
        "site_description": config.get("site_description"),
        "site_url": config.get("site_url") or None,
        "repo_url": config.get("repo_url"),
        "edit_uri": config.get("edit_uri"),
        "docs_dir": DOCS,
        "site_dir": "site",
        "use_directory_urls": config.get("use_directory_urls", True),
        "theme": theme,
        "extra_css": config.get("extra_css") or [],
        "extra_javascript": config.get("extra_javascript") or [],
        "markdown_extensions": [{"toc": toc}, "attr_list"],
        "plugins": [p for p in (config.get("plugins") or []) if p in _KEPT_PLUGINS],
    }
    if extra:
        out["extra"] = extra
    if nav:
        out["nav"] = nav
    out = {k: v for k, v in out.items() if v is not None}
    header = "# Written by `mi-survey export`: the survey's pages rendered, for MkDocs or Zensical.\n"
    return header + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=120)
