"""The per-attribute fast paths never change an answer: they accept only what the full check
accepts, and store exactly what it stores (same JSON, key order included)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from akeneo_sandbox import Sandbox
from akeneo_sandbox.catalog import DEMO_CATALOG
from akeneo_sandbox.validation import ValueChecker
from akeneo_sandbox.value_rules import MEMO_MAX, SLOW

from .conftest import SMALL


def _checker(catalog: Any) -> ValueChecker:
    return ValueChecker(Sandbox(catalog=catalog).store)  # loaded, never started


def _variants() -> ValueChecker:
    """The small catalog plus attributes with the settings its own attributes lack."""
    checker = _checker(SMALL)
    attributes = checker.store.attributes
    by_type = {a["type"]: a for a in attributes.values()}
    changes = [
        ("pim_catalog_text", {"max_characters": 5}), ("pim_catalog_text", {"validation_rule":
                                                                           "email"}),
        ("pim_catalog_textarea", {"max_characters": 10}),
        ("pim_catalog_identifier", {"max_characters": 8}),
        ("pim_catalog_number", {"decimals_allowed": True, "negative_allowed": False}),
        ("pim_catalog_number", {"decimals_allowed": False, "negative_allowed": True}),
        ("pim_catalog_number", {"number_min": "2", "number_max": None}),
        ("pim_catalog_number", {"number_min": None, "number_max": 4}),
        ("pim_catalog_metric", {"negative_allowed": False, "decimals_allowed": True}),
        ("pim_catalog_price_collection", {"decimals_allowed": False}),
        ("pim_catalog_date", {"date_min": "2024-06-01"}),
        ("pim_catalog_date", {"date_max": "2024-01-01"}),
    ]
    for n, (atype, change) in enumerate(changes):
        code = f"variant_{n}"
        attributes[code] = {**by_type[atype], **change, "code": code}
    return checker


CHECKERS = {"small": _checker(SMALL), "demo": _checker(DEMO_CATALOG), "variants": _variants()}


AMOUNTS: list[Any] = [0, 2, 3, 4, -3, 10**16, 1.5, -1.5, float("nan"), float("inf"), True,
                      None, "2", "4.00", "3", "-3", "3.25", "-3.25", "3.123456789",
                      "1234567890123456", "1e3", " 3", "3 ", "-0", "abc", "", "1,5"]
SCALARS: list[Any] = [None, True, False, 0, 1, -1, 1.5, "", "plain", "a,b", "a;b", " lead",
                      "trail ", "two\nlines", "x" * 255, "x" * 256, "x" * 65536,
                      "2024-05-01", "2024-02-30", "2024-W05-1", "2024-05-01T10:00:00",
                      "20240501", "24-05-01", *AMOUNTS, {}, {"a": 1}, [], [1], [None]]


def candidates(store: Any, attr: dict[str, Any]) -> list[Any]:
    """Valid and invalid data of every shape, built around the attribute's own codes."""
    known = list(store.options.get(attr["code"], {}))[:3] or ["none"]
    codes = [*known, *(c.upper() for c in known), "nope"]
    first = codes[0]
    lists = [[c] for c in codes] + [known, [first, first], [first, first.upper()],
                                    [first, "nope"], [first, None], [first, 1]]
    family = store.measurement_families.get(attr.get("metric_family") or "")
    units = [*list(family["units"] if family else [])[:2], "NOPE", "kilogram"]
    metrics: list[Any] = [{"amount": a, "unit": u} for a in AMOUNTS for u in units]
    metrics += [{"unit": units[0], "amount": 3}, {"amount": 3}, {"unit": units[0]},
                {"amount": 3, "unit": units[0], "extra": 1}, {"amount": 3, "unit": 3}]
    currency = [*sorted(store.enabled_currencies), "XXX", "usd"]
    c1, c2 = currency[0], currency[1]
    prices: list[Any] = [[{"amount": a, "currency": c}] for a in AMOUNTS for c in currency]
    prices += [[{"amount": 2, "currency": c2}, {"amount": 1, "currency": c1}],
               [{"amount": 1, "currency": c1}, {"amount": 2, "currency": c2}],
               [{"amount": 1, "currency": c1}, {"amount": 2, "currency": c1}],
               [{"currency": c1, "amount": 1}], [{"amount": 1}], [{"currency": c1}],
               [{"amount": 1, "currency": c1, "extra": 1}], [{"amount": 1, "currency": 1}],
               ["x"], [None]]
    return SCALARS + codes + lists + metrics + prices


