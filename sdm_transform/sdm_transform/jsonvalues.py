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

__all__ = ["JSONRefused", "is_json_object", "read_exact"]

JSONRefused = msgspec.DecodeError  # a ValueError
_EXACT = msgspec.json.Decoder(float_hook=Decimal)
_CHECK = msgspec.json.Decoder(msgspec.Raw)  # checks the JSON text, builds no value


def read_exact(data: bytes | str) -> Any:
    """The JSON value of ``data`` as ``json.loads(data, parse_float=Decimal)`` gives it.

    Raises:
        JSONRefused: not JSON, or JSON that ``json`` reads and ``msgspec`` does not.
    """
    return _EXACT.decode(data)


def is_json_object(line: bytes) -> bool:
    """True when ``line`` is one JSON object in valid UTF-8 that :func:`read_exact` reads.

    Only checks the text (no value is built): syntax, escapes, numbers, control characters
    in strings, trailing characters, and UTF-8 (``msgspec`` leaves the bytes of strings it
    does not build unchecked, so they are decoded here; ASCII needs no decoding).
    """
    try:
        _CHECK.decode(line)
    except msgspec.DecodeError:
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
