"""Small HTTP helpers: JSON answers, content-type checks and body parsing as Akeneo does."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import orjson
from werkzeug.wrappers import Request, Response

from .errors import ApiError

if TYPE_CHECKING:
    from collections.abc import Callable

JSON = "application/json"
COLLECTION = "application/vnd.akeneo.collection+json"
MAX_BATCH = 100
MAX_LINE = 1_000_000


def encode(obj: Any) -> bytes:
    """Serialize compactly, as the PIM does (UTF-8, no escapes for non-ASCII text).

    orjson does it fast; what it refuses (an integer beyond 64 bits, stored from a number
    such as "1e30") goes through the json module instead.
    """
    try:
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def dumps(obj: Any) -> str:
    """``encode`` as text."""
    return encode(obj).decode()


def loads(text: str | bytes) -> Any:
    """Parse JSON strictly, as PHP's decoder does (no NaN, no lone surrogates).

    Raises ``ValueError`` when the text is not JSON. orjson parses request bodies several
    times faster than the standard library, which matters for 100-line product batches.
    """
    return orjson.loads(text)


def json_response(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Return a JSON response."""
    return Response(encode(obj), status=status, headers=headers, content_type=JSON)


def empty(status: int, location: str | None = None,
          headers: dict[str, str] | None = None) -> Response:
    """Return an empty 201/204 answer with Akeneo's ``Location`` header."""
    out = dict(headers or {})
    if location:
        out["Location"] = location
    return Response(b"", status=status, headers=out)


def _mime(req: Request) -> str:
    return (req.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def require_content_type(req: Request, expected: str) -> None:
    """Answer 415 like Akeneo when the body's content type is missing or wrong."""
    mime = _mime(req)
    if not mime:
        raise ApiError(415, f"The 'Content-type' header is missing. '{expected}' has to specified "
                       "as value.")
    if mime != expected:
        raise ApiError(415, f'"{mime}" in "Content-Type" header is not valid. Only "{expected}" '
                       "is allowed.")


def read_json(req: Request) -> Any:
    """Parse a JSON body; 400 "Invalid json message received" when it is not JSON."""
    require_content_type(req, JSON)
    try:
        return loads(req.get_data() or b"")
    except ValueError:
        raise ApiError(400, "Invalid json message received") from None


def read_object(req: Request) -> dict[str, Any]:
    """Parse a JSON object body."""
    body = read_json(req)
    if not isinstance(body, dict):
        raise ApiError(400, "Invalid json message received")
    return body


def error_fields(exc: ApiError) -> dict[str, Any]:
    """The keys an error adds to a batch answer line."""
    out: dict[str, Any] = {"status_code": exc.status, "message": exc.message}
    if exc.errors is not None:
        out["errors"] = exc.errors
    return out


def ndjson_batch(
    req: Request,
    key: str,
    handle: Callable[[dict[str, Any]], int],
    missing_key_message: str = "Code is missing.",
) -> tuple[Response, int]:
    """Run an NDJSON batch PATCH line by line; returns the response and the line count.

    Lines are cut at LF and parsed as bytes, as Akeneo reads them: a line that is not UTF-8
    JSON is answered 400 like any other unreadable line, and "too long" counts bytes. (A
    line keeps its LF: JSON allows it after the value; ``readlines`` finds it with memchr.)
    """
    require_content_type(req, COLLECTION)
    raw_lines = [(n, line) for n, line in enumerate(io.BytesIO(req.get_data()).readlines(),
                                                    start=1)
                 if not line.isspace()]
    if len(raw_lines) > MAX_BATCH:
        raise ApiError(413, f"Too many resources to process, {MAX_BATCH} is the maximum "
                       "allowed.")
    out: list[bytes] = []
    for number, line in raw_lines:
        result: dict[str, Any] = {"line": number}
        if len(line) > MAX_LINE and len(line.rstrip(b"\n")) > MAX_LINE:
            result.update({"status_code": 413, "message": "Line is too long."})
            out.append(encode(result))
            continue
        try:
            item = loads(line)
        except ValueError:
            item = None
        if not isinstance(item, dict):
            result.update({"status_code": 400, "message": "Invalid json message received"})
            out.append(encode(result))
            continue
        code = item.get(key)
        if not isinstance(code, str) or not code:
            result.update({"status_code": 422, "message": missing_key_message})
            out.append(encode(result))
            continue
        result[key] = code
        try:
            result["status_code"] = handle(item)
        except ApiError as exc:
            result.update(error_fields(exc))
        out.append(encode(result))
    return Response(b"\n".join(out), status=200, content_type=COLLECTION), len(raw_lines)


def json_array_batch(
    req: Request,
    handle: Callable[[dict[str, Any]], int],
) -> tuple[Response, int]:
    """Run a JSON-array batch PATCH (records, assets, measurement families)."""
    body = read_json(req)
    if not isinstance(body, list):
        raise ApiError(400, "Invalid json message received")
    if len(body) > MAX_BATCH:
        raise ApiError(413, f"Too many resources to process, {MAX_BATCH} is the maximum "
                       "allowed.")
    out: list[dict[str, Any]] = []
    for item in body:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            out.append({"code": item.get("code") if isinstance(item, dict) else None,
                        "status_code": 422, "message": "Code is missing."})
            continue
        result: dict[str, Any] = {"code": item["code"]}
        try:
            result["status_code"] = handle(item)
        except ApiError as exc:
            result.update(error_fields(exc))
        out.append(result)
    return json_response(out), len(body)
