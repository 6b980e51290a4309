"""build_project: every rule of the contract §1 and §3-§5 on a small hand-written catalog."""

from __future__ import annotations

import json

import pytest
from sdm_transform.catalog import CatalogError, load_catalog_dir
from sdm_transform.fields import FieldTable
from sdm_transform.project import build_project

from .catalog_data import catalog


def build(settings=None, steps=None, data=None):
    project, counts = build_project(data if data is not None else catalog(), settings or {},
                                    steps or {}, synced_at="2026-11-29T08:00:00Z")
    return project, counts


def fields_by_name(project):
    return {f["name"]: f for f in project["fields"]}


def warnings_text(project):
    return "\n".join(w["message"] for w in project["warnings"])


# §1 field names -----------------------------------------------------------------------------


def test_field_names_follow_the_grammar_for_every_kind_of_attribute():
    names = set(fields_by_name(build()[0]))
    assert "sku" in names
    assert {"name-en_US", "name-fr_FR", "name-de_DE", "name-currency"} <= names
    assert {"description-ecommerce-en_US", "description-ecommerce-fr_FR",
            "description-print-de_DE", "description-print-en_US", "description-unit-en_US",
            "description-unit-currency"} <= names
    # a channel's locales only: no description-ecommerce-de_DE
    assert "description-ecommerce-de_DE" not in names
    assert {"price-ecommerce", "price-print", "price-unit"} <= names


def test_channel_unit_and_locale_currency_names_parse_back_through_the_table():
    project, _ = build()
    table = FieldTable.from_project(project)
    amount = table.resolve("height-unit")
    unit = table.resolve("height-unit-unit")
    assert (amount.attribute, amount.channel, amount.companion) == ("height", "unit", None)
    assert (unit.attribute, unit.channel, unit.companion) == ("height", "unit", "unit")
    plain_unit = table.resolve("weight-unit")
    assert (plain_unit.channel, plain_unit.companion) == (None, "unit")
    name = table.resolve("name-currency")
    assert (name.attribute, name.locale, name.companion) == ("name", "currency", None)
    for field in project["fields"]:
        ref = table.resolve(field["name"])
        assert (ref.attribute, ref.channel, ref.locale, ref.companion) == (
            field["attribute"], field["channel"], field["locale"], field["companion"])


def test_targeted_channels_setting_limits_scopable_fields_and_locales():
    project, _ = build({"channels": ["ecommerce"]})
    names = set(fields_by_name(project))
    assert "price-ecommerce" in names
    assert "price-print" not in names
    assert project["locales"] == ["en_US", "fr_FR"]
    assert project["source"]["channels"] == ["ecommerce"]
    assert "name-de_DE" not in names


def test_locales_setting_narrows_activated_locales():
    project, _ = build({"locales": ["fr_FR", "de_DE"]})
    names = set(fields_by_name(project))
    assert {"name-fr_FR", "name-de_DE"} <= names
    assert "name-en_US" not in names
    assert {"description-ecommerce-fr_FR", "description-print-de_DE"} <= names
    assert "description-ecommerce-en_US" not in names
    assert project["locales"] == ["de_DE", "fr_FR"]


def test_unknown_channel_and_locale_settings_warn():
    project, _ = build({"channels": ["ecommerce", "nowhere"], "locales": ["de_DE"]})
    text = warnings_text(project)
    assert "channel 'nowhere'" in text
    assert "locale 'de_DE' of the setting locales is not activated" in text


def test_locale_specific_attribute_only_gets_its_locales_or_is_skipped():
    project, _ = build()
    names = set(fields_by_name(project))
    assert "legal_fr-fr_FR" in names
    assert not any(n.startswith("legal_fr-") and n != "legal_fr-fr_FR" for n in names)
    skipped = {s["attribute"]: s for s in project["skipped"]}
    assert skipped["legal_it"]["reason"] == "not_targeted"


