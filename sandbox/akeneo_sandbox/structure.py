"""Catalog structure writes: Akeneo's upsert rules per resource.

Every ``upsert_*`` is called with the store lock held and returns 201 (created) or 204
(updated), or raises :class:`ApiError` with Akeneo's answer.
"""

from __future__ import annotations

from typing import Any

from . import clock
from .errors import not_found, unprocessable, validation_failed, violation
from .merge import (
    ANY,
    BOOL,
    BOOL_NULL,
    INT,
    INT_NULL,
    LIST,
    NUM_NULL,
    OBJ,
    STR,
    STR_NULL,
    body_code,
    check_code,
    check_labels,
    merge,
)
from .store import IDENTIFIER, Store

SIMPLESELECT = "pim_catalog_simpleselect"
MULTISELECT = "pim_catalog_multiselect"
METRIC = "pim_catalog_metric"
BOOLEAN = "pim_catalog_boolean"
REF_DATA_SIMPLE = "pim_reference_data_simpleselect"
REF_DATA_MULTI = "pim_reference_data_multiselect"
REF_ENTITY = "akeneo_reference_entity"
REF_ENTITY_COLLECTION = "akeneo_reference_entity_collection"
ASSET_COLLECTION = "pim_catalog_asset_collection"
TEXT = "pim_catalog_text"
TEXTAREA = "pim_catalog_textarea"
IMAGE = "pim_catalog_image"

ATTRIBUTE_TYPES = frozenset({
    IDENTIFIER, TEXT, TEXTAREA, SIMPLESELECT, MULTISELECT, BOOLEAN, "pim_catalog_date",
    "pim_catalog_number", METRIC, "pim_catalog_price_collection", IMAGE, "pim_catalog_file",
    ASSET_COLLECTION, REF_ENTITY, REF_ENTITY_COLLECTION, REF_DATA_SIMPLE, REF_DATA_MULTI,
    "pim_catalog_table", "pim_catalog_product_link",
})
OPTION_TYPES = frozenset({SIMPLESELECT, MULTISELECT, REF_DATA_SIMPLE, REF_DATA_MULTI})
AXIS_TYPES = frozenset({SIMPLESELECT, MULTISELECT, METRIC, BOOLEAN, REF_DATA_SIMPLE,
                        REF_DATA_MULTI, REF_ENTITY})
UNIQUE_TYPES = frozenset({IDENTIFIER, TEXT, "pim_catalog_number", "pim_catalog_date"})
TABLE_COLUMN_TYPES = frozenset({"select", "text", "number", "boolean", "incremental_number",
                                "reference_entity", "product_link", "measurement", "date"})

READ_ONLY = frozenset({"updated", "created", "group_labels"})


def _touch(store: Store, kind: str, code: str) -> None:
    store.updated[(kind, code)] = clock.now()


def _labels_spec() -> dict[str, str]:
    return {"code": STR, "labels": OBJ}


def _required(obj: dict[str, Any], *keys: str) -> None:
    errors = [violation(k, "This value should not be blank.") for k in keys
              if obj.get(k) in (None, "", [])]
    if errors:
        raise validation_failed(errors)


def _save(  # noqa: PLR0917 - internal helper
    store: Store, table: dict[str, dict[str, Any]], kind: str, code: str,
          current: dict[str, Any] | None, new: dict[str, Any]) -> int:
    if current is not None and current == new:
        return 204
    table[code] = new
    _touch(store, kind, code)
    store.invalidate()
    return 201 if current is None else 204


# -- channels ----------------------------------------------------------------------------
CHANNEL_SPEC = {**_labels_spec(), "currencies": LIST, "locales": LIST, "category_tree": STR,
                "conversion_units": OBJ}


