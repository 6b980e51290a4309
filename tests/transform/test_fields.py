"""The field-name grammar (contract §1): building, expanding and parsing names back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sdm_transform.fields import (
    AttributeShape,
    FieldRef,
    FieldTable,
    PimNameResolver,
    Scope,
    expand,
    field_name,
    is_valid_code,
)

SCOPE = Scope.build({"ecommerce": ["en_US", "fr_FR"], "print": ["de_DE", "en_US"]})


def names(shape: AttributeShape, scope: Scope = SCOPE) -> list[str]:
    return [ref.name for ref in expand(shape, scope)]


def test_field_name_orders_attribute_channel_locale_companion():
    assert field_name("description", channel="ecommerce", locale="en_US") == (
        "description-ecommerce-en_US"
    )
    assert field_name("weight", companion="unit") == "weight-unit"
    assert field_name("price", channel="print", companion="currency") == "price-print-currency"
    assert field_name("name", locale="fr_FR") == "name-fr_FR"
    assert field_name("sku") == "sku"


@pytest.mark.parametrize("bad", ["a-b", "", "x-"])
def test_field_name_refuses_codes_holding_the_separator(bad):
    with pytest.raises(ValueError, match="cannot be used"):
        field_name(bad)
    with pytest.raises(ValueError, match="cannot be used"):
        field_name("ok", channel=bad or "-")
    assert not is_valid_code(bad)


def test_field_name_refuses_unknown_companion():
    with pytest.raises(ValueError, match="companion"):
        field_name("weight", companion="amount")


def test_plain_attribute_has_one_field():
    assert names(AttributeShape("sku")) == ["sku"]


def test_scopable_attribute_has_one_field_per_targeted_channel():
    assert names(AttributeShape("price", scopable=True)) == ["price-ecommerce", "price-print"]


def test_localizable_attribute_has_one_field_per_activated_locale():
    assert names(AttributeShape("name", localizable=True)) == ["name-de_DE", "name-en_US",
                                                               "name-fr_FR"]


def test_scopable_localizable_combines_each_channel_with_its_own_locales_only():
    assert names(AttributeShape("description", scopable=True, localizable=True)) == [
        "description-ecommerce-en_US",
        "description-ecommerce-fr_FR",
        "description-print-de_DE",
        "description-print-en_US",
    ]


def test_locale_specific_attribute_gets_fields_only_for_its_locales():
    shape = AttributeShape("legal", localizable=True, available_locales=frozenset({"fr_FR"}))
    assert names(shape) == ["legal-fr_FR"]
    both = AttributeShape("legal", scopable=True, localizable=True,
                          available_locales=frozenset({"fr_FR", "de_DE"}))
    assert names(both) == ["legal-ecommerce-fr_FR", "legal-print-de_DE"]


def test_locale_specific_attribute_that_is_not_localizable_needs_one_of_its_locales():
    only_fr = frozenset({"fr_FR"})
    assert names(AttributeShape("legal", available_locales=only_fr)) == ["legal"]
    assert names(AttributeShape("legal", available_locales=frozenset({"it_IT"}))) == []
    assert names(AttributeShape("legal", scopable=True, available_locales=only_fr)) == [
        "legal-ecommerce"]
    assert names(AttributeShape("legal", scopable=True,
                                available_locales=frozenset({"de_DE", "en_US"}))) == [
        "legal-ecommerce", "legal-print"]


def test_locales_setting_narrows_activated_locales():
    scope = Scope.build({"ecommerce": ["en_US", "fr_FR"], "print": ["de_DE"]}, ["fr_FR"])
    assert scope.locales == ("fr_FR",)
    assert scope.channels == {"ecommerce": ("fr_FR",), "print": ()}
    shape = AttributeShape("d", scopable=True, localizable=True)
    assert names(shape, scope) == ["d-ecommerce-fr_FR"]


def test_companions_come_right_after_their_field():
    shape = AttributeShape("weight", scopable=True, companion="unit")
    assert names(shape) == ["weight-ecommerce", "weight-ecommerce-unit", "weight-print",
                            "weight-print-unit"]
    refs = expand(shape, SCOPE)
    assert refs[1] == FieldRef("weight-ecommerce-unit", "weight", "ecommerce", None, "unit")
    assert refs[1].amount_name == "weight-ecommerce"


def test_shape_from_attribute_reads_flags_and_companion():
    shape = AttributeShape.from_attribute({"code": "p", "type": "pim_catalog_price",
                                           "scopable": True, "localizable": False,
                                           "available_locales": []})
    assert shape == AttributeShape("p", scopable=True, localizable=False, companion="currency")


def test_channel_coded_unit_is_parsed_through_the_table_not_by_splitting():
    scope = Scope.build({"unit": ["en_US"], "ecommerce": ["en_US"]})
    scopable = expand(AttributeShape("weight", scopable=True, companion="unit"), scope)
    table = FieldTable.from_refs(scopable)
    assert table.resolve("weight-unit") == FieldRef("weight-unit", "weight", "unit", None, None)
    assert table.resolve("weight-unit-unit") == FieldRef("weight-unit-unit", "weight", "unit",
                                                         None, "unit")
    plain = FieldTable.from_refs(expand(AttributeShape("weight", companion="unit"), scope))
    assert plain.resolve("weight-unit") == FieldRef("weight-unit", "weight", None, None, "unit")
    assert plain.resolve("weight-unit-unit") is None


def test_table_from_project_reads_field_entries():
    project = {"fields": [
        {"name": "price-currency", "attribute": "price", "channel": "currency", "locale": None,
         "companion": None},
        {"name": "price-currency-currency", "attribute": "price", "channel": "currency",
         "locale": None, "companion": "currency"},
    ]}
    table = FieldTable.from_project(project)
    assert len(table) == 2
    assert "price-currency" in table
    assert table.resolve("price-currency").companion is None
    assert table.resolve("price-currency-currency").companion == "currency"
    assert table.resolve("erp_code") is None


def test_pim_resolver_uses_flags_channels_and_locales_of_the_whole_pim():
    resolver = PimNameResolver(
        [AttributeShape("weight", companion="unit"),
         AttributeShape("price", scopable=True, companion="currency"),
         AttributeShape("description", scopable=True, localizable=True)],
        channels=["unit", "ecommerce"],
        locales=["en_US", "it_IT"],
    )
    assert resolver.resolve("weight-unit") == FieldRef("weight-unit", "weight", None, None,
                                                       "unit")
    assert resolver.resolve("price-unit") == FieldRef("price-unit", "price", "unit")
    assert resolver.resolve("price-unit-currency").companion == "currency"
    assert resolver.resolve("description-ecommerce-it_IT") == FieldRef(
        "description-ecommerce-it_IT", "description", "ecommerce", "it_IT")
    for unknown in ["weight-ecommerce", "price", "price-mobile", "description-ecommerce",
                    "description-ecommerce-xx_XX", "nope", "", "price-unit-unit"]:
        assert resolver.resolve(unknown) is None, unknown


# Property-based: expand then parse gives back the attribute, channel, locale and companion.

CODE = st.from_regex(r"[A-Za-z0-9_]{1,8}", fullmatch=True)
TRICKY = st.sampled_from(["unit", "currency", "en_US", "ecommerce"])
CODES = st.one_of(TRICKY, CODE)


@st.composite
def pim(draw):
    channel_codes = draw(st.lists(CODES, min_size=1, max_size=4, unique=True))
    locale_codes = draw(st.lists(CODES, min_size=1, max_size=4, unique=True))
    channels = {
        c: draw(st.lists(st.sampled_from(locale_codes), min_size=0, max_size=4, unique=True))
        for c in channel_codes
    }
    attribute_codes = draw(st.lists(CODES, min_size=1, max_size=5, unique=True))
    shapes = []
    for code in attribute_codes:
        localizable = draw(st.booleans())
        shapes.append(AttributeShape(
            code,
            scopable=draw(st.booleans()),
            localizable=localizable,
            available_locales=frozenset(draw(st.lists(st.sampled_from(locale_codes),
                                                      min_size=1, unique=True)))
            if localizable and draw(st.booleans()) else None,
            companion=draw(st.sampled_from([None, "unit", "currency"])),
        ))
    return channels, locale_codes, shapes


@settings(max_examples=300, deadline=None)
@given(pim())
def test_property_expand_then_parse_gives_back_the_same_parts(data):
    channels, locales, shapes = data
    scope = Scope.build(channels)
    refs = [ref for shape in shapes for ref in expand(shape, scope)]
    # every (attribute, channel, locale, companion) gets a distinct name
    assert len({r.name for r in refs}) == len(refs)
    table = FieldTable.from_refs(refs)
    resolver = PimNameResolver(shapes, channels, locales)
    by_code = {s.code: s for s in shapes}
    for ref in refs:
        assert table.resolve(ref.name) == ref
        assert resolver.resolve(ref.name) == ref
        shape = by_code[ref.attribute]
        assert (ref.channel is not None) == shape.scopable
        assert (ref.locale is not None) == shape.localizable
        assert ref.name == field_name(ref.attribute, ref.channel, ref.locale, ref.companion)


@settings(max_examples=200, deadline=None)
@given(pim(), st.lists(st.sampled_from(["-", "unit", "currency", "x", "en_US"]), max_size=4))
def test_property_parse_of_any_name_is_consistent_with_building_it(data, tail):
    channels, locales, shapes = data
    resolver = PimNameResolver(shapes, channels, locales)
    for shape in shapes:
        name = "-".join([shape.code, *tail])
        ref = resolver.resolve(name)
        if ref is not None:
            assert field_name(ref.attribute, ref.channel, ref.locale, ref.companion) == name
