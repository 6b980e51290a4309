"""Catalog structure writes: single PATCH upserts, POST, NDJSON batches and Akeneo's rules."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from akeneo_sandbox import Sandbox

    from .conftest import Api

LIST = "application/json"


def _violations(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == 422
    assert body["message"] == "Validation failed."
    return body["errors"]


def _props(response: Any) -> set[str]:
    return {e["property"] for e in _violations(response)}


# -- channels, locales, currencies ----------------------------------------------------------
def test_channel_upsert_enables_its_locales_and_currencies(api: Api) -> None:
    assert api.get("/locales/it_IT").json()["enabled"] is False
    created = api.patch("/channels/print", {"category_tree": "sales", "locales": ["it_IT"],
                                            "currencies": ["GBP"], "labels": {"en_US": "Print"}})
    assert created.status_code == 201
    assert created.headers["Location"] == f"{api.pim.url}/api/rest/v1/channels/print"
    assert api.get("/locales/it_IT").json()["enabled"] is True
    assert api.get("/currencies/GBP").json()["enabled"] is True
    updated = api.patch("/channels/print", {"labels": {"fr_FR": "Impression"}})
    assert updated.status_code == 204
    channel = api.get("/channels/print").json()
    assert channel["labels"] == {"en_US": "Print", "fr_FR": "Impression"}
    api.patch("/channels/print", {"locales": ["en_US"]})
    assert api.get("/locales/it_IT").json()["enabled"] is False


def test_channel_rules(api: Api) -> None:
    missing = _props(api.patch("/channels/new", {"labels": {}}))
    assert {"category_tree", "locales", "currencies"} <= missing
    tree = api.patch("/channels/new", {"category_tree": "nope", "locales": ["en_US"],
                                       "currencies": ["EUR"]})
    assert tree.status_code == 422
    assert "nope" in tree.json()["message"]
    not_root = _props(api.patch("/channels/new", {"category_tree": "shoes",
                                                  "locales": ["en_US"], "currencies": ["EUR"]}))
    assert not_root == {"category_tree"}
    locale = api.patch("/channels/new", {"category_tree": "master", "locales": ["xx_XX"],
                                         "currencies": ["EUR"]})
    assert locale.status_code == 422
    assert "xx_XX" in locale.json()["message"]


def test_unknown_property_and_wrong_types(api: Api) -> None:
    unknown = api.patch("/channels/ecommerce", {"colour": "red"})
    assert unknown.status_code == 422
    assert unknown.json()["message"].startswith('Property "colour" does not exist')
    null_labels = api.patch("/channels/ecommerce", {"labels": None})
    assert null_labels.status_code == 422
    assert "labels" in null_labels.json()["message"]
    code = api.patch("/channels/ecommerce", {"code": "other"})
    assert code.status_code == 422
    assert "must match" in code.json()["message"]
    bad_code = _props(api.patch("/channels/bad-code", {"category_tree": "master",
                                                       "locales": ["en_US"],
                                                       "currencies": ["EUR"]}))
    assert bad_code == {"code"}


def test_locales_and_currencies_are_read_only(api: Api) -> None:
    assert api.patch("/locales/en_US", {"enabled": False}).status_code == 405
    assert api.post("/currencies", {"code": "XYZ"}).status_code == 405


def test_post_creates_and_refuses_existing(api: Api) -> None:
    created = api.post("/attribute-groups", {"code": "seo", "labels": {"en_US": "SEO"}})
    assert created.status_code == 201
    assert created.headers["Location"].endswith("/attribute-groups/seo")
    assert _props(api.post("/attribute-groups", {"code": "seo"})) == {"code"}


def test_batch_upsert_answers_line_by_line(api: Api) -> None:
    lines = api.batch_lines("/association-types", [
        {"code": "PACK", "labels": {"en_US": "Pack"}},
        {"code": "X_SELL", "labels": {"fr_FR": "Vente croisée"}},
        {"labels": {}},
        {"code": "BAD", "colour": 1},
    ])
    assert lines[0] == {"line": 1, "code": "PACK", "status_code": 201}
    assert lines[1] == {"line": 2, "code": "X_SELL", "status_code": 204}
    assert lines[2]["status_code"] == 422
    assert lines[3]["status_code"] == 422
    assert "colour" in lines[3]["message"]
    assert api.get("/association-types/X_SELL").json()["labels"] == {
        "en_US": "Cross sell", "fr_FR": "Vente croisée"}


@pytest.mark.parametrize("path", ["/channels", "/attribute-groups", "/attributes", "/families",
                                  "/categories", "/association-types",
                                  "/attributes/color/options", "/families/shoes/variants"])
def test_batch_limits_on_every_collection(api: Api, path: str) -> None:
    too_many = api.batch(path, [{"code": f"c{i}"} for i in range(101)])
    assert too_many.status_code == 413
    assert too_many.json()["code"] == 413
    wrong = api.session.patch(api.url(path), data=b'{"code":"x"}',
                              headers={"Content-Type": LIST}, timeout=5)
    assert wrong.status_code == 415
    bad_line = api.batch_lines(path, ["{nope"])
    assert bad_line == [{"line": 1, "status_code": 400,
                         "message": "Invalid json message received"}]


# -- attributes and options -----------------------------------------------------------------
def test_attribute_rules(api: Api) -> None:
    assert _props(api.patch("/attributes/a1", {"group": "general"})) == {"type"}
    unknown_type = api.patch("/attributes/a1", {"type": "pim_catalog_blob", "group": "general"})
    assert unknown_type.status_code == 422
    group = api.patch("/attributes/a1", {"type": "pim_catalog_text", "group": "nope"})
    assert group.status_code == 422
    assert "nope" in group.json()["message"]
    metric = _props(api.patch("/attributes/a1", {"type": "pim_catalog_metric",
                                                 "group": "general", "metric_family": "Weight",
                                                 "default_metric_unit": "METER"}))
    assert metric == {"default_metric_unit"}
    too_long = _props(api.patch("/attributes/a1", {"type": "pim_catalog_text", "group": "general",
                                                   "max_characters": 300}))
    assert too_long == {"max_characters"}
    table = _props(api.patch("/attributes/a1", {"type": "pim_catalog_table", "group": "general",
                                                "table_configuration": [
                                                    {"code": "c", "data_type": "text"}]}))
    assert table == {"table_configuration"}
    asset = _props(api.patch("/attributes/a1", {"type": "pim_catalog_asset_collection",
                                                "group": "general",
                                                "reference_data_name": "nope"}))
    assert asset == {"reference_data_name"}
    unique = _props(api.patch("/attributes/a1", {"type": "pim_catalog_boolean",
                                                 "group": "general", "unique": True}))
    assert unique == {"unique"}


def test_attribute_create_update_and_immutable_fields(api: Api) -> None:
    created = api.patch("/attributes/care", {"type": "pim_catalog_textarea", "group": "general",
                                             "localizable": True, "labels": {"en_US": "Care"}})
    assert created.status_code == 201
    body = api.get("/attributes/care").json()
    assert body["localizable"] is True
    assert body["scopable"] is False
    assert body["labels"] == {"en_US": "Care"}
    assert api.patch("/attributes/care", {"labels": {"fr_FR": "Entretien"}}).status_code == 204
    assert api.get("/attributes/care").json()["labels"] == {"en_US": "Care",
                                                            "fr_FR": "Entretien"}
    assert _props(api.patch("/attributes/care", {"type": "pim_catalog_text"})) == {"type"}
    assert _props(api.patch("/attributes/care", {"localizable": False})) == {"localizable"}


def test_attribute_group_attributes_list_moves_attributes(api: Api) -> None:
    assert api.patch("/attribute-groups/marketing", {"attributes": ["name", "description"]}
                     ).status_code == 204
    assert api.get("/attributes/name").json()["group"] == "marketing"
    assert "name" in api.get("/attribute-groups/marketing").json()["attributes"]
    bad = api.patch("/attribute-groups/marketing", {"attributes": ["ghost"]})
    assert bad.status_code == 422


def test_option_upserts(api: Api) -> None:
    created = api.patch("/attributes/color/options/green", {"labels": {"en_US": "Green"}})
    assert created.status_code == 201
    assert created.headers["Location"].endswith("/attributes/color/options/green")
    assert api.patch("/attributes/color/options/green", {"sort_order": 9}).status_code == 204
    option = api.get("/attributes/color/options/green").json()
    assert option["sort_order"] == 9
    assert option["attribute"] == "color"
    not_select = api.patch("/attributes/name/options/x", {})
    assert not_select.status_code == 422
    assert api.patch("/attributes/ghost/options/x", {}).status_code == 404
    mismatch = api.patch("/attributes/color/options/teal", {"attribute": "size"})
    assert mismatch.status_code == 422
    posted = api.post("/attributes/size/options", {"code": "xxl"})
    assert posted.status_code == 201
    assert _props(api.post("/attributes/size/options", {"code": "xxl"})) == {"code"}


def test_option_batch_per_attribute(api: Api) -> None:
    lines = api.batch_lines("/attributes/material/options", [
        {"code": "silk", "labels": {"en_US": "Silk"}}, {"code": "leather", "sort_order": 5},
        {"code": "wool", "attribute": "color"}])
    assert [line["status_code"] for line in lines] == [201, 204, 422]
    assert lines[0]["code"] == "silk"
    codes = [o["code"] for o in api.get("/attributes/material/options",
                                        limit=100).json()["_embedded"]["items"]]
    assert "silk" in codes
    assert "wool" not in codes


def test_option_write_rate_limit_is_off_by_default_and_settable(small: Sandbox,
                                                                api: Api) -> None:
    for i in range(6):
        assert api.patch(f"/attributes/color/options/c{i}", {}).status_code == 201
    small.set_faults(option_rate_limit=3)
    statuses = [api.patch(f"/attributes/color/options/d{i}", {}).status_code for i in range(4)]
    assert statuses == [201, 201, 201, 429]
    limited = api.batch("/attributes/color/options", [{"code": "e1"}])
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "1"
    assert limited.json()["code"] == 429
    assert api.get("/attributes/color/options/d0").status_code == 200
    time.sleep(1.05)
    assert api.patch("/attributes/color/options/d3", {}).status_code == 201


# -- families and variants ------------------------------------------------------------------
def test_family_rules(api: Api) -> None:
    created = api.patch("/families/socks", {"attributes": ["name", "color", "picture"],
                                            "attribute_as_label": "name",
                                            "attribute_as_image": "picture",
                                            "attribute_requirements": {"ecommerce": ["name"]}})
    assert created.status_code == 201
    family = api.get("/families/socks").json()
    assert "sku" in family["attributes"]
    assert set(family["attribute_requirements"]["ecommerce"]) == {"sku", "name"}
    assert family["attribute_requirements"]["mobile"] == ["sku"]
    label_type = _props(api.patch("/families/socks", {"attribute_as_label": "color"}))
    assert label_type == {"attribute_as_label"}
    label_outside = _props(api.patch("/families/f2", {"attributes": ["color"],
                                                      "attribute_as_label": "name"}))
    assert label_outside == {"attribute_as_label"}
    assert _props(api.patch("/families/f3", {"attributes": ["name"]})) == {"attribute_as_label"}
    image = _props(api.patch("/families/socks", {"attribute_as_image": "color"}))
    assert image == {"attribute_as_image"}
    channel = api.patch("/families/socks", {"attribute_requirements": {"nope": ["sku"]}})
    assert channel.status_code == 422
    requirement = _props(api.patch("/families/socks", {
        "attribute_requirements": {"ecommerce": ["weight"]}}))
    assert requirement == {"attribute_requirements"}
    unknown_attr = api.patch("/families/socks", {"attributes": ["ghost"]})
    assert unknown_attr.status_code == 422


def test_family_variant_rules(api: Api) -> None:
    path = "/families/shoes/variants"
    created = api.patch(f"{path}/shoes_size", {"labels": {"en_US": "By size"},
                                               "variant_attribute_sets": [
                                                   {"level": 1, "axes": ["size"],
                                                    "attributes": ["quantity"]}]})
    assert created.status_code == 201
    assert created.headers["Location"].endswith(f"{path}/shoes_size")
    variant = api.get(f"{path}/shoes_size").json()
    level = variant["variant_attribute_sets"][0]
    assert set(level["attributes"]) >= {"size", "quantity", "sku", "ean"}
    changed_axes = _props(api.patch(f"{path}/shoes_size", {"variant_attribute_sets": [
        {"level": 1, "axes": ["color"], "attributes": []}]}))
    assert changed_axes == {"variant_attribute_sets"}
    for axis in ("name", "description", "price", "legal_fr"):
        bad = _violations(api.patch(f"{path}/by_{axis}", {"variant_attribute_sets": [
            {"level": 1, "axes": [axis], "attributes": []}]}))
        assert "axis" in bad[0]["message"], axis
    three = _props(api.patch(f"{path}/deep", {"variant_attribute_sets": [
        {"level": 1, "axes": ["color"], "attributes": []},
        {"level": 2, "axes": ["size"], "attributes": []},
        {"level": 3, "axes": ["waterproof"], "attributes": []}]}))
    assert three == {"variant_attribute_sets"}
    outside = _props(api.patch("/families/accessories/variants/acc_size", {
        "variant_attribute_sets": [{"level": 1, "axes": ["size"], "attributes": []}]}))
    assert outside == {"variant_attribute_sets"}
    assert _props(api.patch(f"{path}/empty", {"labels": {}})) == {"variant_attribute_sets"}
    assert api.patch("/families/ghost/variants/x", {}).status_code == 404
    mismatch = api.patch(f"{path}/shoes_size", {"family": "shirts"})
    assert mismatch.status_code == 422


def test_boolean_and_metric_axes_are_allowed(api: Api) -> None:
    response = api.patch("/families/shoes/variants/by_water_weight", {"variant_attribute_sets": [
        {"level": 1, "axes": ["waterproof", "weight"], "attributes": []}]})
    assert response.status_code == 201


def test_family_variant_batch(api: Api) -> None:
    lines = api.batch_lines("/families/shirts/variants", [
        {"code": "shirts_size", "labels": {"fr_FR": "Par taille"}},
        {"code": "shirts_color", "variant_attribute_sets": [
            {"level": 1, "axes": ["color"], "attributes": []}]}])
    assert [line["status_code"] for line in lines] == [204, 201]


# -- categories and association types --------------------------------------------------------
def test_category_rules(api: Api) -> None:
    created = api.patch("/categories/loafers", {"parent": "shoes", "labels": {"en_US": "L"}})
    assert created.status_code == 201
    category = api.get("/categories/loafers").json()
    assert category["parent"] == "shoes"
    assert category["updated"]
    parent = api.patch("/categories/x", {"parent": "nope"})
    assert parent.status_code == 422
    assert "nope" in parent.json()["message"]
    assert _props(api.patch("/categories/shoes", {"parent": "sneakers"})) == {"parent"}
    assert _props(api.patch("/categories/master", {"parent": "sales"})) == {"parent"}
    lines = api.batch_lines("/categories", [{"code": "c1", "parent": "sales"},
                                            {"code": "c2", "parent": "c1"},
                                            {"code": "c3", "parent": "ghost"}])
    assert [line["status_code"] for line in lines] == [201, 201, 422]


def test_association_type_flags_are_immutable(api: Api) -> None:
    assert api.patch("/association-types/SET", {"is_quantified": True}).status_code == 201
    assert api.get("/association-types/SET").json() == {
        "_links": {"self": {"href": f"{api.pim.url}/api/rest/v1/association-types/SET"}},
        "code": "SET", "labels": {}, "is_quantified": True, "is_two_way": False}
    assert _props(api.patch("/association-types/SET", {"is_quantified": False})) == {
        "is_quantified"}


# -- measurement families (JSON array batch) -------------------------------------------------
def test_measurement_family_json_array_batch(api: Api) -> None:
    body = [
        {"code": "Luminance", "labels": {"en_US": "Luminance"}, "standard_unit_code": "CD_M2",
         "units": {"CD_M2": {"code": "CD_M2", "labels": {"en_US": "cd/m²"}, "symbol": "cd/m²",
                             "convert_from_standard": [{"operator": "mul", "value": "1"}]}}},
        {"code": "Weight", "labels": {"fr_FR": "Poids"}},
        {"code": "Broken", "standard_unit_code": "A", "units": {}},
    ]
    response = api.session.patch(api.url("/measurement-families"), data=json.dumps(body),
                                 headers={"Content-Type": LIST}, timeout=5)
    assert response.status_code == 200
    lines = response.json()
    assert lines[0] == {"code": "Luminance", "status_code": 201}
    assert lines[1] == {"code": "Weight", "status_code": 204}
    assert lines[2]["code"] == "Broken"
    assert lines[2]["status_code"] == 422
    assert lines[2]["errors"]
    families = {f["code"]: f for f in api.get("/measurement-families").json()}
    assert families["Weight"]["labels"] == {"en_US": "Weight", "fr_FR": "Poids"}
    assert "Luminance" in families
    ndjson = api.batch("/measurement-families", [{"code": "X"}])
    assert ndjson.status_code == 415
    too_many = api.session.patch(api.url("/measurement-families"),
                                 data=json.dumps([{"code": f"m{i}"} for i in range(101)]),
                                 headers={"Content-Type": LIST}, timeout=5)
    assert too_many.status_code == 413
