""" "Last update" dates: written pages from their Markdown's last commit, generated pages from their YAML's."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from helpers import run_build

from mi_survey.git_dates import SourceDates

PLUGIN = """
  - git-revision-date-localized:
      type: date
      fallback_to_build_date: true
      enable_creation_date: false
      strict: false
"""


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.org",
    }
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def with_revision_dates(site: Path) -> Path:
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n", "plugins:" + PLUGIN, 1))
    return config


def updated(page: str) -> str:
    match = re.search(r'git-revision-date-localized-plugin-date"[^>]*>([^<]+)<', page)
    assert match, "no last-update date on the page"
    return match.group(1)


def test_source_dates_of_files_and_folders(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "data/cruxes").mkdir(parents=True)
    git(root, "init", "-q")
    (root / "data/cruxes/a.yaml").write_text("id: a\n")
    (root / "data/cruxes/b.yaml").write_text("id: b\n")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first", date="2021-03-04T12:00:00+00:00")
    (root / "data/cruxes/b.yaml").write_text("id: b\nchanged: yes\n")
    git(root, "commit", "-qam", "second", date="2023-05-06T12:00:00+00:00")

    dates = SourceDates.read(root, "data")
    assert dates.of("data/cruxes/a.yaml") == 1614859200
    assert dates.of("data/cruxes/b.yaml") == 1683374400
    assert dates.of("data/cruxes") == dates.of("data") == 1683374400
    assert dates.of("data/cruxes/new.yaml") is None
    assert SourceDates.read(tmp_path / "not-a-repo", "data").dates == {}


def test_generated_pages_show_the_date_of_their_yaml(fixture_site: Path, tmp_path: Path) -> None:
    config = with_revision_dates(fixture_site)
    git(fixture_site, "init", "-q")
    git(fixture_site, "add", ".")
    git(fixture_site, "commit", "-qm", "content", date="2022-01-15T12:00:00+00:00")
    crux = fixture_site / "content/data/cruxes/scaling.yaml"
    crux.write_text(crux.read_text().replace("billions of features", "many billions of features"))
    git(fixture_site, "commit", "-qam", "update a crux", date="2024-07-09T12:00:00+00:00")

    result = run_build(config, tmp_path / "out")
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output
    assert updated(result.page("index.html")) == "January 15, 2022"  # a written page
    assert updated(result.page("cruxes/deception/index.html")) == "January 15, 2022"
    assert updated(result.page("cruxes/scaling/index.html")) == "July 9, 2024"
    assert updated(result.page("cruxes/index.html")) == "July 9, 2024"  # the newest in its folder
    assert updated(result.page("bibliography/index.html")) == "January 15, 2022"


def test_without_git_history_the_strict_build_still_passes(fixture_site: Path, tmp_path: Path) -> None:
    result = run_build(with_revision_dates(fixture_site), tmp_path / "out")
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output
    assert updated(result.page("cruxes/scaling/index.html"))  # the build date
