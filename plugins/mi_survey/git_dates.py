"""When each data file last changed, from git history, for the pages generated from it.

The ``git-revision-date-localized`` plugin dates every written page by its Markdown file's last
commit; a generated page has no file in git, so that plugin gives it the build date. A generated
page is really as old as the records it shows: its YAML file (a crux page) or the newest file of
its folder (the bibliography). One ``git log`` per build reads the dates of every data file at
once; pages then look theirs up.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.survey")

PLUGIN = "git-revision-date-localized"


class SourceDates:
    """Unix time of the last commit touching each file below a folder, by path from the root."""

    def __init__(self, dates: dict[str, int]) -> None:
        self.dates = dates

    @classmethod
    def read(cls, root: Path, folder: str) -> SourceDates:
        """One ``git log`` over ``folder``; no dates (not a repository, no git) is not an error."""
        try:
            done = subprocess.run(
                [
                    "git",
                    "-C",
                    str(root),
                    "log",
                    "--format=%x00%at",
                    "--name-only",
                    "--relative",
                    "--no-renames",
                    "--",
                    folder,
                ],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as error:
            log.info("no git dates for generated pages: %s", error)
            return cls({})
        if done.returncode != 0:
            log.info("no git dates for generated pages: %s", done.stderr.strip())
            return cls({})
        dates: dict[str, int] = {}
        stamp = 0
        for line in done.stdout.splitlines():
            if line.startswith("\0"):
                stamp = int(line[1:])
            elif line:
                dates.setdefault(line, stamp)  # newest first: the first date seen is the last change
        return cls(dates)

    def of(self, source: str) -> int | None:
        """The last change to a file, or to anything below a folder; None when git knows nothing."""
        source = source.rstrip("/")
        if source in self.dates:
            return self.dates[source]
        below = [stamp for path, stamp in self.dates.items() if path.startswith(source + "/")]
        return max(below) if below else None


def revision_plugin(config: Any) -> Any | None:
    """The configured and enabled git-revision-date-localized plugin, if any."""
    plugin = config.plugins.get(PLUGIN) if config.plugins else None
    if plugin is None or not plugin.config.get("enabled", True):
        return None
    return plugin


def date_generated_page(page: Any, stamp: int | None, plugin: Any) -> None:
    """Replace the build date the plugin gave a generated page with its source's last commit."""
    if stamp is None or plugin is None:
        return  # not committed yet: the plugin's fallback (the build date) stands
    locale = page.meta.get("locale") or plugin.config.get("locale") or "en"
    try:
        formats = plugin.util.get_date_formats_for_timestamp(stamp, locale=locale, add_spans=True)
        raw = plugin.util.get_date_formats_for_timestamp(stamp, locale=locale, add_spans=False)
    except AttributeError:  # a release of the plugin without this helper: keep its date
        return
    variable = "git_revision_date_localized"
    page.meta[variable] = formats[plugin.config.get("type", "date")]
    for kind, text in raw.items():
        page.meta[f"{variable}_raw_{kind}"] = text