def test_locale_specific_attribute_not_localizable():
    data = catalog()
    data["attributes"].append({"code": "it_notice", "type": "pim_catalog_text",
                               "group": "marketing", "available_locales": ["it_IT"]})
    data["attributes"].append({"code": "de_notice", "type": "pim_catalog_text",
                               "group": "marketing", "scopable": True,
                               "available_locales": ["de_DE"]})
    project, _ = build(data=data)
    names = set(fields_by_name(project))
    assert "it_notice" not in names
    assert {n for n in names if n.startswith("de_notice")} == {"de_notice-print"}
    skipped = {s["attribute"]: s for s in project["skipped"]}
    assert skipped["it_notice"] == {
        "attribute": "it_notice", "reason": "not_targeted",
        "message": "locale-specific attribute: none of its locales (it_IT) is targeted"}


def test_codes_holding_a_dash_are_refused_with_a_warning():
    data = catalog()
    data["channels"].append({"code": "web-shop", "locales": ["en_US"], "currencies": ["EUR"]})
    data["channels"][0]["locales"].append("en-GB")
    project, _ = build(data=data)
    names = set(fields_by_name(project))
    assert not any("web-shop" in n or "en-GB" in n for n in names)
    assert "bad-code" not in {f["attribute"] for f in project["fields"]}
    skipped = {s["attribute"]: s for s in project["skipped"]}
    assert skipped["bad-code"]["reason"] == "invalid_code"
    text = warnings_text(project)
    assert "channel 'web-shop' left out" in text
    assert "locale 'en-GB' of channel ecommerce left out" in text
    assert "attribute 'bad-code' left out" in text


# §3 project.json shape and ordering -------------------------------------------------------------


def test_field_entries_carry_every_contract_and_push_key():
    project, _ = build()
    required = {"name", "type", "attribute", "attribute_type", "channel", "locale",
                "display_group", "labels", "unique", "max_length", "options_collection",
                "multiple", "allow_new_options", "protected", "companion", "companion_of",
                "decimals_allowed", "default_metric_unit", "metric_family",
                "reference_data_name", "table_columns"}
    for field in project["fields"]:
        assert set(field) == required, field["name"]


def test_fields_are_ordered_by_group_then_attribute_sort_order_code_channel_locale():
    project, _ = build()
    order = [f["name"] for f in project["fields"]]
    # marketing (1) before technical (2); inside marketing name (1) before description (2)
    assert order.index("name-currency") < order.index("description-ecommerce-en_US")
    assert order.index("release_date") < order.index("sku")
    assert order[:4] == ["name-currency", "name-de_DE", "name-en_US", "name-fr_FR"]
    assert order[order.index("height-ecommerce"):order.index("height-ecommerce") + 6] == [
        "height-ecommerce", "height-ecommerce-unit", "height-print", "height-print-unit",
        "height-unit", "height-unit-unit"]


def test_two_builds_differ_only_in_synced_at():
    first, _ = build_project(catalog(), {}, {}, synced_at="a")
    data = catalog()
    for stream in data.values():
        stream.reverse()
    second, _ = build_project(data, {}, {}, synced_at="b")
    first["source"]["synced_at"] = second["source"]["synced_at"] = None
    # categories keep the PIM's tree order (children under their parent), compare the rest
    first_cats = first["hierarchies"].pop("categories")
    second_cats = second["hierarchies"].pop("categories")
    assert json.dumps(first, sort_keys=False) == json.dumps(second, sort_keys=False)
    assert sorted(c["code"] for c in first_cats) == sorted(c["code"] for c in second_cats)


def test_max_length_rules():
    fields = fields_by_name(build()[0])
    assert fields["sku"]["max_length"] == 255
    assert fields["sku"]["unique"] is True
    assert fields["name-en_US"]["max_length"] == 100
    assert fields["notes"]["max_length"] == 65535
    assert fields["erp_name"]["max_length"] == 255
    assert fields["count"]["max_length"] is None


def test_display_groups_are_the_used_attribute_groups_in_sort_order():
    project, _ = build()
    assert [g["code"] for g in project["display_groups"]] == ["marketing", "technical",
                                                              "internal"]
    assert project["display_groups"][0] == {"code": "marketing",
                                            "labels": {"en_US": "Marketing"}, "sort_order": 1}


