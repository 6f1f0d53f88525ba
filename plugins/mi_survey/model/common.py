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
class Editorial:
    """Marks a field whose value is the editors' judgement, not what a source says: the site shows
    it with the editorial marker (linking to the editorial policy) and the JSON export lists it."""

    why: str  # what the judgement is, for the policy page and the export

    def __init__(self, why: str) -> None:
        object.__setattr__(self, "why", why)


@dataclass(frozen=True)
class Ref:
    """Marks a field whose value is the id of a record in one of ``collections``.

    The loader finds these markers on the models and resolves every such id, so a dangling
    reference fails the build instead of producing a dead link.
    """

    collections: tuple[str, ...]

    def __init__(self, *collections: str) -> None:
        object.__setattr__(self, "collections", collections)


MAX_URL_LENGTH = 2_000
URL_EXAMPLE = "https://arxiv.org/abs/2404.14082"
_SPACE = re.compile(r"\s")
# C0 and C1 controls, DEL, and the invisible format characters (zero-width spaces, bidirectional
# overrides) that make a URL read as something other than what a browser requests.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def _http_url(value: object) -> object:
    """An absolute http(s) URL that a reader, a browser and BibTeX all read the same way.

    Checked on the value as written, before the record strips white space, so that nothing in
    it is dropped unseen (browsers skip tabs and newlines inside a URL). The scheme is checked
    first: however it is disguised, a ``javascript:`` URL is reported as a wrong scheme. A value
    that is not text is left to the type check, which says so.
    """
    if not isinstance(value, str):
        return value
    if len(value) > MAX_URL_LENGTH:
        raise ValueError(f"is {len(value)} characters long; expected a URL of at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # an unclosed "[" of an IPv6 address
        host = None
    if not host or parts.scheme not in ("http", "https"):
        # Word for word as before this check grew: it already names what is expected.
        raise ValueError("must be an absolute http:// or https:// URL")
    space = _SPACE.search(value)
    if space:
        raise ValueError(
            f"must not contain white space (found {space.group()!r} at character {space.start() + 1}); "
            "expected a URL with any space in it written %20"
        )
    invisible = _INVISIBLE.search(value)
    if invisible:
        raise ValueError(
            f"must not contain control or invisible characters (found {invisible.group()!r} at character "
            f"{invisible.start() + 1}); expected a URL of visible characters"
        )
    if "\\" in value:
        raise ValueError(
            "must not contain a backslash (browsers read it as '/', other programs do not); "
            "expected a URL with '/' between the parts of its path"
        )
    if "@" in parts.netloc:
        raise ValueError(
            f"must not contain a user name or password before the host (the host of {_shown(value)} "
            f"is {host!r}, after the '@'); expected a URL like {URL_EXAMPLE}, its host right after '//'"
        )
    return value


def _shown(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


# Only http(s) reaches an href: javascript:, data: and friends are rejected at load time, and so
# is what would make the URL read differently in a browser, in the bibliography or in BibTeX
# (white space, control characters, a user name before the host). Site-relative URLs are not
# accepted: every URL field points outside the site.
HttpUrl = Annotated[str, BeforeValidator(_http_url)]

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


@dataclass(frozen=True)
class PatternWords:
    """A pattern in a contributor's words: what it expects and a value that matches.

    The one wording of each pattern, for the loader's errors ("expected " + ``phrase``), the
    skeletons of ``mi-survey new`` and the schemas' descriptions.
    """

    kind: str  # what ``model.fields.FieldType.kind`` calls a value of this pattern
    noun: str  # what is expected: "a DOI"
    example: str = ""  # a value that matches, as written in YAML
    template: str = "{noun} like '{example}'"  # how the noun and the example read together

    @property
    def phrase(self) -> str:
        """``a DOI like '10.1007/s13194-024-00614-4' (without https://doi.org/)``."""
        return self.template.format(noun=self.noun, example=self.example)


PATTERN_WORDS: dict[str, PatternWords] = {
    ID_PATTERN: PatternWords(
        "id", "a lowercase id of letters, digits and single hyphens", "sparse-autoencoder", "{noun}, like '{example}'"
    ),
    DATE_PATTERN: PatternWords("date", "a date written YYYY, YYYY-MM or YYYY-MM-DD", "2024-05", "{noun}"),
    DOI_PATTERN: PatternWords(
        "doi", "a DOI", "10.1007/s13194-024-00614-4", "{noun} like '{example}' (without https://doi.org/)"
    ),
    ARXIV_PATTERN: PatternWords("arxiv", "an arXiv id", "2404.14082"),
}

MAX_BRACKETS = 100


# C0 control characters but tab and newline: no text needs them, no page can show them, and the
# renderer's own placeholders are made of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _renderable(value: str) -> str:
    control = _CONTROL.search(value)
    if control:
        raise ValueError(
            f"holds the control character U+{ord(control.group()):04X} (character {control.start() + 1}); "
            "expected text without control characters"
        )
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

    # Every field's docstring is its description: in the schemas, the skeletons and the errors.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, use_attribute_docstrings=True)

    id: Id
    """The record's id, which pages and other records use to point at it and which becomes part of
    its URL. In a folder collection it must match the file name."""


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
    year, month, day = ([int(p) for p in value.split("-")] + [0, 0])[:3]
    return year, month, day


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


# Pandoc's locators: after a key and a comma, a term (page, section, chapter...) and a value,
# e.g. [@key, p. 52], [@key, sec. 3.2], [@a, pp. 3-5; @b]. The terms are CSL's, short or long.
LOCATOR_TERMS = (
    "p.",
    "pp.",
    "sec.",
    "ch.",
    "chap.",
    "fig.",
    "tbl.",
    "para.",
    "l.",
    "n.",
    "vol.",
    "app.",
    "page",
    "pages",
    "section",
    "chapter",
    "figure",
    "table",
    "paragraph",
    "line",
    "note",
    "volume",
    "appendix",
)
_LOCATOR = re.compile(
    r"^(?:"
    + "|".join(re.escape(term) for term in sorted(LOCATOR_TERMS, key=len, reverse=True))
    # A number or range ("pp. 3-5", "sec. 3.2"), or a quoted title for a work whose sections have
    # names and no numbers, such as a web page: sec. "Key Cruxes".
    + r')\s+(?:"[^"\[\]@;\x00-\x1f]+"|[\w\u2013.:-]+(?:\s*[-\u2013,]\s*[\w.:]+)*)$'
)
CITATION_FORMS = '[@id], [@id, p. 52], [@id, sec. 3], [@id, sec. "Title"] or [@a; @b]'


def citation_parts(inner: str) -> list[tuple[str, str]] | None:
    """Each reference a citation's inner text names, with its locator ("" when none), or None
    when it is malformed."""
    match = _CITATION_KEY.match(inner)  # most citations name one reference, without a locator
    if match:
        return [(match.group(1), "")]
    parts = []
    for part in inner.split(";"):
        key, comma, locator = part.strip().partition(",")
        match = _CITATION_KEY.match(key.strip())
        locator = " ".join(locator.split())
        if not match or (comma and not _LOCATOR.match(locator)):
            return None
        parts.append((match.group(1), locator))
    return parts


def citation_keys(inner: str) -> list[str] | None:
    """The keys of one citation's inner text, or None when it is malformed."""
    parts = citation_parts(inner)
    return None if parts is None else [key for key, _ in parts]


class Attribution(BaseModel):
    """The source that says who holds a view: naming a holder is a claim, cited like any other."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, use_attribute_docstrings=True)

    source: Annotated[Id, Ref("references")]
    """The reference that attributes the view to the holder."""
    locator: Text | None = None
    """Where in the source the attribution is made: a page, section or table (e.g. "sec. 4")."""


def attribution_needed(holder: object) -> str:
    """The problem of an attribution written without its source."""
    return (
        f"naming '{holder}' as a holder is a claim: say which source makes it, with "
        f"{{source: reference-id, locator: where in it}}"
    )