def upsert_channel(store: Store, code: str, patch: dict[str, Any]) -> int:
    """Upsert a channel: its tree, locales and currencies must exist."""
    body_code(patch, code)
    check_code(code)
    current = store.channels.get(code)
    base = current or {"code": code, "currencies": [], "locales": [], "category_tree": "",
                       "conversion_units": {}, "labels": {}}
    new = merge(base, patch, CHANNEL_SPEC, READ_ONLY)
    check_labels(new)
    _required(new, "category_tree", "locales", "currencies")
    errors = []
    for loc in new["locales"]:
        if loc not in store.locales:
            raise unprocessable(
                f'Property "locales" expects a valid locale code. The locale does not exist, '
                f'"{loc}" given.')
    for cur in new["currencies"]:
        if cur not in store.currencies:
            raise unprocessable(
                f'Property "currencies" expects a valid currency code. The currency does not '
                f'exist, "{cur}" given.')
    tree = store.categories.get(new["category_tree"])
    if tree is None:
        raise unprocessable(
            f'Property "category_tree" expects a valid category code. The category does not '
            f'exist, "{new["category_tree"]}" given.')
    if tree.get("parent") is not None:
        errors.append(violation("category_tree", "The category must be a root category."))
    for attr_code, unit in new["conversion_units"].items():
        attr = store.attributes.get(attr_code)
        if attr is None or attr["type"] != METRIC:
            errors.append(violation("conversion_units",
                                    f'The attribute "{attr_code}" is not a measurement attribute.'))
            continue
        family = store.measurement_families.get(attr["metric_family"] or "")
        if family is None or unit not in family["units"]:
            errors.append(violation("conversion_units",
                                    f'The unit "{unit}" does not exist for "{attr_code}".'))
    if errors:
        raise validation_failed(errors)
    status = _save(store, store.channels, "channel", code, current, new)
    store.refresh_channel_usage()
    return status


# -- attribute groups ---------------------------------------------------------------------
GROUP_SPEC = {**_labels_spec(), "sort_order": INT, "attributes": LIST}


def upsert_attribute_group(store: Store, code: str, patch: dict[str, Any]) -> int:
    """Upsert an attribute group; an ``attributes`` list moves those attributes into it."""
    body_code(patch, code)
    check_code(code)
    current = store.attribute_groups.get(code)
    base = current or {"code": code, "sort_order": 0, "attributes": [], "labels": {}}
    new = merge(base, patch, GROUP_SPEC, READ_ONLY)
    check_labels(new)
    moved = new.pop("attributes", [])
    for attr_code in moved:
        if attr_code not in store.attributes:
            raise unprocessable(
                f'Property "attributes" expects a valid attribute code. The attribute does not '
                f'exist, "{attr_code}" given.')
    if "attributes" in patch:
        for attr_code in moved:
            store.attributes[attr_code]["group"] = code
    new["attributes"] = []
    stored = dict(current) if current else None
    return _save(store, store.attribute_groups, "attribute_group", code, stored, new)


def group_attributes(store: Store, group: str) -> list[str]:
    """The attributes of a group, in their sort order (derived from each attribute)."""
    attrs = [a for a in store.attributes.values() if a.get("group") == group]
    attrs.sort(key=lambda a: (a.get("sort_order") or 0, a["code"]))
    return [a["code"] for a in attrs]