def test_families_hierarchy_with_variants_and_requirements_of_targeted_channels():
    project, _ = build({"channels": ["ecommerce"]})
    families = {f["code"]: f for f in project["hierarchies"]["families"]}
    shirts = families["shirts"]
    assert shirts["attribute_as_label"] == "name"
    assert shirts["requirements"] == {"ecommerce": ["name", "sku"]}
    assert shirts["variants"] == [{
        "code": "shirts_by_color_size", "labels": {"en_US": "Shirts by color and size"},
        "levels": [{"level": 1, "axes": ["main_color"], "attributes": ["main_color"]},
                   {"level": 2, "axes": ["size"], "attributes": ["size", "sku"]}]}]
    assert families["mugs"]["variants"] == []


def test_categories_in_one_hierarchy_parents_first():
    project, counts = build()
    categories = project["hierarchies"]["categories"]
    assert [c["code"] for c in categories] == ["master", "clothes", "shirts_cat", "kitchen",
                                               "suppliers", "acme"]
    assert categories[1] == {"code": "clothes", "parent": "master",
                             "labels": {"en_US": "Clothes"}}
    assert counts["categories"] == 6


def test_split_categories_gives_one_hierarchy_per_tree():
    project, _ = build({"split_categories": True})
    hierarchies = project["hierarchies"]
    assert "categories" not in hierarchies
    assert [c["code"] for c in hierarchies["categories-master"]] == ["master", "clothes",
                                                                     "shirts_cat", "kitchen"]
    assert [c["code"] for c in hierarchies["categories-suppliers"]] == ["suppliers", "acme"]


def test_orphan_category_is_kept_with_a_warning():
    data = catalog()
    data["categories"].append({"code": "lost", "parent": "gone", "labels": {}})
    project, _ = build(data=data)
    assert {"code": "lost", "parent": None, "labels": {}} in project["hierarchies"]["categories"]
    assert "category 'lost': parent 'gone' is unknown" in warnings_text(project)


def test_source_and_counts():
    project, counts = build({"pim_url": "https://pim.example.com", "families": ["mugs"]})
    assert project["format_version"] == 1
    assert project["source"] == {"pim_url": "https://pim.example.com",
                                 "synced_at": "2026-11-29T08:00:00Z",
                                 "channels": ["ecommerce", "print", "unit"],
                                 "locales": ["currency", "de_DE", "en_US", "fr_FR"],
                                 "families": ["mugs"]}
    assert counts["attributes"] == len(catalog()["attributes"])
    assert counts["fields"] == len(project["fields"])
    assert counts["families"] == 1


# §4 types ---------------------------------------------------------------------------------------


def test_type_mapping_of_every_supported_type():
    fields = fields_by_name(build()[0])
    expected = {
        "sku": ("string", False), "name-en_US": ("string", False),
        "description-ecommerce-en_US": ("html", False), "notes": ("string", False),
        "count": ("number", False), "waterproof": ("boolean", False),
        "release_date": ("date", False), "main_color": ("select", False),
        "materials": ("select", True), "weight": ("number", False),
        "weight-unit": ("select", False), "price-print": ("number", False),
        "price-print-currency": ("select", False), "picture": ("media", False),
        "manual": ("media", False), "gallery": ("media", True), "brand": ("select", False),
        "designers": ("select", True), "fabric": ("select", False), "nutrition": ("table", False),
    }
    for name, (sdm_type, multiple) in expected.items():
        assert (fields[name]["type"], fields[name]["multiple"]) == (sdm_type, multiple), name


def test_alternative_type_spellings_are_normalized():
    fields = fields_by_name(build()[0])
    assert fields["msrp"]["attribute_type"] == "pim_catalog_price_collection"
    assert fields["msrp-currency"]["companion"] == "currency"
    assert fields["fabric"]["attribute_type"] == "pim_reference_data_simpleselect"


