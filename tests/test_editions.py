"""Editions as readers meet them: two editions of the real site published by mike, as the deploy
workflow publishes them, into the gh-pages branch of a scratch git repository, then served under
a sub-path and opened in Chromium.

One module-wide repository: edition v1.0 is deployed with the alias latest, CITATION.cff is
raised to 1.1 and committed, v1.1 takes the alias, and the root leads to latest. Two builds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from helpers import ROOT
from served_site import new_context, requests_elsewhere, serve

from mi_survey.load import Edition, read_edition

pytestmark = pytest.mark.browser

BIN = Path(sys.executable).parent
PAGE = "debate/arguments/"  # a substantive page (it ends with "Cite this page") without a diagram to draw

# What the repository holds, without what is made or installed on a machine. The vendored
# assets (content/docs/assets/vendor, ignored by git) are copied: `make assets` made them, and
# mike builds from the working tree, as in the deploy workflow.
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv*", "node_modules", "site", "screenshots", "__pycache__", ".*_cache", "*.egg-info"
)


@dataclass
class Editions:
    repo: Path
    url: str  # the served gh-pages tree, ending in the sub-path
    old: Edition  # v1.0
    new: Edition  # v1.1, the latest


def _run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=_ENV, capture_output=True, text=True, timeout=300)
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


# mike runs `mkdocs` from PATH and commits with git: this interpreter's tools, a fixed identity,
# and no GIT_DIR or GIT_WORK_TREE inherited (from a hook, say) that would point git at this checkout.
_ENV = {
    **{key: value for key, value in os.environ.items() if not key.startswith("GIT_")},
    "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    "NO_MKDOCS_2_WARNING": "1",
    # The print page (the whole survey on one page, for the PDF) is left out: these tests read the
    # editions' pages, and it would double each build. tests/test_pdf.py prints it.
    "PRINT_PAGE": "false",
    "GIT_AUTHOR_NAME": "Editions test",
    "GIT_AUTHOR_EMAIL": "editions@example.org",
    "GIT_COMMITTER_NAME": "Editions test",
    "GIT_COMMITTER_EMAIL": "editions@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _raise_edition(repo: Path, version: str, released: str) -> None:
    """What an editor does to release an edition: raise version and date in both files."""
    cff = repo / "CITATION.cff"
    text = cff.read_text(encoding="utf-8")
    text, versions = re.subn(r'(?m)^version: ".*"$', f'version: "{version}"', text)
    text, dates = re.subn(r'(?m)^date-released: ".*"$', f'date-released: "{released}"', text)
    assert versions == dates == 1, "CITATION.cff changed shape"
    cff.write_text(text, encoding="utf-8")
    zenodo = repo / ".zenodo.json"
    text = zenodo.read_text(encoding="utf-8")
    text = re.sub(r'"version": "[^"]*"', f'"version": "{version}"', text)
    zenodo.write_text(re.sub(r'"publication_date": "[^"]*"', f'"publication_date": "{released}"', text), "utf-8")


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Iterator[Editions]:
    base = tmp_path_factory.mktemp("editions")
    repo = base / "repo"
    shutil.copytree(ROOT, repo, ignore=_NOT_COPIED)
    _run(["git", "init", "--quiet", "--initial-branch", "main"], repo)
    _raise_edition(repo, "1.0", "2026-11-30")
    _run(["git", "add", "--all"], repo)
    _run(["git", "commit", "--quiet", "--message", "Edition 1.0"], repo)
    _run(["git", "tag", "v1.0"], repo)
    old = read_edition(repo)
    # As .github/workflows/deploy.yml does for each tag (without --push: there is no remote). Its
    # set-default after each deploy writes the same root page each time: here it runs once, after both.
    _run([str(BIN / "mike"), "deploy", "--update-aliases", old.tag, "latest"], repo)

    _raise_edition(repo, "1.1", "2027-03-01")
    _run(["git", "commit", "--quiet", "--all", "--message", "Edition 1.1"], repo)
    _run(["git", "tag", "v1.1"], repo)
    new = read_edition(repo)
    _run([str(BIN / "mike"), "deploy", "--update-aliases", new.tag, "latest"], repo)
    _run([str(BIN / "mike"), "set-default", "latest"], repo)

    # The branch as GitHub Pages serves it.
    published = base / "gh-pages"
    _run(["git", "worktree", "add", "--quiet", "--detach", str(published), "gh-pages"], repo)
    with serve(published) as url:
        yield Editions(repo, url, old, new)


@pytest.fixture
def page(browser, editions: Editions):
    """A fresh browser context (Material remembers per tab whether an edition is outdated) that
    fails the test on a console error or a request to another host."""
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    foreign = requests_elsewhere(page, editions.url)
    yield page
    context.close()
    assert errors == [], "console errors"
    assert foreign == [], "requests to another host"


def _open(page, url: str) -> None:
    """Open ``url`` and wait for Material's version selector, which it draws from versions.json
    once it knows which edition this is (and so whether it is outdated)."""
    page.goto(url, wait_until="load")
    page.locator(".md-version").wait_for(timeout=15_000)


def _selector_entry(element) -> list[str]:
    """An edition in the selector: its title, then its aliases (Material's alias spans)."""
    return element.evaluate(
        "e => [e.firstChild.textContent.trim(), ...[...e.querySelectorAll('.md-version__alias')].map(a => a.textContent)]"
    )


def _path(page) -> str:
    return urlsplit(page.url).path


def test_the_root_and_latest_lead_to_the_newest_edition(page, editions: Editions) -> None:
    page.goto(editions.url, wait_until="load")
    page.wait_for_url(f"**/mi-survey/{editions.new.tag}/", timeout=15_000)
    page.goto(editions.url + "latest/" + PAGE, wait_until="load")
    page.wait_for_url(f"**/mi-survey/{editions.new.tag}/{PAGE}", timeout=15_000)


def test_the_version_selector_lists_both_editions_newest_first(page, editions: Editions) -> None:
    _open(page, editions.url + f"{editions.old.tag}/{PAGE}")
    assert _selector_entry(page.locator(".md-version__current")) == [editions.old.tag]
    links = page.locator(".md-version__list .md-version__link")
    listed = [_selector_entry(links.nth(i)) for i in range(links.count())]
    assert listed == [[editions.new.tag, "latest"], [editions.old.tag]]
    # Each entry goes to that edition's folder on this host.
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert [urlsplit(urljoin(page.url, h)).path for h in hrefs] == [
        f"/mi-survey/{editions.new.tag}/",
        f"/mi-survey/{editions.old.tag}/",
    ]


def test_an_earlier_edition_says_so_and_links_to_the_latest(page, editions: Editions) -> None:
    _open(page, editions.url + f"{editions.old.tag}/{PAGE}")
    banner = page.locator("[data-md-component=outdated]")
    banner.wait_for(state="visible", timeout=15_000)
    text = " ".join(banner.inner_text().split())
    assert f"You are reading an earlier edition ({editions.old.tag}) of this survey." in text
    link = banner.get_by_role("link", name="Read the latest edition.")
    assert urlsplit(urljoin(page.url, link.get_attribute("href") or "")).path == "/mi-survey/latest/"
    link.click()
    page.wait_for_url(f"**/mi-survey/{editions.new.tag}/", timeout=15_000)
    # Straight away on the next page of the earlier edition: Material remembers it for the tab.
    page.goto(editions.url + f"{editions.old.tag}/", wait_until="load")
    page.locator("[data-md-component=outdated]").wait_for(state="visible", timeout=15_000)


@pytest.mark.parametrize("folder", ["new", "latest"])
def test_the_latest_edition_shows_no_banner(page, editions: Editions, folder: str) -> None:
    _open(page, editions.url + f"{editions.new.tag if folder == 'new' else 'latest'}/{PAGE}")
    assert _path(page) == f"/mi-survey/{editions.new.tag}/{PAGE}"
    assert _selector_entry(page.locator(".md-version__current")) == [editions.new.tag, "latest"]
    assert page.locator("[data-md-component=outdated]").is_hidden()


@pytest.mark.parametrize("which", ["old", "new"])
def test_each_edition_cites_its_own_pinned_address(page, editions: Editions, which: str) -> None:
    edition: Edition = getattr(editions, which)
    _open(page, editions.url + f"{edition.tag}/{PAGE}")
    section = page.locator("section.mi-cite-page#cite-this-page")
    assert section.count() == 1, f"{edition.tag}/{PAGE} has no 'Cite this page' section"
    pinned = section.locator("a.mi-cite-page__pinned")
    assert edition.pinned(PAGE).endswith(f"/{edition.tag}/{PAGE}")
    assert pinned.get_attribute("href") == edition.pinned(PAGE)


def test_mike_refuses_an_edition_folder_that_is_not_citation_cffs(editions: Editions) -> None:
    before = _run(["git", "rev-parse", "gh-pages"], editions.repo).stdout
    done = _run([str(BIN / "mike"), "deploy", "v9.9"], editions.repo, check=False)
    assert done.returncode != 0
    assert (
        f"mike is publishing the edition v9.9, but CITATION.cff says version '1.1' ({editions.new.tag})"
        in done.stdout + done.stderr
    )
    assert _run(["git", "rev-parse", "gh-pages"], editions.repo).stdout == before
