"""What a reader's browser meets on each page: requests, errors, diagrams, accessibility, weight.

Shared by the reader tests and by `make report`, so the numbers in a report are the ones the tests
hold the site to.
"""

from __future__ import annotations

import html.parser
import posixpath
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from served_site import AXE_PATH, BROKEN_DIAGRAM, DIAGRAMS_DRAWN, new_context

from mi_survey.render.print_page import PRINT_PAGE

if TYPE_CHECKING:  # Playwright is imported only where a browser runs
    from playwright.sync_api import Browser, Page


# What "accessible" means here: the rules of WCAG 2.2 at levels A and AA (axe-core's tags for
# them). axe's best-practice rules are left out: they are advice beyond the standard, and running
# them on every page cost a third of each audit.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# The view a reader at a desktop meets: the audit's, and the legibility tests' at desktop width.
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"}

# The heaviest page may transfer at most this much, uncompressed: HTML, CSS, JavaScript, the
# search index and, on pages with a diagram, the parts of Mermaid that diagram needs. (1.6 MB
# until the claims got their citations and the content its locators: 1.61 MB on the debate page.)
PAGE_BUDGET_BYTES = 1_700_000


@dataclass
class PageAudit:
    path: str
    requests: int = 0
    transferred: int = 0
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    diagrams: int = 0
    rendered: int = 0
    broken_diagrams: int = 0
    mermaid_requests: int = 0
    violations: list[dict] = field(default_factory=list)

    def problems(self) -> list[str]:
        out = [f"{self.path}: request to a third-party host: {url}" for url in self.foreign]
        out += [f"{self.path}: console error: {e}" for e in self.errors]
        if self.rendered != self.diagrams:
            out.append(f"{self.path}: {self.diagrams - self.rendered} of {self.diagrams} diagrams did not render")
        if self.broken_diagrams:
            out.append(f"{self.path}: {self.broken_diagrams} diagram(s) have a Mermaid syntax error")
        if not self.diagrams and self.mermaid_requests:
            out.append(f"{self.path}: loads Mermaid code without having a diagram")
        for v in self.violations:
            if v["impact"] in ("serious", "critical"):
                out.append(
                    f"{self.path}: accessibility ({v['impact']}): {v['id']}: {v['help']} "
                    f"({len(v['nodes'])} element(s), e.g. {v['nodes'][0]['target']})"
                )
        # The print page is the whole survey on one page, for `make pdf`: no reader page's budget.
        if self.transferred > PAGE_BUDGET_BYTES and self.path != PRINT_PAGE.parent.as_posix() + "/":
            out.append(f"{self.path}: {self.transferred} bytes transferred, over the {PAGE_BUDGET_BYTES} budget")
        return out


def goto_settled(page: Page, url: str, quiet_ms: int = 150, timeout_ms: int = 20_000) -> None:
    """Open ``url`` and wait until no request has been under way for ``quiet_ms``: what
    Playwright's "networkidle" does with 500 ms, which costs every page of a suite a half second."""
    with _Network(page) as network:
        page.goto(url, wait_until="load")
        network.loaded()
        network.settle(quiet_ms, timeout_ms)


def wait_for_search_result(page: Page, results: str, target: str) -> None:
    """Wait until one of the search results (``results``, a selector of their links) leads to
    ``target``; else fail, naming the results shown. The results change as each letter is typed,
    so a list read item by item can be shortened under the reader by the next letter."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    shown = page.locator(results)
    try:
        shown.and_(page.locator(f'a[href*="{target}"]')).first.wait_for(timeout=30_000)
    except PlaywrightTimeout:
        links = shown.evaluate_all("links => links.map(a => a.href)")
        raise AssertionError(f"no search result leads to {target}: {links}") from None


class _Network:
    """The requests of a page under way, and since when nothing has happened: the last request's
    start or end, or the page's load event, whichever came last."""

    def __init__(self, page: Page, ignored: str = "") -> None:
        self.page = page
        self.ignored = ignored  # a request of the audit's own, not the page's
        self.pending: set[object] = set()
        self.last = time.monotonic()

    def loaded(self) -> None:
        """The page's load event has come: the quiet is counted from there at the earliest."""
        self.last = max(self.last, time.monotonic())

    # (Playwright takes Python functions as handlers, not built-in methods such as set.add.)
    def _started(self, request) -> None:
        if request.url == self.ignored:
            return
        self.pending.add(request)
        self.last = time.monotonic()

    def _ended(self, request) -> None:
        if request.url == self.ignored:
            return
        self.pending.discard(request)
        self.last = time.monotonic()

    def __enter__(self) -> _Network:
        self.page.on("request", self._started)
        self.page.on("requestfinished", self._ended)
        self.page.on("requestfailed", self._ended)
        return self

    def __exit__(self, *exc) -> None:
        self.page.remove_listener("request", self._started)
        self.page.remove_listener("requestfinished", self._ended)
        self.page.remove_listener("requestfailed", self._ended)

    def settle(self, quiet_ms: int = 150, timeout_ms: int = 20_000) -> None:
        """Wait until no request has been under way for ``quiet_ms``; time already spent on the
        page counts, so only what is left of it is waited for."""
        deadline = time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(10)  # Playwright hands over the request events that came meanwhile
            quiet_for = (time.monotonic() - self.last) * 1000
            if not self.pending and quiet_for >= quiet_ms:
                return
            self.page.wait_for_timeout(50 if self.pending else max(10, quiet_ms - quiet_for))