def test_unsupported_types_are_skipped_with_the_reason():
    project, _ = build()
    skipped = {s["attribute"]: s for s in project["skipped"]}
    assert skipped["related"] == {
        "attribute": "related", "reason": "unsupported_type",
        "message": "attribute type pim_catalog_product_link is not supported"}
    assert "related" not in {f["attribute"] for f in project["fields"]}


def test_select_options_collection_named_after_the_attribute_in_sort_order():
    project, _ = build()
    fields = fields_by_name(project)
    assert fields["main_color"]["options_collection"] == "main_color"
    assert project["options_collections"]["main_color"] == [
        {"code": "blue", "labels": {"en_US": "Blue"}}, {"code": "red", "labels": {"en_US": "Red"}}]
    assert [o["code"] for o in project["options_collections"]["materials"]] == ["cotton", "wool"]


def test_metric_companion_holds_the_units_of_the_measurement_family():
    project, _ = build()
    fields = fields_by_name(project)
    unit = fields["weight-unit"]
    assert unit["companion"] == "unit"
    assert unit["companion_of"] == "weight"
    assert unit["options_collection"] == "weight-unit"
    assert unit["labels"] == {"en_US": "Weight (unit)"}
    assert [o["code"] for o in project["options_collections"]["weight-unit"]] == ["GRAM",
                                                                                 "KILOGRAM"]
    weight = fields["weight"]
    assert (weight["metric_family"], weight["default_metric_unit"], weight["decimals_allowed"]) \
        == ("Weight", "GRAM", True)
    assert fields["height-print"]["decimals_allowed"] is False


def test_price_currencies_are_the_channels_for_scopable_else_the_enabled_ones():
    project, _ = build()
    collections = project["options_collections"]
    assert [o["code"] for o in collections["price-ecommerce-currency"]] == ["EUR", "USD"]
    assert [o["code"] for o in collections["price-print-currency"]] == ["EUR"]
    assert [o["code"] for o in collections["price-unit-currency"]] == ["USD"]
    # not scopable: the PIM's enabled currencies (GBP is disabled)
    assert [o["code"] for o in collections["msrp-currency"]] == ["EUR", "USD"]
    assert collections["msrp-currency"][0]["labels"] == {"en_US": "Euro"}


def test_reference_entity_records_become_options():
    project, _ = build()
    fields = fields_by_name(project)
    assert fields["brand"]["reference_data_name"] == "brands"
    assert project["options_collections"]["brand"] == [
        {"code": "acme", "labels": {}}, {"code": "kartell", "labels": {"en_US": "Kartell"}}]
    assert project["options_collections"]["designers"] == [
        {"code": "starck", "labels": {"fr_FR": "Starck"}}]
    assert fields["gallery"]["reference_data_name"] == "packshots"
    assert fields["gallery"]["options_collection"] is None


def test_reference_data_without_options_warns():
    project, _ = build()
    assert project["options_collections"]["fabric"] == []
    assert "reference data attribute fabric: no options were read" in warnings_text(project)
    data = catalog()
    data["attribute_options"].append({"code": "silk", "attribute": "fabric", "sort_order": 1})
    project, _ = build(data=data)
    assert project["options_collections"]["fabric"] == [{"code": "silk", "labels": {}}]
    assert "fabric" not in warnings_text(project)


def test_table_columns():
    fields = fields_by_name(build()[0])
    assert fields["nutrition"]["table_columns"] == [
        {"code": "ingredient", "data_type": "select", "options": ["salt", "sugar"]},
        {"code": "quantity", "data_type": "number", "options": None}]
    assert fields["sku"]["table_columns"] is None


# §5 exclusions, protection, new options, added fields ----------------------------------------


