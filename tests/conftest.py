"""Shared fixtures: a copy of the fixture site, and a way to build it as a maintainer would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

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


@pytest.fixture
def build(fixture_site: Path, tmp_path: Path):
    def _build(strict: bool = True) -> BuildResult:
        return run_build(fixture_site / "mkdocs.yml", tmp_path / "out", strict)

    return _build
