"""Reserved keys and unit/currency fields of the wrong shape are reported, never dropped.

Contract §6-§7: a row-level problem (a family, parent or family variant that is not a code)
fails the row with a reason naming the field; a value the connector leaves out is counted
(empty) or listed in ``skipped_values`` with its reason, and the rest of the row is pushed.
Each case runs a real push (tap-sdm-job | target-akeneo) against the sandbox PIM and reads
the PIM back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from target_akeneo.media import AssetPlan
from target_akeneo.options import OptionRegistry
from target_akeneo.project import Project
from target_akeneo.report import Report
from target_akeneo.rows import Converter

from tests.target.conftest import demo_project, product, value

MODELS = "/api/rest/v1/product-models"


def _failure(report: dict[str, Any], row: int) -> dict[str, Any]:
    found = [f for f in report["failures"] if f["row"] == row]
    assert len(found) == 1, report["failures"]
    return found[0]["errors"][0]


def _skipped(report: dict[str, Any], row: int) -> list[tuple[str, str]]:
    return [(s["field"], s["reason"]) for s in report["skipped_values"] if s["row"] == row]


WRONG_SHAPES = [
    ({"sku": "NEW-F1", "family": ["mugs"], "name-en_US": "x"},
     "family", "family must be a family code (text), got a list"),
    ({"sku": "NEW-F2", "family": True, "name-en_US": "x"},
     "family", "family must be a family code (text), got a boolean"),
    ({"sku": "NEW-F3", "family": {"code": "mugs"}, "name-en_US": "x"},
     "family", "family must be a family code (text), got an object"),
    ({"sku": "NEW-F4", "family": 5, "name-en_US": "x"},
     "family", "family must be a family code (text), got a number"),
    ({"sku": "NEW-P1", "family": "tshirts", "parent": ["tee_organic_white"], "size": "xl"},
     "parent", "parent must be a product model code (text), got a list"),
    ({"sku": "NEW-P2", "parent": 7, "name-en_US": "x"},
     "parent", "parent must be a product model code (text), got a number"),
    ({"_type": "product_model", "code": "lamp_bad", "family": "lamps",
      "family_variant": ["lamps_by_color"], "name-en_US": "x"},
     "family_variant", "family_variant must be a family variant code (text), got a list"),
    ({"_type": "product_model", "code": "lamp_bad2", "family": "lamps",
      "family_variant": False, "name-en_US": "x"},
     "family_variant", "family_variant must be a family variant code (text), got a boolean"),
]


def test_reserved_codes_of_the_wrong_shape_fail_their_row(pim, workspace, push, api):
    good = {"sku": "NEW-OK", "family": "mugs", "name-en_US": "Good mug"}
    rows = [good, *(case for case, _, _ in WRONG_SHAPES)]
    workspace.job("j", rows)
    report = push(pim, "j")
    assert report["counts"]["failed"] == len(WRONG_SHAPES)
    for row, (case, attribute, message) in enumerate(WRONG_SHAPES, start=2):
        assert _failure(report, row) == {"attribute": attribute, "message": message}
        if case.get("_type") == "product_model":
            assert api.get_json_or_none(f"{MODELS}/{case['code']}") is None
        else:
            assert product(api, case["sku"]) is None  # never created as a simple product
    assert product(api, "NEW-OK") is not None


def test_identifiers_and_model_codes_of_the_wrong_shape_say_so(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": ["NEW-L1"], "family": "mugs"},
        {"_type": "product_model", "code": ["lamp_x"], "family_variant": "lamps_by_color"},
        {"sku": "NEW-OK", "family": "mugs", "name-en_US": "Good mug"},
    ])
    report = push(pim, "j")
    assert _failure(report, 1) == {
        "attribute": "sku", "message": "missing identifier (field 'sku' holds a list, not text)"
    }
    assert _failure(report, 2) == {
        "attribute": None,
        "message": "missing product model code (field 'code' holds a list, not text)",
    }
    created = product(api, "NEW-OK")
    assert created is not None
    assert created["family"] == "mugs"
    assert value(created, "name", locale="en_US") == "Good mug"


def test_empty_reserved_codes_are_counted_and_the_row_pushed(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-MUG-003", "family": "", "parent": None, "name-en_US": "Renamed cup"},
        {"_type": "product_model", "code": "lamp_arc", "family_variant": None,
         "name-en_US": "Arc lamp, renamed"},
    ])
    report = push(pim, "j")
    assert report["failures"] == []
    assert report["skipped_values"] == []
    assert report["counts"]["values_skipped_empty"] == 3
    mug = product(api, "KH-MUG-003")
    assert mug is not None
    assert (mug["family"], mug["parent"]) == ("mugs", None)  # an empty value erases nothing
    assert value(mug, "name", locale="en_US") == "Renamed cup"
    model = api.get_json(f"{MODELS}/lamp_arc")
    assert model["family_variant"] == "lamps_by_color"
    assert value(model, "name", locale="en_US") == "Arc lamp, renamed"


def test_family_variant_on_a_product_row_is_reported_and_the_row_pushed(
    pim, workspace, push, api
):
    workspace.job("j", [
        {"sku": "KH-MUG-005", "family_variant": "tshirts_color_size", "name-en_US": "Mug five"},
        {"sku": "KH-LAMP-ARC-RED", "parent": "lamp_arc", "family_variant": "lamps_by_color",
         "main_color": "red"},
        {"sku": "KH-MUG-006", "family_variant": ["x"], "name-en_US": "Mug six"},
    ])
    report = push(pim, "j")
    assert report["failures"] == []
    reason = "family_variant applies to product models only; a variant product takes its parent's"
    for row in (1, 2, 3):
        assert _skipped(report, row) == [("family_variant", reason)]
    assert (report["counts"]["updated"], report["counts"]["created"]) == (2, 1)
    mug = product(api, "KH-MUG-005")
    assert mug is not None
    assert value(mug, "name", locale="en_US") == "Mug five"
    assert mug["family"] == "mugs"
    assert mug["parent"] is None
    lamp = product(api, "KH-LAMP-ARC-RED")
    assert lamp is not None
    assert (lamp["parent"], value(lamp, "main_color")) == ("lamp_arc", "red")


def test_a_unit_or_currency_without_its_amount_is_reported(pim, workspace, push, api):
    before = product(api, "KH-MUG-002")
    assert before is not None
    lone = {"weight-unit": "GRAM", "price-currency": "EUR"}
    workspace.job("j", [
        # one shape three times: the third row takes the compiled shape
        {"sku": "KH-MUG-001", **lone, "name-en_US": "One"},
        {"sku": "KH-MUG-004", **lone, "name-en_US": "Four"},
        {"sku": "KH-MUG-005", **lone, "name-en_US": "Five"},
        # amount fields empty: the unit is listed, the empty currency counted
        {"sku": "KH-MUG-002", "weight": "", "weight-unit": "GRAM", "price": " ",
         "price-currency": ""},
        # with their amounts: read with them, never reported
        {"sku": "KH-MUG-003", "weight": "350", "weight-unit": "GRAM", "price": "9.50",
         "price-currency": "EUR"},
        # a variant product (the routed path)
        {"sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white", "price-currency": "GBP"},
    ])
    report = push(pim, "j")
    assert report["failures"] == []
    missing = [
        ("weight-unit", "unit given without an amount (field weight is missing)"),
        ("price-currency", "currency given without an amount (field price is missing)"),
    ]
    for row in (1, 2, 3):
        assert _skipped(report, row) == missing
    assert _skipped(report, 4) == [
        ("weight-unit", "unit given without an amount (field weight is empty)")
    ]
    assert _skipped(report, 5) == []
    assert _skipped(report, 6) == [
        ("price-currency", "currency given without an amount (field price is missing)")
    ]
    # row 4: weight, price and the empty price-currency
    assert report["counts"]["values_skipped_empty"] == 3
    assert report["counts"]["updated"] == 6
    for sku, name in (("KH-MUG-001", "One"), ("KH-MUG-004", "Four"), ("KH-MUG-005", "Five")):
        item = product(api, sku)
        assert item is not None
        assert value(item, "name", locale="en_US") == name
    after = product(api, "KH-MUG-002")
    assert after is not None
    assert value(after, "weight") == value(before, "weight")
    assert value(after, "price") == value(before, "price")
    mug = product(api, "KH-MUG-003")
    assert mug is not None
    assert value(mug, "weight")["unit"] == "GRAM"
    assert float(value(mug, "weight")["amount"]) == 350
    assert {"amount": "9.50", "currency": "EUR"} in value(mug, "price")


def test_a_deferred_variant_row_reports_each_value_once(pim, workspace, push, api):
    workspace.job("j", [
        # its parent comes later in the job: the row waits for it
        {"sku": "NEW-LAMP-RED", "parent": "lamp_new", "main_color": "red",
         "categories": {"a": 1}, "stock_alert_level": "many", "ean": "", "not_a_field": "x"},
        {"_type": "product_model", "code": "lamp_new", "family": "lamps",
         "family_variant": "lamps_by_color", "name-en_US": "New lamp"},
        # a parent nowhere: the row fails, its values are still listed once
        {"sku": "NEW-ORPHAN", "parent": "ghost", "categories": {"a": 1}},
    ])
    report = push(pim, "j")
    assert _skipped(report, 1) == [
        ("categories", "expected a list or a ;-separated string, got an object"),
        ("stock_alert_level", 'not a number: "many"'),
    ]
    assert _skipped(report, 3) == [
        ("categories", "expected a list or a ;-separated string, got an object"),
    ]
    assert report["counts"]["values_skipped_empty"] == 1
    assert report["unknown_fields"] == {"not_a_field": 1}
    assert _failure(report, 3)["attribute"] == "parent"
    lamp = product(api, "NEW-LAMP-RED")
    assert lamp is not None
    assert (lamp["parent"], value(lamp, "main_color")) == ("lamp_new", "red")


@pytest.mark.parametrize("compiled", [True, False])
def test_lone_companions_read_alike_by_compiled_shapes_and_the_loop(compiled):
    """The compiled shape and the general loop report the same values in the same order."""
    project = Project(demo_project())
    report = Report("j", dry_run=True)
    converter = Converter(project, report, Path("/nonexistent-job"), OptionRegistry(), AssetPlan())
    converter.compile_shapes = compiled
    shapes = [
        {"sku": "A", "price-currency": "EUR", "name-en_US": "a", "weight-unit": "gram"},
        {"sku": "B", "price-currency": "", "name-en_US": "b", "weight-unit": "GRAM"},
        {"sku": "C", "price-currency": "EUR", "name-en_US": "c", "weight-unit": "GRAM"},
    ]
    for row, data in enumerate(shapes, start=1):
        converted = converter.convert(row, data, model=False)
        assert json.loads(json.dumps(converted.values)) == {
            "name": [{"locale": "en_US", "scope": None, "data": data["name-en_US"]}]
        }
    assert [(s["row"], s["field"]) for s in report.skipped_values] == [
        (1, "price-currency"), (1, "weight-unit"), (2, "weight-unit"),
        (3, "price-currency"), (3, "weight-unit"),
    ]
    assert report.counts["values_skipped_empty"] == 1
    if compiled:
        assert len(converter._shapes._compiled) == 1
