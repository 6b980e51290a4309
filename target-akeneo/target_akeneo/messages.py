"""Reading Singer messages fast, with exactly the values singer-sdk's own reader gives.

singer-sdk parses each input line with ``json.loads(line, parse_float=Decimal)``. A job of
100,000 rows spends much of its CPU there, so lines are parsed with ``orjson`` instead; a
line whose parse holds a float (a JSON number with a fraction or exponent) is parsed again
the SDK's way, so numbers reach the converter as ``Decimal`` exactly as written. Anything
``orjson`` refuses (bad JSON, ``NaN``, integers beyond 64 bits, ...) goes to the SDK's reader,
which accepts or reports it as it always does.
"""

from __future__ import annotations

from typing import Any

import orjson
from singer_sdk.singerlib.encoding import SimpleSingerReader

__all__ = ["FastSingerReader", "has_float"]


def has_float(obj: Any) -> bool:
    """True when a parsed JSON value holds a float anywhere."""
    kind = type(obj)
    if kind is dict:
        for value in obj.values():
            vkind = type(value)
            if vkind is float or ((vkind is dict or vkind is list) and has_float(value)):
                return True
        return False
    if kind is list:
        return any(type(v) is float or (type(v) in (dict, list) and has_float(v)) for v in obj)
    return kind is float


class FastSingerReader(SimpleSingerReader):
    """``SimpleSingerReader`` parsing with orjson (same values: see the module's docstring)."""

    def deserialize_json(self, line: str) -> dict[Any, Any]:
        """Parse one message line; floats and refused lines take the SDK's own path."""
        try:
            message = orjson.loads(line)
        except orjson.JSONDecodeError:
            return super().deserialize_json(line)
        if type(message) is not dict or has_float(message):
            return super().deserialize_json(line)
        return message
