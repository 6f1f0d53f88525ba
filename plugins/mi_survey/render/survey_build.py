"""What a build of the survey makes once and for each page, whichever engine publishes it.

The MkDocs adapter and ``mi-survey export`` (Zensical, the benchmark's floor) both publish the
same site; this module is the one place that says how: what is loaded before any page, which
Markdown extensions a page needs beside the site's, how a page's front matter is made safe, and
what goes in a page's head and after its content.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..load import (
    Edition,
    KnowledgeBase,
    PageScan,
    Problem,
    RefusedFilesError,
    load,
    page_rules,
    read_edition,
    read_history,
    refused_in,
    scan_pages,
)
from .changes import FEED, ChangeLog, atom_feed, change_log, feed_link
from .context import RenderContext
from .exports import write_exports, write_text_files
from .pages import GeneratedPage, abbreviations, generated_pages, page_url
from .scholarly import (
    INDEX_PAGES,
    CitedWork,
    SurveyCitations,
    citation_files,
    cited_references,
    cited_works,
    page_foot,
    page_head,
)

# The theme prints these front matter values as they are: they are text, never markup.
_TEXT_META = ("title", "description")


@dataclass(frozen=True)
class SiteSettings:
    """What a build of the survey reads of the site's configuration (mkdocs.yml and the survey
    plugin's options), whichever engine publishes it."""

    name: str
    description: str = ""
    url: str = ""  # where the site is published, for the changes feed's links; "" if not set
    repo_url: str | None = None  # for each page's links that report an error
    directory_urls: bool = True
    index_pages: tuple[str, ...] = INDEX_PAGES  # pages that list rather than argue: not citable
    require_citations: bool = True  # the page rules' problems fail the build

    @classmethod
    def read(cls, config: Mapping[str, Any], options: Mapping[str, Any]) -> SiteSettings:
        """From the site's configuration and the survey plugin's ``options``, as MkDocs validated
        them or as mkdocs.yml gives them (missing settings take MkDocs' defaults)."""
        return cls(
            name=config["site_name"],
            description=config.get("site_description") or "",
            url=config.get("site_url") or "",
            repo_url=config.get("repo_url") or None,
            directory_urls=config.get("use_directory_urls", True),
            index_pages=tuple(options.get("index_pages", INDEX_PAGES)),
            require_citations=options.get("require_citations", True),
        )


@dataclass
class SurveyBuild:
    """The knowledge base and what is made from it before the first page renders; once the written
    pages are read (``read_pages``), what they cite and how each is cited."""

    kb: KnowledgeBase
    edition: Edition
    site: SiteSettings
    citations: SurveyCitations
    changes: ChangeLog
    context: RenderContext
    generated: dict[str, GeneratedPage]  # the pages made from records, by their path in docs
    pages: PageScan | None = None  # the written pages, scanned once
    works: dict[str, CitedWork] = field(default_factory=dict)  # each citable page's citation, by src_uri
    cite_files: dict[str, str] = field(default_factory=dict)  # their BibTeX, RIS and CSL-JSON, by path

    @classmethod
    def prepare(
        cls,
        root: Path,
        data_dir: str,
        templates_dir: Path,
        today: date,
        site: SiteSettings,
        read_also: Iterable[Path] = (),
    ) -> SurveyBuild:
        """Load and check the content of the project at ``root``; raise ContentError with every
        problem, or first RefusedFilesError with every link or special file in the folders the build
        reads (the data, the templates and ``read_also``).

        ``data_dir`` is relative to ``root``, as the plugin's option and the generated pages'
        edit links give it."""
        folders = (root / data_dir, templates_dir, *read_also)
        refused = [p for folder in folders for p in refused_in(root, folder)]
        if refused:
            raise RefusedFilesError(refused)
        kb = load(root / data_dir, root)
        edition = read_edition(root)
        citations = SurveyCitations(edition, today)
        # What changed between editions, from git (each tag's data read once per process).
        changes = change_log(read_history(root, data_dir), edition)
        context = RenderContext(kb, templates_dir, citations=citations)
        generated = {page.path: page for page in generated_pages(kb, data_dir, changes)}
        return cls(kb, edition, site, citations, changes, context, generated)

    def markdown_extensions(self, names: list[str], configs: dict[str, dict]) -> None:
        """Add what every page needs to the site's extensions (``names``) and their settings."""
        # Glossary terms become abbreviations: the browser shows a term's definition on hover.
        configs.setdefault("abbr", {})["glossary"] = abbreviations(self.kb)
        # "abbr" for the glossary; "attr_list" for the Changes page's section anchors.
        for extension in ("abbr", "attr_list"):
            if extension not in names:
                names.append(extension)

    def read_pages(self, pages: Iterable[tuple[str, str]]) -> list[Problem]:
        """Scan the written pages (src_uri, Markdown) once: the render context learns what each
        page cites, and each citable page gets its citation and citation files. Give the page
        rules' problems (none unless the site requires citations)."""
        scan = scan_pages(pages)
        self.pages, self.context.page_citations = scan, scan.citations
        problems = page_rules(self.kb, scan) if self.site.require_citations else []
        # A page's title is its heading as the reader sees it (its Markdown and entities
        # rendered); a generated page's is its record's.
        titles = {p.src_uri: str(self.context.plain(p.title)) for p in scan.pages}
        titles |= {g.path: g.title for g in self.generated.values()}
        directory_urls = self.site.directory_urls
        self.works = cited_works(self.edition, titles, self.site.index_pages, directory_urls)
        by_url = {page_url(uri, directory_urls): work for uri, work in self.works.items()}
        self.cite_files = citation_files(self.citations, by_url)
        return problems

    def write_site_files(self, folder: Path) -> list[str]:
        """Write below ``folder`` what the site publishes beside its pages: the exports, the
        pages' citation files and the changes feed; give their paths below the site. A path that
        leads outside ``folder`` (OutsideFolderError) is refused before anything is written."""
        assert self.pages is not None, "read_pages comes first"
        site = self.site
        feed = atom_feed(self.changes, site.url, site.name, site.directory_urls)
        written = write_text_files(folder, {**self.cite_files, FEED: feed})
        pages = [(p.title, page_url(p.src_uri, site.directory_urls)) for p in self.pages.pages]
        return write_exports(self.context, folder, site.name, site.description, pages) + written

    def page_meta(self, meta: dict[str, Any], src: str) -> None:
        """Make the page's front matter (``meta``) safe to print; a generated page's title is its record's."""
        for key in _TEXT_META:
            if isinstance(meta.get(key), str):
                meta[key] = html.escape(meta[key])
        generated = self.generated.get(src)
        if generated:
            meta["title"] = html.escape(generated.title)

    def page_parts(self, page: RenderContext, src: str, url: str, content: str, source: str) -> tuple[str, str]:
        """The page's head tags (its citation's meta tags, the feed link) and its foot ("Cite
        this page", the report links). ``page`` is the page's render context, ``content`` its
        rendered HTML, ``source`` the file a contributor edits for it."""
        generated, work = self.generated.get(src), self.works.get(src)
        head = (page_head(self.edition, work, cited_references(self.kb, content)) if work else "") + feed_link(src, url)
        return head, page_foot(page, work, self.site.repo_url, source, generated.record if generated else None)
