"""Variant rows: each value goes to the level owning it in the family variant (contract §6-§7)."""

from __future__ import annotations

from tests.target.conftest import product, value


def model(api, code):
    return api.get_json_or_none(f"/api/rest/v1/product-models/{code}")


def test_values_routed_to_their_level(pim, workspace, push, api):
    workspace.job("j", [{
        "sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white",
        "name-en_US": "Organic tee v2",          # root model (level 0)
        "variation_name-en_US": "Snow white",     # sub model (level 1)
        "weight": "0.21",                          # variant product (level 2)
        "size": "s",
    }])
    report = push(pim, "j")
    assert report["counts"] == {**report["counts"], "rows": 1, "updated": 1, "failed": 0}
    assert report["skipped_values"] == []
    root = model(api, "tee_organic")
    sub = model(api, "tee_organic_white")
    assert value(root, "name", locale="en_US") == "Organic tee v2"
    assert value(sub, "variation_name", locale="en_US") == "Snow white"
    assert "weight" not in root["values"] and "weight" not in sub["values"]
    variant = product(api, "KH-TEE-WHITE-S")
    assert float(value(variant, "weight")["amount"]) == 0.21
    assert variant["parent"] == "tee_organic_white"
    # one root value + one sub value + two product values
    assert report["counts"]["values_sent"] == 4


def test_new_model_tree_pushed_in_order(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-TEE-SAGE-M", "parent": "tee_new_sage", "size": "m", "weight": "0.2"},
        {"_type": "product_model", "code": "tee_new_sage", "parent": "tee_new",
         "main_color": "sage", "variation_name-en_US": "Sage"},
        {"_type": "product_model", "code": "tee_new", "family": "tshirts",
         "family_variant": "tshirts_color_size", "name-en_US": "New tee",
         "categories": ["apparel_tshirts"]},
    ])
    pim.reset_stats()
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert report["counts"]["created"] == 3
    assert value(model(api, "tee_new"), "name", locale="en_US") == "New tee"
    sub = model(api, "tee_new_sage")
    assert sub["parent"] == "tee_new" and value(sub, "main_color") == "sage"
    assert product(api, "KH-TEE-SAGE-M")["parent"] == "tee_new_sage"
    writes = [(e["method"], e["path"]) for e in pim.request_log() if e["method"] == "PATCH"]
    assert writes == [
        ("PATCH", "/api/rest/v1/product-models"),  # root models
        ("PATCH", "/api/rest/v1/product-models"),  # sub models
        ("PATCH", "/api/rest/v1/products"),
    ]


def test_one_level_variant_and_new_variant(pim, workspace, push, api):
    workspace.job("j", [{
        "sku": "KH-LAMP-ARC-WHITE", "parent": "lamp_arc", "main_color": "white",
        "power": "60", "ean": "4006381333122",
    }])
    report = push(pim, "j")
    assert report["counts"]["created"] == 1, report["failures"]
    assert value(model(api, "lamp_arc"), "power") == {"amount": 60, "unit": "WATT"}
    lamp = product(api, "KH-LAMP-ARC-WHITE")
    assert lamp["parent"] == "lamp_arc" and value(lamp, "main_color") == "white"


def test_model_row_values_of_lower_levels_are_refused(pim, workspace, push, api):
    workspace.job("j", [
        {"_type": "product_model", "code": "tee_organic", "size": "m",
         "name-en_US": "Tee, renamed"},
    ])
    report = push(pim, "j")
    assert report["counts"]["updated"] == 1, report["failures"]
    [skip] = report["skipped_values"]
    assert skip["field"] == "size" and skip["row"] == 1
    assert "belongs to level 2 of family variant tshirts_color_size" in skip["reason"]
    assert value(model(api, "tee_organic"), "name", locale="en_US") == "Tee, renamed"


def test_model_row_wins_over_variant_rows(pim, workspace, push, api):
    workspace.job("j", [
        {"_type": "product_model", "code": "lamp_arc", "name-en_US": "Arc lamp (model row)"},
        {"sku": "KH-LAMP-ARC-BLACK", "parent": "lamp_arc", "name-en_US": "Arc from variant 1"},
        {"sku": "KH-LAMP-ARC-BRASS", "parent": "lamp_arc", "name-en_US": "Arc from variant 2",
         "power": "40"},
        {"sku": "KH-KET-RETRO-RED-C", "parent": "kettle_retro", "power": "1800"},
        {"sku": "KH-KET-RETRO-RED-W", "parent": "kettle_retro", "power": "2000"},
    ])
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    lamp = model(api, "lamp_arc")
    assert value(lamp, "name", locale="en_US") == "Arc lamp (model row)"
    assert value(lamp, "power") == {"amount": 40, "unit": "WATT"}
    overruled = {(s["row"], s["field"]): s["reason"] for s in report["skipped_values"]}
    assert set(overruled) == {(2, "name-en_US"), (3, "name-en_US"), (4, "power")}
    assert "the model's own row wins" in overruled[(3, "name-en_US")]
    assert "later row 5" in overruled[(4, "power")]
    assert value(model(api, "kettle_retro"), "power") == {"amount": 2000, "unit": "WATT"}
    warnings = {w["row"]: w["message"] for w in report["warnings"]}
    assert "row 4" in warnings[5] and "row 2" in warnings[3]


