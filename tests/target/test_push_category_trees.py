"""Split category trees never erase the PIM's other trees (contract §3 and §7).

With ``split_categories`` a row gives one field per tree (``categories-{root}``); Akeneo
replaces a product's or model's ``categories`` list whole, so the push keeps the current
categories of every tree the row leaves empty or absent. The project is made by the
configuration sync's own ``build_project``; every test reads the PIM back.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

import akeneo_sandbox
import pytest
from sdm_transform.catalog import load_catalog_dir
from sdm_transform.project import build_project

from tests.conftest import demo_catalog
from tests.target.conftest import SETTINGS, Workspace, product, run_target, tap_output
from tests.target.fault_proxy import push_via

if TYPE_CHECKING:
    from akeneo_client import AkeneoClient

KESTREL, PRINT = "categories-kestrel_master", "categories-print_catalogue"
MODELS = "/api/rest/v1/product-models"


@pytest.fixture(scope="module")
def split_doc() -> dict[str, Any]:
    """project.json of the demo catalog synced with ``split_categories``."""
    catalog = load_catalog_dir(demo_catalog(), Path(akeneo_sandbox.__file__).parent / "data")
    project, _ = build_project(catalog, {**SETTINGS, "split_categories": True}, {})
    assert sorted(k for k in project["hierarchies"] if k.startswith("categories")) == [
        KESTREL, PRINT]
    return project


@pytest.fixture
def split_ws(tmp_path: Path, split_doc: dict[str, Any]) -> Workspace:
    return Workspace(tmp_path / "ws", split_doc)


def push(pim: Any, workspace: Workspace, rows: list[dict[str, Any]]) -> dict[str, Any]:
    workspace.job("j", rows)
    pim.reset_stats()
    config = {**pim.config(), "workspace": str(workspace.root), "job_id": "j"}
    run_target(config, tap_output(workspace, "j"))
    return workspace.report("j")


def categories(api: AkeneoClient, identifier: str) -> list[str]:
    found = product(api, identifier)
    assert found is not None
    return sorted(found["categories"])


def model_categories(api: AkeneoClient, code: str) -> list[str]:
    return sorted(api.get_json(f"{MODELS}/{code}")["categories"])


def product_reads(pim: Any) -> list[dict[str, Any]]:
    """Searches of the product list by identifier (the reads of current values)."""
    return [r for r in pim.request_log() if r["method"] == "GET"
            and r["route"] == "/api/rest/v1/products" and "search=" in r["path"]]


def skips(report: dict[str, Any]) -> dict[tuple[int, str], str]:
    return {(s["row"], s["field"]): s["reason"] for s in report["skipped_values"]}


def test_products_keep_the_trees_a_row_leaves_empty_or_absent(pim, split_ws, api):
    assert categories(api, "KH-MUG-001") == ["kitchen_tableware_mugs", "print_home_table"]
    report = push(pim, split_ws, [
        {"sku": "KH-MUG-001", KESTREL: "kitchen_tableware_plates", PRINT: ""},  # empty
        {"sku": "KH-CND-001", KESTREL: "living_lighting_table"},  # absent
        {"sku": "KH-GIFT-025", PRINT: ["print_home_light", "print_home_table"]},  # other absent
        {"sku": "KH-MUG-002", KESTREL: "", PRINT: ""},  # nothing given: list untouched
    ])
    assert report["counts"]["updated"] == 4, report["failures"]
    assert report["skipped_values"] == []
    assert categories(api, "KH-MUG-001") == ["kitchen_tableware_plates", "print_home_table"]
    assert categories(api, "KH-CND-001") == ["living_lighting_table", "print_home_light"]
    assert categories(api, "KH-GIFT-025") == [
        "gifts_cards_digital", "print_home_light", "print_home_table"]
    assert categories(api, "KH-MUG-002") == ["kitchen_tableware_mugs", "print_home_table"]
    assert len(product_reads(pim)) == 1  # one search for the whole batch


def test_every_tree_given_replaces_the_list_without_a_read(pim, split_ws, api):
    report = push(pim, split_ws, [
        {"sku": "KH-MUG-003", KESTREL: "gifts", PRINT: "print_gifts_under_50"},
        {"sku": "KH-CND-002", KESTREL: "living_decoration", PRINT: "print_home"},
    ])
    assert report["counts"]["updated"] == 2, report["failures"]
    assert categories(api, "KH-MUG-003") == ["gifts", "print_gifts_under_50"]
    assert categories(api, "KH-CND-002") == ["living_decoration", "print_home"]
    assert product_reads(pim) == []


def test_a_tree_given_through_the_other_field_still_counts_by_its_codes(pim, split_ws, api):
    """Trees are told by the codes a row gives: both trees covered, the list is replaced."""
    report = push(pim, split_ws, [
        {"sku": "KH-MUG-003", KESTREL: ["gifts", "print_home_light"]},
    ])
    assert report["counts"]["updated"] == 1, report["failures"]
    assert categories(api, "KH-MUG-003") == ["gifts", "print_home_light"]
    assert product_reads(pim) == []


def test_a_print_code_in_the_master_field_keeps_the_master_tree(pim, split_ws, api):
    """Only the print tree gets a code: the product's master-tree categories stay."""
    report = push(pim, split_ws, [{"sku": "KH-MUG-002", KESTREL: "print_home_light"}])
    assert report["counts"]["updated"] == 1, report["failures"]
    assert categories(api, "KH-MUG-002") == ["kitchen_tableware_mugs", "print_home_light"]


