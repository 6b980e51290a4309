"""JSON schemas of the tap's streams, in Akeneo's own JSON shape (without ``_links``).

Fields are listed as Akeneo documents them, including those only some versions or editions send
(they are nullable). Maps keyed by data (labels by locale, ``values`` by attribute code) are open
objects whose entries are typed.
"""

from __future__ import annotations

from typing import Any

from singer_sdk import typing as th

__all__ = ["SCHEMAS"]

Str = th.StringType
Bool = th.BooleanType
Int = th.IntegerType
DateTime = th.DateTimeType


def _prop(name: str, wrapped: Any, *, required: bool = False) -> th.Property:
    return th.Property(name, wrapped, required=required)


def _code() -> th.Property:
    return th.Property("code", Str, required=True, description="Akeneo code (key)")


def _strings(name: str) -> th.Property:
    """An array of codes."""
    return _prop(name, th.ArrayType(Str))


def _str_map(name: str) -> th.Property:
    """A map of strings, e.g. labels keyed by locale code."""
    return _prop(name, th.ObjectType(additional_properties=th.CustomType({"type": ["string",
                                                                                     "null"]})))


ANY_JSON = th.CustomType(
    {"type": ["string", "number", "integer", "boolean", "array", "object", "null"]}
)
"""Any JSON value, with its types spelled out (an empty schema defeats type detection)."""


def _open(name: str) -> th.Property:
    """An object whose keys are data (documented shape varies by version)."""
    return _prop(name, th.ObjectType(additional_properties=True))


def _open_list(name: str) -> th.Property:
    return _prop(name, th.ArrayType(th.ObjectType(additional_properties=True)))


def _values(name: str, scope_key: str) -> th.Property:
    """Akeneo ``values``: attribute code -> [{locale, scope|channel, data, ...}]."""
    entry = th.ObjectType(
        th.Property("locale", Str),
        th.Property(scope_key, Str),
        th.Property("data", ANY_JSON),
        additional_properties=True,
    )
    return _prop(name, th.ObjectType(additional_properties=th.ArrayType(entry)))


def _associations() -> list[th.Property]:
    assoc = th.ObjectType(
        th.Property("products", th.ArrayType(th.CustomType({"type": ["string", "null"]}))),
        th.Property("product_models", th.ArrayType(Str)),
        th.Property("groups", th.ArrayType(Str)),
        additional_properties=True,
    )
    quantified_link = th.ObjectType(
        th.Property("uuid", Str),
        th.Property("identifier", Str),
        th.Property("code", Str),
        th.Property("quantity", Int),
        additional_properties=True,
    )
    quantified = th.ObjectType(
        th.Property("products", th.ArrayType(quantified_link)),
        th.Property("product_models", th.ArrayType(quantified_link)),
        additional_properties=True,
    )
    return [
        _prop("associations", th.ObjectType(additional_properties=assoc)),
        _prop("quantified_associations", th.ObjectType(additional_properties=quantified)),
    ]


def _scores(name: str) -> th.Property:
    entry = th.ObjectType(
        th.Property("scope", Str),
        th.Property("locale", Str),
        th.Property("data", th.CustomType({"type": ["string", "integer", "number", "null"]})),
        additional_properties=True,
    )
    return _prop(name, th.ArrayType(entry))


def _schema(*properties: th.Property) -> dict[str, Any]:
    return th.PropertiesList(*properties).to_dict()


CHANNELS = _schema(
    _code(),
    _strings("currencies"),
    _strings("locales"),
    _prop("category_tree", Str),
    _str_map("conversion_units"),
    _str_map("labels"),
)

LOCALES = _schema(
    _code(),
    _prop("enabled", Bool),
    _prop("enable", Bool),  # the spelling of some Akeneo documentation examples
)

CURRENCIES = _schema(_code(), _prop("enabled", Bool), _prop("label", Str))

_UNIT = th.ObjectType(
    th.Property("code", Str),
    th.Property("labels", th.ObjectType(additional_properties=Str)),
    th.Property(
        "convert_from_standard",
        th.ArrayType(
            th.ObjectType(
                th.Property("operator", Str),
                th.Property("value", th.CustomType({"type": ["string", "number"]})),
                additional_properties=True,
            )
        ),
    ),
    th.Property("symbol", Str),
    additional_properties=True,
)

MEASUREMENT_FAMILIES = _schema(
    _code(),
    _str_map("labels"),
    _prop("standard_unit_code", Str),
    _prop("units", th.ObjectType(additional_properties=_UNIT)),
)

ATTRIBUTE_GROUPS = _schema(
    _code(), _prop("sort_order", Int), _strings("attributes"), _str_map("labels")
)

ATTRIBUTES = _schema(
    _code(),
    _prop("type", Str),
    _prop("group", Str),
    _str_map("group_labels"),
    _str_map("labels"),
    _prop("sort_order", Int),
    _prop("localizable", Bool),
    _prop("scopable", Bool),
    _strings("available_locales"),
    _prop("unique", Bool),
    _prop("useable_as_grid_filter", Bool),
    _prop("max_characters", Int),
    _prop("validation_rule", Str),
    _prop("validation_regexp", Str),
    _prop("wysiwyg_enabled", Bool),
    _prop("number_min", Str),  # decimals travel as strings ("1.0000")
    _prop("number_max", Str),
    _prop("decimals_allowed", Bool),
    _prop("negative_allowed", Bool),
    _prop("metric_family", Str),
    _prop("default_metric_unit", Str),
    _prop("date_min", Str),
    _prop("date_max", Str),
    _strings("allowed_extensions"),
    _prop("max_file_size", Str),  # megabytes as a decimal string ("10.00")
    _prop("reference_data_name", Str),
    _prop("minimum_input_length", Int),
    _prop("default_value", Bool),  # boolean attributes (Akeneo 5+)
    _open_list("table_configuration"),
    _prop("is_main_identifier", Bool),
    _prop("is_mandatory", Bool),
    _prop("decimal_places_strategy", Str),
    _prop("decimal_places", Int),
    _prop("auto_option_sorting", Bool),
    _str_map("guidelines"),
)

