"""Reflection over the models: which fields point at other records, which hold Markdown."""

from __future__ import annotations

import functools
import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from .common import Ref

Loc = tuple[str | int, ...]


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
        else:  # anything else that may hold records: walked by its annotation
            info = type(record).model_fields[name]
            yield from _walk(value, info.annotation, info.metadata, loc)


@functools.cache  # a model's fields do not change; every record of it is walked the same way
def _reference_fields(model: type[BaseModel]) -> tuple[tuple[str, str, Ref | None], ...]:
    """The fields of ``model`` that can hold ids: ``id`` (a Ref field), ``ids`` (a list of
    them) or ``nested`` (records or other shapes, walked value by value)."""
    fields: list[tuple[str, str, Ref | None]] = []
    for name, info in model.model_fields.items():
        annotation, metadata = _unwrap(info.annotation, info.metadata)
        marker = next((m for m in metadata if isinstance(m, Ref)), None)
        if marker is not None:
            fields.append((name, "id", marker))
            continue
        if get_origin(annotation) is list:
            item, item_meta = _unwrap(get_args(annotation)[0], [])
            item_marker = next((m for m in item_meta if isinstance(m, Ref)), None)
            if item_marker is not None:
                fields.append((name, "ids", item_marker))
                continue
            annotation = item
        if annotation in (str, int, float, bool) or (isinstance(annotation, type) and issubclass(annotation, str)):
            continue  # plain values: no id can hide in them
        fields.append((name, "nested", None))
    return tuple(fields)


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


def _walk(value: Any, annotation: Any, metadata: list[Any], loc: Loc) -> Iterator[tuple[Loc, Ref, str]]:
    if value is None:
        return
    annotation, metadata = _unwrap(annotation, metadata)
    marker = next((m for m in metadata if isinstance(m, Ref)), None)
    if marker is not None and isinstance(value, str):
        yield loc, marker, value
    elif isinstance(value, BaseModel):
        yield from references_in(value, loc)
    elif isinstance(value, (list, tuple)):
        args = get_args(annotation)
        item_type = args[0] if args else Any
        for index, item in enumerate(value):
            yield from _walk(item, item_type, [], loc + (index,))


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """Strip ``Annotated`` (collecting its metadata) and ``Optional`` from a type."""
    metadata = list(metadata)
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            base, *extra = get_args(annotation)
            metadata.extend(extra)
            annotation = base
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            annotation = members[0] if len(members) == 1 else Any
        else:
            return annotation, metadata


@functools.cache  # models do not change at run time; tables ask once per cell
def field_kind(model: type[BaseModel], name: str) -> tuple[str, tuple[str, ...]]:
    """How a field displays: ``text``, ``enum``, ``number``, ``list``, ``link`` or ``links``
    (ids of records in the returned collections), or ``citations`` (reference ids)."""
    info = model.model_fields[name]
    annotation, metadata = _unwrap(info.annotation, info.metadata)
    marker = next((m for m in metadata if isinstance(m, Ref)), None)
    if marker is not None:
        return ("citations" if marker.collections == ("references",) else "link"), marker.collections
    if get_origin(annotation) is list:
        _item, item_meta = _unwrap(get_args(annotation)[0], [])
        marker = next((m for m in item_meta if isinstance(m, Ref)), None)
        if marker is not None:
            return ("citations" if marker.collections == ("references",) else "links"), marker.collections
        return "list", ()
    from .common import LabelledEnum

    if isinstance(annotation, type) and issubclass(annotation, LabelledEnum):
        return "enum", ()
    if annotation is int:
        return "number", ()
    return "text", ()
