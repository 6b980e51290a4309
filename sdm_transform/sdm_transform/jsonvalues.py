"""Reading JSON fast with ``msgspec`` while keeping numbers exactly as written.

The job tap and the push keep a number with a fraction or an exponent as ``Decimal`` (``12.50``
stays ``12.50``; ``0.1`` is not a binary approximation), as singer-sdk's reader does with
``json.loads(..., parse_float=Decimal)``. ``msgspec`` does the same in one pass
(``float_hook=Decimal`` receives the number's text), two to three times faster than ``json``
and with no second walk over the values to look for floats. What ``msgspec`` refuses and
``json`` accepts (``NaN``, ``Infinity``, an escaped lone surrogate, nesting deeper than
``msgspec`` allows) raises :class:`JSONRefused`, so that callers can fall back to ``json``,
which gives their usual values or reasons.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

__all__ = [
    "BOM",
    "MAX_DEPTH",
    "JSONRefused",
    "blank_line",
    "is_json_object",
    "nesting_depth",
    "read_exact",
]

BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark, accepted at the start of a JSON Lines file

MAX_DEPTH = 200  # arrays and objects inside one another; product data nests a few levels

JSONRefused = msgspec.DecodeError  # a ValueError
_EXACT = msgspec.json.Decoder(float_hook=Decimal)
_CHECK = msgspec.json.Decoder(msgspec.Raw)  # checks the JSON text, builds no value


def blank_line(row: int, full: bytes) -> bool:
    """A JSON Lines line that is no row: blanks only, or on line 1 a byte-order mark and blanks."""
    return full.isspace() or (row == 1 and full.startswith(BOM) and not full[len(BOM) :].strip())


def read_exact(data: bytes | str) -> Any:
    """The JSON value of ``data`` as ``json.loads(data, parse_float=Decimal)`` gives it.

    Raises:
        JSONRefused: not JSON, JSON nested too deeply, or JSON that ``json`` reads and
            ``msgspec`` does not.
    """
    try:
        return _EXACT.decode(data)
    except RecursionError:  # nested deeper than the interpreter allows
        raise JSONRefused("JSON nested too deeply") from None


def is_json_object(line: bytes) -> bool:
    """True when ``line`` is one JSON object in valid UTF-8 that :func:`read_exact` reads.

    Only checks the text (no value is built): syntax, escapes, numbers, control characters
    in strings, trailing characters, and UTF-8 (``msgspec`` leaves the bytes of strings it
    does not build unchecked, so they are decoded here; ASCII needs no decoding).
    """
    try:
        _CHECK.decode(line)
    except (msgspec.DecodeError, RecursionError):
        return False
    if line[:1] != b"{" and not line.lstrip().startswith(b"{"):
        return False
    if line.isascii():
        return True
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def nesting_depth(line: bytes, limit: int = MAX_DEPTH) -> int:
    """How deep arrays and objects nest in a JSON text (brackets inside strings aside).

    Only counted when the line holds more than ``limit`` opening brackets in all (found by
    ``memchr`` jumps, a few per usual row): fewer cannot nest deeper. Readers refuse a deeper
    line with a reason rather than meet the interpreter's recursion limit, which depends on
    how deep the reader itself runs.
    """
    if not _more_brackets_than(line, limit):
        return 0
    depth = deepest = 0
    in_string = escaped = False
    for byte in line:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _more_brackets_than(line: bytes, limit: int) -> bool:
    """True when ``line`` holds more than ``limit`` ``[`` and ``{`` in all."""
    count = 0
    for mark in (b"[", b"{"):
        at = line.find(mark)
        while at >= 0:
            count += 1
            if count > limit:
                return True
            at = line.find(mark, at + 1)
    return False
