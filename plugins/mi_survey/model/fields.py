"""Reflection over the models: the one place that reads a field's type.

``field_type(model, name)`` (or ``type_of(annotation)`` for a type met inside another) takes
``Annotated`` and ``Optional`` off a field's annotation and answers what is left: the bare type,
its constraints, the ``Ref`` marker, the items of a list, a nested model, a vocabulary, and the
``kind`` of value it holds. The loader (ids to resolve), the tables (how a cell displays), the
skeletons and schemas (``tools.hints``) and the hostile test content all ask here, so a new way
of writing a type is taught to one reader.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

from .common import PATTERN_WORDS, Editorial, HttpUrl, Markdown, Ref, Tag

Loc = tuple[str | int, ...]
T = TypeVar("T")

# The metadata that tells the string types of ``common`` apart (their constraints or validator).
_MARKDOWN = get_args(Markdown)[1]
_URL = get_args(HttpUrl)[1]
_TAG = get_args(Tag)[1]


@dataclass(frozen=True)
class FieldType:
    """A field's type with ``Annotated`` and ``Optional`` taken off.

    ``base`` is the bare type (``str``, ``int``, ``list[...]``, a vocabulary or a model; a union of
    several types is kept whole) and ``metadata`` every constraint, validator and marker found on
    the way, the field's own (``Field(min_length=2)``) included.
    """

    base: Any
    metadata: tuple[Any, ...] = ()

    @property
    def editorial(self) -> Editorial | None:
        """The editorial marker, when the field holds the editors' judgement."""
        return self.constraint(Editorial)

    @property
    def ref(self) -> Ref | None:
        """The collections the value is the id of a record in, when the field is marked so."""
        return self.constraint(Ref)

    @functools.cached_property
    def item(self) -> FieldType | None:
        """For a list: the type of its items (their own metadata only); otherwise None."""
        if get_origin(self.base) is not list:
            return None
        args = get_args(self.base)
        return type_of(args[0] if args else Any)

    @property
    def model(self) -> type[BaseModel] | None:
        """For a nested record: its model."""
        return self.base if isinstance(self.base, type) and issubclass(self.base, BaseModel) else None

    @property
    def nested_model(self) -> type[BaseModel] | None:
        """The model of the records the field holds: one record, a list of them, or records among
        other values (``list[str | Column]``); else None."""
        return _model_in(self.base)

    @property
    def vocabulary(self) -> type[Enum] | None:
        """For a closed vocabulary (``Confidence``): the enum; otherwise None."""
        return self.base if isinstance(self.base, type) and issubclass(self.base, Enum) else None

    @property
    def pattern(self) -> str | None:
        """The regular expression a text must match, if any."""
        return next((m.pattern for m in self.metadata if isinstance(getattr(m, "pattern", None), str)), None)

    def constraint(self, of_type: type[T]) -> T | None:
        """The first piece of metadata of type ``of_type`` (``annotated_types.Ge``, ``MinLen``, ``Ref``)."""
        return next((m for m in self.metadata if isinstance(m, of_type)), None)

    @functools.cached_property
    def kind(self) -> str:
        """What the value is: ``list``, ``record``, ``enum``, ``number``, ``markdown``, ``url``, ``tag``,
        a pattern's kind (``id``, ``date``, ``doi``, ``arxiv``: see ``common.PATTERN_WORDS``),
        ``text`` for other text, or ``other``."""
        if self.item is not None:
            return "list"
        if self.model is not None:
            return "record"
        if self.vocabulary is not None:
            return "enum"
        if self.base is int:
            return "number"
        if self.base is not str:
            return "other"
        if _MARKDOWN in self.metadata:
            return "markdown"
        if _URL in self.metadata:
            return "url"
        if _TAG in self.metadata:
            return "tag"
        words = PATTERN_WORDS.get(self.pattern or "")
        return words.kind if words is not None else "text"


def type_of(annotation: Any, metadata: Iterable[Any] = ()) -> FieldType:
    """``annotation`` with ``Annotated`` (its metadata collected after ``metadata``) and
    ``Optional`` taken off."""
    found = list(metadata)
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            base, *extra = get_args(annotation)
            found.extend(extra)
            annotation = base
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return FieldType(annotation, tuple(found))  # a choice of types: kept whole
            annotation = members[0]
        else:
            return FieldType(annotation, tuple(found))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


