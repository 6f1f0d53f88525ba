"""The survey as a citable work: its title, authors, edition and addresses, read from CITATION.cff.

CITATION.cff at the project root is the one place these are written. The site's citations, its
scholarly meta tags, the Zenodo metadata and the editions all take them from here, so the work
is cited the same way everywhere. An edition is published by raising ``version`` and
``date-released`` here and tagging the commit ``v<version>``; the deploy refuses a tag that
does not match.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from ..model.common import HttpUrl, Text
from .messages import describe
from .problems import ContentError, Problem, dotted
from .yaml_source import parse

CITATION_FILE = "CITATION.cff"
# A folder of the published site named like an edition ("v1.1"), rather than an alias or a preview.
_EDITION_FOLDER = re.compile(r"v[0-9]")
MAX_BYTES = 64 * 1024  # a citation file is a few lines; a huge one is a mistake or an attack


class Author(BaseModel):
    """A person (given and family names) or an entity (a name), as CFF writes them."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    given_names: Annotated[Text | None, Field(alias="given-names")] = None
    family_names: Annotated[Text | None, Field(alias="family-names")] = None
    name: Text | None = None
    orcid: HttpUrl | None = None

    @model_validator(mode="after")
    def _named(self) -> Author:
        if not (self.name or self.family_names):
            raise ValueError("an author needs a name (an entity) or family-names (a person)")
        return self

    @property
    def display(self) -> str:
        """The name as a byline writes it: "Ada Lovelace", or the entity's name."""
        return self.name or " ".join(n for n in (self.given_names, self.family_names) if n)

    @property
    def csl(self) -> dict[str, str]:
        """The name as CSL-JSON writes it: family and given, or a literal for an entity."""
        if self.name:
            return {"literal": self.name}
        return {"family": self.family_names or "", "given": self.given_names or ""}


class Edition(BaseModel):
    """What CITATION.cff says of the survey (its other keys are for GitHub and Zenodo)."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    title: Text
    authors: Annotated[list[Author], Field(min_length=1)]
    version: Annotated[str, StringConstraints(pattern=r"^[0-9]+\.[0-9]+$")]
    date_released: Annotated[date, Field(alias="date-released", strict=False)]
    url: HttpUrl
    repository_code: Annotated[HttpUrl, Field(alias="repository-code")]
    abstract: Text | None = None
    license: Text | None = None

    @property
    def tag(self) -> str:
        """The git tag, and the folder of the site, of this edition: "v1.0"."""
        return f"v{self.version}"

    @property
    def site(self) -> str:
        """The address of the published survey, ending in "/"."""
        return self.url if self.url.endswith("/") else self.url + "/"

    def pinned(self, page_url: str = "") -> str:
        """The address of a page (a site-relative URL, "" for the home page) in this edition."""
        return f"{self.site}{self.tag}/{page_url}"

    def latest(self, page_url: str = "") -> str:
        """The address of a page in whichever edition is the latest."""
        return f"{self.site}latest/{page_url}"

    def refuses_folder(self, folder: str) -> str | None:
        """Why this edition must not be published into ``folder`` of the site (one named like
        another edition), or None: an edition is published only as CITATION.cff's."""
        if _EDITION_FOLDER.match(folder) and folder != self.tag:
            return (
                f"mike is publishing the edition {folder}, but CITATION.cff says version {self.version!r} "
                f"({self.tag}): raise version and date-released there, or deploy {self.tag}"
            )
        return None


def read_edition(root: Path) -> Edition:
    """The edition described by ``root``/CITATION.cff; ContentError naming the line if it is wrong."""
    path = root / CITATION_FILE
    try:
        # Not through a link: no file outside the repository is ever read.
        plain = path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_BYTES
        raw = path.read_bytes() if plain else None
    except OSError as error:
        problem = Problem(CITATION_FILE, 1, "", f"cannot be read ({error.strerror})", "file-unreadable")
        raise ContentError([problem]) from None
    if raw is None:
        message = (
            "missing: the survey's title, authors and edition are written there"
            if not path.exists()
            else (f"expected a plain file of at most {MAX_BYTES:,} bytes")
        )
        raise ContentError([Problem(CITATION_FILE, 1, "", message, "citation-file")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ContentError([Problem(CITATION_FILE, line, "", "not valid UTF-8 text", "file-encoding")]) from None
    parsed, problems = parse(text, CITATION_FILE)
    if parsed is None:
        raise ContentError(problems)
    if not isinstance(parsed.data, dict):
        raise ContentError([Problem(CITATION_FILE, 1, "", "expected a mapping of key: value", "citation-file")])
    try:
        return Edition.model_validate(parsed.data)
    except ValidationError as error:
        found = []
        for e in error.errors():
            loc = tuple(e["loc"])  # by alias: the keys as CFF writes them
            found.append(
                Problem(CITATION_FILE, parsed.line_of(loc), dotted(loc), describe(e, Edition), "citation-file")
            )
        raise ContentError(found) from None