def test_excluded_attributes_and_groups_are_listed_with_the_reason():
    project, _ = build({"excluded_attributes": ["count"],
                        "excluded_attribute_groups": ["internal"]})
    excluded = {e["attribute"]: e for e in project["excluded"]}
    assert excluded["count"] == {"attribute": "count", "reason": "excluded_attributes",
                                 "message": "excluded by the setting excluded_attributes"}
    assert excluded["notes"]["reason"] == "excluded_attribute_groups"
    assert excluded["erp_name"]["reason"] == "excluded_attribute_groups"
    names = {f["attribute"] for f in project["fields"]}
    assert not {"count", "notes", "erp_name"} & names
    assert "internal" not in [g["code"] for g in project["display_groups"]]


def test_unknown_excluded_codes_warn():
    project, _ = build({"excluded_attributes": ["ghost"], "excluded_attribute_groups": ["nope"]})
    text = warnings_text(project)
    assert "attribute 'ghost' of the setting excluded_attributes does not exist" in text
    assert "attribute group 'nope'" in text


def test_identifier_and_variant_axes_are_protected_and_cannot_be_excluded():
    project, _ = build({"excluded_attributes": ["sku", "size", "main_color"]})
    fields = fields_by_name(project)
    assert fields["sku"]["protected"] == "identifier"
    assert fields["size"]["protected"] == "variant_axis"
    assert fields["main_color"]["protected"] == "variant_axis"
    assert project["excluded"] == []
    text = warnings_text(project)
    assert "attribute sku cannot be excluded (excluded_attributes): it is the identifier" in text
    assert "attribute size cannot be excluded" in text


def test_variant_axes_of_untargeted_families_are_not_protected():
    project, _ = build({"families": ["mugs"], "excluded_attributes": ["size"]})
    assert "size" in {e["attribute"] for e in project["excluded"]}


def test_ai_sources_and_dependency_triggers_from_steps_are_protected():
    steps = {
        "ai.json": {"name": "ai-extraction", "type": "extraction",
                    "sources": ["description-print-de_DE", "erp_name"]},
        "deps.json": {"name": "deps", "type": "dependency",
                      "rules": [{"when": {"field": "count", "equals": 1},
                                 "then": {"show": ["materials"]}}]},
    }
    project, _ = build({"excluded_attributes": ["description", "erp_name", "count"],
                        "channels": ["ecommerce"]}, steps)
    fields = fields_by_name(project)
    # resolved against every channel of the PIM, not only the targeted ones
    assert fields["description-ecommerce-en_US"]["protected"] == "ai_source"
    assert fields["erp_name"]["protected"] == "ai_source"
    assert fields["count"]["protected"] == "dependency_trigger"
    assert fields["materials"]["protected"] is None
    assert project["excluded"] == []


def test_protection_reason_is_the_first_that_applies():
    steps = {"s.json": {"sources": ["sku", "main_color"],
                        "rules": [{"when": {"field": "main_color"}}, {"when": {"field": "sku"}}]}}
    fields = fields_by_name(build({}, steps)[0])
    assert fields["sku"]["protected"] == "identifier"
    assert fields["main_color"]["protected"] == "variant_axis"


def test_step_naming_an_unknown_field_warns_and_bad_steps_are_tolerated():
    steps = {"a.json": {"sources": ["ghost-field", 3], "rules": "oops"},
             "b.json": [{"rules": [{"when": {"field": "waterproof"}}, {"when": {}}]}, "junk"]}
    project, _ = build({"excluded_attributes": ["waterproof"]}, steps)
    text = warnings_text(project)
    assert "field 'ghost-field' is not a field" in text
    assert "source 3 is not a field name" in text
    assert "`rules` is not a list" in text
    assert fields_by_name(project)["waterproof"]["protected"] == "dependency_trigger"


def test_families_setting_excludes_attributes_used_by_none_of_them():
    steps = {"a.json": {"sources": ["count"]}}
    project, counts = build({"families": ["mugs", "ghost"]}, steps)
    excluded = {e["attribute"]: e for e in project["excluded"]}
    assert excluded["price"]["reason"] == "families"
    assert excluded["price"]["message"] == "used by none of the targeted families"
    names = {f["attribute"] for f in project["fields"]}
    assert {"sku", "name", "weight", "materials"} <= names
    assert "count" in names  # protected (AI source): stays, with a warning
    text = warnings_text(project)
    assert "attribute count cannot be excluded (families)" in text
    assert "family 'ghost' of the setting families does not exist" in text
    assert [f["code"] for f in project["hierarchies"]["families"]] == ["mugs"]
    assert counts["families"] == 1


