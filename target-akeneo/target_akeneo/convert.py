"""Turn one SDM value into the ``data`` Akeneo expects for its attribute type (contract §4).

Every function raises :class:`SkipValueError` with a reason a user can act on when a value cannot
be converted; the caller leaves that value out and lists it in the report.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from target_akeneo.project import FieldSpec

CODE_RE = re.compile(r"^[A-Za-z0-9_]+$")
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
TRUE = frozenset({"true", "1", "yes"})
FALSE = frozenset({"false", "0", "no"})
#: Exact spellings ``to_boolean`` reads, for a look-up before the general function.
BOOLEAN_WORDS: dict[str, bool] = {
    **{w: True for t in TRUE for w in (t, t.capitalize(), t.upper())},
    **{w: False for f in FALSE for w in (f, f.capitalize(), f.upper())},
}
#: Number texts that are already what ``to_number`` gives: canonical decimals (no sign but
#: ``-``, no leading zero, no exponent) and integers of up to 18 digits (``-0`` excluded: it
#: becomes ``0``).
PLAIN_DECIMAL_RE = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
PLAIN_INTEGER_RE = re.compile(r"(?:0|-?[1-9][0-9]{0,17})\Z")
# YYYY-MM-DD, alone or starting a date-time (Python also reads week dates and compact forms)
DATE_START_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ]|\Z)")
MAX_TABLE_ROWS = 100


class SkipValueError(Exception):
    """A value the connector can tell is invalid before sending; ``str()`` is the reason."""


def is_empty(value: Any) -> bool:
    """``null``, ``""``, whitespace only, ``[]`` or ``{}``: never sent (it cannot erase)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not value
    return False


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def to_text(spec: FieldSpec, value: Any) -> str:
    """Text, text area or identifier: a string within the attribute's length."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        msg = f"expected text, got {kind_of(value)}"
        raise SkipValueError(msg)
    text = value if isinstance(value, str) else str(value)
    if spec.max_length is not None and len(text) > spec.max_length:
        msg = f"too long: {len(text)} characters (at most {spec.max_length})"
        raise SkipValueError(msg)
    return text


def kind_of(value: Any) -> str:
    """What a JSON value is, for reasons: "a list", "an object", "a number", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, int | Decimal | float):
        return "a number"
    return "a string"


def parse_decimal(value: Any) -> Decimal:
    """A JSON number or a string with ``.`` as the decimal separator."""
    if type(value) is str:  # the commonest input, checked first
        text = value.strip()
        if NUMBER_RE.match(text):
            return Decimal(text)  # finite: the pattern admits no Infinity or NaN
    if isinstance(value, bool):
        msg = f"not a number: {_show(value)}"
        raise SkipValueError(msg)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal | float):
        number = Decimal(value) if isinstance(value, float) else value
    elif isinstance(value, str) and NUMBER_RE.match(value.strip()):
        number = Decimal(value.strip())
    else:
        comma = isinstance(value, str) and "," in value
        hint = " (use . as the decimal separator)" if comma else ""
        msg = f"not a number: {_show(value)}{hint}"
        raise SkipValueError(msg)
    if not number.is_finite():
        msg = f"not a number: {_show(value)}"
        raise SkipValueError(msg)
    return number


INT_LIMIT = 2**63 - 1  # PHP's integers: Akeneo cannot read a JSON integer beyond them
MAX_INTEGER_DIGITS = 18  # a plain number text this long or shorter is always within them


def to_number(value: Any, decimals_allowed: bool | None) -> int | str:
    """Integer when decimals are not allowed, else a decimal string (akeneo-api §5.2).

    A number beyond what Akeneo reads (past a 64-bit integer, in size) is refused here: sent,
    it makes Akeneo refuse the whole line.
    """
    if type(value) is int and -INT_LIMIT <= value <= INT_LIMIT:  # what Akeneo takes
        return str(value) if decimals_allowed else value
    if type(value) is str and len(value) <= MAX_INTEGER_DIGITS:  # already in Akeneo's shape
        if PLAIN_INTEGER_RE.match(value):
            return value if decimals_allowed else int(value)
        if decimals_allowed and PLAIN_DECIMAL_RE.match(value):
            return value
    number = parse_decimal(value)
    if abs(number) > INT_LIMIT:
        msg = f"number out of range: {_show(value)}"
        raise SkipValueError(msg)
    if decimals_allowed:
        return _plain(number)
    if number != number.to_integral_value():
        if decimals_allowed is None:
            return _plain(number)
        msg = f"not an integer: {_show(value)} (the attribute does not allow decimals)"
        raise SkipValueError(msg)
    try:
        return int(number)
    except (OverflowError, InvalidOperation):
        msg = f"number out of range: {_show(value)}"
        raise SkipValueError(msg) from None


def _plain(number: Decimal) -> str:
    """Decimal string without exponent, as given (``12.50`` stays ``12.50``)."""
    text = format(number, "f")
    return "0" if text in {"-0", "+0"} else text


