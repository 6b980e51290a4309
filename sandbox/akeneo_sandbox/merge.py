"""Akeneo's PATCH merge rules: objects merge key by key, arrays and scalars replace."""

from __future__ import annotations

import re
from typing import Any

from .errors import ApiError, unprocessable, validation_failed, violation

CODE_RE = re.compile(r"^[A-Za-z0-9_]+$")

# Field kinds used by the per-resource specs.
OBJ = "object"
LIST = "array"
STR = "string"
STR_NULL = "string|null"
BOOL = "boolean"
BOOL_NULL = "boolean|null"
INT = "integer"
INT_NULL = "integer|null"
NUM_NULL = "number|null"
ANY = "any"

_PHP_TYPE = {dict: "array", list: "array", str: "string", bool: "boolean", int: "integer",
             float: "float", type(None): "NULL"}


def php_type(value: Any) -> str:
    """Name a JSON value's type the way Akeneo's messages do."""
    return _PHP_TYPE.get(type(value), "unknown")


def _type_ok(kind: str, value: Any) -> bool:
    if kind == ANY:
        return True
    nullable = kind.endswith("|null")
    if value is None:
        return nullable
    base = kind.split("|", maxsplit=1)[0]
    if base == OBJ:
        return isinstance(value, dict)
    if base == LIST:
        return isinstance(value, list)
    if base == STR:
        return isinstance(value, str)
    if base == BOOL:
        return isinstance(value, bool)
    if base == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if base == "number":
        return isinstance(value, int | float | str) and not isinstance(value, bool)
    return True


def merge(
    current: dict[str, Any] | None,
    patch: dict[str, Any],
    spec: dict[str, str],
    read_only: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Apply ``patch`` onto ``current`` following Akeneo's update rules.

    Unknown properties and wrongly typed values give the 422 Akeneo answers. Stored items are
    never changed in place: the result is a new dict whose replaced values come from the
    (freshly parsed) patch.
    """
    if not isinstance(patch, dict):
        raise ApiError(422, "Invalid json message received")
    new = dict(current) if current else {}
    for key, value in patch.items():
        if key in read_only or key == "_links":
            continue
        kind = spec.get(key)
        if kind is None:
            raise unprocessable(
                f'Property "{key}" does not exist. Check the standard format documentation.'
            )
        if not _type_ok(kind, value):
            expected = kind.split("|")[0]
            expected = "array" if expected in (OBJ, LIST) else expected
            raise unprocessable(
                f'Property "{key}" expects {"an" if expected[0] in "aeiou" else "a"} '
                f'{expected} as data, "{php_type(value)}" given.'
            )
        if kind == OBJ and isinstance(new.get(key), dict):
            merged = dict(new[key])
            for sub_key, sub_value in value.items():
                if key == "labels" and sub_value in (None, ""):
                    merged.pop(sub_key, None)
                else:
                    merged[sub_key] = sub_value
            new[key] = merged
        elif kind == OBJ and key == "labels":
            new[key] = {k: v for k, v in value.items() if v not in (None, "")}
        else:
            new[key] = value
    return new


def check_labels(obj: dict[str, Any]) -> None:
    """Labels are a map of locale code to string."""
    labels = obj.get("labels") or {}
    for locale, label in labels.items():
        if not isinstance(label, str):
            raise unprocessable(
                f'Property "labels" expects a string as label for locale "{locale}", '
                f'"{php_type(label)}" given.'
            )


def check_code(code: Any) -> None:
    """Codes hold only letters, digits and underscores, as Akeneo requires."""
    if not isinstance(code, str) or not code:
        raise validation_failed([violation("code", "This value should not be blank.")])
    if not CODE_RE.match(code):
        raise validation_failed(
            [violation("code", "Code may contain only letters, numbers and underscores")]
        )


def body_code(patch: dict[str, Any], url_code: str, key: str = "code") -> None:
    """A code in the body must match the code of the URL."""
    if key in patch and patch[key] != url_code:
        raise unprocessable(
            f'The {key} "{patch[key]}" provided in the request body must match the '
            f'{key} "{url_code}" provided in the url.',
            doc=None,
        )
