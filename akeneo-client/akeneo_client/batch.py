"""Batch (collection) request bodies and their per-line answers.

Akeneo answers a batch PATCH with HTTP 200 and one status per line; the HTTP status alone says
nothing about the items, so every answer line becomes a ``LineResult``. Lines Akeneo did not
answer get a synthetic result, so that no sent item is silently lost.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

__all__ = [
    "KEY_FIELDS",
    "LazyItems",
    "LineResult",
    "encode_line",
    "encode_ndjson",
    "key_of_line",
    "parse_array",
    "parse_ndjson",
]

KEY_FIELDS = ("uuid", "identifier", "code")
"""The key field of an answer line: ``uuid`` (products-uuid), ``identifier`` (products),
``code`` (everything else)."""

NO_ANSWER = 0
"""``status_code`` of a synthetic result for a line Akeneo did not answer or that was unreadable."""


@dataclass(slots=True)
class LineResult:
    """Akeneo's answer for one item of a batch (treat it as read-only).

    Not a frozen dataclass: a frozen one costs five times as much to build, and a push builds
    one per product.

    Attributes:
        line: 1-based position of the item in the request.
        key: the item's uuid, identifier or code.
        status_code: 201 created, 204 updated, an error code, or 0 when Akeneo gave no
            readable answer for the line.
        message: Akeneo's message, if any.
        errors: Akeneo's validation errors (``[{property, message, ...}]``).
        raw: the answer line as parsed (``{"_unparsed": text}`` for an unreadable line).
    """

    line: int | None
    key: str | None
    status_code: int
    message: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True for 2xx (created or updated)."""
        return 200 <= self.status_code < 300


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def encode_line(item: dict[str, Any]) -> bytes:
    """One item as one compact NDJSON line (JSON escapes newlines inside strings).

    orjson writes it (UTF-8, no spaces, the ``json`` encoder's escapes) at a fraction of the
    cost; what orjson refuses (integers beyond 64 bits, lone surrogates, non-string keys...)
    goes to the ``json`` encoder, which accepts or refuses it as it always did.
    """
    try:
        return orjson.dumps(item)
    except TypeError:  # orjson.JSONEncodeError too
        return _ENCODER.encode(item).encode("utf-8")


def encode_ndjson(items: Sequence[dict[str, Any]]) -> bytes:
    """One compact JSON object per line."""
    return b"\n".join(encode_line(item) for item in items)


def key_of_line(line: bytes) -> str | None:
    """The key (uuid, identifier or code) of one serialized item, or None if unreadable."""
    try:
        item = json.loads(line)
    except ValueError:
        return None
    return _key_of(item) if isinstance(item, dict) else None


class LazyItems(Sequence[dict[str, Any]]):
    """Serialized lines seen as the items they hold, each decoded only if asked for.

    The answer parser needs a sent item only for a line whose answer carries no key, which
    Akeneo's answers always do; so the lines are normally never decoded again.
    """

    def __init__(self, lines: Sequence[bytes]) -> None:
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        try:
            item = json.loads(self._lines[index])
        except ValueError:
            return None
        return item if isinstance(item, dict) else None


_KEY_TYPES = (str, int)  # a tuple: ``str | int`` would build a union object on every call


def _key_of(obj: dict[str, Any]) -> str | None:
    for name in KEY_FIELDS:
        value = obj.get(name)
        if type(value) is str:  # the usual case first
            return value
        if isinstance(value, _KEY_TYPES) and not isinstance(value, bool):
            return str(value)
    return None


def _to_int(value: Any) -> int | None:
    if type(value) is int:  # the usual case first (bool is not int here)
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdecimal():
        try:
            return int(value)
        except ValueError:  # more digits than int() takes from text
            return None
    return None


