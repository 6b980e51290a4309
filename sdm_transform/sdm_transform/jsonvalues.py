"""Reading JSON fast with ``orjson`` while keeping numbers exactly as written.

``orjson`` reads a number with a fraction or an exponent as a binary float (``12.50`` becomes
``12.5``, ``0.1`` a close approximation); the job tap and the push keep such numbers as
``Decimal``, as singer-sdk does. So a value read by orjson is used only when it holds no float
anywhere; otherwise the text is read again with ``json`` and ``parse_float=Decimal``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["has_float"]


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