# -- attributes ---------------------------------------------------------------------------
ATTRIBUTE_DEFAULTS: dict[str, Any] = {
    "type": None, "group": None, "unique": False, "useable_as_grid_filter": False,
    "allowed_extensions": [], "metric_family": None, "default_metric_unit": None,
    "reference_data_name": None, "available_locales": [], "max_characters": None,
    "validation_rule": None, "validation_regexp": None, "wysiwyg_enabled": None,
    "number_min": None, "number_max": None, "decimals_allowed": None, "negative_allowed": None,
    "date_min": None, "date_max": None, "max_file_size": None, "minimum_input_length": None,
    "sort_order": 0, "localizable": False, "scopable": False, "labels": {},
}
ATTRIBUTE_SPEC = {
    **_labels_spec(), "type": STR, "group": STR, "unique": BOOL, "useable_as_grid_filter": BOOL,
    "allowed_extensions": LIST, "metric_family": STR_NULL, "default_metric_unit": STR_NULL,
    "reference_data_name": STR_NULL, "available_locales": LIST, "max_characters": INT_NULL,
    "validation_rule": STR_NULL, "validation_regexp": STR_NULL, "wysiwyg_enabled": BOOL_NULL,
    "number_min": NUM_NULL, "number_max": NUM_NULL, "decimals_allowed": BOOL_NULL,
    "negative_allowed": BOOL_NULL, "date_min": STR_NULL, "date_max": STR_NULL,
    "max_file_size": NUM_NULL, "minimum_input_length": INT_NULL, "sort_order": INT,
    "localizable": BOOL, "scopable": BOOL, "default_value": BOOL_NULL,
    "table_configuration": LIST, "is_main_identifier": BOOL, "is_mandatory": BOOL,
    "decimal_places_strategy": STR_NULL, "decimal_places": INT_NULL, "auto_option_sorting": ANY,
}
IMMUTABLE_ATTRIBUTE = ("type", "localizable", "scopable", "unique", "metric_family")


def upsert_attribute(store: Store, code: str, patch: dict[str, Any]) -> int:
    """Upsert an attribute with Akeneo's per-type rules."""
    body_code(patch, code)
    check_code(code)
    current = store.attributes.get(code)
    base = current or {"code": code, **ATTRIBUTE_DEFAULTS}
    new = merge(base, patch, ATTRIBUTE_SPEC, READ_ONLY)
    check_labels(new)
    _required(new, "type", "group")
    errors: list[dict[str, Any]] = []
    if current is not None:
        errors.extend(violation(key, "This property cannot be changed.")
                      for key in IMMUTABLE_ATTRIBUTE if new.get(key) != current.get(key))
    atype = new["type"]
    if atype not in ATTRIBUTE_TYPES:
        raise unprocessable(
            f'Property "type" expects a valid attribute type. The attribute type does not '
            f'exist, "{atype}" given.')
    if new["group"] not in store.attribute_groups:
        raise unprocessable(
            f'Property "group" expects a valid group code. The group does not exist, '
            f'"{new["group"]}" given.')
    for loc in new["available_locales"]:
        if loc not in store.locales:
            raise unprocessable(
                f'Property "available_locales" expects a valid locale code. The locale does not '
                f'exist, "{loc}" given.')
    if new["unique"] and atype not in UNIQUE_TYPES:
        errors.append(violation("unique", "This attribute type can't have unique value."))
    if atype == IDENTIFIER:
        new["unique"] = True
        if new["localizable"] or new["scopable"]:
            errors.append(violation("localizable",
                                    "An identifier attribute can not be localizable or scopable."))
    if atype == METRIC:
        family = store.measurement_families.get(new["metric_family"] or "")
        if family is None:
            errors.append(violation("metric_family", "Please specify a valid metric family."))
        elif new["default_metric_unit"] not in family["units"]:
            errors.append(violation("default_metric_unit", "Please specify a valid metric unit."))
    elif new["metric_family"] is not None or new["default_metric_unit"] is not None:
        errors.append(violation("metric_family", "This attribute cannot have a metric family."))
    if (atype in (REF_ENTITY, REF_ENTITY_COLLECTION)
            and new["reference_data_name"] not in store.reference_entities):
            errors.append(violation("reference_data_name",
                                f'The reference entity "{new["reference_data_name"]}" '
                                "does not exist."))
    if atype == ASSET_COLLECTION and new["reference_data_name"] not in store.asset_families:
        errors.append(violation("reference_data_name",
                                f'The asset family "{new["reference_data_name"]}" does not exist.'))
    if atype in (REF_DATA_SIMPLE, REF_DATA_MULTI) and not new["reference_data_name"]:
        errors.append(violation("reference_data_name", "This value should not be blank."))
    if atype in (TEXT, IDENTIFIER) and new["max_characters"] is not None and not (
            0 < new["max_characters"] <= 255):
        errors.append(violation("max_characters",
                                "This value should be less than or equal to 255."))
    if atype == "pim_catalog_table":
        errors.extend(_table_errors(new.get("table_configuration")))
    if errors:
        raise validation_failed(errors)
    if atype in OPTION_TYPES:
        store.options.setdefault(code, {})
    return _save(store, store.attributes, "attribute", code, current, new)


