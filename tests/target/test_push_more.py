"""More push rules: model duplicates, model prices, split category hierarchies, input order."""

from __future__ import annotations

import json
from pathlib import Path

import akeneo_sandbox
from sdm_transform.catalog import load_catalog_dir
from sdm_transform.project import build_project

from tests.conftest import demo_catalog
from tests.target.conftest import SETTINGS, Workspace, product, run_target, tap_output, value


def model(api, code):
    return api.get_json_or_none(f"/api/rest/v1/product-models/{code}")


def test_repeated_model_rows_later_values_win(pim, workspace, push, api):
    workspace.job("j", [
        {"_type": "product_model", "code": "lamp_arc", "name-en_US": "first", "bulb_count": 1},
        {"_type": "product_model", "code": "lamp_arc", "name-en_US": "second"},
    ])
    report = push(pim, "j")
    assert report["counts"]["updated"] == 2, report["failures"]
    lamp = model(api, "lamp_arc")
    assert value(lamp, "name", locale="en_US") == "second"
    assert value(lamp, "bulb_count") == 1
    assert report["warnings"] == [
        {"row": 2, "message": "same product model code 'lamp_arc' as row 1; later values win"}]


def test_price_routed_to_a_model_is_merged_with_its_prices(pim, workspace, push, api):
    before = {p["currency"] for p in value(model(api, "tee_organic"), "price")}
    workspace.job("j", [{"sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white",
                         "price": "29", "price-currency": "GBP"}])
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    prices = {p["currency"]: p["amount"] for p in value(model(api, "tee_organic"), "price")}
    assert set(prices) == before | {"GBP"} and float(prices["GBP"]) == 29


def test_split_category_hierarchies_are_merged(pim, tmp_path, api):
    catalog = load_catalog_dir(demo_catalog(), Path(akeneo_sandbox.__file__).parent / "data")
    project, _ = build_project(catalog, {**SETTINGS, "split_categories": True}, {})
    names = sorted(k for k in project["hierarchies"] if k.startswith("categories"))
    assert names == ["categories-kestrel_master", "categories-print_catalogue"]
    workspace = Workspace(tmp_path / "ws", project)
    workspace.job("j", [{"sku": "KH-MUG-003", "categories-kestrel_master": "gifts",
                         "categories-print_catalogue": ["print_home_table"]}])
    config = {**pim.config(), "workspace": str(workspace.root), "job_id": "j"}
    run_target(config, tap_output(workspace, "j"))
    report = workspace.report("j")
    assert report["counts"]["updated"] == 1 and report["skipped_values"] == []
    assert sorted(product(api, "KH-MUG-003")["categories"]) == ["gifts", "print_home_table"]


def test_variants_before_their_models_in_the_input(pim, workspace, api):
    """Any stream order works: a variant whose model arrives later waits for it."""
    workspace.job("j", [])
    rows = [
        ("products", 1, {"sku": "KH-TEE-LATE-M", "parent": "tee_late_navy", "size": "m"}),
        ("product_models", 2, {"_type": "product_model", "code": "tee_late_navy",
                               "parent": "tee_late", "main_color": "navy"}),
        ("product_models", 3, {"_type": "product_model", "code": "tee_late",
                               "family_variant": "tshirts_color_size",
                               "name-en_US": "Late tee"}),
    ]
    schema = {"type": "object", "properties": {"row": {"type": "integer"},
                                               "data": {"type": "object"}}}
    lines = [json.dumps({"type": "SCHEMA", "stream": s, "schema": schema,
                         "key_properties": ["row"]}) for s in ("products", "product_models")]
    lines += [json.dumps({"type": "RECORD", "stream": s, "record": {"row": r, "data": d}})
              for s, r, d in rows]
    config = {**pim.config(), "workspace": str(workspace.root), "job_id": "j"}
    run_target(config, "\n".join(lines) + "\n")
    report = workspace.report("j")
    assert report["counts"]["created"] == 3, report["failures"]
    assert product(api, "KH-TEE-LATE-M")["parent"] == "tee_late_navy"
    assert value(model(api, "tee_late"), "name", locale="en_US") == "Late tee"
