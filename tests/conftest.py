"""Shared fixtures: a copy of the fixture site, and a way to build it as a maintainer would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from served_site import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = Path(__file__).parent / "fixtures" / "site"
MKDOCS = str(Path(sys.executable).parent / "mkdocs")


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def run_build(config: Path, site_dir: Path, strict: bool = True) -> BuildResult:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    args = [MKDOCS, "build", "-f", str(config), "-d", str(site_dir)]
    if strict:
        args.append("--strict")
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    return BuildResult(done.returncode, done.stdout + done.stderr, site_dir)


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/site whose plugin options point at the real templates."""
    site = tmp_path / "project"
    shutil.copytree(FIXTURE_SITE, site)
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("../../../templates/components", str(ROOT / "templates" / "components"))
    )
    return site


def enable_mermaid(site: Path, arguments: str = "") -> None:
    """Turn on mermaid2 in a copy of the fixture site, with the real site's Mermaid as served."""
    # A copy, not a link: the build refuses files that lie outside the project.
    shutil.copytree(ROOT / "content/docs/assets/vendor/mermaid", site / "content/docs/assets/vendor/mermaid")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "plugins:\n",
            "plugins:\n  - mermaid2:\n      javascript: assets/vendor/mermaid/mermaid.esm.min.mjs\n" + arguments,
            1,
        )
    )


@pytest.fixture
def build(fixture_site: Path, tmp_path: Path):
    def _build(strict: bool = True) -> BuildResult:
        return run_build(fixture_site / "mkdocs.yml", tmp_path / "out", strict)

    return _build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test session."""
    out = tmp_path_factory.mktemp("site")
    result = run_build(ROOT / "mkdocs.yml", out)
    assert result.returncode == 0, result.output
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The real site served on 127.0.0.1 under a sub-path, as a project site on GitHub Pages."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs it (or set CHROMIUM)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