def to_boolean(value: Any) -> bool:
    """JSON booleans or ``true``/``false``/``1``/``0``/``yes``/``no``."""
    if isinstance(value, bool):
        return value
    if type(value) is str and value in BOOLEAN_WORDS:
        return BOOLEAN_WORDS[value]
    if isinstance(value, int | Decimal) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE:
            return True
        if word in FALSE:
            return False
    msg = f"not a boolean: {_show(value)} (use true/false, 1/0 or yes/no)"
    raise SkipValueError(msg)


def to_date(value: Any) -> str:
    """ISO date ``YYYY-MM-DD`` (a full ISO date-time keeps its date part)."""
    if isinstance(value, str):
        text = value.strip()
        try:
            if not DATE_START_RE.match(text):
                raise ValueError(text)
            if len(text) == 10:
                return dt.date.fromisoformat(text).isoformat()
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            pass
    msg = f"not a date: {_show(value)} (expected YYYY-MM-DD)"
    raise SkipValueError(msg)


def split_multi(value: Any) -> list[str]:
    """A JSON list or a ``;``-separated string, blanks dropped, order kept, no repeats."""
    if isinstance(value, str):
        items: list[Any] = value.split(";")
    elif isinstance(value, list):
        items = value
    else:
        msg = f"expected a list or a ;-separated string, got {kind_of(value)}"
        raise SkipValueError(msg)
    result: list[str] = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, bool) or not isinstance(item, str | int):
            msg = f"expected codes, got {kind_of(item)} in the list"
            raise SkipValueError(msg)
        text = str(item).strip()
        if text and text not in result:
            result.append(text)
    return result


def reserved_code(value: Any, what: str) -> str | None:
    """The code given for a reserved key (``family``, ``parent``, ``family_variant``).

    Text, stripped; None when empty (``null``, blank, ``[]``, ``{}``). Anything else is
    refused with its kind rather than read as "no value": a list, a boolean, an object or a
    number (the push reads model parents and family variants as text only, so a number is
    refused for all three alike).
    """
    if type(value) is str:
        return value.strip() or None
    if is_empty(value):
        return None
    msg = f"must be {what} (text), got {kind_of(value)}"
    raise SkipValueError(msg)


def single_code(value: Any) -> str:
    """One option or record code."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        msg = f"expected an option code, got {kind_of(value)}"
        raise SkipValueError(msg)
    return str(value).strip()


def lookup_codes(spec: FieldSpec, codes: list[str]) -> tuple[list[str], list[str]]:
    """Known codes spelled as the PIM spells them, and the codes ``project.json`` lacks."""
    if spec.options is None:
        return codes, []
    known: list[str] = []
    unknown: list[str] = []
    for code in codes:
        canonical = spec.options.get(code.lower())
        if canonical is None:
            unknown.append(code)
        known.append(canonical or code)
    return known, unknown


def to_table(spec: FieldSpec, value: Any) -> list[dict[str, Any]]:
    """Table rows: objects keyed by column code, cells checked against the column type."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            msg = "not a table: expected a JSON list of row objects"
            raise SkipValueError(msg) from None
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        msg = "not a table: expected a list of row objects"
        raise SkipValueError(msg)
    if len(value) > MAX_TABLE_ROWS:
        msg = f"too many table rows: {len(value)} (at most {MAX_TABLE_ROWS})"
        raise SkipValueError(msg)
    columns = {c.get("code"): c for c in spec.table_columns or ()}
    rows: list[dict[str, Any]] = []
    for index, row in enumerate(value, start=1):
        cells: dict[str, Any] = {}
        for code, cell in row.items():
            if is_empty(cell):
                continue
            column = columns.get(code)
            if columns and column is None:
                msg = f"table row {index}: unknown column {code!r}"
                raise SkipValueError(msg)
            cells[code] = _cell(column or {}, cell, index, code)
        if cells:
            rows.append(cells)
    return rows


def _cell(column: dict[str, Any], cell: Any, index: int, code: str) -> Any:
    kind = column.get("data_type")
    try:
        if kind == "number":
            return _plain(parse_decimal(cell))
        if kind == "boolean":
            return to_boolean(cell)
        if kind == "text":
            return to_text_plain(cell)
        if kind == "select":
            text = single_code(cell)
            options = column.get("options")
            if isinstance(options, list):
                canonical = {str(o).lower(): o for o in options}.get(text.lower())
                if canonical is None:
                    msg = (
                        f"unknown option {text!r} (the push cannot create table select "
                        "options: Akeneo documents no API for them; add it in the PIM)"
                    )
                    raise SkipValueError(msg)
                return canonical
            return text
    except SkipValueError as exc:
        msg = f"table row {index}, column {code!r}: {exc}"
        raise SkipValueError(msg) from None
    return _native(cell)


def to_text_plain(value: Any) -> str:
    """A text cell: strings and numbers as text."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        msg = f"expected text, got {kind_of(value)}"
        raise SkipValueError(msg)
    return str(value)


def _native(value: Any) -> Any:
    """JSON-native copy (the SDK reads JSON decimals as ``Decimal``)."""
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    return value