def test_unknown_parent_fails_the_row(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-ORPHAN", "parent": "no_such_model", "size": "m"},
        {"sku": "KH-MUG-001", "name-en_US": "still pushed"},
    ])
    report = push(pim, "j")
    [failure] = report["failures"]
    assert failure["row"] == 1 and failure["id"] == "KH-ORPHAN"
    assert "unknown parent product model 'no_such_model'" in failure["errors"][0]["message"]
    assert product(api, "KH-ORPHAN") is None
    assert value(product(api, "KH-MUG-001"), "name", locale="en_US") == "still pushed"


def test_routed_value_left_out_names_the_variant_row(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-LAMP-ARC-BLACK", "parent": "lamp_arc", "energy_class": "z",
         "bulb_count": 2},
        {"sku": "KH-LAMP-ARC-BRASS", "parent": "lamp_arc", "name-fr_FR": "Lampe arc"},
    ])
    report = push(pim, "j")
    assert report["counts"]["updated"] == 2, report["failures"]
    assert report["skipped_values"] == [{
        "row": 1, "id": "KH-LAMP-ARC-BLACK", "field": "energy_class",
        "reason": "unknown option 'z' for attribute energy_class (not in allow_new_options)"}]
    lamp = model(api, "lamp_arc")
    assert value(lamp, "bulb_count") == 2
    assert value(lamp, "name", locale="fr_FR") == "Lampe arc"


def test_model_refused_reports_routed_values(pim, workspace, push, api):
    workspace.job("j", [
        # a sub model without its axis value (main_color): the PIM refuses it
        {"_type": "product_model", "code": "tee_no_axis", "parent": "tee_organic",
         "variation_name-en_US": "never written"},
        {"sku": "KH-TEE-NOAXIS-M", "parent": "tee_no_axis", "size": "m",
         "variation_image": "assets/x.png", "variation_name-fr_FR": "jamais"},
        {"sku": "KH-MUG-001", "name-en_US": "still written"},
    ], files={"assets/x.png": b"\x89PNG\r\n\x1a\n" + bytes(32)})
    report = push(pim, "j")
    failures = {f["row"]: f for f in report["failures"]}
    assert set(failures) == {1, 2}, report["failures"]
    assert failures[1]["status"] == 422 and failures[1]["id"] == "tee_no_axis"
    skipped = {(s["row"], s["id"], s["field"]): s["reason"] for s in report["skipped_values"]}
    assert "which the PIM refused" in skipped[(2, "KH-TEE-NOAXIS-M", "variation_name-fr_FR")]
    assert "was not written" in skipped[(2, "KH-TEE-NOAXIS-M", "variation_image")]
    assert value(product(api, "KH-MUG-001"), "name", locale="en_US") == "still written"


def test_a_variant_row_without_parent_is_routed_by_the_pims_parent(pim, workspace, push, api):
    """SDM rows of existing variant products may omit `parent`: sent as a simple product,
    the model-level values would make Akeneo refuse the whole row."""
    workspace.job("noparent", [
        {"sku": "KH-TEE-WHITE-S", "family": "tshirts", "ean": "4006381333000",
         "variation_name-en_US": "White, from a row without parent",
         "name-en_US": "Organic tee (row without parent)"},
        {"sku": "KH-TEE-WHITE-M", "family": "tshirts", "parent": "tee_organic_white",
         "ean": "4006381333001"},
        {"sku": "KH-TEE-WHITE-M", "family": "tshirts", "ean": "4006381333002"},  # job's parent
        {"sku": "NEW-TEE-SIMPLE", "family": "tshirts", "name-en_US": "A simple tee"},
        {"sku": "KH-TEE-NAVY-L", "family": "tshirts", "ean": "4006381333003"},  # waits...
        {"sku": "KH-TEE-NAVY-L", "ean": "4006381333004"},  # ...and so does its later row
    ])
    report = push(pim, "noparent")
    assert report["failures"] == [], report["failures"]
    assert report["counts"]["created"] == 1 and report["counts"]["updated"] == 5
    assert value(product(api, "KH-TEE-NAVY-L"), "ean") == "4006381333004"  # file order kept
    variant = product(api, "KH-TEE-WHITE-S")
    assert variant["parent"] == "tee_organic_white" and value(variant, "ean") == "4006381333000"
    sub = model(api, "tee_organic_white")
    assert value(sub, "variation_name", locale="en_US") == "White, from a row without parent"
    assert value(model(api, "tee_organic"), "name", locale="en_US") == (
        "Organic tee (row without parent)")
    assert value(product(api, "KH-TEE-WHITE-M"), "ean") == "4006381333002"
    simple = product(api, "NEW-TEE-SIMPLE")
    assert simple["parent"] is None and value(simple, "name", locale="en_US") == "A simple tee"
