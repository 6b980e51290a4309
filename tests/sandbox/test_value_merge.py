"""Product values merge per (attribute, locale, scope), whatever the shape of the patches.

Akeneo's rule: a PATCH replaces the data of each (attribute, locale, scope) it sends, keeps
the others, and an empty data (null, "", []) removes that value. The sandbox's write path
takes shortcuts for the usual shapes (one value per attribute, entries exactly
``{locale, scope, data}``); these tests hold every path to the same model through HTTP.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from .conftest import Api

P = "/products"
EN_FR_DE = ["en_US", "fr_FR", "de_DE"]
CONTEXTS: dict[str, list[tuple[str | None, str | None]]] = {
    "name": [(loc, None) for loc in EN_FR_DE],
    "description": [(loc, "ecommerce") for loc in EN_FR_DE] + [("en_US", "mobile")],
    "short_name": [(None, None)],
    "material": [(None, None)],
    "weight": [(None, None)],
}
BLANKS: list[Any] = [None, "", []]
DATA: dict[str, list[Any]] = {
    "name": ["Boot", "Botte", "Stiefel"],
    "description": ["Warm.", "Chaud.", "two\nlines"],
    "short_name": ["boot", "b"],
    "material": [["leather"], ["cotton", "rubber"], ["rubber", "leather"]],
    "weight": [{"amount": "1.5", "unit": "KILOGRAM"}, {"amount": 2, "unit": "GRAM"},
               {"unit": "GRAM", "amount": "0.25"}],
}
COUNTER = itertools.count()


def _stored(data: Any) -> Any:
    """What the PIM stores for valid data: metrics as {amount, unit}, decimal amounts text."""
    if isinstance(data, dict):
        return {"amount": str(data["amount"]), "unit": data["unit"]}
    return data


@st.composite
def entries(draw: st.DrawFn, attribute: str) -> list[dict[str, Any]]:
    """1-4 entries of one attribute: known contexts, data or blanks, loose or odd key order."""
    out = []
    for _ in range(draw(st.integers(1, 4))):
        locale, scope = draw(st.sampled_from(CONTEXTS[attribute]))
        data = draw(st.sampled_from(DATA[attribute] + BLANKS))
        shape = draw(st.sampled_from(["exact", "reversed", "loose"]))
        if shape == "exact":
            out.append({"locale": locale, "scope": scope, "data": data})
        elif shape == "reversed":
            out.append({"data": data, "scope": scope, "locale": locale})
        else:  # null locale and scope may be left out
            entry: dict[str, Any] = {"data": data}
            if locale is not None:
                entry["locale"] = locale
            if scope is not None:
                entry["scope"] = scope
            out.append(entry)
    return out


PATCHES = st.lists(
    st.lists(st.sampled_from(sorted(CONTEXTS)), min_size=1, max_size=3, unique=True).flatmap(
        lambda codes: st.fixed_dictionaries({code: entries(code) for code in codes})),
    min_size=1, max_size=4)


def _model(patches: list[dict[str, list[dict[str, Any]]]]) -> dict[str, Any]:
    """Akeneo's merge, written plainly: the expected values after every patch."""
    values: dict[str, dict[tuple[Any, Any], Any]] = {}
    for patch in patches:
        for code, sent in patch.items():
            current = values.setdefault(code, {})
            for entry in sent:
                key = (entry.get("locale"), entry.get("scope"))
                if entry["data"] in BLANKS:
                    current.pop(key, None)
                else:
                    current[key] = _stored(entry["data"])
            if not current:
                del values[code]
    return {code: sorted(((loc, sc), data) for (loc, sc), data in by_key.items())
            for code, by_key in values.items()}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(patches=PATCHES)
def test_values_follow_the_merge_rule_in_every_shape(
        api: Api, patches: list[dict[str, list[dict[str, Any]]]]) -> None:
    identifier = f"merge-{next(COUNTER)}"
    answers = api.batch_lines(P, [{"identifier": identifier, "values": patch}
                                  for patch in patches])
    assert [a["status_code"] for a in answers] == [201] + [204] * (len(patches) - 1), answers
    values = api.get(f"{P}/{identifier}").json()["values"]
    got = {code: sorted(((e["locale"], e["scope"]), e["data"]) for e in found)
           for code, found in values.items() if code != "sku"}
    assert got == _model(patches)
    assert all(set(e) == {"locale", "scope", "data"} for found in values.values() for e in found)


def test_one_value_sent_twice_in_a_patch_keeps_the_last(api: Api) -> None:
    patch = {"identifier": "twice", "values": {"short_name": [
        {"locale": None, "scope": None, "data": "first"},
        {"locale": None, "scope": None, "data": "last"}]}}
    assert api.batch_lines(P, [patch])[0]["status_code"] == 201
    assert api.get(f"{P}/twice").json()["values"]["short_name"] == [
        {"locale": None, "scope": None, "data": "last"}]


def _one(locale: str | None, data: Any) -> dict[str, list[dict[str, Any]]]:
    return {"name": [{"locale": locale, "scope": None, "data": data}]}


@pytest.mark.parametrize("patches", [
    [_one("en_US", "Boot"), _one("fr_FR", "Botte")],          # a second context is added
    [_one("en_US", "Boot"), _one("en_US", "Shoe")],           # the same context is replaced
    [_one("en_US", "Boot"), _one("fr_FR", None)],             # removing another keeps it
    [_one("en_US", "Boot"), _one("en_US", "")],               # removing it leaves none
    [_one("en_US", "Boot"), _one("fr_FR", "Botte"), _one("de_DE", "Stiefel"),
     _one("fr_FR", [])],
])
def test_one_value_onto_one_stored_value(
        api: Api, patches: list[dict[str, list[dict[str, Any]]]]) -> None:
    identifier = f"one-{next(COUNTER)}"
    for patch in patches:
        assert api.patch(f"{P}/{identifier}", {"values": patch}).status_code in (201, 204)
    values = api.get(f"{P}/{identifier}").json()["values"]
    got = sorted(((e["locale"], e["scope"]), e["data"]) for e in values.get("name", []))
    assert got == _model(patches).get("name", [])
