"""What each field of a model expects, in words a contributor reads in a skeleton or an editor.

Everything here is derived from the pydantic models, so a new field or vocabulary needs no second
description: the type gives the expectation ("one of: low, medium, high"), and a comment written
directly above the field in the model's source (``# As printed in the source, in order.``) is
kept as its note.
"""

from __future__ import annotations

import inspect
import io
import re
import tokenize
from dataclasses import dataclass, field
from functools import cache
from typing import Any, get_args, get_origin

import annotated_types
from pydantic import BaseModel

from ..model import common
from ..model.common import LabelledEnum, Ref
from ..model.fields import _unwrap  # the one place that knows how the models nest their types

_MARKDOWN = get_args(common.Markdown)[1]
_TAG = get_args(common.Tag)[1]
_URL = get_args(common.HttpUrl)[1]
_PATTERN_WORDS = {
    common.DATE_PATTERN: "a date written YYYY, YYYY-MM or YYYY-MM-DD",
    common.DOI_PATTERN: "a DOI like 10.1007/s13194-024-00614-4 (without https://doi.org/)",
    common.ARXIV_PATTERN: "an arXiv id like 2404.14082",
    common.ID_PATTERN: "an id: lowercase letters, digits and single hyphens",
}


@dataclass(frozen=True)
class Shape:
    """The expected value of a field (or of a list item)."""

    kind: str  # text, markdown, enum, number, date, url, doi, arxiv, id, tag, record, list
    refs: tuple[str, ...] = ()  # for ids: the collections they point into
    values: tuple[str, ...] = ()  # for enums
    bounds: tuple[Any, Any] = (None, None)  # for numbers: the least and greatest, or None
    model: type[BaseModel] | None = None  # for nested records
    item: Shape | None = None  # for lists
    min_items: int = 0
    notes: dict[str, str] = field(default_factory=dict, compare=False)

    def words(self) -> str:
        """The expectation as a phrase: ``one of: low, medium, high``."""
        if self.kind == "list":
            assert self.item is not None
            least = f" (at least {self.min_items})" if self.min_items > 1 else ""
            if self.item.kind == "record":
                return f"a list of entries{least}, each a mapping of field: value"
            if self.item.kind == "id" and self.item.refs:
                return f"a list{least} of ids of records in {_either(self.item.refs)}, like [id-one, id-two]"
            if self.item.kind == "tag":
                return f"a list{least} of tags (lowercase words joined by hyphens), like [sae, review]"
            return f"a list{least} of {_plural(self.item)}"
        if self.kind == "id" and self.refs:
            return f"the id of a record in {_either(self.refs)}"
        if self.kind == "enum":
            return "one of: " + ", ".join(self.values)
        if self.kind == "number":
            low, high = self.bounds
            return f"a whole number from {low} to {high}" if low is not None and high is not None else "a whole number"
        return {
            "markdown": "Markdown text; cite sources with [@reference-id]",
            "text": "short text",
            "date": _PATTERN_WORDS[common.DATE_PATTERN],
            "url": "an http:// or https:// URL",
            "doi": _PATTERN_WORDS[common.DOI_PATTERN],
            "arxiv": _PATTERN_WORDS[common.ARXIV_PATTERN],
            "id": _PATTERN_WORDS[common.ID_PATTERN],
            "tag": "a tag: lowercase words joined by hyphens",
            "record": "a mapping of field: value",
        }[self.kind]


def _either(collections: tuple[str, ...]) -> str:
    return " or ".join(collections)


def _plural(shape: Shape) -> str:
    return {
        "markdown": "Markdown paragraphs (cite with [@reference-id])",
        "text": "short plain texts",
        "date": "dates",
        "url": "URLs",
    }.get(shape.kind, shape.words())


@dataclass(frozen=True)
class FieldInfo:
    name: str
    required: bool
    shape: Shape
    note: str  # the comment above the field in the model's source, or ""

    def describe(self) -> str:
        """One sentence for a skeleton comment or a JSON Schema description."""
        text = self.shape.words()
        text = text[:1].upper() + text[1:] + "."
        return f"{self.note} {text}" if self.note else text


@cache
def fields_of(model: type[BaseModel]) -> tuple[FieldInfo, ...]:
    notes = _source_notes(model)
    out = []
    for name, info in model.model_fields.items():
        out.append(
            FieldInfo(name, info.is_required(), shape_of(info.annotation, list(info.metadata)), notes.get(name, ""))
        )
    return tuple(out)


def shape_of(annotation: Any, metadata: list[Any]) -> Shape:
    annotation, metadata = _unwrap(annotation, metadata)
    marker = next((m for m in metadata if isinstance(m, Ref)), None)
    if get_origin(annotation) is list:
        (item,) = get_args(annotation) or (Any,)
        least = next((m.min_length for m in metadata if isinstance(m, annotated_types.MinLen)), 0)
        return Shape("list", item=shape_of(item, []), min_items=least)
    if isinstance(annotation, type) and issubclass(annotation, LabelledEnum):
        return Shape("enum", values=tuple(member.value for member in annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape("record", model=annotation)
    if annotation is int:
        low = next((m.ge for m in metadata if isinstance(m, annotated_types.Ge)), None)
        high = next((m.le for m in metadata if isinstance(m, annotated_types.Le)), None)
        return Shape("number", bounds=(low, high))
    if _MARKDOWN in metadata:
        return Shape("markdown")
    if _URL in metadata:
        return Shape("url")
    if _TAG in metadata:
        return Shape("tag")
    pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)
    kind = {
        common.DATE_PATTERN: "date",
        common.DOI_PATTERN: "doi",
        common.ARXIV_PATTERN: "arxiv",
        common.ID_PATTERN: "id",
    }.get(pattern or "", "text")
    return Shape(kind, refs=marker.collections if marker else ())


_FIELD_LINE = re.compile(r"^\s+([a-z_][a-z0-9_]*)\s*:")


def _source_notes(model: type[BaseModel]) -> dict[str, str]:
    """Comments written directly above a field in the class body, joined into one sentence."""
    notes: dict[str, str] = {}
    for klass in reversed(model.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, BaseModel)) or klass is BaseModel:
            continue
        try:
            source = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        pending: list[str] = []
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except tokenize.TokenError:
            continue
        comments = {t.start[0]: t.string for t in tokens if t.type == tokenize.COMMENT}
        for number, line in enumerate(source.splitlines(), start=1):
            stripped = line.strip()
            if number in comments and stripped.startswith("#"):
                pending.append(stripped.lstrip("#").strip())
                continue
            match = _FIELD_LINE.match(line)
            if match and pending:
                notes[match.group(1)] = " ".join(pending).rstrip(".") + "."
            pending = []
    return notes
