"""Akeneo's list envelope: page and search-after pagination, counts and search filters."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from . import clock
from .errors import ApiError

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict

MAX_LIMIT = 100
DEFAULT_LIMIT = 10
SEARCH_AFTER_ONLY_LIMIT = 100
PAGE_CAP_DOC = "http://api.akeneo.com/documentation/pagination.html#the-search-after-method"

Filter = Callable[[dict[str, Any], str, Any, dict[str, Any]], bool]


def parse_limit(args: MultiDict[str, str]) -> int:
    """Return ``limit`` (default 10); 422 above 100 or when not a positive integer."""
    raw = args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise ApiError(422, f'"{raw}" is not a valid limit number.') from None
    if limit < 1:
        raise ApiError(422, f'"{raw}" is not a valid limit number.')
    if limit > MAX_LIMIT:
        raise ApiError(422, f"You cannot request more than {MAX_LIMIT} items.")
    return limit


def parse_page(args: MultiDict[str, str]) -> int:
    """Return ``page`` (default 1); 422 when not a positive integer."""
    raw = args.get("page", "1")
    try:
        page = int(raw)
    except ValueError:
        raise ApiError(422, f'"{raw}" is not a valid page number.') from None
    if page < 1:
        raise ApiError(422, f'"{raw}" is not a valid page number.')
    return page


def pagination_type(args: MultiDict[str, str], allowed: Sequence[str]) -> str:
    """Return the requested pagination type, or 422 if the endpoint lacks it."""
    ptype = args.get("pagination_type", allowed[0])
    if ptype not in allowed:
        raise ApiError(422, f'Pagination type does not exist or is not supported: "{ptype}".'
                       if ptype not in ("page", "search_after") else
                       f'Pagination type "{ptype}" is not supported by this endpoint.')
    return ptype


def with_count(args: MultiDict[str, str]) -> bool:
    """Parse ``with_count`` (``true``/``false``)."""
    raw = args.get("with_count", "false")
    if raw not in ("true", "false", "1", "0"):
        raise ApiError(422, f'Parameter "with_count" has to be a boolean. Only "true" or "false" '
                       f'allowed, "{raw}" given.')
    return raw in ("true", "1")


def _href(base: str, path: str, params: dict[str, Any]) -> dict[str, str]:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return {"href": f"{base}{path}" + (f"?{query}" if query else "")}


def _kept(args: MultiDict[str, str], drop: Iterable[str]) -> dict[str, str]:
    dropped = set(drop)
    return {k: v for k, v in args.items() if k not in dropped}


def page_envelope(  # noqa: PLR0917 - internal helper, always called positionally
    base: str,
    path: str,
    args: MultiDict[str, str],
    items: list[Any],
    render: Callable[[Any], dict[str, Any]],
    page_cap: int | None = None,
) -> dict[str, Any]:
    """Slice ``items`` by page and wrap them in Akeneo's offset envelope."""
    pagination_type(args, ("page",))
    limit = parse_limit(args)
    page = parse_page(args)
    count = with_count(args)
    if page_cap is not None and page * limit > page_cap:
        raise ApiError(422, 'You have reached the maximum number of pages you can retrieve with '
                       'the "page" pagination type. Please use the search after pagination type '
                       "instead", doc=PAGE_CAP_DOC)
    start = (page - 1) * limit
    chunk = items[start:start + limit]
    params = _kept(args, ("page", "limit", "with_count", "pagination_type"))
    head: dict[str, Any] = {}
    if "pagination_type" in args:
        head["pagination_type"] = args["pagination_type"]

    def link(number: int) -> dict[str, str]:
        extra = {"with_count": args["with_count"]} if "with_count" in args else {}
        return _href(base, path, {**head, **params, "page": number, "limit": limit, **extra})

    links = {"self": link(page), "first": link(1)}
    if page > 1:
        links["previous"] = link(page - 1)
    if len(chunk) == limit:
        links["next"] = link(page + 1)
    envelope: dict[str, Any] = {"_links": links, "current_page": page}
    if count:
        envelope["items_count"] = len(items)
    envelope["_embedded"] = {"items": [render(item) for item in chunk]}
    return envelope


def search_after_envelope(  # noqa: PLR0917 - internal helper
    base: str,
    path: str,
    args: MultiDict[str, str],
    items: list[Any],
    key: Callable[[Any], str],
    render: Callable[[Any], dict[str, Any]],
    limit: int | None = None,
    explicit_type: bool = True,
) -> dict[str, Any]:
    """Return the items after ``search_after`` (items sorted by ``key``) in Akeneo's envelope."""
    if limit is None:
        limit = parse_limit(args)
    cursor = args.get("search_after")
    chunk_all = [item for item in items if key(item) > cursor] if cursor else items
    chunk = chunk_all[:limit]
    params = _kept(args, ("search_after", "limit", "pagination_type"))
    head = {"pagination_type": "search_after"} if explicit_type else {}
    lim = {"limit": limit} if "limit" in args or explicit_type else {}
    links = {
        "self": _href(base, path, {**head, **params, **lim, "search_after": cursor}),
        "first": _href(base, path, {**head, **params, **lim}),
    }
    if len(chunk) == limit and len(chunk_all) > limit:
        links["next"] = _href(base, path, {**head, **params, **lim,
                                           "search_after": key(chunk[-1])})
    return {"_links": links, "_embedded": {"items": [render(item) for item in chunk]}}