ATTRIBUTE_OPTIONS = _schema(
    _code(),
    th.Property("attribute", Str, required=True, description="Code of the select attribute"),
    _prop("sort_order", Int),
    _str_map("labels"),
)

FAMILIES = _schema(
    _code(),
    _strings("attributes"),
    _prop("attribute_as_label", Str),
    _prop("attribute_as_image", Str),
    _prop("attribute_requirements", th.ObjectType(additional_properties=th.ArrayType(Str))),
    _str_map("labels"),
    _prop("parent", Str),
)

FAMILY_VARIANTS = _schema(
    _code(),
    th.Property("family", Str, required=True, description="Code of the parent family"),
    _str_map("labels"),
    _prop(
        "variant_attribute_sets",
        th.ArrayType(
            th.ObjectType(
                th.Property("level", Int),
                th.Property("axes", th.ArrayType(Str)),
                th.Property("attributes", th.ArrayType(Str)),
                additional_properties=True,
            )
        ),
    ),
)

CATEGORIES = _schema(
    _code(),
    _prop("parent", Str),
    _prop("updated", DateTime),
    _prop("position", Int),
    _str_map("labels"),
    _open("values"),
    _strings("channel_requirements"),
)

ASSOCIATION_TYPES = _schema(
    _code(), _str_map("labels"), _prop("is_quantified", Bool), _prop("is_two_way", Bool)
)

REFERENCE_ENTITIES = _schema(_code(), _str_map("labels"), _prop("image", Str))

REFERENCE_ENTITY_ATTRIBUTES = _schema(
    _code(),
    th.Property("reference_entity", Str, required=True, description="Parent entity code"),
    _str_map("labels"),
    _prop("type", Str),
    _prop("value_per_locale", Bool),
    _prop("value_per_channel", Bool),
    _prop("is_required_for_completeness", Bool),
    _prop("is_read_only", Bool),
    _prop("max_characters", Int),
    _prop("is_textarea", Bool),
    _prop("is_rich_text_editor", Bool),
    _prop("validation_rule", Str),
    _prop("validation_regexp", Str),
    _strings("allowed_extensions"),
    _prop("max_file_size", Str),
    _prop("decimals_allowed", Bool),
    _prop("min_value", Str),
    _prop("max_value", Str),
    _prop("reference_entity_code", Str),
    _prop("asset_family_identifier", Str),
)

REFERENCE_ENTITY_RECORDS = _schema(
    _code(),
    th.Property("reference_entity", Str, required=True, description="Parent entity code"),
    _values("values", "channel"),
    _prop("created", DateTime),
    _prop("updated", DateTime),
)

ASSET_FAMILIES = _schema(
    _code(),
    _str_map("labels"),
    _prop("attribute_as_main_media", Str),
    _open("naming_convention"),
    _open_list("product_link_rules"),
    _open_list("transformations"),
    _prop("sharing_enabled", Bool),
)

PRODUCTS = _schema(
    th.Property("uuid", Str, required=True, description="Product UUID (key, Akeneo 7+)"),
    _prop("identifier", Str),
    _prop("enabled", Bool),
    _prop("family", Str),
    _prop("parent", Str),
    _strings("categories"),
    _strings("groups"),
    _values("values", "scope"),
    *_associations(),
    _prop("created", DateTime),
    _prop("updated", DateTime),
    _open("metadata"),
    _scores("quality_scores"),
    _scores("completenesses"),
    _prop("root_parent", Str),
)

PRODUCT_MODELS = _schema(
    _code(),
    _prop("family", Str),
    _prop("family_variant", Str),
    _prop("parent", Str),
    _strings("categories"),
    _values("values", "scope"),
    *_associations(),
    _prop("created", DateTime),
    _prop("updated", DateTime),
    _open("metadata"),
    _scores("quality_scores"),
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "channels": CHANNELS,
    "locales": LOCALES,
    "currencies": CURRENCIES,
    "measurement_families": MEASUREMENT_FAMILIES,
    "attribute_groups": ATTRIBUTE_GROUPS,
    "attributes": ATTRIBUTES,
    "attribute_options": ATTRIBUTE_OPTIONS,
    "families": FAMILIES,
    "family_variants": FAMILY_VARIANTS,
    "categories": CATEGORIES,
    "association_types": ASSOCIATION_TYPES,
    "reference_entities": REFERENCE_ENTITIES,
    "reference_entity_attributes": REFERENCE_ENTITY_ATTRIBUTES,
    "reference_entity_records": REFERENCE_ENTITY_RECORDS,
    "asset_families": ASSET_FAMILIES,
    "products": PRODUCTS,
    "product_models": PRODUCT_MODELS,
}