def _table_errors(config: Any) -> list[dict[str, Any]]:
    if not isinstance(config, list) or len(config) < 2:
        return [violation("table_configuration",
                          "A table attribute must have at least 2 columns.")]
    errors = []
    codes = set()
    for i, column in enumerate(config):
        if not isinstance(column, dict) or not column.get("code"):
            errors.append(violation(f"table_configuration[{i}].code",
                                    "This value should not be blank."))
            continue
        if column["code"] in codes:
            errors.append(violation(f"table_configuration[{i}].code",
                                    "The column codes must be unique."))
        codes.add(column["code"])
        if column.get("data_type") not in TABLE_COLUMN_TYPES:
            errors.append(violation(f"table_configuration[{i}].data_type",
                                    f'The data type "{column.get("data_type")}" is not valid.'))
    if isinstance(config[0], dict) and config[0].get("data_type") != "select":
        errors.append(violation("table_configuration[0].data_type",
                                "The first column must be a select column."))
    return errors


# -- attribute options --------------------------------------------------------------------
OPTION_SPEC = {**_labels_spec(), "attribute": STR, "sort_order": INT}


def upsert_option(store: Store, attribute: str, code: str, patch: dict[str, Any]) -> int:
    """Upsert an option of a select attribute."""
    attr = store.attributes.get(attribute)
    if attr is None:
        raise not_found(f'Attribute "{attribute}" does not exist.')
    if attr["type"] not in OPTION_TYPES:
        raise unprocessable(
            f'Attribute "{attribute}" does not support options. Only attributes of type '
            '"pim_catalog_simpleselect", "pim_catalog_multiselect" support options.')
    body_code(patch, code)
    if "attribute" in patch and patch["attribute"] != attribute:
        raise unprocessable(
            f'The attribute code "{patch["attribute"]}" provided in the request body must match '
            f'the attribute code "{attribute}" provided in the url.', doc=None)
    check_code(code)
    table = store.options.setdefault(attribute, {})
    current = table.get(code)
    base = current or {"code": code, "attribute": attribute, "sort_order": len(table) + 1,
                       "labels": {}}
    new = merge(base, patch, OPTION_SPEC, READ_ONLY)
    check_labels(new)
    return _save(store, table, f"option:{attribute}", code, current, new)


# -- families -----------------------------------------------------------------------------
FAMILY_SPEC = {**_labels_spec(), "attributes": LIST, "attribute_as_label": STR,
               "attribute_as_image": STR_NULL, "attribute_requirements": OBJ}


