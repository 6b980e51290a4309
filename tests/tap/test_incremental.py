"""Products and product models: incremental sync on ``updated`` with search_after paging."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

from akeneo_client import AkeneoClient

from .conftest import run_tap, tap_config


def _product_gets(pim, path="/api/rest/v1/products-uuid"):
    return [e["path"] for e in pim.request_log()
            if e["method"] == "GET" and urlsplit(e["path"]).path == path]


def _bookmark(state, stream="products"):
    return state["bookmarks"][stream]["replication_key_value"]


def test_state_round_trip_on_products(pim):
    first = run_tap(tap_config(pim, page_size=10), streams=["products"])
    products = first.records["products"]
    assert len(products) > 10  # several search_after pages
    assert len({p["uuid"] for p in products}) == len(products)
    bookmark = _bookmark(first.state)
    assert bookmark == max(p["updated"] for p in products)
    gets = _product_gets(pim)
    assert "search=" not in gets[0]  # no bookmark, no start_date: everything
    assert parse_qs(urlsplit(gets[0]).query)["pagination_type"] == ["search_after"]

    # change one product after the bookmark (Akeneo's timestamps have second precision)
    time.sleep(1.1)
    client = AkeneoClient(**pim.config())
    changed = products[3]
    client.request("PATCH", f"/api/rest/v1/products-uuid/{changed['uuid']}",
                   json={"enabled": not changed.get("enabled", True)})
    pim.reset_stats()

    second = run_tap(tap_config(pim, page_size=10), streams=["products"], state=first.state)
    assert [p["uuid"] for p in second.records["products"]] == [changed["uuid"]]
    query = parse_qs(urlsplit(_product_gets(pim)[0]).query)
    expected_value = bookmark[:19].replace("T", " ")
    assert json.loads(query["search"][0]) == {
        "updated": [{"operator": ">", "value": expected_value}]}
    assert _bookmark(second.state) > bookmark

    pim.reset_stats()
    third = run_tap(tap_config(pim), streams=["products"], state=second.state)
    assert not third.records.get("products")
    assert _bookmark(third.state) == _bookmark(second.state)  # kept when nothing changed
    assert len(_product_gets(pim)) == 1


def test_start_date_filters_the_first_run(pim):
    result = run_tap(tap_config(pim, start_date="2999-01-01T00:00:00Z"),
                     streams=["products", "product_models"])
    assert not result.records.get("products") and not result.records.get("product_models")
    for path in ("/api/rest/v1/products-uuid", "/api/rest/v1/product-models"):
        query = parse_qs(urlsplit(_product_gets(pim, path)[0]).query)
        assert json.loads(query["search"][0]) == {
            "updated": [{"operator": ">", "value": "2999-01-01 00:00:00"}]}


def test_product_models_are_incremental_too(pim):
    first = run_tap(tap_config(pim, page_size=4), streams=["product_models"])
    models = first.records["product_models"]
    assert len(models) > 4
    assert _bookmark(first.state, "product_models") == max(m["updated"] for m in models)
    pim.reset_stats()
    again = run_tap(tap_config(pim), streams=["product_models"], state=first.state)
    assert not again.records.get("product_models")
