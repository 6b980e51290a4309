"""A small hand-written catalog exercising every rule of the contract (our own data)."""

from __future__ import annotations

import copy


def _attr(code, type_, group="marketing", sort_order=0, **extra):
    base = {
        "code": code,
        "type": type_,
        "group": group,
        "labels": {"en_US": code.replace("_", " ").title()},
        "localizable": False,
        "scopable": False,
        "unique": False,
        "sort_order": sort_order,
        "available_locales": [],
        "max_characters": None,
        "wysiwyg_enabled": None,
        "decimals_allowed": None,
        "metric_family": None,
        "default_metric_unit": None,
        "reference_data_name": None,
    }
    base.update(extra)
    return base


CATALOG = {
    "locales": [
        {"code": "en_US", "enabled": True},
        {"code": "fr_FR", "enabled": True},
        {"code": "de_DE", "enabled": True},
        {"code": "currency", "enabled": True},
        {"code": "it_IT", "enabled": False},
    ],
    "currencies": [
        {"code": "EUR", "enabled": True, "label": "Euro"},
        {"code": "USD", "enabled": True, "label": "US dollar"},
        {"code": "GBP", "enabled": False, "label": "Pound"},
    ],
    "channels": [
        {"code": "ecommerce", "locales": ["en_US", "fr_FR"], "currencies": ["EUR", "USD"],
         "category_tree": "master", "labels": {"en_US": "E-commerce"}},
        {"code": "print", "locales": ["de_DE", "en_US"], "currencies": ["EUR"],
         "category_tree": "master", "labels": {"en_US": "Print"}},
        {"code": "unit", "locales": ["en_US", "currency"], "currencies": ["USD"],
         "category_tree": "suppliers", "labels": {"en_US": "Unit"}},
    ],
    "measurement_families": [
        {"code": "Weight", "standard_unit_code": "GRAM", "labels": {"en_US": "Weight"},
         "units": {"GRAM": {"code": "GRAM", "labels": {"en_US": "Gram"}, "symbol": "g"},
                   "KILOGRAM": {"code": "KILOGRAM", "labels": {"en_US": "Kilogram"},
                                "symbol": "kg"}}},
    ],
    "attribute_groups": [
        {"code": "technical", "sort_order": 2, "labels": {"en_US": "Technical"}},
        {"code": "marketing", "sort_order": 1, "labels": {"en_US": "Marketing"}},
        {"code": "internal", "sort_order": 3, "labels": {"en_US": "Internal"}},
        {"code": "empty_group", "sort_order": 4, "labels": {"en_US": "Nothing here"}},
    ],
    "attributes": [
        _attr("sku", "pim_catalog_identifier", group="technical", sort_order=0, unique=True),
        _attr("name", "pim_catalog_text", sort_order=1, localizable=True, max_characters=100),
        _attr("description", "pim_catalog_textarea", sort_order=2, localizable=True,
              scopable=True, wysiwyg_enabled=True),
        _attr("notes", "pim_catalog_textarea", group="internal", sort_order=1),
        _attr("erp_name", "pim_catalog_text", group="internal", sort_order=2),
        _attr("main_color", "pim_catalog_simpleselect", sort_order=3),
        _attr("materials", "pim_catalog_multiselect", sort_order=4),
        _attr("size", "pim_catalog_simpleselect", sort_order=5),
        _attr("weight", "pim_catalog_metric", group="technical", sort_order=1,
              metric_family="Weight", default_metric_unit="GRAM", decimals_allowed=True),
        _attr("height", "pim_catalog_metric", group="technical", sort_order=2, scopable=True,
              metric_family="Weight", default_metric_unit="KILOGRAM", decimals_allowed=False),
        _attr("price", "pim_catalog_price_collection", group="technical", sort_order=3,
              scopable=True, decimals_allowed=True),
        _attr("msrp", "pim_catalog_price", group="technical", sort_order=4,
              decimals_allowed=False),
        _attr("count", "pim_catalog_number", group="technical", sort_order=5,
              decimals_allowed=False),
        _attr("waterproof", "pim_catalog_boolean", group="technical", sort_order=6),
        _attr("release_date", "pim_catalog_date", sort_order=6),
        _attr("picture", "pim_catalog_image", sort_order=7),
        _attr("manual", "pim_catalog_file", sort_order=8),
        _attr("gallery", "pim_catalog_asset_collection", sort_order=9,
              reference_data_name="packshots"),
        _attr("brand", "akeneo_reference_entity", sort_order=10, reference_data_name="brands"),
        _attr("designers", "akeneo_reference_entity_collection", sort_order=11,
              reference_data_name="designers"),
        _attr("fabric", "pim_catalog_reference_data_simple_select", sort_order=12,
              reference_data_name="fabrics"),
        _attr("nutrition", "pim_catalog_table", group="technical", sort_order=7,
              table_configuration=[
                  {"code": "ingredient", "data_type": "select",
                   "options": [{"code": "salt"}, {"code": "sugar"}]},
                  {"code": "quantity", "data_type": "number"}]),
        _attr("related", "pim_catalog_product_link", sort_order=13),
        _attr("legal_fr", "pim_catalog_text", sort_order=14, localizable=True,
              available_locales=["fr_FR"]),
        _attr("legal_it", "pim_catalog_text", sort_order=15, localizable=True,
              available_locales=["it_IT"]),
        _attr("bad-code", "pim_catalog_text", sort_order=16),
    ],
    "attribute_options": [
        {"code": "red", "attribute": "main_color", "sort_order": 2, "labels": {"en_US": "Red"}},
        {"code": "blue", "attribute": "main_color", "sort_order": 1,
         "labels": {"en_US": "Blue"}},
        {"code": "wool", "attribute": "materials", "sort_order": 1, "labels": {"en_US": "Wool"}},
        {"code": "cotton", "attribute": "materials", "sort_order": 1,
         "labels": {"en_US": "Cotton"}},
        {"code": "s", "attribute": "size", "sort_order": 1, "labels": {"en_US": "S"}},
        {"code": "m", "attribute": "size", "sort_order": 2, "labels": {"en_US": "M"}},
    ],
    "families": [
        {"code": "shirts", "labels": {"en_US": "Shirts"}, "attribute_as_label": "name",
         "attributes": ["sku", "name", "main_color", "size", "price", "erp_name", "description"],
         "attribute_requirements": {"ecommerce": ["sku", "name"], "print": ["sku"],
                                    "unit": ["sku"]}},
        {"code": "mugs", "labels": {"en_US": "Mugs"}, "attribute_as_label": "name",
         "attributes": ["sku", "name", "weight", "materials"],
         "attribute_requirements": {"ecommerce": ["sku"]}},
    ],
    "family_variants": [
        {"code": "shirts_by_color_size", "family": "shirts",
         "labels": {"en_US": "Shirts by color and size"},
         "variant_attribute_sets": [
             {"level": 2, "axes": ["size"], "attributes": ["sku", "size"]},
             {"level": 1, "axes": ["main_color"], "attributes": ["main_color"]}]},
    ],
    "categories": [
        {"code": "master", "parent": None, "labels": {"en_US": "Master"}},
        {"code": "suppliers", "parent": None, "labels": {"en_US": "Suppliers"}},
        {"code": "clothes", "parent": "master", "labels": {"en_US": "Clothes"}},
        {"code": "shirts_cat", "parent": "clothes", "labels": {"en_US": "Shirts"}},
        {"code": "kitchen", "parent": "master", "labels": {"en_US": "Kitchen"}},
        {"code": "acme", "parent": "suppliers", "labels": {"en_US": "Acme"}},
    ],
    "reference_entities": [{"code": "brands", "labels": {"en_US": "Brands"}},
                           {"code": "designers", "labels": {"en_US": "Designers"}}],
    "reference_entity_records": [
        {"code": "kartell", "reference_entity": "brands",
         "values": {"label": [{"locale": "en_US", "channel": None, "data": "Kartell"}]}},
        {"code": "acme", "reference_entity": "brands", "values": {}},
        {"code": "starck", "reference_entity": "designers",
         "values": {"label": [{"locale": "fr_FR", "channel": None, "data": "Starck"}]}},
    ],
    "asset_families": [{"code": "packshots", "labels": {"en_US": "Packshots"}}],
}


def catalog() -> dict:
    """A fresh deep copy of the catalog, safe to change in a test."""
    return copy.deepcopy(CATALOG)