def upsert_family(store: Store, code: str, patch: dict[str, Any]) -> int:
    """Upsert a family: the identifier joins it; label and image attributes are checked."""
    body_code(patch, code)
    check_code(code)
    current = store.families.get(code)
    base = current or {"code": code, "attributes": [], "attribute_as_label": None,
                       "attribute_as_image": None, "attribute_requirements": {}, "labels": {}}
    new = merge(base, patch, FAMILY_SPEC, READ_ONLY)
    check_labels(new)
    ident = store.identifier_attribute
    attributes = list(dict.fromkeys(new["attributes"]))
    if ident and ident not in attributes:
        attributes.insert(0, ident)
    new["attributes"] = attributes
    for attr_code in attributes:
        if attr_code not in store.attributes:
            raise unprocessable(
                f'Property "attributes" expects a valid attribute code. The attribute does not '
                f'exist, "{attr_code}" given.')
    errors: list[dict[str, Any]] = []
    label = new["attribute_as_label"]
    if not label:
        errors.append(violation("attribute_as_label", "This value should not be blank."))
    elif label not in attributes:
        errors.append(violation("attribute_as_label",
                                "Property \"attribute_as_label\" must belong to the family"))
    elif store.attributes[label]["type"] not in (TEXT, IDENTIFIER):
        errors.append(violation("attribute_as_label",
                                'Property "attribute_as_label" only supports "pim_catalog_text" '
                                'and "pim_catalog_identifier" attribute types for the family'))
    image = new["attribute_as_image"]
    if image is not None:
        if image not in attributes:
            errors.append(violation("attribute_as_image",
                                    'Property "attribute_as_image" must belong to the family'))
        elif store.attributes[image]["type"] not in (IMAGE, ASSET_COLLECTION):
            errors.append(violation("attribute_as_image",
                                    'Property "attribute_as_image" only supports '
                                    '"pim_catalog_image" and "pim_catalog_asset_collection" '
                                    "attribute types for the family"))
    requirements: dict[str, list[str]] = {}
    for channel, codes in new["attribute_requirements"].items():
        if channel not in store.channels:
            raise unprocessable(
                f'Property "attribute_requirements" expects a valid channel code. The channel '
                f'does not exist, "{channel}" given.')
        if not isinstance(codes, list):
            raise unprocessable('Property "attribute_requirements" expects an array of '
                                "attribute codes per channel.")
        errors.extend(violation("attribute_requirements",
                                f'The attribute "{attr_code}" cannot be required for channel '
                                f'"{channel}": it does not belong to the family.')
                      for attr_code in codes if attr_code not in attributes)
        requirements[channel] = list(dict.fromkeys(([ident] if ident else []) + list(codes)))
    for channel in store.channels:
        requirements.setdefault(channel, [ident] if ident else [])
    new["attribute_requirements"] = requirements
    if errors:
        raise validation_failed(errors)
    return _save(store, store.families, "family", code, current, new)


# -- family variants ----------------------------------------------------------------------
VARIANT_SPEC = {**_labels_spec(), "variant_attribute_sets": LIST, "family": STR}


