"""What each field of a model expects, in words a contributor reads in a skeleton or an editor.

Everything here is derived from the pydantic models, so a new field or vocabulary needs no second
description: the docstring written under the field in its model (pydantic's
``use_attribute_docstrings``, read back as the field's ``description``) says what the field holds,
and its type, read by ``model.fields``, gives the expectation ("one of: low, medium, high"; the
patterns in the words of ``common.PATTERN_WORDS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import annotated_types
from pydantic import BaseModel

from ..model.common import PATTERN_WORDS
from ..model.fields import FieldType, field_type

_PATTERN_PHRASES = {words.kind: words.phrase for words in PATTERN_WORDS.values()}


@dataclass(frozen=True)
class Shape:
    """The expected value of a field (or of a list item)."""

    kind: str  # a FieldType.kind: text, markdown, enum, number, date, url, doi, arxiv, id, tag, record, list
    refs: tuple[str, ...] = ()  # for ids: the collections they point into
    values: tuple[str, ...] = ()  # for enums
    bounds: tuple[Any, Any] = (None, None)  # for numbers: the least and greatest, or None
    model: type[BaseModel] | None = None  # for nested records
    item: Shape | None = None  # for lists
    min_items: int = 0

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
        if self.kind in _PATTERN_PHRASES:
            return _PATTERN_PHRASES[self.kind]
        return {
            "markdown": "Markdown text; cite sources with [@reference-id]",
            "text": "short text",
            "url": "an http:// or https:// URL",
            "tag": "a tag: lowercase words joined by hyphens",
            "record": "a mapping of field: value",
        }.get(self.kind, "a value")


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
    description: str  # the docstring under the field in its model, on one line, or ""

    def describe(self) -> str:
        """What the field holds, then what it expects: a skeleton comment or a schema description."""
        text = self.shape.words()
        text = text[:1].upper() + text[1:] + "."
        return f"{self.description} {text}" if self.description else text


@cache
def fields_of(model: type[BaseModel]) -> tuple[FieldInfo, ...]:
    return tuple(
        FieldInfo(name, info.is_required(), shape_of(field_type(model, name)), _one_line(info.description))
        for name, info in model.model_fields.items()
    )


def _one_line(description: str | None) -> str:
    text = " ".join((description or "").split())
    return text if not text or text.endswith((".", "?", "!")) else text + "."


def shape_of(typ: FieldType) -> Shape:
    """The expectation of a value of type ``typ``."""
    if typ.item is not None:
        least = typ.constraint(annotated_types.MinLen)
        return Shape("list", item=shape_of(typ.item), min_items=least.min_length if least else 0)
    if typ.vocabulary is not None:
        return Shape("enum", values=tuple(member.value for member in typ.vocabulary))
    if typ.model is not None:
        return Shape("record", model=typ.model)
    if typ.kind == "number":
        low = typ.constraint(annotated_types.Ge)
        high = typ.constraint(annotated_types.Le)
        return Shape("number", bounds=(low.ge if low else None, high.le if high else None))
    return Shape(typ.kind, refs=typ.ref.collections if typ.ref else ())
