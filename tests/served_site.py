"""Serve a built site on 127.0.0.1 under a sub-path, as a GitHub Pages project site is served, and
what the tests and the scripts (`make pdf`, `make report`) need to open it in Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SUB_PATH = "/mi-survey/"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# True once Mermaid has replaced every diagram's text on the page with its drawing (an SVG).
DIAGRAMS_DRAWN = "() => [...document.querySelectorAll('.mermaid')].every(d => d.querySelector('svg'))"
# What Mermaid draws instead of a diagram whose source it cannot parse.
BROKEN_DIAGRAM = '.mermaid svg[aria-roledescription="error"]'

# Without the background-networking flags Chromium tries to reach Google's hosts at start. The
# proxy, a port where nothing listens, makes a request to any host but this machine (which Chromium
# never sends through a proxy) fail at once: a page that asks elsewhere is reported by whoever
# watches its requests, without waiting on a network that a test machine may not have.
CHROMIUM_ARGS = [
    "--proxy-server=http://127.0.0.1:9",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass

    def end_headers(self) -> None:
        # Fresh for ten minutes, as GitHub Pages serves every file. Without it the browser would
        # guess freshness from Last-Modified, and a site built a second ago is stale at once: each
        # page asked again for every script, style and font it shares with the page before.
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


# axe-core, which the audit puts into each page, served beside the site but outside its sub-path:
# fetched like any script, the browser caches and compiles it once rather than once per page.
AXE_PATH = "/__tests__/axe.min.js"
_AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@contextlib.contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Yield the base URL (ending in the sub-path) of ``site_dir`` served on a free local port."""
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / SUB_PATH.strip("/")).symlink_to(site_dir.resolve(), target_is_directory=True)
        axe = Path(root) / AXE_PATH.strip("/")
        axe.parent.mkdir()
        axe.symlink_to(_AXE)
        handler = functools.partial(_QuietHandler, directory=root)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
        finally:
            server.shutdown()
            server.server_close()


# Material's search builds its index from search/search_index.json in a Web Worker, anew on every
# page a reader opens: a third of the processor time of a page's visit. A visit that does not search
# gets, in the worker's place, one that asks for the worker's script and builds nothing: the page
# still fetches the script and the index (its weight is unchanged) and its search box never answers.
# Only the search worker is replaced; the search tests run the real one.
_IDLE_SEARCH_WORKER = """(() => {
    const Worker = window.Worker;
    window.Worker = function (url, options) {
        if (!/\\/workers\\/search\\.[^/]*\\.js$/.test(String(url))) return new Worker(url, options);
        fetch(url);
        const idle = new EventTarget();
        idle.postMessage = () => {};
        idle.terminate = () => {};
        return idle;
    };
})()"""


def new_context(browser: Any, *, search: bool = False, **options: Any) -> Any:
    """A Playwright browser context with ``options`` (viewport, color scheme...), whose pages
    search only if ``search`` is true (see _IDLE_SEARCH_WORKER)."""
    context = browser.new_context(**options)
    if not search:
        context.add_init_script(_IDLE_SEARCH_WORKER)
    return context


def requests_elsewhere(watched: Any, base: str) -> list[str]:
    """The URLs of the requests that ``watched`` (a Playwright page or browser context) makes to
    any host but ``base``'s, as they are made: the list grows while the page is open. A URL
    without a host (``data:``, ``blob:``) goes nowhere."""
    host = urlsplit(base).netloc
    found: list[str] = []
    watched.on(
        "request", lambda request: found.append(request.url) if urlsplit(request.url).netloc not in (host, "") else None
    )
    return found
