"""Shared fixtures: a copy of the fixture site, builds of it and of the real site, a browser, and
one visit of the real site at desktop width that the reader and legibility tests share; the order
in which pytest-xdist hands out the test files.

Plain helpers are in helpers.py. Playwright is imported only when a browser test asks for one.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import ROOT, BuildResult, copy_fixture_site, run_build
from legibility import Measured, measure
from served_site import CHROMIUM, CHROMIUM_ARGS, serve
from site_audit import PageAudit, audit_pages, site_pages


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/site whose plugin options point at the real templates."""
    return copy_fixture_site(tmp_path / "project")


@pytest.fixture
def build(fixture_site: Path, tmp_path: Path):
    def _build(strict: bool = True) -> BuildResult:
        return run_build(fixture_site / "mkdocs.yml", tmp_path / "out", strict)

    return _build


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory) -> BuildResult:
    """One build of the unchanged fixture site, shared by the tests that only read it."""
    base = tmp_path_factory.mktemp("fixture-build")
    return run_build(copy_fixture_site(base / "project") / "mkdocs.yml", base / "out")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test session and shared by its workers (pytest-xdist): the
    first worker to need it builds it while the others wait on a lock, then all read the same."""
    base = tmp_path_factory.getbasetemp()
    # A worker's folder lies in the session's (the worker_id fixture is absent under -p no:xdist).
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / "real-site"
    with open(shared / "real-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "real-site.built").exists():
            result = run_build(ROOT / "mkdocs.yml", out)
            assert result.returncode == 0, result.output
            (shared / "real-site.built").touch()
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The real site served on 127.0.0.1 under a sub-path, as a project site on GitHub Pages."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs it (or set CHROMIUM)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class DesktopVisit:
    audits: list[PageAudit]  # what each page did in the browser: requests, errors, axe, weight
    legibility: Measured  # its diagrams and comparison tables, at desktop width in light mode


# The two files that read this visit, run by one worker (see pytest_xdist_make_scheduler).
_DESKTOP_VISIT_FILES = ("test_reader.py", "test_legibility.py")


@pytest.fixture(scope="session")
def desktop_visit(browser, built_site: Path, site_url: str) -> DesktopVisit:
    """Every page of the real site but the print page, visited once at desktop width, as a reader
    goes from page to page: audited (tests/test_reader.py), and its diagrams and tables measured
    while it is open (tests/test_legibility.py). A page visit costs a third of a processor-second,
    a page with diagrams up to a whole one, so the two files share one visit rather than make two.
    The print page is the whole survey on one page, for `make pdf`: tests/test_pdf.py prints it.
    Run alone, either file makes the whole visit, axe included."""
    pages = [p for p in site_pages(built_site) if p != "print_page/"]
    legibility = Measured()

    def measure_legibility(page, path: str) -> None:
        # A page the measures fail on is a legibility problem of that page; it must not end the
        # visit, and with it the audit of every page.
        try:
            measure(page, path, (built_site / path / "index.html").read_text(encoding="utf-8"), "desktop", legibility)
        except Exception as error:
            legibility.diagrams.append(f"{path}: the measures failed: {type(error).__name__}: {error}")

    return DesktopVisit(audit_pages(browser, site_url, built_site, pages, then=measure_legibility), legibility)


# The longest files first (as measured with --durations), then the short files that otherwise
# came last and ran alone, so that with one worker per core (pytest-xdist, --dist loadfile
# --no-loadscope-reorder in the Makefile) the shortest fill in at the end rather than one file
# running alone while the other worker idles.
_LONGEST_FIRST = (
    "test_reader.py",
    "test_legibility.py",  # with test_reader.py, on one worker
    "test_hostile.py",
    "test_editions.py",
    "test_pdf.py",
    "test_build.py",
    "test_zensical.py",
    "test_hostile_pages.py",
    "test_hostile_yaml.py",
    "test_properties.py",
    "test_browser.py",
    "test_template_cache.py",
    "test_render_fast_paths.py",
    "test_changes.py",
    "test_git_dates.py",
    "test_schemas.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    order = {name: rank for rank, name in enumerate(_LONGEST_FIRST)}
    items.sort(key=lambda item: order.get(item.path.name, len(order)))


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, which `-p no:xdist` leaves out
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's --dist loadfile (a worker takes a whole file, so that its module-wide builds
    and visits are made once), with the files that read the desktop visit of the real site taken
    together, so that it is made once. Other --dist modes are left to xdist.

    Not xdist's own groups (xdist_group marks, --dist loadgroup): under pytest 9.2 they group
    nothing, as xdist 3.8 renames a test by its `_nodeid`, which pytest no longer reads."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class FilesSharingTheDesktopVisit(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = super()._split_scope(nodeid)
            return "the desktop visit" if file.rsplit("/", 1)[-1] in _DESKTOP_VISIT_FILES else file

    return FilesSharingTheDesktopVisit(config, log)