# -- search filters -------------------------------------------------------------------------
def parse_search(args: MultiDict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Parse the ``search`` parameter (JSON); 400 when it is not valid JSON."""
    raw = args.get("search")
    if raw is None or raw == "":
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        raise ApiError(400, "Search query parameter should be valid JSON.") from None
    if not isinstance(parsed, dict):
        raise ApiError(422, "Search query parameter has to be an array.")
    for prop, conditions in parsed.items():
        if not isinstance(conditions, list) or not all(isinstance(c, dict) for c in conditions):
            raise ApiError(422, f'Structure of filter "{prop}" should respect this structure: '
                           '{"%s":[{"operator": "my_operator", "value": "my_value"}]}' % prop)
        for cond in conditions:
            if "operator" not in cond:
                raise ApiError(422, f'Operator is missing for the property "{prop}".')
    return parsed


def unsupported(prop: str, operator: str) -> ApiError:
    """Akeneo's 422 for a filter it does not know."""
    return ApiError(422, f'Filter on property "{prop}" is not supported or does not support '
                    f'operator "{operator}"')


def compare_dates(stamp: datetime | None, operator: str, value: Any, iso: bool = False) -> bool:
    """Evaluate an ``updated``-style date filter against a stored moment (False if none)."""
    if operator == "SINCE LAST N DAYS":
        if not isinstance(value, int):
            raise ApiError(422, 'Property "updated" expects an integer as value with operator '
                           '"SINCE LAST N DAYS".')
        return stamp is not None and stamp >= datetime.now(UTC) - timedelta(days=value)
    if operator in ("BETWEEN", "NOT BETWEEN"):
        if not isinstance(value, list) or len(value) != 2:
            raise ApiError(422, f'Property "updated" expects an array with 2 dates as value with '
                           f'operator "{operator}".')
        low = clock.parse_filter_date(value[0], iso)
        high = clock.parse_filter_date(value[1], iso)
        if low is None or high is None:
            raise _bad_date(value, iso)
        if stamp is None:
            return False
        inside = low <= stamp <= high
        return inside if operator == "BETWEEN" else not inside
    moment = clock.parse_filter_date(value, iso)
    if moment is None:
        raise _bad_date(value, iso)
    if operator not in (">", "<", "=", "!="):
        raise unsupported("updated", operator)
    if stamp is None:
        return False
    if operator == ">":
        return stamp > moment
    if operator == "<":
        return stamp < moment
    return (stamp == moment) == (operator == "=")


def _bad_date(value: Any, iso: bool) -> ApiError:
    shape = "ISO 8601" if iso else '"yyyy-mm-dd H:i:s"'
    return ApiError(422, f'Property "updated" expects a string with the format {shape} as '
                    f'data, "{value}" given.')


def code_filter(code: str, operator: str, value: Any, prop: str = "code") -> bool:
    """Evaluate ``IN`` / ``NOT IN`` / ``=`` / ``!=`` on a code."""
    if operator in ("IN", "NOT IN"):
        if not isinstance(value, list):
            raise ApiError(422, f'Property "{prop}" expects an array as value with operator '
                           f'"{operator}".')
        return (code in value) == (operator == "IN")
    if operator == "=":
        return code == value
    if operator == "!=":
        return code != value
    raise unsupported(prop, operator)


def apply_filters(
    items: Iterable[Any],
    search: dict[str, list[dict[str, Any]]],
    filters: dict[str, Callable[[Any, str, Any], bool]],
) -> list[Any]:
    """Keep the items matching every condition (conditions are ANDed)."""
    checks: list[tuple[Callable[[Any, str, Any], bool], str, Any]] = []
    for prop, conditions in search.items():
        fn = filters.get(prop)
        if fn is None:
            raise unsupported(prop, conditions[0].get("operator", "") if conditions else "")
        checks.extend((fn, cond["operator"], cond.get("value")) for cond in conditions)
    if not checks:
        return list(items)
    return [item for item in items if all(fn(item, op, val) for fn, op, val in checks)]


def bool_filter(actual: bool, operator: str, value: Any, prop: str) -> bool:
    """Evaluate ``=`` / ``!=`` on a boolean property."""
    if not isinstance(value, bool):
        raise ApiError(422, f'Property "{prop}" expects a boolean as value.')
    if operator == "=":
        return actual == value
    if operator == "!=":
        return actual != value
    raise unsupported(prop, operator)
