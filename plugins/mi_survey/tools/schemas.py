"""``mi-survey schema``: JSON Schemas for editors, generated from the pydantic models.

One schema per collection goes to ``content/schemas/<collection>.schema.json`` (for a list
collection, the schema of an array of records), and every YAML file under ``content/data`` starts
with the line that tells the YAML language server (VS Code's YAML extension and others) which
schema applies::

    # yaml-language-server: $schema=../../schemas/cruxes.schema.json

The editor then completes field names and vocabularies, shows each field's description on hover
and underlines what the model would reject, before ``mi-survey validate`` runs. The schemas
describe the models only, never the current records (ids are not enumerated), so adding a record
never makes them stale; changing a model does, and ``mi-survey schema --check`` says so in CI.

Two additions make a schema describe the YAML a contributor writes rather than the JSON the models
export: a date carries its pattern and may also be a bare year (YAML reads ``date: 2024`` as a
number, which the model accepts), and every field's description, which pydantic takes from the
docstring under the field, is followed by what the field expects, as the skeletons show it (see
``hints``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..model import COLLECTIONS, Collection, collection_at
from ..model.common import DATE_PATTERN
from .hints import fields_of

HEADER_PREFIX = "# yaml-language-server:"
SCHEMA_SUFFIX = ".schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_file(schemas_dir: Path, collection: Collection) -> Path:
    return schemas_dir / f"{collection.name}{SCHEMA_SUFFIX}"


def header_line(yaml_path: Path, collection: Collection, schemas_dir: Path) -> str:
    """The first line of a data file: where its schema is, relative to the file."""
    relative = os.path.relpath(schema_file(schemas_dir, collection), yaml_path.parent)
    return f"{HEADER_PREFIX} $schema={Path(relative).as_posix()}"


def collection_schema(collection: Collection) -> dict[str, Any]:
    model_schema = collection.model.model_json_schema()
    defs = model_schema.pop("$defs", {})
    _describe(model_schema, collection.model, defs)
    head: dict[str, Any] = {
        "$schema": DRAFT,
        "$comment": f"Generated from {collection.model.__module__}.{collection.model.__name__} by "
        f"`mi-survey schema`; do not edit.",
    }
    if collection.layout == "folder":
        schema = {**head, **model_schema, "title": f"{collection.title}: one record (the file name is its id)"}
    else:
        schema = {
            **head,
            "title": f"{collection.title}: a list of records, in the order shown on the site",
            "type": "array",
            "items": model_schema,
        }
    if defs:
        schema["$defs"] = defs
    return schema


def render(collection: Collection) -> str:
    return json.dumps(collection_schema(collection), indent=2, ensure_ascii=False) + "\n"


def _describe(schema: dict[str, Any], model: type[BaseModel], defs: dict[str, Any]) -> None:
    """Give every property the description a skeleton shows above the field: its docstring, then
    what it expects."""
    properties = schema.get("properties", {})
    for info in fields_of(model):
        prop = properties.get(info.name)
        if prop is None:
            continue
        prop["description"] = info.describe()
        if info.shape.kind == "date":
            _date(prop)
        shape = info.shape.item if info.shape.kind == "list" else info.shape
        if shape is not None and shape.kind == "record" and shape.model is not None:
            nested = defs.get(shape.model.__name__)
            if nested is not None:
                _describe(nested, shape.model, defs)


def _date(prop: dict[str, Any]) -> None:
    """A partial date as YAML allows it: ``"2024-05"``, or a bare year, which YAML reads as a number."""
    if "anyOf" in prop:  # an optional date: the non-null member
        for member in prop["anyOf"]:
            if member.get("type") == "string":
                _date(member)
        return
    prop.pop("type", None)
    prop.pop("pattern", None)
    prop["anyOf"] = [{"type": "string", "pattern": DATE_PATTERN}, {"type": "integer", "minimum": 1000, "maximum": 9999}]


def collection_of(path: Path, data_dir: Path) -> Collection | None:
    """The collection a data file belongs to, by where it sits (as the loader decides)."""
    return collection_at(path.relative_to(data_dir).parts)


@dataclass(frozen=True)
class Change:
    path: str  # relative to the root
    what: str  # "schema missing", "schema out of date", "header missing", ...

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def sync(root: Path, data_dir: Path, schemas_dir: Path, *, check: bool) -> list[Change]:
    """Bring schemas and headers up to date (or, with ``check``, only list what is stale)."""
    changes: list[Change] = []
    for collection in COLLECTIONS.values():
        target = schema_file(schemas_dir, collection)
        wanted = render(collection)
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != wanted:
            changes.append(
                Change(_display(target, root), "schema missing" if current is None else "schema out of date")
            )
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("w", encoding="utf-8", newline="\n") as handle:
                    handle.write(wanted)
    if schemas_dir.is_dir():
        known = {schema_file(schemas_dir, c).name for c in COLLECTIONS.values()}
        for stray in sorted(schemas_dir.glob(f"*{SCHEMA_SUFFIX}")):
            if stray.name not in known:
                changes.append(
                    Change(
                        _display(stray, root),
                        "schema of no collection (deleted)" if not check else "schema of no collection; delete it",
                    )
                )
                if not check:
                    stray.unlink()

    for path in sorted(data_dir.rglob("*.yaml")) if data_dir.is_dir() else []:
        found = collection_of(path, data_dir)
        if found is None:
            continue  # `validate` reports files outside any collection
        data = path.read_bytes()
        fixed = with_header(data, header_line(path, found, schemas_dir))
        if fixed != data:
            has_one = data.lstrip(b"\xef\xbb\xbf").startswith(HEADER_PREFIX.encode())
            changes.append(
                Change(
                    f"{_display(path, root)}:1", "schema line points elsewhere" if has_one else "schema line missing"
                )
            )
            if not check:
                path.write_bytes(fixed)
    return changes


def with_header(data: bytes, header: str) -> bytes:
    """``data`` with ``header`` as its first line; every other byte kept as it was."""
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    body = data[len(bom) :]
    first, newline, rest = body.partition(b"\n")
    ending = b"\r\n" if first.endswith(b"\r") else b"\n"
    wanted = header.encode("utf-8")
    if first.startswith(HEADER_PREFIX.encode()):
        if first.rstrip(b"\r") == wanted:
            return data
        return bom + wanted + ending + rest if newline else bom + wanted + ending
    return bom + wanted + ending + body


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