def test_a_new_product_gets_the_rows_own_list(pim, split_ws, api):
    report = push(pim, split_ws, [
        {"sku": "NEW-SPLIT-1", "family": "mugs", KESTREL: "kitchen_tableware_mugs"},
    ])
    assert report["counts"]["created"] == 1, report["failures"]
    assert report["skipped_values"] == []
    assert categories(api, "NEW-SPLIT-1") == ["kitchen_tableware_mugs"]


def test_a_current_code_in_no_tree_of_the_project_is_kept(pim, split_doc, tmp_path, api):
    """A category made in the PIM after the sync cannot be placed: it is never erased."""
    doc = copy.deepcopy(split_doc)
    doc["hierarchies"][PRINT] = [
        c for c in doc["hierarchies"][PRINT] if c["code"] != "print_gifts_under_50"]
    workspace = Workspace(tmp_path / "ws", doc)
    report = push(pim, workspace, [{"sku": "KH-GIFT-050", KESTREL: "gifts"}])
    assert report["counts"]["updated"] == 1, report["failures"]
    assert categories(api, "KH-GIFT-050") == ["gifts", "print_gifts_under_50"]


def test_one_read_serves_prices_and_categories(pim, split_ws, api):
    before = {p["currency"] for p in _price(product(api, "KH-MUG-001"))}
    assert len(before) >= 2
    report = push(pim, split_ws, [
        {"sku": "KH-MUG-001", KESTREL: "gifts", "price": "12", "price-currency": "EUR"},
    ])
    assert report["counts"]["updated"] == 1, report["failures"]
    assert report["skipped_values"] == []
    mug = product(api, "KH-MUG-001")
    assert sorted(mug["categories"]) == ["gifts", "print_home_table"]
    prices = {p["currency"]: float(p["amount"]) for p in _price(mug)}
    assert set(prices) == before and prices["EUR"] == 12
    assert len(product_reads(pim)) == 1


def _price(item: dict[str, Any] | None) -> list[dict[str, Any]]:
    assert item is not None
    return item["values"]["price"][0]["data"]


def test_models_keep_the_trees_a_row_leaves_empty_or_absent(pim, split_ws, api):
    report = push(pim, split_ws, [
        {"_type": "product_model", "code": "tee_organic", KESTREL: "apparel_tops", PRINT: ""},
        {"_type": "product_model", "code": "lamp_arc", PRINT: "print_home_table"},
        {"_type": "product_model", "code": "chair_nordic", KESTREL: "living_furniture",
         PRINT: "print_home"},
        {"_type": "product_model", "code": "tee_split_new", "family_variant": "tshirts_color_size",
         KESTREL: "apparel_tops_tshirts"},
    ])
    assert report["counts"]["failed"] == 0, report["failures"]
    assert report["counts"]["created"] == 1 and report["counts"]["updated"] == 3
    assert report["skipped_values"] == []
    assert model_categories(api, "tee_organic") == ["apparel_tops", "print_fashion_basics"]
    assert model_categories(api, "lamp_arc") == ["living_lighting_floor", "print_home_table"]
    assert model_categories(api, "chair_nordic") == ["living_furniture", "print_home"]
    assert model_categories(api, "tee_split_new") == ["apparel_tops_tshirts"]