@functools.cache  # models do not change at run time; every record of a model asks the same
def field_type(model: type[BaseModel], name: str) -> FieldType:
    """The type of the field ``name`` of ``model``."""
    info = model.model_fields[name]
    return type_of(info.annotation, info.metadata)


def references_in(record: BaseModel, prefix: Loc = ()) -> Iterator[tuple[Loc, Ref, str]]:
    """Every id the record holds in a field marked with ``Ref``, with where it sits."""
    for name, shape, marker in _reference_fields(type(record)):
        value = getattr(record, name)
        if value is None:
            continue
        loc = prefix + (name,)
        if marker is not None and shape == "id":
            if isinstance(value, str):
                yield loc, marker, value
        elif marker is not None and shape == "ids":
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield loc + (index,), marker, item
        else:  # anything else that may hold records: walked by its type
            yield from _walk(value, field_type(type(record), name), loc)


@functools.cache  # a model's fields do not change; every record of it is walked the same way
def _reference_fields(model: type[BaseModel]) -> tuple[tuple[str, str, Ref | None], ...]:
    """The fields of ``model`` that can hold ids: ``id`` (a Ref field), ``ids`` (a list of
    them) or ``nested`` (records or other shapes, walked value by value)."""
    fields: list[tuple[str, str, Ref | None]] = []
    for name in model.model_fields:
        typ = field_type(model, name)
        if typ.ref is not None:
            fields.append((name, "id", typ.ref))
            continue
        if typ.item is not None:
            if typ.item.ref is not None:
                fields.append((name, "ids", typ.item.ref))
                continue
            typ = typ.item
        base = typ.base
        if base in (str, int, float, bool) or (isinstance(base, type) and issubclass(base, str)):
            continue  # plain values: no id can hide in them
        fields.append((name, "nested", None))
    return tuple(fields)


_ANY = FieldType(Any)


def _walk(value: Any, typ: FieldType, loc: Loc) -> Iterator[tuple[Loc, Ref, str]]:
    if value is None:
        return
    if typ.ref is not None and isinstance(value, str):
        yield loc, typ.ref, value
    elif isinstance(value, BaseModel):
        yield from references_in(value, loc)
    elif isinstance(value, (list, tuple)):
        item = typ.item if typ.item is not None else _ANY
        for index, each in enumerate(value):
            yield from _walk(each, item, loc + (index,))


def strings_in(record: BaseModel, prefix: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every string value in the record, nested models and lists included."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        if isinstance(value, str):  # most fields: no nested generator needed
            yield prefix + (name,), value
        elif isinstance(value, (BaseModel, list, tuple)):
            yield from _strings(value, prefix + (name,))


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, BaseModel):
        yield from strings_in(value, loc)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, loc + (index,))


@functools.cache  # models do not change at run time; tables ask once per cell
def field_kind(model: type[BaseModel], name: str) -> tuple[str, tuple[str, ...]]:
    """How a field displays: ``text``, ``enum``, ``number``, ``list``, ``link`` or ``links``
    (ids of records in the returned collections), or ``citations`` (reference ids)."""
    typ = field_type(model, name)
    if typ.ref is not None:
        return ("citations" if typ.ref.collections == ("references",) else "link"), typ.ref.collections
    if typ.item is not None:
        if typ.item.ref is not None:
            return ("citations" if typ.item.ref.collections == ("references",) else "links"), typ.item.ref.collections
        return "list", ()
    if typ.vocabulary is not None:
        return "enum", ()
    if typ.base is int:
        return "number", ()
    return "text", ()


__all__ = ["FieldType", "Loc", "field_kind", "field_type", "references_in", "strings_in", "type_of"]


def editorial_fields(model: type[BaseModel]) -> dict[str, str]:
    """The fields of ``model`` (and of the records nested in it, as ``positions.x``) that hold the
    editors' judgement, with what the judgement is."""
    found: dict[str, str] = {}
    for name in model.model_fields:
        ftype = field_type(model, name)
        if ftype.editorial is not None:
            found[name] = ftype.editorial.why
        nested = ftype.nested_model
        if nested is not None and nested is not model:
            found.update({f"{name}.{inner}": why for inner, why in editorial_fields(nested).items()})
    return found
