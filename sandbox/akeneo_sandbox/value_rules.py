"""Per-attribute value rules, built once per catalog structure for the hot path of writes.

Every product write checks each value's (locale, scope) context and data. A rule holds, for
one attribute, the context answers seen so far and a *fast path*: a small function that
recognises the common, plainly valid data of that attribute and returns exactly what the full
check (``validation.ValueChecker``) would store. Anything else (odd shapes, bounds, unknown
codes, errors) returns ``SLOW`` and goes to the full check, so the fast paths never change an
answer; they only skip work. Rules are dropped with ``Store.caches`` on every structure write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import Store

SLOW: Any = object()  # "let the full check decide"
FastPath = Callable[[Any], Any]
Check = Callable[[dict[str, Any], Any], tuple[Any, list[str]]]

MEMO_MAX = 4096  # distinct data whose answer a rule remembers (bounds its memory)
TEXT_MAX = 255
TEXTAREA_MAX = 65535
PLAIN_DECIMAL = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,8})?\Z")
_BY_CURRENCY = itemgetter("currency")


@dataclass(slots=True)
class AttributeRule:
    """What a value write needs to know about one attribute."""

    attr: dict[str, Any]
    check: Check | None  # the full check of the attribute type (None: any data is stored)
    fast: FastPath
    # (locale, scope) -> the context violations (``()`` when the context is fine).
    contexts: dict[tuple[Any, Any], tuple[dict[str, Any], ...]] = field(default_factory=dict)


def _slow(_data: Any) -> Any:
    return SLOW


def _same(data: Any) -> Any:
    return data


def _bound(value: Any) -> Decimal | None:
    """A number bound as the full check reads it (``None``: no bound)."""
    return None if value in (None, "") else Decimal(str(value))


def _amount(attr: dict[str, Any]) -> FastPath:
    """Integers, and plain decimal strings where decimals are allowed, within the bounds."""
    try:
        low, high = _bound(attr.get("number_min")), _bound(attr.get("number_max"))
    except InvalidOperation:
        return _slow
    decimals = bool(attr.get("decimals_allowed"))
    negative = attr.get("negative_allowed") is not False

    def in_bounds(number: int | Decimal) -> bool:
        return (low is None or number >= low) and (high is None or number <= high)

    bounded = low is not None or high is not None

    def answer(data: Any) -> Any:
        if type(data) is int:
            if (data < 0 and not negative) or (bounded and not in_bounds(data)):
                return SLOW
            return str(data) if decimals else data
        if (decimals and type(data) is str and PLAIN_DECIMAL.match(data)
                and (negative or data[0] != "-")
                and (not bounded or in_bounds(Decimal(data)))):
            return data
        return SLOW

    if not bounded:
        memo: dict[str, Any] = {}

        def fast(data: Any) -> Any:
            # Unbounded integers are cheaper to check than to look up; strings are
            # remembered as in ``_remembered``, inline (amounts are checked in loops).
            if type(data) is int:
                if data < 0 and not negative:
                    return SLOW
                return str(data) if decimals else data
            if type(data) is not str:
                return SLOW
            try:
                return memo[data]
            except KeyError:
                stored = answer(data)
                if len(memo) < MEMO_MAX:
                    memo[data] = stored
                return stored
        return fast
    return _remembered(answer, str, int)


def _remembered(answer: FastPath, *types: type) -> FastPath:
    """``answer``, remembered per data of the given immutable ``types`` (others: ``SLOW``).

    Numbers, amounts and dates repeat across products; a regular expression or a date parse
    costs several dict lookups. Only exact types are keys, so ``1``, ``1.0``, ``True`` and
    ``"1"`` never share an answer; at most ``MEMO_MAX`` are kept.
    """
    memo: dict[Any, Any] = {}

    def fast(data: Any) -> Any:
        if type(data) not in types:
            return SLOW
        try:
            return memo[data]
        except KeyError:
            stored = answer(data)
            if len(memo) < MEMO_MAX:
                memo[data] = stored
            return stored
    return fast


def _text(attr: dict[str, Any]) -> FastPath:
    if attr.get("validation_rule"):
        return _slow
    limit = attr.get("max_characters") or TEXT_MAX

    def fast(data: Any) -> Any:
        if type(data) is str and len(data) <= limit and "\n" not in data:
            return data
        return SLOW
    return fast


def _identifier(attr: dict[str, Any]) -> FastPath:
    if attr.get("validation_rule"):
        return _slow
    limit = attr.get("max_characters") or TEXT_MAX

    def fast(data: Any) -> Any:
        if (type(data) is str and len(data) <= limit and data == data.strip()
                and "," not in data and ";" not in data and "\n" not in data):
            return data
        return SLOW
    return fast


def _textarea(attr: dict[str, Any]) -> FastPath:
    limit = attr.get("max_characters") or TEXTAREA_MAX

    def fast(data: Any) -> Any:
        return data if type(data) is str and len(data) <= limit else SLOW
    return fast


def _boolean(_attr: dict[str, Any]) -> FastPath:
    def fast(data: Any) -> Any:
        return data if data is True or data is False else SLOW
    return fast


def _string(_attr: dict[str, Any]) -> FastPath:
    def fast(data: Any) -> Any:
        return data if type(data) is str else SLOW
    return fast


def _date(attr: dict[str, Any]) -> FastPath:
    """``yyyy-mm-dd`` dates within the bounds."""
    try:
        low, high = (date.fromisoformat(str(attr[k])[:10]) if attr.get(k) else None
                     for k in ("date_min", "date_max"))
    except ValueError:
        return _slow  # the full check ignores a bound it cannot read

    def answer(data: Any) -> Any:
        if len(data) != 10:
            return SLOW
        try:
            day = date.fromisoformat(data)
        except ValueError:
            return SLOW
        if (low is not None and day < low) or (high is not None and day > high):
            return SLOW
        return f"{day.isoformat()}T00:00:00+00:00"
    return _remembered(answer, str)


def _simpleselect(table: dict[str, Any]) -> FastPath:
    def fast(data: Any) -> Any:
        return data if type(data) is str and data in table else SLOW
    return fast


def _multiselect(table: dict[str, Any]) -> FastPath:
    def fast(data: Any) -> Any:
        if type(data) is not list:
            return SLOW
        for code in data:
            if type(code) is not str or code not in table:
                return SLOW
        count = len(data)
        if count == 2:
            return SLOW if data[0] == data[1] else data
        if count > 2 and len(set(data)) != count:
            return SLOW
        return data
    return fast


def _metric(attr: dict[str, Any], units: Any) -> FastPath:
    amount = _amount(attr)

    def fast(data: Any) -> Any:
        if type(data) is not dict or len(data) != 2:
            return SLOW
        try:
            unit = data["unit"]
            value = data["amount"]
        except KeyError:
            return SLOW
        if type(unit) is not str or unit not in units:
            return SLOW
        stored = amount(value)
        return SLOW if stored is SLOW else {"amount": stored, "unit": unit}
    return fast


def _prices(attr: dict[str, Any], currencies: set[str]) -> FastPath:
    amount = _amount(attr)

    def fast(data: Any) -> Any:
        if type(data) is not list:
            return SLOW
        out = []
        for price in data:
            if type(price) is not dict or len(price) != 2:
                return SLOW
            try:
                currency = price["currency"]
                value = price["amount"]
            except KeyError:
                return SLOW
            if type(currency) is not str or currency not in currencies:
                return SLOW
            stored = amount(value)
            if stored is SLOW:
                return SLOW
            out.append({"amount": stored, "currency": currency})
        count = len(out)
        if count == 2:  # the usual case, without a sort and a set
            first, second = out[0]["currency"], out[1]["currency"]
            if first == second:
                return SLOW
            return out if first < second else [out[1], out[0]]
        if count > 2:
            out.sort(key=_BY_CURRENCY)
            if len({p["currency"] for p in out}) != count:
                return SLOW
        return out
    return fast


def fast_path(store: Store, attr: dict[str, Any]) -> FastPath:
    """The fast path of one attribute (``_slow`` for types whose checks read live data)."""
    atype = attr["type"]
    builders: dict[str, Callable[[], FastPath]] = {
        "pim_catalog_identifier": lambda: _identifier(attr),
        "pim_catalog_text": lambda: _text(attr),
        "pim_catalog_textarea": lambda: _textarea(attr),
        "pim_catalog_boolean": lambda: _boolean(attr),
        "pim_catalog_number": lambda: _amount(attr),
        "pim_catalog_date": lambda: _date(attr),
        "pim_catalog_simpleselect": lambda: _simpleselect(store.options.get(attr["code"], {})),
        "pim_catalog_multiselect": lambda: _multiselect(store.options.get(attr["code"], {})),
        "pim_catalog_metric": lambda: _metric(attr, _units(store, attr)),
        "pim_catalog_price_collection": lambda: _prices(attr, store.enabled_currencies),
        "pim_reference_data_simpleselect": lambda: _string(attr),
    }
    build = builders.get(atype)
    return build() if build is not None else _slow


def _units(store: Store, attr: dict[str, Any]) -> Any:
    family = store.measurement_families.get(attr.get("metric_family") or "")
    return family["units"] if family is not None else ()


def make_rule(store: Store, attr: dict[str, Any], check: Check | None) -> AttributeRule:
    """The rule of one attribute; an attribute type without a check stores any data."""
    return AttributeRule(attr, check, fast_path(store, attr) if check is not None else _same)
