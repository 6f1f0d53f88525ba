"""Pydantic's validation errors, reworded for a contributor editing YAML."""

from __future__ import annotations

from collections.abc import Mapping, Sized
from typing import Any

from pydantic import BaseModel

from ..model.common import PATTERN_WORDS
from ..model.fields import field_type


def field_code(error: Mapping[str, Any]) -> str:
    """The rule a validation error breaks, as the code a problem shows."""
    kind = error["type"]
    if kind == "missing":
        return "field-missing"
    if error.get("input") is None or error.get("input") == "":  # written, left empty
        return "field-empty"
    if kind == "extra_forbidden":
        return "field-unknown"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return "field-type"
    return "field-value"


def describe(error: Mapping[str, Any], model: type[BaseModel]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind != "missing" and (value is None or value == ""):
        # A field written but left empty, as `mi-survey new` leaves the fields still to fill.
        if kind == "string_too_short":
            return "is empty; expected text"
        expected = _describe(error, model).replace(f" (got {_shown(value)})", "")
        return f"is empty; {expected}"
    return _describe(error, model)


def _describe(error: Mapping[str, Any], model: type[BaseModel]) -> str:
    kind = error["type"]
    got = _shown(error.get("input"))
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, error["loc"])
        return f"unknown field; expected one of: {', '.join(allowed)}"
    if kind == "missing":
        return "required field is missing"
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"expected one of: {expected.replace(' or ', ', ')} (got {got})"
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        words = PATTERN_WORDS.get(pattern)
        expected = f"expected {words.phrase}" if words else f"expected text matching {pattern}"
        return f"{expected} (got {got})"
    if kind in (
        "string_type",
        "int_type",
        "int_parsing",
        "list_type",
        "dict_type",
        "model_type",
        "bool_type",
        "float_type",
        "model_attributes_type",
    ):
        expected = {
            "string_type": "text",
            "int_type": "a whole number",
            "int_parsing": "a whole number",
            "list_type": "a list",
            "dict_type": "a mapping",
            "model_type": "a mapping of field: value",
            "model_attributes_type": "a mapping of field: value",
            "bool_type": "true or false",
            "float_type": "a number",
        }[kind]
        hint = ""
        if isinstance(error.get("input"), bool) and kind == "string_type":
            # (yes, no, on and off never get here: the YAML reader refuses them unquoted)
            hint = "; YAML reads a bare true or false as a truth value: put the text in quotes"
        return f"expected {expected} (got {got}){hint}"
    limit = _LIMITS.get(kind)
    if limit is not None:
        value = error.get("input")
        size = len(value) if isinstance(value, Sized) else "?"
        return limit.format(size=size, got=got, **error.get("ctx", {}))
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return f"{error['msg'][:1].lower()}{error['msg'][1:]} (got {got})"


# Constraint failures in our words (pydantic's own sentences change between its releases).
_LIMITS = {
    "string_too_long": "is {size} characters long; at most {max_length} fit",
    "too_long": "has {size} items; at most {max_length} fit",
    "too_short": "has {size} items; at least {min_length} are needed",
    "less_than_equal": "expected a number no greater than {le} (got {got})",
    "greater_than_equal": "expected a number no less than {ge} (got {got})",
}


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """The fields of the (possibly nested) model the unknown field was found in."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            break
        current = field_type(current, part).nested_model or current
    # As written in YAML: a component's `from` option is the field `from_`.
    return [info.alias or name for name, info in current.model_fields.items()]