def test_allow_new_options_only_for_option_types():
    project, _ = build({"allow_new_options": ["main_color", "brand", "designers", "nutrition",
                                              "materials", "weight", "name", "ghost"]})
    fields = fields_by_name(project)
    for name in ["main_color", "brand", "designers", "nutrition", "materials"]:
        assert fields[name]["allow_new_options"] is True, name
    assert fields["size"]["allow_new_options"] is False
    assert fields["weight"]["allow_new_options"] is False
    assert fields["weight-unit"]["allow_new_options"] is False
    text = warnings_text(project)
    assert "allow_new_options refused for attribute weight: its type pim_catalog_metric" in text
    assert "allow_new_options refused for attribute name: its type pim_catalog_text" in text
    assert "attribute 'ghost' of the setting allow_new_options does not exist" in text


def test_added_fields_are_kept_and_bad_ones_refused():
    project, _ = build({"added_fields": [
        "erp_code", {"name": "supplier_note", "type": "html", "labels": {"en_US": "Note"}},
        {"name": "sku"}, {"type": "string"}, {"name": "x", "type": "weird"}, "erp_code"]})
    assert project["added_fields"] == [
        {"name": "erp_code", "type": "string", "labels": {}, "multiple": False},
        {"name": "supplier_note", "type": "html", "labels": {"en_US": "Note"}, "multiple": False}]
    text = warnings_text(project)
    assert "'sku': a PIM field has this name" in text
    assert "added_fields[3]" in text
    assert "unknown type 'weird'" in text
    assert "declared twice" in text
    assert "erp_code" not in {f["name"] for f in project["fields"]}


def test_step_naming_an_added_field_does_not_warn():
    project, _ = build({"added_fields": ["erp_code"]}, {"a.json": {"sources": ["erp_code"]}})
    assert "erp_code" not in warnings_text(project)


def test_settings_can_come_as_env_strings():
    project, _ = build({"channels": '["print"]', "excluded_attributes": "count, waterproof",
                        "split_categories": "true"})
    assert project["source"]["channels"] == ["print"]
    assert {e["attribute"] for e in project["excluded"]} == {"count", "waterproof"}
    assert "categories-master" in project["hierarchies"]


def test_bad_settings_name_the_setting():
    from sdm_transform.settings import SettingsError

    with pytest.raises(SettingsError, match=r"setting channels\[1\]"):
        build({"channels": ["ok", 3]})
    with pytest.raises(SettingsError, match="setting split_categories"):
        build({"split_categories": "maybe"})
    with pytest.raises(SettingsError, match="setting locales"):
        build({"locales": 7})


def test_empty_catalog_gives_an_empty_project():
    project, counts = build_project({}, {}, {}, synced_at="t")
    assert project["fields"] == []
    assert project["hierarchies"] == {"families": [], "categories": []}
    assert counts["attributes"] == 0


def test_load_catalog_dir(tmp_path):
    data = catalog()
    for stream in ("attributes", "channels"):
        (tmp_path / f"{stream}.json").write_text(json.dumps(data[stream]))
    base = tmp_path / "base"
    base.mkdir()
    (base / "locales.json").write_text(json.dumps(data["locales"]))
    (base / "channels.json").write_text("[]")
    loaded = load_catalog_dir(tmp_path, base)
    assert loaded["attributes"] == data["attributes"]
    assert loaded["channels"] == data["channels"]
    assert loaded["locales"] == data["locales"]
    assert "families" not in loaded
    (tmp_path / "families.json").write_text("{not json")
    with pytest.raises(CatalogError, match=r"families\.json"):
        load_catalog_dir(tmp_path)
    with pytest.raises(CatalogError, match="does not exist"):
        load_catalog_dir(tmp_path / "nope")