def _kinds(store: Any) -> list[str]:
    """One attribute per type and settings that shape its fast path."""
    keys = ("type", "validation_rule", "max_characters", "decimals_allowed", "negative_allowed",
            "number_min", "number_max", "metric_family", "date_min", "date_max")
    seen: dict[str, str] = {}
    for code, attr in store.attributes.items():
        seen.setdefault(json.dumps([attr.get(k) for k in keys]), code)
    return list(seen.values())


CASES = [(name, code) for name, checker in CHECKERS.items() for code in _kinds(checker.store)]


@pytest.mark.parametrize(("catalog", "code"), CASES)
def test_fast_path_agrees_with_the_full_check(catalog: str, code: str) -> None:
    checker = CHECKERS[catalog]
    rule = checker.rule(code)
    assert rule is not None
    for value in candidates(checker.store, rule.attr):
        fast = rule.fast(value)
        if fast is SLOW or rule.check is None:
            continue
        try:
            stored, messages = rule.check(rule.attr, value)
        except Exception as exc:  # any refusal means the fast path was wrong
            pytest.fail(f"fast path accepted {value!r} for {code}; the full check raised {exc!r}")
        assert messages == [], f"fast path accepted {value!r} for {code}: {messages}"
        assert json.dumps(fast) == json.dumps(stored), (code, value)


def test_fast_paths_cover_the_common_types() -> None:
    """Plainly valid data of the common types takes the fast path (it is not dead code)."""
    checker = CHECKERS["demo"]
    store = checker.store
    seen = set()
    for code, attr in store.attributes.items():
        rule = checker.rule(code)
        assert rule is not None
        options = list(store.options.get(code, {}))
        sample = {
            "pim_catalog_text": "plain", "pim_catalog_textarea": "long\ntext",
            "pim_catalog_boolean": True, "pim_catalog_date": "2024-05-01",
            "pim_catalog_simpleselect": options[0] if options else None,
            "pim_catalog_multiselect": options[:2],
            "pim_catalog_number": 3,
            "pim_catalog_metric": {"amount": 3, "unit": attr.get("default_metric_unit")},
            "pim_catalog_price_collection": [{"amount": 3, "currency": c}
                                             for c in sorted(store.enabled_currencies)],
        }.get(attr["type"])
        if sample is None or attr.get("validation_rule") or attr.get("number_min") not in (
                None, "") or attr.get("number_max") not in (None, "") or attr.get("date_min"):
            continue
        assert rule.fast(sample) is not SLOW, (code, sample)
        seen.add(attr["type"])
    assert len(seen) == 9


@pytest.mark.parametrize("code", ["variant_4", "variant_5", "variant_6", "variant_10"])
def test_remembered_answers_never_mix_types_or_values(code: str) -> None:
    """Amounts and dates are remembered per attribute: asking again, or asking with an equal
    value of another type (1, 1.0, True, "1"), gives the full check's own answer; so does
    asking beyond the memo's size."""
    checker = CHECKERS["variants"]
    rule = checker.rule(code)
    assert rule is not None and rule.check is not None
    first = candidates(checker.store, rule.attr)
    values = [*first, 1, 1.0, True, "1", *first, *(str(n) for n in range(MEMO_MAX + 10)),
              *first]
    for value in values:
        fast = rule.fast(value)
        if fast is SLOW:
            continue
        stored, messages = rule.check(rule.attr, value)
        assert messages == [] and json.dumps(fast) == json.dumps(stored), (code, value)