def _result(obj: Any, position: int, items: Sequence[dict[str, Any]]) -> LineResult:
    """A LineResult from one parsed answer object; ``position`` is its 1-based order."""
    if not isinstance(obj, dict):
        return LineResult(position, None, NO_ANSWER, f"unexpected answer line: {obj!r:.200}",
                          raw={"_unparsed": obj})
    line = _to_int(obj.get("line")) or position
    key = _key_of(obj)
    if key is None and 1 <= line <= len(items):
        sent = items[line - 1]
        key = _key_of(sent) if isinstance(sent, dict) else None
    status = _to_int(obj.get("status_code"))
    message = obj.get("message") if isinstance(obj.get("message"), str) else None
    listed = obj.get("errors")
    errors = [e for e in listed if isinstance(e, dict)] if isinstance(listed, list) else []
    if status is None:
        return LineResult(line, key, NO_ANSWER, message or "answer line has no status_code",
                          errors, obj)
    return LineResult(line, key, status, message, errors, obj)


def _complete(results: list[LineResult], items: Sequence[dict[str, Any]]) -> list[LineResult]:
    """Add a synthetic result for every sent line that got no answer; sort by line."""
    if len(results) == len(items) and all(
        r.line == position for position, r in enumerate(results, start=1)
    ):
        return results  # the usual answer: every line, in order
    answered = {r.line for r in results}
    for position in range(1, len(items) + 1):
        if position not in answered:
            item = items[position - 1]
            key = _key_of(item) if isinstance(item, dict) else None
            results.append(
                LineResult(position, key, NO_ANSWER, "Akeneo sent no answer for this line")
            )
    return sorted(results, key=lambda r: (r.line is None, r.line or 0))


_DIGITS_AS_ZEROS = bytes.maketrans(b"0123456789", b"0" * 10)
_LONG_NUMBER = b"0" * 19
"""19 digits in a row (once every digit reads ``0``): maybe an integer beyond 64 bits, which
orjson would turn into a float. Finding it this way takes a few microseconds; a regular
expression takes 15 times longer."""

_UNREAD = object()


def _loads_line(raw: bytes, fast: bool) -> Any:
    """One answer line parsed as ``json.loads`` parses it; ``_UNREAD`` when it is not JSON.

    orjson reads the line when it can (``fast``); what it refuses (NaN, Infinity, lone
    surrogates, invalid UTF-8, out-of-range numbers) goes to ``json``, which the results
    have always followed, on the line decoded with replacement characters.
    """
    if fast:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(raw.decode("utf-8", errors="replace"))
    except ValueError:
        return _UNREAD


def parse_ndjson(body: bytes, items: Sequence[dict[str, Any]]) -> list[LineResult]:
    """Parse the answer of an NDJSON collection PATCH (one JSON object per line, in order).

    Only LF, CRLF or CR end a line: a raw U+2028 or U+0085 inside a JSON string (valid JSON)
    does not. Blank lines are skipped.
    """
    fast = _LONG_NUMBER not in body.translate(_DIGITS_AS_ZEROS)
    results: list[LineResult] = []
    position = 0
    for raw in body.splitlines():
        if not raw.strip():
            continue
        obj = _loads_line(raw, fast)
        if obj is _UNREAD:
            text = raw.decode("utf-8", errors="replace")
            if not text.strip():
                continue  # a line of Unicode blanks only (e.g. no-break spaces)
            position += 1
            item = items[position - 1] if position <= len(items) else None
            results.append(LineResult(position, _key_of(item) if isinstance(item, dict) else None,
                                      NO_ANSWER, f"unreadable answer line: {text[:200]}",
                                      raw={"_unparsed": text[:1000]}))
            continue
        position += 1
        if type(obj) is dict and "message" not in obj and "errors" not in obj:
            # the usual success line {"line", "identifier" (or "code"...), "status_code"}:
            # what _result gives, with fewer steps
            line, status = obj.get("line"), obj.get("status_code")
            if type(line) is int and line > 0 and type(status) is int:
                key = _key_of(obj)
                if key is not None:
                    results.append(LineResult(line, key, status, None, [], obj))
                    continue
        results.append(_result(obj, position, items))
    return _complete(results, items)


def parse_array(payload: Any, items: Sequence[dict[str, Any]]) -> list[LineResult]:
    """Parse the answer of a JSON-array batch PATCH (assets, records, measurement families)."""
    if isinstance(payload, dict) and isinstance(payload.get("_embedded"), dict):
        payload = payload["_embedded"].get("items")
    if not isinstance(payload, list):
        return _complete([], items)
    results = [_result(obj, position, items) for position, obj in enumerate(payload, start=1)]
    return _complete(results, items)
