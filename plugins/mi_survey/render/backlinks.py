""" "What links here": for every page, the pages whose content links to it.

The adapter records each page as its content renders, asks for every page's block once all have
rendered, and puts each block where the page's mark stands as the page is written. The mark holds
a random number, so no page can write one.
"""

from __future__ import annotations

import posixpath
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotation only: context imports what imports this module
    from .context import RenderContext

_HREF = re.compile(r'href="([^"]*)"')
_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|/")


@dataclass
class _Rendered:
    title: str
    dest_path: str  # the file the page is written to
    targets: set[str]


def relative_url(target: str, here: str) -> str:
    """The URL of page ``target`` from page ``here``, both as MkDocs writes page URLs ("",
    "cruxes/", "a/b.html"): what MkDocs' own ``get_relative_url`` gives."""
    folder, _, name = here.rpartition("/")
    if "." in name:
        here = folder
    here_parts, target_parts = _parts(here), _parts(target)
    common = 0
    for a, b in zip(here_parts, target_parts, strict=False):
        if a != b:
            break
        common += 1
    url = "/".join([".."] * (len(here_parts) - common) + target_parts[common:]) or "."
    return url + "/" if target.endswith("/") else url


def _parts(path: str) -> list[str]:
    path = posixpath.normpath("/" + path.lstrip("/"))[1:]
    return path.split("/") if path else []


@dataclass
class Backlinks:
    mark: str = field(default_factory=lambda: f"\n<!-- mi-survey: what links here {secrets.token_hex(8)} -->\n")
    pages: dict[str, _Rendered] = field(default_factory=dict)  # by page URL
    blocks: dict[str, str] = field(default_factory=dict)  # by page URL, once rendered

    def record(self, url: str, title: str, dest_path: str, html: str) -> str:
        """Note a page's links; give its content with the mark where the block will go."""
        self.pages[url] = _Rendered(title, dest_path, links_from(url, html))
        return html + self.mark

    def render(self, ctx: RenderContext) -> None:
        """Every page's block, once all pages have rendered their content."""
        incoming: dict[str, list[str]] = {}
        for source, page in self.pages.items():
            for target in page.targets:
                incoming.setdefault(target, []).append(source)
        for url in self.pages:
            sources = sorted(incoming.get(url, []), key=lambda s: self.pages[s].title.casefold())
            items = [{"title": self.pages[s].title, "url": relative_url(s, url)} for s in sources]
            self.blocks[url] = ctx.render("backlinks.html", pages=items)

    def fill(self, url: str, output: str) -> tuple[str, bool]:
        """A written page with its block in place of the mark, and whether a mark is still in it.
        (One search up to the mark and one after it: at a hundred times the survey's size a page
        is half a megabyte, most of it the navigation.)"""
        at = output.find(self.mark)
        block = self.blocks.pop(url, None)
        if block is None or at == -1:
            return output, at != -1
        end = at + len(self.mark)
        return output[:at] + block + output[end:], output.find(self.mark, end) != -1

    def fill_written(self) -> None:
        """Fill the blocks of pages written without passing through ``fill`` (normally none)."""
        for url, block in self.blocks.items():
            path = Path(self.pages[url].dest_path)
            if path.exists():
                path.write_text(path.read_text(encoding="utf-8").replace(self.mark, block, 1), encoding="utf-8")
        self.blocks.clear()


def links_from(page_url: str, html_text: str) -> set[str]:
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