def upsert_family_variant(store: Store, family_code: str, code: str,
                          patch: dict[str, Any]) -> int:
    """Upsert a family variant with Akeneo's axis and level rules."""
    family = store.families.get(family_code)
    if family is None:
        raise not_found(f'Family "{family_code}" does not exist.')
    body_code(patch, code)
    if "family" in patch and patch["family"] != family_code:
        raise unprocessable(
            f'The family code "{patch["family"]}" provided in the request body must match the '
            f'family code "{family_code}" provided in the url.', doc=None)
    check_code(code)
    other = store.find_family_variant(code)
    if other is not None and other[0] != family_code:
        raise validation_failed([violation("code", "This value is already used.")])
    table = store.family_variants.setdefault(family_code, {})
    current = table.get(code)
    base = current or {"code": code, "labels": {}, "variant_attribute_sets": []}
    new = merge(base, patch, VARIANT_SPEC, READ_ONLY)
    new.pop("family", None)
    check_labels(new)
    sets = new["variant_attribute_sets"]
    errors: list[dict[str, Any]] = []
    if not sets:
        raise validation_failed([violation("variant_attribute_sets",
                                           "There should be at least one level defined in the "
                                           "family variant")])
    by_level: dict[int, dict[str, Any]] = {}
    for entry in sets:
        if not isinstance(entry, dict) or not isinstance(entry.get("level"), int):
            raise unprocessable('Property "variant_attribute_sets" expects an array of objects '
                                'with a "level", "axes" and "attributes".')
        by_level[entry["level"]] = entry
    if sorted(by_level) not in ([1], [1, 2]):
        errors.append(violation("variant_attribute_sets",
                                "There can be only 1 or 2 levels, numbered from 1."))
    if current is not None:
        old_axes = {s["level"]: s["axes"] for s in current["variant_attribute_sets"]}
        new_axes = {lvl: list(s.get("axes") or []) for lvl, s in by_level.items()}
        if old_axes != new_axes:
            errors.append(violation("variant_attribute_sets",
                                    "Variant axes and levels cannot be changed."))
    seen: dict[str, int] = {}
    normalized: list[dict[str, Any]] = []
    fam_attrs = set(family["attributes"])
    lowest = max(by_level) if by_level else 1
    for level in sorted(by_level):
        entry = by_level[level]
        axes = list(entry.get("axes") or [])
        attrs = list(dict.fromkeys(list(entry.get("attributes") or []) + axes))
        if not axes:
            errors.append(violation("variant_attribute_sets",
                                    f"Variant attribute set {level} must have at least one axis."))
        if len(axes) > 5:
            errors.append(violation("variant_attribute_sets",
                                    "A variant attribute set cannot have more than 5 axes."))
        for axis in axes:
            attr = store.attributes.get(axis)
            if attr is None:
                raise unprocessable(
                    f'Property "variant_attribute_sets" expects a valid attribute code. The '
                    f'attribute does not exist, "{axis}" given.')
            if (attr["type"] not in AXIS_TYPES or attr["scopable"] or attr["localizable"]
                    or attr.get("available_locales")):
                errors.append(violation(
                    "variant_attribute_sets",
                    f'Variant axis "{axis}" cannot be used: an axis must be a non-scopable, '
                    "non-localizable, non-locale-specific simple select, multi select, "
                    "reference data, metric or boolean attribute."))
        for attr_code in attrs:
            if attr_code not in store.attributes:
                raise unprocessable(
                    f'Property "variant_attribute_sets" expects a valid attribute code. The '
                    f'attribute does not exist, "{attr_code}" given.')
            if attr_code not in fam_attrs:
                errors.append(violation("variant_attribute_sets",
                                        f'The attribute "{attr_code}" does not belong to the '
                                        f'family "{family_code}".'))
            if attr_code in seen and seen[attr_code] != level:
                errors.append(violation("variant_attribute_sets",
                                        f'The attribute "{attr_code}" is used in more than one '
                                        "level."))
            seen[attr_code] = level
        normalized.append({"level": level, "axes": axes, "attributes": attrs})
    # Unique attributes and the identifier live on the variant products (lowest level).
    for attr_code in family["attributes"]:
        attr = store.attributes.get(attr_code)
        if attr and attr["unique"] and normalized:
            for entry in normalized:
                if attr_code in entry["attributes"] and entry["level"] != lowest:
                    entry["attributes"].remove(attr_code)
            last = normalized[-1]
            if attr_code not in last["attributes"]:
                last["attributes"].append(attr_code)
    if errors:
        raise validation_failed(errors)
    new["variant_attribute_sets"] = normalized
    return _save(store, table, f"family_variant:{family_code}", code, current, new)


# -- categories ---------------------------------------------------------------------------
CATEGORY_SPEC = {**_labels_spec(), "parent": STR_NULL, "values": OBJ,
                 "channel_requirements": LIST, "position": ANY}


