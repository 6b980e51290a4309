"""Akeneo's list envelope, pagination, filters and the read endpoints of the catalog structure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from akeneo_sandbox import Sandbox

from .conftest import Api

STRUCTURE = ["/channels", "/attribute-groups", "/attributes", "/families", "/categories",
             "/association-types", "/locales", "/currencies", "/attributes/color/options",
             "/families/shoes/variants", "/products", "/products-uuid", "/product-models"]


@pytest.mark.parametrize("path", STRUCTURE)
def test_envelope_shape(api: Api, path: str) -> None:
    response = api.get(path, limit=2)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["current_page"] == 1
    links = body["_links"]
    assert links["self"]["href"].startswith(api.pim.url + "/api/rest/v1" + path)
    assert links["first"]["href"].startswith("http://127.0.0.1:")
    assert "previous" not in links
    items = body["_embedded"]["items"]
    assert 1 <= len(items) <= 2
    for item in items:
        href = item["_links"]["self"]["href"]
        assert href.startswith(api.pim.url + "/api/rest/v1/")
        assert api.session.get(href, timeout=5).status_code == 200


def test_default_limit_is_10_and_pages_link_each_other(api: Api) -> None:
    body = api.get("/locales").json()
    assert len(body["_embedded"]["items"]) == 10
    nxt = body["_links"]["next"]["href"]
    query = parse_qs(urlsplit(nxt).query)
    assert query["page"] == ["2"]
    assert query["limit"] == ["10"]
    second = api.session.get(nxt, timeout=5).json()
    assert second["current_page"] == 2
    assert parse_qs(urlsplit(second["_links"]["previous"]["href"]).query)["page"] == ["1"]
    first_codes = {i["code"] for i in body["_embedded"]["items"]}
    assert not first_codes & {i["code"] for i in second["_embedded"]["items"]}


def test_last_page_has_no_next_and_all_items_come_once(api: Api) -> None:
    items = api.all_items("/categories", limit=3)
    assert len(items) == 7
    assert len({i["code"] for i in items}) == 7


def test_categories_come_in_tree_order(api: Api) -> None:
    codes = [i["code"] for i in api.all_items("/categories", limit=100)]
    assert codes == ["master", "shoes", "sneakers", "boots", "shirts", "sales", "sales_summer"]


def test_limit_above_100_gives_422(api: Api) -> None:
    response = api.get("/attributes", limit=101)
    assert response.status_code == 422
    assert response.json() == {"code": 422, "message": "You cannot request more than 100 items."}


@pytest.mark.parametrize("params", [{"limit": "abc"}, {"limit": 0}, {"page": 0},
                                    {"page": "x"}, {"with_count": "maybe"}])
def test_bad_paging_parameters_give_422(api: Api, params: dict) -> None:
    response = api.get("/attributes", **params)
    assert response.status_code == 422
    assert response.json()["code"] == 422


def test_with_count_adds_items_count(api: Api) -> None:
    body = api.get("/attributes", with_count="true", limit=1).json()
    assert body["items_count"] == 22
    assert "items_count" not in api.get("/attributes").json()
    assert "with_count=true" in body["_links"]["next"]["href"]


def test_search_code_in(api: Api) -> None:
    for path in ("/attributes", "/families", "/attribute-groups", "/categories"):
        response = api.search(path, {"code": [{"operator": "IN", "value": ["color", "shoes",
                                                                            "general"]}]})
        assert response.status_code == 200
        assert len(response.json()["_embedded"]["items"]) == 1, path


def test_search_attribute_type_in(api: Api) -> None:
    items = api.search("/attributes", {"type": [{"operator": "IN", "value": [
        "pim_catalog_simpleselect"]}]}, limit=100).json()["_embedded"]["items"]
    assert {i["code"] for i in items} == {"color", "size"}


def test_search_updated_greater_than(api: Api) -> None:
    past = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    future = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    for path in ("/attributes", "/families", "/categories", "/attribute-groups"):
        recent = api.search(path, {"updated": [{"operator": ">", "value": past}]},
                            with_count="true")
        assert recent.json()["items_count"] > 0, path
        none = api.search(path, {"updated": [{"operator": ">", "value": future}]},
                          with_count="true")
        assert none.json()["items_count"] == 0, path


def test_enabled_locales_filter(api: Api) -> None:
    items = api.search("/locales", {"enabled": [{"operator": "=", "value": True}]},
                       limit=100).json()["_embedded"]["items"]
    assert {i["code"] for i in items} == {"en_US", "fr_FR", "de_DE"}
    assert all(i["enabled"] for i in items)
    assert "search=" in api.search("/locales", {"enabled": [{"operator": "=", "value": True}]},
                                   limit=1).json()["_links"]["next"]["href"]


def test_category_filters(api: Api) -> None:
    roots = api.search("/categories", {"is_root": [{"operator": "=", "value": True}]})
    assert {i["code"] for i in roots.json()["_embedded"]["items"]} == {"master", "sales"}
    children = api.search("/categories", {"parent": [{"operator": "=", "value": "shoes"}]})
    assert {i["code"] for i in children.json()["_embedded"]["items"]} == {"sneakers", "boots"}


def test_invalid_search_json_gives_400(api: Api) -> None:
    response = api.get("/attributes", search="{not json")
    assert response.status_code == 400
    assert response.json()["code"] == 400


def test_unsupported_filter_gives_422(api: Api) -> None:
    response = api.search("/attributes", {"colour": [{"operator": "=", "value": 1}]})
    assert response.status_code == 422
    assert "colour" in response.json()["message"]


def test_get_one_and_404(api: Api) -> None:
    body = api.get("/attributes/weight").json()
    assert body["_links"]["self"]["href"] == f"{api.pim.url}/api/rest/v1/attributes/weight"
    assert body["type"] == "pim_catalog_metric"
    assert body["metric_family"] == "Weight"
    assert body["group_labels"] == {"en_US": "Technical"}
    missing = api.get("/attributes/nope")
    assert missing.status_code == 404
    assert missing.json()["code"] == 404
    assert "nope" in missing.json()["message"]


def test_attribute_group_lists_its_attributes(api: Api) -> None:
    body = api.get("/attribute-groups/technical").json()
    assert set(body["attributes"]) == {"ean", "weight", "heel_height", "quantity", "waterproof"}


def test_channel_family_variant_option_shapes(api: Api) -> None:
    channel = api.get("/channels/mobile").json()
    assert channel["locales"] == ["en_US"]
    assert channel["currencies"] == ["USD"]
    assert channel["category_tree"] == "master"
    family = api.get("/families/shoes").json()
    assert family["attribute_as_label"] == "name"
    assert family["attribute_requirements"]["mobile"] == ["sku"]
    variant = api.get("/families/shoes/variants/shoes_color_size").json()
    levels = variant["variant_attribute_sets"]
    assert [lvl["level"] for lvl in levels] == [1, 2]
    assert levels[0]["axes"] == ["color"]
    option = api.get("/attributes/color/options/red").json()
    assert option == {"_links": option["_links"], "code": "red", "attribute": "color",
                      "sort_order": 1, "labels": {"en_US": "Red"}}
    assert api.get("/attributes/color/options/nope").status_code == 404
    assert api.get("/attributes/nope/options").status_code == 404
    assert api.get("/families/nope/variants").status_code == 404


def test_currency_and_locale_shapes(api: Api) -> None:
    assert api.get("/currencies/EUR").json()["enabled"] is True
    eur = api.get("/currencies/EUR").json()
    assert eur["code"] == "EUR"
    assert "Euro" in eur["label"]
    assert api.get("/locales/de_DE").json() == {
        "_links": {"self": {"href": f"{api.pim.url}/api/rest/v1/locales/de_DE"}},
        "code": "de_DE", "enabled": True}
    assert api.get("/locales/ja_JP").json()["enabled"] is False


def test_measurement_families_are_a_plain_array(api: Api) -> None:
    body = api.get("/measurement-families").json()
    assert isinstance(body, list)
    weight = next(f for f in body if f["code"] == "Weight")
    assert weight["standard_unit_code"] == "KILOGRAM"
    gram = weight["units"]["GRAM"]
    assert gram["convert_from_standard"] == [{"operator": "mul", "value": "0.001"}]
    assert gram["symbol"] == "g"
    assert "_links" not in weight


def test_unknown_route_and_method(api: Api) -> None:
    missing = api.get("/nothing-here")
    assert missing.status_code == 404
    assert missing.json()["code"] == 404
    wrong = api.session.delete(api.url("/channels/ecommerce"), timeout=5)
    assert wrong.status_code == 405
    assert wrong.json()["code"] == 405


def test_accept_header_other_than_json_gives_406(api: Api) -> None:
    response = api.session.get(api.url("/channels"), headers={"Accept": "text/html"}, timeout=5)
    assert response.status_code == 406
    assert response.json()["code"] == 406


def test_products_page_cap(api: Api) -> None:
    response = api.get("/products-uuid", page=101, limit=100)
    assert response.status_code == 422
    body = response.json()
    assert "search after" in body["message"]
    assert body["_links"]["documentation"]["href"].startswith("http")


def test_search_after_is_refused_on_structure(api: Api) -> None:
    response = api.get("/attributes", pagination_type="search_after")
    assert response.status_code == 422


def test_search_after_pages_through_products(small: Sandbox, api: Api) -> None:
    first = api.get("/products-uuid", pagination_type="search_after", limit=4).json()
    assert "current_page" not in first
    assert "items_count" not in first
    query = parse_qs(urlsplit(first["_links"]["next"]["href"]).query)
    assert query["pagination_type"] == ["search_after"]
    assert query["search_after"]
    items = api.all_items("/products-uuid", pagination_type="search_after", limit=4)
    uuids = [i["uuid"] for i in items]
    assert len(uuids) == len(small.store.products) == len(set(uuids))
    assert uuids == sorted(uuids)
    models = api.all_items("/product-models", pagination_type="search_after", limit=2)
    assert [m["code"] for m in models] == ["runner", "runner_red", "tee"]


def test_table_select_options_only_on_request(api: Api) -> None:
    plain = api.get("/attributes/sizes_table").json()["table_configuration"]
    assert "options" not in plain[0]
    assert plain[0]["data_type"] == "select"
    asked = api.get("/attributes/sizes_table", with_table_select_options="true").json()
    assert [o["code"] for o in asked["table_configuration"][0]["options"]] == ["eu", "us"]
    listed = api.search("/attributes", {"code": [{"operator": "IN", "value": ["sizes_table"]}]},
                        with_table_select_options="true").json()["_embedded"]["items"]
    assert listed[0]["table_configuration"][0]["options"]


@pytest.mark.parametrize("stamp", ["2026-01-01T10:00:00Z", "2026-01-01", "yesterday", 5])
def test_updated_filter_needs_akeneo_date_format(api: Api, stamp: object) -> None:
    for path in ("/attributes", "/products", "/product-models"):
        response = api.search(path, {"updated": [{"operator": ">", "value": stamp}]})
        assert response.status_code == 422, path
        assert "yyyy-mm-dd H:i:s" in response.json()["message"]


def test_records_updated_filter_takes_iso_dates(api: Api) -> None:
    past = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = api.search("/reference-entities/brand/records",
                      {"updated": [{"operator": ">", "value": past}]}).json()
    assert {r["code"] for r in body["_embedded"]["items"]} == {"acme", "globex"}


def test_system_information_names_the_edition(api: Api) -> None:
    assert api.get("/system-information").json() == {"version": "7.0.0", "edition": "EE"}
    with Sandbox(empty=True, edition="ce") as ce:
        assert Api(ce).get("/system-information").json()["edition"] == "CE"