# -- failed reads ------------------------------------------------------------------------------


def test_failed_product_read_leaves_out_only_the_categories(pim, split_ws, faulty, api):
    split_ws.job("j", [
        {"sku": "KH-MUG-001", KESTREL: "kitchen_tableware_plates", "name-en_US": "Renamed"},
        {"sku": "KH-MUG-002", KESTREL: "gifts", PRINT: "print_gifts"},  # no read needed
    ])
    proxy = faulty(lambda m, p: m == "GET" and p.startswith("/api/rest/v1/products?"))
    report = push_via(proxy, pim, split_ws)
    assert proxy.injected, proxy.seen
    assert report["counts"]["updated"] == 2, report["failures"]
    reasons = skips(report)
    assert set(reasons) == {(1, "categories")}, reasons
    reason = reasons[(1, "categories")]
    assert reason.startswith("categories not sent: the product's current categories could not "
                             "be read (HTTP 500")
    assert "would erase the others" in reason and "/api/" not in reason
    mug = product(api, "KH-MUG-001")
    assert mug is not None
    assert sorted(mug["categories"]) == ["kitchen_tableware_mugs", "print_home_table"]
    assert mug["values"]["name"][0]["data"] == "Renamed"
    assert categories(api, "KH-MUG-002") == ["gifts", "print_gifts"]


def test_failed_model_read_leaves_out_only_the_categories(pim, split_ws, faulty, api):
    split_ws.job("j", [
        {"_type": "product_model", "code": "tee_organic", KESTREL: "apparel_tops",
         "name-en_US": "Tee renamed"},
    ])
    reads: list[str] = []

    def rule(method: str, path: str) -> bool:
        # The first read tells the push where the model sits; the one before its write fails.
        if method == "GET" and path == f"{MODELS}/tee_organic":
            reads.append(path)
            return len(reads) >= 2
        return False

    proxy = faulty(rule)
    report = push_via(proxy, pim, split_ws)
    assert proxy.injected, proxy.seen
    assert report["counts"]["updated"] == 1, report["failures"]
    reasons = skips(report)
    assert set(reasons) == {(1, "categories")}, reasons
    assert "product model's current categories could not be read (HTTP 500" in reasons[
        (1, "categories")]
    tee = api.get_json(f"{MODELS}/tee_organic")
    assert sorted(tee["categories"]) == ["apparel_tops_tshirts", "print_fashion_basics"]
    assert tee["values"]["name"][0]["data"] == "Tee renamed"


def test_single_categories_hierarchy_keeps_replacing_the_list(pim, workspace, api):
    """Without split trees the row's list is the whole list, as before: no read."""
    report = push(pim, workspace, [{"sku": "KH-MUG-001", "categories": "gifts"}])
    assert report["counts"]["updated"] == 1, report["failures"]
    assert categories(api, "KH-MUG-001") == ["gifts"]
    assert product_reads(pim) == []


def test_reads_are_batched_one_search_per_hundred_products(pim, split_ws, api):
    rows = [{"sku": f"NEW-TREE-{n:03d}", "family": "mugs", KESTREL: "kitchen_tableware_mugs"}
            for n in range(150)]
    rows.append({"sku": "KH-MUG-001", KESTREL: "gifts"})
    report = push(pim, split_ws, rows)
    assert report["counts"]["created"] == 150 and report["counts"]["updated"] == 1
    reads = product_reads(pim)
    assert len(reads) == 2, [r["path"][:80] for r in reads]
    assert categories(api, "NEW-TREE-149") == ["kitchen_tableware_mugs"]
    assert categories(api, "KH-MUG-001") == ["gifts", "print_home_table"]


def test_a_later_model_row_keeps_the_earlier_rows_other_trees(pim, split_ws, api):
    """Row 1 gives the master tree, row 2 (same model) the print tree: the later row wins
    tree by tree, so the model ends with both (and not only the PIM's master codes)."""
    report = push(pim, split_ws, [
        {"_type": "product_model", "code": "lamp_arc", KESTREL: "living_furniture"},
        {"_type": "product_model", "code": "lamp_arc", PRINT: "print_home"},
    ])
    assert report["counts"]["failed"] == 0, report["failures"]
    assert model_categories(api, "lamp_arc") == ["living_furniture", "print_home"]