def upsert_category(store: Store, code: str, patch: dict[str, Any]) -> int:
    """Upsert a category; its parent must exist and not be itself or a descendant."""
    body_code(patch, code)
    check_code(code)
    current = store.categories.get(code)
    base = current or {"code": code, "parent": None, "updated": None, "labels": {}}
    new = merge(base, patch, CATEGORY_SPEC, READ_ONLY)
    new.pop("position", None)
    check_labels(new)
    parent = new.get("parent")
    if parent is not None:
        if parent not in store.categories:
            raise unprocessable(
                f'Property "parent" expects a valid category code. The category does not exist, '
                f'"{parent}" given.')
        if current is not None and parent in store.category_descendants(code):
            raise validation_failed([violation("parent",
                                               "You can't move a category into one of its "
                                               "children or into itself.")])
    if current is not None and current.get("parent") is None and parent is not None:
        used = [c["code"] for c in store.channels.values() if c["category_tree"] == code]
        if used:
            raise validation_failed([violation("parent",
                                               f"The category tree is used by the channel "
                                               f"{used[0]} and cannot become a child category.")])
    comparable = {k: v for k, v in new.items() if k != "updated"}
    if current is not None and comparable == {k: v for k, v in current.items() if k != "updated"}:
        return 204
    moment = clock.now()
    new["updated"] = clock.fmt(moment)
    store.categories[code] = new
    store.updated[("category", code)] = moment
    store.invalidate()
    return 201 if current is None else 204


# -- association types ----------------------------------------------------------------------
ASSOCIATION_SPEC = {**_labels_spec(), "is_quantified": BOOL, "is_two_way": BOOL}


def upsert_association_type(store: Store, code: str, patch: dict[str, Any]) -> int:
    """Upsert an association type (quantified and two-way flags are immutable)."""
    body_code(patch, code)
    check_code(code)
    current = store.association_types.get(code)
    base = current or {"code": code, "labels": {}, "is_quantified": False, "is_two_way": False}
    new = merge(base, patch, ASSOCIATION_SPEC, READ_ONLY)
    check_labels(new)
    if current is not None:
        errors = [violation(key, "This property cannot be changed.")
                  for key in ("is_quantified", "is_two_way") if new[key] != current[key]]
        if errors:
            raise validation_failed(errors)
    if new["is_quantified"] and new["is_two_way"]:
        raise validation_failed([violation("is_two_way",
                                           "A quantified association type cannot be two-way.")])
    return _save(store, store.association_types, "association_type", code, current, new)


# -- measurement families -------------------------------------------------------------------
MEASUREMENT_SPEC = {**_labels_spec(), "standard_unit_code": STR, "units": OBJ}
OPERATORS = frozenset({"add", "sub", "mul", "div"})


def upsert_measurement_family(store: Store, code: str, patch: dict[str, Any]) -> int:
    """Upsert a measurement family; the standard unit is immutable and must be a unit."""
    check_code(code)
    current = store.measurement_families.get(code)
    base = current or {"code": code, "labels": {}, "standard_unit_code": None, "units": {}}
    new = merge(base, patch, MEASUREMENT_SPEC, READ_ONLY)
    errors: list[dict[str, Any]] = []
    if current is not None and new["standard_unit_code"] != current["standard_unit_code"]:
        errors.append(violation("standard_unit_code", "The standard unit cannot be changed."))
    units = {k: dict(v) if isinstance(v, dict) else v for k, v in new["units"].items()}
    new["units"] = units
    if not units or new["standard_unit_code"] not in units:
        errors.append(violation("standard_unit_code",
                                "The standard unit must be one of the units."))
    for unit_code, unit in units.items():
        if not isinstance(unit, dict):
            errors.append(violation(f"units[{unit_code}]", "A unit must be an object."))
            continue
        unit.setdefault("code", unit_code)
        unit.setdefault("labels", {})
        unit.setdefault("symbol", "")
        ops = unit.get("convert_from_standard")
        if (not isinstance(ops, list) or not 1 <= len(ops) <= 5
                or any(not isinstance(o, dict) or o.get("operator") not in OPERATORS
                       for o in ops)):
            errors.append(violation(f"units[{unit_code}][convert_from_standard]",
                                    "A unit needs 1 to 5 operations (add, sub, mul, div)."))
    if len(units) > 50:
        errors.append(violation("units", "A measurement family holds at most 50 units."))
    if errors:
        raise validation_failed(errors)
    return _save(store, store.measurement_families, "measurement_family", code, current, new)