def audit_pages(
    browser: Browser,
    base: str,
    site: Path,
    paths: list[str],
    run_axe: bool = True,
    then: Callable[[Page, str], None] | None = None,
) -> list[PageAudit]:
    """Audit each page of ``paths`` of ``site`` (served at ``base``) in turn, in one tab, as a
    reader goes from page to page; ``then(page, path)``, if given, measures more while the page
    is open, so that a page is not loaded again for it.

    One tab rather than a fresh one per page: opening a tab cost a tenth of a second, and in one
    tab the browser caches the site's scripts as a reader's does. What a page transfers is counted
    from the files it asks for, as a first visit fetches them, whether or not they came from the
    cache."""
    context = new_context(browser, **DESKTOP)
    page = context.new_page()
    audits = []
    try:
        for path in paths:
            audits.append(_audit(page, base, site, path, run_axe))
            if then is not None:
                then(page, path)
        return audits
    finally:
        context.close()


def _audit(page: Page, base: str, site: Path, path: str, run_axe: bool) -> PageAudit:
    result = PageAudit(path)
    origin = urlsplit(base)
    asked: set[str] = set()

    axe = f"{origin.scheme}://{origin.netloc}{AXE_PATH}"

    def on_request(request) -> None:
        if request.url == axe:  # the audit's own script, not the page's
            return
        result.requests += 1
        asked.add(request.url)
        netloc = urlsplit(request.url).netloc
        if netloc and netloc != origin.netloc:
            result.foreign.append(request.url)
        if "mermaid" in request.url:
            result.mermaid_requests += 1

    def on_error(error) -> None:
        result.errors.append(str(error))

    def on_console(message) -> None:
        if message.type == "error":
            result.errors.append(message.text)

    page.on("request", on_request)
    page.on("pageerror", on_error)
    page.on("console", on_console)
    try:
        with _Network(page, ignored=axe) as network:
            page.goto(base + path, wait_until="load")
            network.loaded()
            result.diagrams = page.locator(".mermaid").count()
            if result.diagrams:
                # Mermaid replaces each block's text with an SVG; give slow machines a moment.
                try:
                    page.wait_for_function(DIAGRAMS_DRAWN, timeout=20_000)
                except Exception:
                    pass
                result.rendered = page.locator(".mermaid svg").count()
                result.broken_diagrams = page.locator(BROKEN_DIAGRAM).count()
            # axe checks the page while the audit waits for the network to go quiet. A page still
            # fetching something (axe's own script aside) is checked once it is quiet rather than
            # twice, as a check took longer than the wait; one that fetches anything while axe
            # checks it is checked again once quiet, as it then stands.
            checked_at = None
            if run_axe:
                page.add_script_tag(url=axe)
                if network.pending:
                    network.settle()
                checked_at = (result.requests, bool(network.pending))
                result.violations = _axe(page)
            network.settle()
            if checked_at is not None and checked_at != (result.requests, False):
                result.violations = _axe(page)
    finally:  # the tab goes on to the next page
        page.remove_listener("request", on_request)
        page.remove_listener("pageerror", on_error)
        page.remove_listener("console", on_console)
    result.transferred = sum(_size(site, base, url) for url in asked)
    return result


def _axe(page: Page) -> list[dict]:
    # Only the violations: the no-passes reporter leaves out what passed, an eighth of axe's time.
    return page.evaluate(
        "async (tags) => (await axe.run(document, {reporter: 'no-passes', resultTypes: ['violations'], runOnly: {type: 'tag', values: tags}})).violations",
        WCAG_TAGS,
    )


def _size(site: Path, base: str, url: str) -> int:
    """The size of the file of ``site`` that ``url`` asks for (a folder's index.html), as the
    server sends it; 0 for anything else."""
    if not url.startswith(base):
        return 0
    file = site / unquote(urlsplit(url[len(base) :]).path)
    if file.is_dir():
        file = file / "index.html"
    return file.stat().st_size if file.is_file() else 0


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as paths relative to its root ("", "cruxes/", ...)."""
    pages = []
    for file in sorted(site.rglob("index.html")):
        rel = file.parent.relative_to(site).as_posix()
        if rel.startswith(("assets", "search")):
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages


class BuiltPage(html.parser.HTMLParser):
    """What the tests read from a built HTML page: its anchors, its links and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name == "href" and value and tag == "a":
                self.hrefs.append(value)

    def handle_data(self, data):
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


_built: dict[tuple[Path, int], BuiltPage] = {}


def built_page(file: Path) -> BuiltPage:
    """``file`` parsed, once per version of it (several tests read the same built pages)."""
    key = (file, file.stat().st_mtime_ns)
    if key not in _built:
        page = BuiltPage()
        page.feed(file.read_text(encoding="utf-8"))
        _built[key] = page
    return _built[key]


def broken_links(site: Path) -> list[str]:
    """Internal links whose page or anchor does not exist in the built site."""
    problems = []
    for file in sorted(site.rglob("*.html")):
        if file.relative_to(site).parts[0] in ("assets", "search"):
            continue
        for href in built_page(file).hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("/"):
                continue
            target = file
            if parts.path:
                resolved = Path(posixpath.normpath(posixpath.join(file.parent.as_posix(), unquote(parts.path))))
                target = resolved / "index.html" if resolved.is_dir() else resolved
            where = f"{file.relative_to(site).as_posix()}: link {href}"
            if not target.exists():
                problems.append(f"{where}: no such page")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in built_page(target).ids:
                problems.append(f"{where}: no anchor '{parts.fragment}'")
    return problems
