"""Value conversion per type (contract §4) and the value rules of §7, read back from the PIM."""

from __future__ import annotations

from tests.target.conftest import product, value


def skipped(report, field):
    return [s for s in report["skipped_values"] if s["field"] == field]


def test_every_type_converted(pim, workspace, push, api):
    workspace.job("j", [{
        "sku": "KH-MUG-001",
        "name-en_US": 42,
        "bulb_count": "3",
        "fabric_density": 12.50,
        "discount_rate": "0.125",
        "weight": "0.42", "weight-unit": "gram",
        "capacity": "500",
        "dishwasher_safe": "no",
        "gift_wrap_available": 1,
        "is_featured-ecommerce": "YES",
        "release_date": "2026-03-01",
        "end_of_sale": "2027-01-31T10:00:00Z",
        "main_color": "RED",
        "style_tags": "rustic; vintage;;rustic;RUSTIC",
        "room": ["kitchen", "office"],
        "brand": "lumio",
        "partner_brands": "pebble;kindled",
        "legacy_finish": "satin",
        "composition": [{"fibre": "cotton", "percentage": "95.5", "organic": "yes"},
                        {"fibre": "linen", "percentage": 4.5}],
        "enabled": "0",
    }])
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert report["skipped_values"] == []
    mug = product(api, "KH-MUG-001")
    assert value(mug, "name", locale="en_US") == "42"
    assert value(mug, "bulb_count") == 3
    assert value(mug, "fabric_density") in ("12.50", "12.5")
    assert value(mug, "discount_rate") == "0.125"
    assert value(mug, "weight")["unit"] == "GRAM"
    assert float(value(mug, "weight")["amount"]) == 0.42
    assert value(mug, "capacity") == {"amount": 500, "unit": "MILLILITER"}  # default unit
    assert value(mug, "dishwasher_safe") is False
    assert value(mug, "gift_wrap_available") is True
    assert value(mug, "is_featured", scope="ecommerce") is True
    assert value(mug, "release_date").startswith("2026-03-01")
    assert value(mug, "end_of_sale").startswith("2027-01-31")
    assert value(mug, "main_color") == "red"
    assert value(mug, "style_tags") == ["rustic", "vintage"]
    assert sorted(value(mug, "room")) == ["kitchen", "office"]
    assert value(mug, "brand") == "lumio"
    assert value(mug, "partner_brands") == ["pebble", "kindled"]
    assert value(mug, "legacy_finish") == "satin"
    table = value(mug, "composition")
    assert table[0]["fibre"] == "cotton" and float(table[0]["percentage"]) == 95.5
    assert table[0]["organic"] is True
    assert mug["enabled"] is False
    # 18 values (enabled is a property, not a value)
    assert report["counts"]["values_sent"] == 18


def test_invalid_values_left_out_rest_sent(pim, workspace, push, api):
    before = product(api, "KH-MUG-001")
    workspace.job("j", [{
        "sku": "KH-MUG-001",
        "name-en_US": "Kept name",
        "bulb_count": "three",
        "warranty_years": "2.5",
        "fabric_density": "12,5",
        "name-fr_FR": "x" * 121,
        "dishwasher_safe": "maybe",
        "release_date": "31/12/2026",
        "main_color": "purple",
        "weight": "1", "weight-unit": "STONE",
        "sale_price-ecommerce": "10",
        "composition": [{"fibre": "silk"}],
        "certifications": {"a": 1},
    }])
    report = push(pim, "j")
    assert report["counts"]["updated"] == 1
    reasons = {s["field"]: s["reason"] for s in report["skipped_values"]}
    assert reasons["bulb_count"].startswith("not a number")
    assert "not an integer" in reasons["warranty_years"]
    assert "use . as the decimal separator" in reasons["fabric_density"]
    assert reasons["name-fr_FR"] == "too long: 121 characters (at most 120)"
    assert reasons["dishwasher_safe"].startswith("not a boolean")
    assert reasons["release_date"].startswith("not a date")
    assert reasons["main_color"] == (
        "unknown option 'purple' for attribute main_color (not in allow_new_options)"
    )
    assert reasons["weight"] == "unknown unit 'STONE' (field weight-unit)"
    assert reasons["sale_price-ecommerce"].startswith("no currency given")
    assert "unknown option 'silk' (the push cannot create table select options" in reasons[
        "composition"
    ]
    assert "expected a list" in reasons["certifications"]
    assert all(s["row"] == 1 and s["id"] == "KH-MUG-001" for s in report["skipped_values"])
    mug = product(api, "KH-MUG-001")
    assert value(mug, "name", locale="en_US") == "Kept name"
    for attribute in ("bulb_count", "main_color", "weight", "dishwasher_safe"):
        assert value(mug, attribute) == value(before, attribute)
    assert value(mug, "name", locale="fr_FR") == value(before, "name", locale="fr_FR")


def test_empty_values_never_erase(pim, workspace, push, api):
    before = product(api, "KH-MUG-001")
    workspace.job("j", [{
        "sku": "KH-MUG-001", "name-en_US": "   ", "name-fr_FR": None, "style_tags": [],
        "room": "", "weight": "", "weight-unit": "GRAM", "categories": [], "main_color": " ",
        "certifications": ";", "partner_brands": [" ", ""], "gallery": " ; ",
    }])
    report = push(pim, "j")
    assert report["counts"]["updated"] == 1
    assert report["counts"]["values_sent"] == 0
    assert report["counts"]["values_skipped_empty"] == 10
    after = product(api, "KH-MUG-001")
    assert after["values"] == before["values"]
    assert after["categories"] == before["categories"]


def test_price_merged_into_existing_currencies(pim, workspace, push, api):
    before = value(product(api, "KH-MUG-001"), "price")
    assert {p["currency"] for p in before} == {"EUR", "USD"}
    workspace.job("j", [
        {"sku": "KH-MUG-001", "price": "15.50", "price-currency": "eur"},
        {"sku": "KH-MUG-002", "price": 9, "price-currency": "GBP"},
        {"sku": "NEW-PRICE", "family": "mugs", "price": "3.10", "price-currency": "USD"},
    ])
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    prices = {p["currency"]: p["amount"] for p in value(product(api, "KH-MUG-001"), "price")}
    assert float(prices["EUR"]) == 15.5 and float(prices["USD"]) == 16.39
    prices = {p["currency"]: p["amount"] for p in value(product(api, "KH-MUG-002"), "price")}
    assert set(prices) == {"EUR", "USD", "GBP"} and float(prices["GBP"]) == 9
    prices = value(product(api, "NEW-PRICE"), "price")
    assert [(p["currency"], float(p["amount"])) for p in prices] == [("USD", 3.1)]


def test_categories_replace_only_when_given(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-MUG-001", "categories": "kitchen_tableware_mugs;gifts"},
        {"sku": "KH-MUG-002", "categories": ["nope_category", "kitchen_tableware_mugs"]},
        {"sku": "KH-MUG-003", "name-en_US": "no categories given"},
    ])
    before = product(api, "KH-MUG-003")["categories"]
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert sorted(product(api, "KH-MUG-001")["categories"]) == ["gifts", "kitchen_tableware_mugs"]
    assert product(api, "KH-MUG-002")["categories"] == ["kitchen_tableware_mugs"]
    assert product(api, "KH-MUG-003")["categories"] == before
    assert skipped(report, "categories") == [
        {"row": 2, "id": "KH-MUG-002", "field": "categories",
         "reason": "unknown category 'nope_category'"}]
