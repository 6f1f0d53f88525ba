"""Types shared by every collection: the record base class, ids, URLs, dates, vocabularies."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from enum import Enum
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# Readable, stable ids (``bereska2024``, ``deception-hiding``) are what pages and other records
# use to point at a record; they also become URL slugs, hence the narrow alphabet.
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=1, max_length=80)]


@dataclass(frozen=True)
class Ref:
    """Marks a field whose value is the id of a record in one of ``collections``.

    The loader finds these markers on the models and resolves every such id, so a dangling
    reference fails the build instead of producing a dead link.
    """

    collections: tuple[str, ...]

    def __init__(self, *collections: str) -> None:
        object.__setattr__(self, "collections", collections)


_SPACE = re.compile(r"\s")


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an absolute http:// or https:// URL")
    if _SPACE.search(value):
        raise ValueError("must not contain white space")
    return value


# Only http(s) reaches an href: javascript:, data: and friends are rejected at load time.
HttpUrl = Annotated[str, AfterValidator(_http_url)]

DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


def _date_text(value: object) -> object:
    # YAML reads an unquoted 2024-05-21 as a date and 2024 as a number; both are fine here.
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


# A year, a month or a day: sources are often dated only to the year.
PartialDate = Annotated[str, BeforeValidator(_date_text), StringConstraints(pattern=DATE_PATTERN)]

DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
ARXIV_PATTERN = r"^\d{4}\.\d{4,5}(v\d+)?$"

MAX_BRACKETS = 100


def _renderable(value: str) -> str:
    # Python-Markdown scans to the end of the text for every "[" that may open a link: a text of
    # thousands of them takes minutes to render. Real texts have a handful (links, citations).
    if value.count("[") > MAX_BRACKETS:
        raise ValueError(
            f"has {value.count('[')} '[' characters; at most {MAX_BRACKETS} fit in one text "
            "(each link or citation uses one)"
        )
    return value


# Long free text is Markdown; it is rendered with raw HTML neutralised.
Markdown = Annotated[str, StringConstraints(min_length=1, max_length=20_000), AfterValidator(_renderable)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2_000), AfterValidator(_renderable)]
Tag = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=40)]

ReferenceIds = Annotated[list[Annotated[Id, Ref("references")]], Field(default_factory=list)]


class Record(BaseModel):
    """Base of every record: unknown fields are errors, records are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: Id


class LabelledEnum(str, Enum):
    """A closed vocabulary whose members keep their declaration order (used for spectra)."""

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)


class Confidence(LabelledEnum):
    low = "low"
    medium = "medium"
    high = "high"


class Level(LabelledEnum):
    """Importance or priority, lowest first."""

    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


Credibility = Annotated[int, Field(ge=1, le=5)]


def date_key(value: str) -> tuple[int, int, int]:
    """Sort key for a partial date: ``2024`` sorts before ``2024-01``."""
    parts = [int(p) for p in re.split("-", value)]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def date_label(value: str) -> str:
    """``2024-05`` -> ``May 2024``; ``2024-05-21`` -> ``21 May 2024``."""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


# Citations inside Markdown text: ``[@bereska2024]`` or ``[@bereska2024; @olah2020-zoom-in]``.
# Any ``[@...]`` is taken as an attempted citation, so a malformed one is an error, not text.
CITATION_PATTERN = r"\[(@[^\]]*)\]"
CITATION_KEY_PATTERN = r"^@([a-z0-9]+(?:-[a-z0-9]+)*)$"
_CITATION_KEY = re.compile(CITATION_KEY_PATTERN)


def citation_keys(inner: str) -> list[str] | None:
    """The keys of one citation's inner text, or None when it is malformed."""
    match = _CITATION_KEY.match(inner)  # most citations name one reference
    if match:
        return [match.group(1)]
    keys = []
    for part in inner.split(";"):
        match = _CITATION_KEY.match(part.strip())
        if not match:
            return None
        keys.append(match.group(1))
    return keys
