"""Products and product models: reads, filters, writes, batches and Akeneo's validation."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from .conftest import Api, value

P = "/products"
U = "/products-uuid"


def _uuid_of(api: Api, identifier: str) -> str:
    return api.get(f"{P}/{identifier}").json()["uuid"]


def _errors(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == 422
    assert body["message"] == "Validation failed."
    return body["errors"]


# -- reads ----------------------------------------------------------------------------------
def test_get_by_identifier_shape(api: Api) -> None:
    body = api.get(f"{P}/boot-1").json()
    assert body["_links"]["self"]["href"] == f"{api.pim.url}/api/rest/v1/products/boot-1"
    assert body["identifier"] == "boot-1"
    assert uuid.UUID(body["uuid"])
    assert body["family"] == "shoes"
    assert body["categories"] == ["boots"]
    assert body["enabled"] is True
    assert body["parent"] is None
    assert body["values"]["weight"] == value(None, None, {"amount": "850.5", "unit": "GRAM"})
    assert body["values"]["price"] == value(None, "ecommerce",
                                            [{"amount": "99.90", "currency": "EUR"}])
    datetime.fromisoformat(body["created"])
    datetime.fromisoformat(body["updated"])
    assert set(body["associations"]) == {"X_SELL", "UPSELL"}
    assert body["associations"]["X_SELL"] == {"products": [], "product_models": [], "groups": []}


def test_get_by_uuid_has_identifier_in_values(api: Api) -> None:
    uid = _uuid_of(api, "boot-1")
    body = api.get(f"{U}/{uid}").json()
    assert "identifier" not in body
    assert body["uuid"] == uid
    assert body["values"]["sku"] == value(None, None, "boot-1")
    assert body["_links"]["self"]["href"].endswith(f"/products-uuid/{uid}")


def test_unknown_product_gives_404(api: Api) -> None:
    for path in (f"{P}/nope", f"{U}/{uuid.uuid4()}", "/product-models/nope"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == 404


def test_variant_product_inherits_parent_values_and_categories(api: Api) -> None:
    body = api.get(f"{P}/runner-red-m").json()
    assert body["parent"] == "runner_red"
    assert body["values"]["color"] == value(None, None, "red")
    assert body["values"]["name"] == value("en_US", None, "Runner")
    assert body["values"]["size"] == value(None, None, "m")
    assert body["categories"] == ["sneakers"]
    model = api.get("/product-models/runner_red").json()
    assert model["family"] == "shoes"
    assert model["family_variant"] == "shoes_color_size"
    assert model["parent"] == "runner"
    assert model["values"]["name"] == value("en_US", None, "Runner")


def test_products_without_identifier_are_skipped_on_legacy_list(api: Api) -> None:
    created = api.post(U, {"family": "accessories"})
    assert created.status_code == 201
    legacy = api.get(P, with_count="true", limit=100).json()
    by_uuid = api.get(U, with_count="true", limit=100).json()
    assert by_uuid["items_count"] == legacy["items_count"] + 1


def _codes(api: Api, search: dict[str, Any], path: str = P, **params: Any) -> set[str]:
    response = api.search(path, search, limit=100, **params)
    assert response.status_code == 200, response.text
    key = "code" if path == "/product-models" else "identifier"
    return {i[key] for i in response.json()["_embedded"]["items"]}


def test_filter_identifier_in(api: Api) -> None:
    assert _codes(api, {"identifier": [{"operator": "IN", "value": ["boot-1", "cap-1"]}]}) == {
        "boot-1", "cap-1"}
    assert _codes(api, {"sku": [{"operator": "IN", "value": ["boot-2"]}]}) == {"boot-2"}
    uid = _uuid_of(api, "boot-1")
    items = api.search(U, {"uuid": [{"operator": "IN", "value": [uid]}]}).json()
    assert [i["uuid"] for i in items["_embedded"]["items"]] == [uid]
    assert _codes(api, {"identifier": [{"operator": "IN", "value": ["tee", "runner"]}]},
                  "/product-models") == {"tee", "runner"}


def test_filter_family_enabled_parent_categories(api: Api) -> None:
    assert _codes(api, {"family": [{"operator": "IN", "value": ["shirts", "accessories"]}]}) == {
        "tee-s", "cap-1"}
    assert _codes(api, {"enabled": [{"operator": "=", "value": False}]}) == {"boot-2"}
    assert _codes(api, {"parent": [{"operator": "=", "value": "runner"}]}) == {"runner-red-m"}
    assert _codes(api, {"parent": [{"operator": "EMPTY"}]}) == {
        "boot-1", "boot-2", "cap-1", "loose-1"}
    assert _codes(api, {"categories": [{"operator": "IN", "value": ["sales_summer"]}]}) == {
        "boot-2"}
    assert _codes(api, {"categories": [{"operator": "IN CHILDREN", "value": ["shoes"]}]}) == {
        "boot-1", "boot-2", "runner-red-m"}
    assert _codes(api, {"parent": [{"operator": "=", "value": "runner"}]},
                  "/product-models") == {"runner_red"}


def test_filter_updated_includes_variants_of_updated_models(api: Api) -> None:
    time.sleep(1.05)
    since = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    search = {"updated": [{"operator": ">", "value": since.strftime("%Y-%m-%d %H:%M:%S")}]}
    assert _codes(api, search) == set()
    assert api.patch(f"{P}/cap-1", {"enabled": False}).status_code == 204
    assert api.patch("/product-models/runner", {"categories": ["boots"]}).status_code == 204
    assert _codes(api, search) == {"cap-1", "runner-red-m"}
    assert _codes(api, search, "/product-models") == {"runner", "runner_red"}


def test_filter_on_attribute_values(api: Api) -> None:
    assert _codes(api, {"color": [{"operator": "IN", "value": ["black"]}]}) == {"boot-1"}
    assert _codes(api, {"name": [{"operator": "=", "value": "Boot one", "locale": "en_US"}]}) == {
        "boot-1"}


def test_unsupported_product_filter_gives_422(api: Api) -> None:
    response = api.search(P, {"completeness": [{"operator": "=", "value": 100}]})
    assert response.status_code == 422
    assert response.json()["code"] == 422


def test_scope_locales_attributes_trim_values(api: Api) -> None:
    api.patch(f"{P}/boot-1", {"values": {"description": [
        {"locale": "en_US", "scope": "ecommerce", "data": "E"},
        {"locale": "en_US", "scope": "mobile", "data": "M"},
        {"locale": "fr_FR", "scope": "ecommerce", "data": "F"}]}})
    body = api.get(f"{P}/boot-1", scope="mobile", locales="en_US").json()
    assert body["values"]["description"] == value("en_US", "mobile", "M")
    only = api.get(f"{P}/boot-1", attributes="color").json()
    assert set(only["values"]) == {"color"}


def test_with_attribute_options_adds_linked_data(api: Api) -> None:
    body = api.get(f"{P}/boot-1", with_attribute_options="true").json()
    assert body["values"]["color"][0]["linked_data"] == {
        "attribute": "color", "code": "black", "labels": {"en_US": "Black"}}


# -- single writes --------------------------------------------------------------------------
def test_patch_creates_201_then_updates_204_with_location(api: Api) -> None:
    created = api.patch(f"{P}/new-1", {"family": "shoes"})
    assert created.status_code == 201
    assert created.headers["Location"] == f"{api.pim.url}/api/rest/v1/products/new-1"
    assert created.content == b""
    updated = api.patch(f"{P}/new-1", {"enabled": False})
    assert updated.status_code == 204
    assert updated.headers["Location"].endswith("/products/new-1")
    assert api.get(f"{P}/new-1").json()["enabled"] is False


def test_patch_by_uuid_creates_and_sets_identifier(api: Api) -> None:
    uid = str(uuid.uuid4())
    created = api.patch(f"{U}/{uid}", {"family": "shoes", "values": {
        "sku": value(None, None, "by-uuid")}})
    assert created.status_code == 201
    assert created.headers["Location"] == f"{api.pim.url}/api/rest/v1/products-uuid/{uid}"
    assert api.get(f"{P}/by-uuid").json()["uuid"] == uid
    assert api.patch(f"{U}/not-a-uuid", {}).status_code == 422


def test_post_creates_and_refuses_existing(api: Api) -> None:
    created = api.post(P, {"identifier": "posted", "family": "accessories"})
    assert created.status_code == 201
    assert created.headers["Location"].endswith("/products/posted")
    again = api.post(P, {"identifier": "posted"})
    assert again.status_code == 422
    by_uuid = api.post(U, {"values": {"sku": value(None, None, "posted-2")}})
    assert by_uuid.status_code == 201
    uid = by_uuid.headers["Location"].rsplit("/", 1)[1]
    assert api.get(f"{U}/{uid}").json()["values"]["sku"][0]["data"] == "posted-2"


def test_body_identifier_must_match_url(api: Api) -> None:
    response = api.patch(f"{P}/boot-1", {"identifier": "other"})
    assert response.status_code == 422
    assert "must match" in response.json()["message"]


def test_values_merge_per_attribute_locale_scope(api: Api) -> None:
    api.patch(f"{P}/boot-1", {"values": {"name": value("fr_FR", None, "Botte")}})
    body = api.get(f"{P}/boot-1").json()
    assert sorted(body["values"]["name"], key=lambda v: v["locale"]) == [
        {"locale": "en_US", "scope": None, "data": "Boot one"},
        {"locale": "fr_FR", "scope": None, "data": "Botte"}]
    assert body["values"]["color"] == value(None, None, "black")
    api.patch(f"{P}/boot-1", {"values": {"name": value("fr_FR", None, None)}})
    assert api.get(f"{P}/boot-1").json()["values"]["name"] == value("en_US", None, "Boot one")


def test_categories_are_replaced(api: Api) -> None:
    api.patch(f"{P}/boot-2", {"categories": ["sneakers"]})
    assert api.get(f"{P}/boot-2").json()["categories"] == ["sneakers"]
    api.patch(f"{P}/boot-2", {"categories": []})
    assert api.get(f"{P}/boot-2").json()["categories"] == []


def test_updated_changes_only_when_something_changed(api: Api) -> None:
    before = api.get(f"{P}/boot-1").json()
    time.sleep(1.05)
    same = api.patch(f"{P}/boot-1", {"enabled": True, "categories": ["boots"],
                                     "values": {"color": value(None, None, "black")}})
    assert same.status_code == 204
    unchanged = api.get(f"{P}/boot-1").json()
    assert unchanged["updated"] == before["updated"]
    api.patch(f"{P}/boot-1", {"values": {"color": value(None, None, "blue")}})
    changed = api.get(f"{P}/boot-1").json()
    assert changed["updated"] > before["updated"]
    assert changed["created"] == before["created"]


def test_associations_merge_per_type(api: Api) -> None:
    api.patch(f"{P}/boot-1", {"associations": {"X_SELL": {"products": ["boot-2"]}}})
    api.patch(f"{P}/boot-1", {"associations": {"UPSELL": {"product_models": ["tee"]}}})
    body = api.get(f"{P}/boot-1").json()
    assert body["associations"]["X_SELL"]["products"] == ["boot-2"]
    assert body["associations"]["UPSELL"]["product_models"] == ["tee"]
    by_uuid = api.get(f"{U}/{body['uuid']}").json()
    assert by_uuid["associations"]["X_SELL"]["products"] == [_uuid_of(api, "boot-2")]
    bad = api.patch(f"{P}/boot-1", {"associations": {"X_SELL": {"products": ["ghost"]}}})
    assert bad.status_code == 422
    unknown = api.patch(f"{P}/boot-1", {"associations": {"NOPE": {"products": []}}})
    assert unknown.status_code == 422


def test_wrong_content_type_and_bad_json(api: Api) -> None:
    response = api.session.patch(api.url(f"{P}/boot-1"), data=b'{"enabled":true}',
                                 headers={"Content-Type": "text/plain"}, timeout=5)
    assert response.status_code == 415
    assert response.json()["code"] == 415
    bad = api.session.patch(api.url(f"{P}/boot-1"), data=b"{oops",
                            headers={"Content-Type": "application/json"}, timeout=5)
    assert bad.status_code == 400
    assert bad.json() == {"code": 400, "message": "Invalid json message received"}


def test_delete_product(api: Api) -> None:
    assert api.session.delete(api.url(f"{P}/cap-1"), timeout=5).status_code == 204
    assert api.get(f"{P}/cap-1").status_code == 404


# -- validation -----------------------------------------------------------------------------
def test_unknown_property_and_attribute(api: Api) -> None:
    prop = api.patch(f"{P}/boot-1", {"colour": "red"})
    assert prop.status_code == 422
    assert 'Property "colour" does not exist' in prop.json()["message"]
    attr = api.patch(f"{P}/boot-1", {"values": {"colour": value(None, None, "red")}})
    assert attr.status_code == 422
    assert "colour" in attr.json()["message"]
    assert attr.json()["_links"]["documentation"]["href"]


def test_unknown_family_category_parent_group(api: Api) -> None:
    for body, word in (({"family": "nope"}, "family"), ({"categories": ["nope"]}, "category"),
                       ({"parent": "nope"}, "parent"), ({"groups": ["g"]}, "group")):
        response = api.patch(f"{P}/boot-1", body)
        assert response.status_code == 422, body
        assert word in response.json()["message"]
        assert "nope" in response.json()["message"] or word == "group"


@pytest.mark.parametrize(("attr", "locale", "scope", "fragment"), [
    ("name", None, None, "expects a locale"),
    ("name", "en_US", "ecommerce", "does not expect a channel"),
    ("color", "en_US", None, "does not expect a locale"),
    ("price", None, None, "expects a channel"),
    ("price", None, "nope", "existing channel"),
    ("name", "ja_JP", None, "activated locale"),
    ("description", "fr_FR", "mobile", "channel \"mobile\""),
    ("legal_fr", "en_US", None, "locale specific"),
])
def test_locale_and_scope_must_match_attribute(api: Api, attr: str, locale: str | None,
                                               scope: str | None, fragment: str) -> None:
    data: Any = "x"
    if attr == "color":
        data = "red"
    if attr == "price":
        data = [{"amount": "1.00", "currency": "EUR"}]
    errors = _errors(api.patch(f"{P}/boot-1", {"values": {attr: value(locale, scope, data)}}))
    assert errors[0]["property"] == "values"
    assert errors[0]["attribute"] == attr
    assert errors[0]["locale"] == locale
    assert errors[0]["scope"] == scope
    assert fragment in errors[0]["message"]


def test_unknown_option(api: Api) -> None:
    errors = _errors(api.patch(f"{P}/boot-1", {"values": {"color": value(None, None, "pink")}}))
    assert errors == [{"property": "values", "attribute": "color", "locale": None, "scope": None,
                       "message": "The pink value is not in the color attribute option list."}]
    multi = _errors(api.patch(f"{P}/boot-1", {"values": {
        "material": value(None, None, ["leather", "silk"])}}))
    assert "silk" in multi[0]["message"]
    assert "leather" not in multi[0]["message"]


def test_option_codes_match_case_insensitively(api: Api) -> None:
    assert api.patch(f"{P}/boot-1", {"values": {"color": value(None, None, "RED")}}).status_code \
        == 204
    assert api.get(f"{P}/boot-1").json()["values"]["color"][0]["data"] == "red"


@pytest.mark.parametrize(("attr", "data"), [
    ("quantity", "many"), ("quantity", True), ("waterproof", "yes"), ("name", 12),
    ("weight", "850"), ("weight", {"amount": "1"}), ("price", {"amount": "1"}),
    ("price", [{"amount": "1"}]), ("release_date", "29/11/2026"), ("material", "leather"),
    ("sizes_table", {"region": "eu"}), ("brands", "acme"),
])
def test_wrong_data_type_gives_422(api: Api, attr: str, data: Any) -> None:
    locale = "en_US" if attr == "name" else None
    scope = "ecommerce" if attr in ("price", "release_date") else None
    response = api.patch(f"{P}/boot-1", {"values": {attr: value(locale, scope, data)}})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == 422
    assert attr in response.text


def test_numbers_follow_decimals_allowed(api: Api) -> None:
    errors = _errors(api.patch(f"{P}/boot-1", {"values": {"quantity": value(None, None, 2.5)}}))
    assert errors[0]["message"] == "This value should not be a decimal."
    negative = _errors(api.patch(f"{P}/boot-1", {"values": {"quantity": value(None, None, -1)}}))
    assert "greater than or equal to 0" in negative[0]["message"]
    assert api.patch(f"{P}/boot-1", {"values": {
        "quantity": value(None, None, "7"), "rating": value(None, None, 4.25),
        "heel_height": value(None, None, {"amount": 3, "unit": "CENTIMETER"})}}).status_code == 204
    body = api.get(f"{P}/boot-1").json()["values"]
    assert body["quantity"][0]["data"] == 7
    assert body["rating"][0]["data"] == "4.25"
    assert body["heel_height"][0]["data"] == {"amount": 3, "unit": "CENTIMETER"}
    metric = _errors(api.patch(f"{P}/boot-1", {"values": {
        "heel_height": value(None, None, {"amount": "3.5", "unit": "CENTIMETER"})}}))
    assert metric[0]["message"] == "This value should not be a decimal."


def test_metric_unit_must_belong_to_family(api: Api) -> None:
    errors = _errors(api.patch(f"{P}/boot-1", {"values": {
        "weight": value(None, None, {"amount": "1", "unit": "METER"})}}))
    assert "METER" in errors[0]["message"]
    assert errors[0]["attribute"] == "weight"


def test_prices_need_enabled_currencies(api: Api) -> None:
    errors = _errors(api.patch(f"{P}/boot-1", {"values": {"price": value(None, "ecommerce", [
        {"amount": "1.00", "currency": "JPY"}])}}))
    assert "JPY" in errors[0]["message"]
    ok = api.patch(f"{P}/boot-1", {"values": {"price": value(None, "ecommerce", [
        {"amount": "12.50", "currency": "USD"}, {"amount": 11, "currency": "EUR"}])}})
    assert ok.status_code == 204
    prices = api.get(f"{P}/boot-1").json()["values"]["price"][0]["data"]
    assert prices == [{"amount": "11", "currency": "EUR"}, {"amount": "12.50", "currency": "USD"}]


def test_dates_and_booleans(api: Api) -> None:
    ok = api.patch(f"{P}/boot-1", {"values": {
        "release_date": value(None, "ecommerce", "2026-03-01"),
        "waterproof": value(None, None, False)}})
    assert ok.status_code == 204
    body = api.get(f"{P}/boot-1").json()["values"]
    assert body["release_date"][0]["data"].startswith("2026-03-01T00:00:00")
    assert body["waterproof"] == value(None, None, False)


def test_text_length_limits(api: Api) -> None:
    long_name = _errors(api.patch(f"{P}/boot-1", {"values": {
        "name": value("en_US", None, "x" * 256)}}))
    assert "255" in long_name[0]["message"]
    short = _errors(api.patch(f"{P}/boot-1", {"values": {
        "short_name": value(None, None, "x" * 11)}}))
    assert "10" in short[0]["message"]
    assert api.patch(f"{P}/boot-1", {"values": {
        "description": value("en_US", "ecommerce", "x" * 5000)}}).status_code == 204


def test_table_rows(api: Api) -> None:
    ok = api.patch(f"{P}/boot-1", {"values": {"sizes_table": value(None, None, [
        {"region": "eu", "value": "42.5", "note": "fits"}, {"region": "us", "value": 9}])}})
    assert ok.status_code == 204
    bad = _errors(api.patch(f"{P}/boot-1", {"values": {"sizes_table": value(None, None, [
        {"region": "asia"}, {"value": 1}, {"region": "eu", "colour": "x"},
        {"region": "us", "note": "y" * 21}])}}))
    text = json.dumps(bad)
    for fragment in ("asia", "first column", "colour", "20"):
        assert fragment in text


def test_reference_entity_and_asset_links_must_exist(api: Api) -> None:
    ok = api.patch(f"{P}/boot-1", {"values": {
        "brand": value(None, None, "acme"), "brands": value(None, None, ["acme", "globex"]),
        "packshots": value(None, None, ["shoe_front"])}})
    assert ok.status_code == 204
    errors = _errors(api.patch(f"{P}/boot-1", {"values": {
        "brand": value(None, None, "nobody"), "packshots": value(None, None, ["ghost"])}}))
    assert {e["attribute"] for e in errors} == {"brand", "packshots"}


def test_media_codes_must_exist(api: Api) -> None:
    errors = _errors(api.patch(f"{P}/boot-1", {"values": {
        "picture": value(None, None, "a/b/c/d/nothing.jpg")}}))
    assert errors[0]["attribute"] == "picture"


def test_unique_attribute_and_identifier(api: Api) -> None:
    assert api.patch(f"{P}/boot-1", {"values": {"ean": value(None, None, "123")}}).status_code \
        == 204
    errors = _errors(api.patch(f"{P}/boot-2", {"values": {"ean": value(None, None, "123")}}))
    assert errors[0]["attribute"] == "ean"
    uid = _uuid_of(api, "boot-2")
    dup = _errors(api.patch(f"{U}/{uid}", {"values": {"sku": value(None, None, "boot-1")}}))
    assert dup[0]["property"] == "identifier"
    api.patch(f"{P}/boot-1", {"values": {"ean": value(None, None, None)}})
    assert api.patch(f"{P}/boot-2", {"values": {"ean": value(None, None, "123")}}).status_code \
        == 204


# -- variants -------------------------------------------------------------------------------
def test_variant_product_needs_axis_and_unique_axis_values(api: Api) -> None:
    missing = _errors(api.patch(f"{P}/runner-red-x", {"parent": "runner_red"}))
    assert missing[0]["attribute"] == "size"
    assert "axis" in missing[0]["message"]
    dup = _errors(api.patch(f"{P}/runner-red-x", {"parent": "runner_red", "values": {
        "size": value(None, None, "m")}}))
    assert "already has a child" in dup[0]["message"]
    ok = api.patch(f"{P}/runner-red-l", {"parent": "runner_red", "values": {
        "size": value(None, None, "l")}})
    assert ok.status_code == 201
    body = api.get(f"{P}/runner-red-l").json()
    assert body["family"] == "shoes"
    assert body["values"]["color"] == value(None, None, "red")


def test_variant_product_refuses_values_of_other_levels(api: Api) -> None:
    errors = _errors(api.patch(f"{P}/runner-red-m", {"values": {
        "color": value(None, None, "blue"), "name": value("en_US", None, "Other")}}))
    assert {e["attribute"] for e in errors} == {"color", "name"}
    assert all(e["property"] == "attribute" for e in errors)
    same = api.patch(f"{P}/runner-red-m", {"values": {"color": value(None, None, "red")}})
    assert same.status_code == 204
    own = api.patch(f"{P}/runner-red-m", {"values": {"quantity": value(None, None, 3)}})
    assert own.status_code == 204


def test_variant_family_must_match_parent_and_parent_level(api: Api) -> None:
    family = _errors(api.patch(f"{P}/x-1", {"parent": "runner_red", "family": "shirts",
                                            "values": {"size": value(None, None, "l")}}))
    assert family[0]["property"] == "family"
    level = _errors(api.patch(f"{P}/x-2", {"parent": "runner", "values": {
        "size": value(None, None, "l")}}))
    assert level[0]["property"] == "parent"


def test_axis_value_cannot_change(api: Api) -> None:
    errors = _errors(api.patch(f"{P}/runner-red-m", {"values": {
        "size": value(None, None, "xl")}}))
    assert "cannot be modified" in errors[0]["message"]


def test_variant_can_become_simple_product(api: Api) -> None:
    response = api.patch(f"{P}/runner-red-m", {"parent": None})
    assert response.status_code == 204
    body = api.get(f"{P}/runner-red-m").json()
    assert body["parent"] is None
    assert body["values"]["color"] == value(None, None, "red")


def test_product_model_rules(api: Api) -> None:
    created = api.patch("/product-models/runner_blue", {
        "parent": "runner", "values": {"color": value(None, None, "blue")}})
    assert created.status_code == 201
    assert created.headers["Location"].endswith("/product-models/runner_blue")
    model = api.get("/product-models/runner_blue").json()
    assert model["family_variant"] == "shoes_color_size"
    dup = _errors(api.patch("/product-models/runner_blue2", {
        "parent": "runner", "values": {"color": value(None, None, "blue")}}))
    assert "already has a child" in dup[0]["message"]
    other_fv = _errors(api.patch("/product-models/m1", {
        "family_variant": "shirts_size", "parent": "runner"}))
    assert other_fv[0]["property"] == "parent"
    too_deep = _errors(api.patch("/product-models/m2", {
        "parent": "runner_red", "values": {"color": value(None, None, "white")}}))
    assert too_deep[0]["property"] == "parent"
    wrong_level = _errors(api.patch("/product-models/runner", {"values": {
        "size": value(None, None, "s")}}))
    assert wrong_level[0]["attribute"] == "size"
    no_fv = _errors(api.patch("/product-models/m3", {"values": {}}))
    assert no_fv[0]["property"] == "family_variant"
    unknown_fv = api.patch("/product-models/m4", {"family_variant": "nope"})
    assert unknown_fv.status_code == 422
    changed = _errors(api.patch("/product-models/tee", {"family_variant": "shoes_color_size"}))
    assert changed[0]["property"] == "family_variant"
    root_ok = api.patch("/product-models/tee", {"values": {
        "description": value("en_US", "ecommerce", "Soft")}})
    assert root_ok.status_code == 204


def test_post_product_model(api: Api) -> None:
    created = api.post("/product-models", {"code": "tee2", "family_variant": "shirts_size"})
    assert created.status_code == 201
    again = api.post("/product-models", {"code": "tee2", "family_variant": "shirts_size"})
    assert again.status_code == 422


# -- batches --------------------------------------------------------------------------------
def test_batch_answers_line_by_line(api: Api) -> None:
    lines = api.batch_lines(P, [
        {"identifier": "b-1", "family": "shoes"},
        {"identifier": "boot-1", "enabled": False},
        "{not json",
        {"family": "shoes"},
        {"identifier": "b-2", "values": {"color": value(None, None, "pink")}},
        {"identifier": "b-3", "family": "nope"},
    ])
    assert lines[0] == {"line": 1, "identifier": "b-1", "status_code": 201}
    assert lines[1] == {"line": 2, "identifier": "boot-1", "status_code": 204}
    assert lines[2]["line"] == 3
    assert lines[2]["status_code"] == 400
    assert lines[3]["status_code"] == 422
    assert lines[4]["status_code"] == 422
    assert lines[4]["message"] == "Validation failed."
    assert lines[4]["errors"][0]["attribute"] == "color"
    assert lines[5]["status_code"] == 422
    assert "nope" in lines[5]["message"]
    assert api.get(f"{P}/b-1").status_code == 200
    assert api.get(f"{P}/b-2").status_code == 404


def test_batch_by_uuid_and_product_models(api: Api) -> None:
    uid = str(uuid.uuid4())
    lines = api.batch_lines(U, [{"uuid": uid, "values": {"sku": value(None, None, "u-1")}},
                                {"values": {}}])
    assert lines[0] == {"line": 1, "uuid": uid, "status_code": 201}
    assert lines[1]["status_code"] == 422
    models = api.batch_lines("/product-models", [
        {"code": "tee", "categories": ["master"]}, {"code": "fresh",
                                                     "family_variant": "shirts_size"}])
    assert [m["status_code"] for m in models] == [204, 201]
    assert models[0]["code"] == "tee"


def test_batch_limits_and_content_type(api: Api) -> None:
    too_many = api.batch(P, [{"identifier": f"p{i}"} for i in range(101)])
    assert too_many.status_code == 413
    assert too_many.json() == {"code": 413, "message": "Too many resources to process, 100 is "
                                                       "the maximum allowed."}
    assert api.get(f"{P}/p0").status_code == 404
    hundred = api.batch_lines(P, [{"identifier": f"p{i}"} for i in range(100)])
    assert len(hundred) == 100
    wrong = api.session.patch(api.url(P), data=b'{"identifier":"x"}',
                              headers={"Content-Type": "application/json"}, timeout=5)
    assert wrong.status_code == 415
    assert wrong.json()["code"] == 415


def test_batch_is_logged_with_line_count(api: Api) -> None:
    api.batch_lines(P, [{"identifier": "l1"}, {"identifier": "l2"}])
    entry = api.pim.request_log()[-1]
    assert entry["method"] == "PATCH"
    assert entry["path"] == "/api/rest/v1/products"
    assert entry["status"] == 200
    assert entry["lines"] == 2


@pytest.mark.parametrize("identifier", ["a,b", "a;b", " padded"])
def test_identifier_format(api: Api, identifier: str) -> None:
    errors = _errors(api.post(P, {"identifier": identifier}))
    assert errors[0]["attribute"] == "sku"


def test_text_refuses_line_breaks_textarea_keeps_them(api: Api) -> None:
    errors = _errors(api.patch(f"{P}/boot-1", {"values": {
        "name": value("en_US", None, "two\nlines")}}))
    assert errors[0]["attribute"] == "name"
    assert api.patch(f"{P}/boot-1", {"values": {
        "description": value("en_US", "ecommerce", "two\nlines")}}).status_code == 204


def test_quantified_associations(api: Api) -> None:
    assert api.patch("/association-types/BUNDLE", {"is_quantified": True}).status_code == 201
    response = api.patch(f"{P}/boot-1", {"quantified_associations": {"BUNDLE": {
        "products": [{"identifier": "cap-1", "quantity": 2}],
        "product_models": [{"identifier": "tee", "quantity": 1}]}}})
    assert response.status_code == 204
    body = api.get(f"{P}/boot-1").json()
    assert body["quantified_associations"]["BUNDLE"] == {
        "products": [{"identifier": "cap-1", "quantity": 2}],
        "product_models": [{"identifier": "tee", "quantity": 1}]}
    assert "BUNDLE" not in body["associations"]
    by_uuid = api.get(f"{U}/{body['uuid']}").json()
    assert by_uuid["quantified_associations"]["BUNDLE"]["products"] == [
        {"uuid": _uuid_of(api, "cap-1"), "quantity": 2}]
    plain = api.patch(f"{P}/boot-1", {"associations": {"BUNDLE": {"products": []}}})
    assert plain.status_code == 422


def test_concurrent_batches_are_all_stored(api: Api) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def push(worker: int) -> list[int]:
        lines = api.batch_lines(P, [{"identifier": f"w{worker}-{i}", "family": "accessories",
                                     "values": {"color": value(None, None, "red")}}
                                    for i in range(50)])
        return [line["status_code"] for line in lines]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(push, range(4)))
    assert all(statuses == [201] * 50 for statuses in results)
    found = api.search(P, {"family": [{"operator": "IN", "value": ["accessories"]}]},
                       with_count="true").json()
    assert found["items_count"] == 201
