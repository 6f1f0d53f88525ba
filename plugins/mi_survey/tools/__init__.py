"""Contributor and maintainer tools behind the ``mi-survey`` command (no MkDocs here).

Each module does one job and reports failure by raising :class:`ToolError`, which the command
prints as one line and turns into its exit status.
"""

from __future__ import annotations


class ToolError(Exception):
    """A problem the person running the command can fix: printed as one line, never a traceback."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status
