"""Reference entities and Asset Manager (EE): Akeneo's upsert rules and record/asset values.

Functions expect the store lock to be held by the caller and return 201 or 204.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from . import clock
from .errors import ApiError, not_found, unprocessable, validation_failed, violation
from .merge import (
    ANY,
    BOOL,
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

if TYPE_CHECKING:
    from .store import Store

MAX_ATTRIBUTES = 100
MAX_OPTIONS = 100
READ_ONLY = frozenset({"created", "updated", "asset_family_code", "reference_entity_code_ro"})

COMMON_ATTR = {"code": STR, "labels": OBJ, "type": STR, "value_per_locale": BOOL,
               "value_per_channel": BOOL, "is_required_for_completeness": BOOL}
TEXT_ATTR = {"max_characters": INT_NULL, "is_textarea": BOOL, "is_rich_text_editor": BOOL,
             "validation_rule": STR_NULL, "validation_regexp": STR_NULL}
NUMBER_ATTR = {"decimals_allowed": BOOL, "min_value": NUM_NULL, "max_value": NUM_NULL}

RE_TYPES: dict[str, dict[str, str]] = {
    "text": TEXT_ATTR,
    "image": {"allowed_extensions": LIST, "max_file_size": NUM_NULL},
    "number": NUMBER_ATTR,
    "single_option": {}, "multiple_options": {},
    "reference_entity_single_link": {"reference_entity_code": STR},
    "reference_entity_multiple_links": {"reference_entity_code": STR},
    "asset_collection": {"asset_family_identifier": STR},
}
ASSET_TYPES: dict[str, dict[str, str]] = {
    "text": TEXT_ATTR,
    "media_file": {"media_type": STR, "allowed_extensions": LIST, "max_file_size": NUM_NULL},
    "media_link": {"media_type": STR, "prefix": STR_NULL, "suffix": STR_NULL},
    "number": NUMBER_ATTR,
    "single_option": {}, "multiple_options": {}, "boolean": {}, "date": {},
    "record": {"reference_entity_code": STR},
}
TYPE_DEFAULTS: dict[str, Any] = {
    "max_characters": None, "is_textarea": False, "is_rich_text_editor": False,
    "validation_rule": "none", "validation_regexp": None, "allowed_extensions": [],
    "max_file_size": None, "decimals_allowed": False, "min_value": None, "max_value": None,
    "media_type": "image", "prefix": None, "suffix": None,
}
OPTION_TYPES = frozenset({"single_option", "multiple_options"})


def _save(table: dict[str, dict[str, Any]], code: str, current: dict[str, Any] | None,
          new: dict[str, Any]) -> int:
    if current is not None and current == new:
        return 204
    table[code] = new
    return 201 if current is None else 204


# -- reference entities ---------------------------------------------------------------------
def upsert_reference_entity(store: Store, code: str, patch: dict[str, Any]) -> int:
    """Upsert a reference entity; a new one gets its ``label`` and ``image`` attributes."""
    body_code(patch, code)
    check_code(code)
    current = store.reference_entities.get(code)
    new = merge(current or {"code": code, "labels": {}, "image": None}, patch,
                {"code": STR, "labels": OBJ, "image": STR_NULL}, READ_ONLY)
    check_labels(new)
    status = _save(store.reference_entities, code, current, new)
    if current is None:
        store.re_records.setdefault(code, {})
        attrs = store.re_attributes.setdefault(code, {})
        attrs.setdefault("label", _attr_defaults("label", "text", {"en_US": "Label"}, True))
        attrs.setdefault("image", _attr_defaults("image", "image", {"en_US": "Image"}, False))
    return status


def _attr_defaults(code: str, atype: str, labels: dict[str, str],
                   per_locale: bool) -> dict[str, Any]:
    spec = RE_TYPES.get(atype) or ASSET_TYPES[atype]
    return {"code": code, "labels": labels, "type": atype, "value_per_locale": per_locale,
            "value_per_channel": False, "is_required_for_completeness": False,
            **{k: TYPE_DEFAULTS.get(k) for k in spec}}


def _upsert_attribute(  # noqa: PLR0917 - internal helper
    store: Store, table: dict[str, dict[str, Any]], code: str,
                      patch: dict[str, Any], types: dict[str, dict[str, str]],
                      extra: dict[str, str]) -> int:
    body_code(patch, code)
    check_code(code)
    current = table.get(code)
    atype = patch.get("type", current["type"] if current else None)
    if atype not in types:
        raise validation_failed([violation("type", f'The attribute type "{atype}" does not '
                                           "exist.")])
    if current is None and len(table) >= MAX_ATTRIBUTES:
        raise validation_failed([violation("code", f"You cannot create more than "
                                           f"{MAX_ATTRIBUTES} attributes.")])
    spec = {**COMMON_ATTR, **types[atype], **extra}
    base = current or {"code": code, "labels": {}, "type": atype, "value_per_locale": False,
                       "value_per_channel": False, "is_required_for_completeness": False,
                       **{k: TYPE_DEFAULTS.get(k) for k in types[atype]}}
    new = merge(base, patch, spec, READ_ONLY)
    for key in extra:
        new.pop(key, None)
    check_labels(new)
    errors: list[dict[str, Any]] = []
    if current is not None:
        errors.extend(violation(key, "This property cannot be changed.")
                      for key in ("type", "value_per_locale", "value_per_channel")
                      if new[key] != current[key])
    link = new.get("reference_entity_code")
    if link is not None and link not in store.reference_entities:
        errors.append(violation("reference_entity_code",
                                f'The reference entity "{link}" does not exist.'))
    family = new.get("asset_family_identifier")
    if family is not None and family not in store.asset_families:
        errors.append(violation("asset_family_identifier",
                                f'The asset family "{family}" does not exist.'))
    if errors:
        raise validation_failed(errors)
    return _save(table, code, current, new)


def upsert_re_attribute(store: Store, entity: str, code: str, patch: dict[str, Any]) -> int:
    """Upsert a reference entity attribute (type and value_per_* are immutable)."""
    if entity not in store.reference_entities:
        raise not_found(f'Reference entity "{entity}" does not exist.')
    table = store.re_attributes.setdefault(entity, {})
    return _upsert_attribute(store, table, code, patch, RE_TYPES, {"reference_entity": STR})


def _upsert_option(table: dict[str, dict[str, Any]], attr: dict[str, Any], code: str,
                   patch: dict[str, Any]) -> int:
    if attr["type"] not in OPTION_TYPES:
        raise unprocessable(f'Attribute "{attr["code"]}" does not support options.', doc=None)
    body_code(patch, code)
    check_code(code)
    current = table.get(code)
    if current is None and len(table) >= MAX_OPTIONS:
        raise validation_failed([violation("code", f"You cannot create more than {MAX_OPTIONS} "
                                           "options for an attribute.")])
    new = merge(current or {"code": code, "labels": {}}, patch,
                {"code": STR, "labels": OBJ, "reference_entity": ANY, "asset_family": ANY,
                 "attribute": ANY}, READ_ONLY)
    for key in ("reference_entity", "asset_family", "attribute"):
        new.pop(key, None)
    check_labels(new)
    return _save(table, code, current, new)


def upsert_re_option(store: Store, entity: str, attribute: str, code: str,
                     patch: dict[str, Any]) -> int:
    """Upsert an option of a single/multiple option attribute of a reference entity."""
    attr = store.re_attributes.get(entity, {}).get(attribute)
    if attr is None:
        raise not_found(f'Attribute "{attribute}" does not exist for the reference entity '
                        f'"{entity}".')
    return _upsert_option(store.re_options.setdefault((entity, attribute), {}), attr, code, patch)


# -- records and assets ---------------------------------------------------------------------
def _check_value(store: Store, attr: dict[str, Any], data: Any,
                 options: dict[str, Any], check_media: bool) -> list[str]:
    atype = attr["type"]
    code = attr["code"]
    if atype in ("text", "image", "media_file", "media_link", "single_option",
                 "reference_entity_single_link", "date"):
        if not isinstance(data, str):
            raise ApiError(422, f'Property "{code}" expects a string as data, '
                           f'"{type(data).__name__}" given.')
        if atype == "text" and attr.get("max_characters") and len(data) > attr["max_characters"]:
            return [f"This value is too long. It should have {attr['max_characters']} characters "
                    "or less."]
        if atype == "single_option" and data not in options:
            return [f'The option "{data}" does not exist for the attribute "{code}".']
        if atype == "reference_entity_single_link" and data not in store.re_records.get(
                attr["reference_entity_code"], {}):
            return [f'The record "{data}" does not exist.']
        if atype == "media_file" and check_media and data not in store.asset_media:
            return [f'The media file "{data}" does not exist.']
        return []
    if atype in ("multiple_options", "reference_entity_multiple_links", "asset_collection"):
        if not isinstance(data, list) or not all(isinstance(d, str) for d in data):
            raise ApiError(422, f'Property "{code}" expects an array of strings as data.')
        if atype == "multiple_options":
            return [f'The option "{d}" does not exist for the attribute "{code}".'
                    for d in data if d not in options]
        if atype == "reference_entity_multiple_links":
            records = store.re_records.get(attr["reference_entity_code"], {})
            return [f'The record "{d}" does not exist.' for d in data if d not in records]
        assets = store.assets.get(attr.get("asset_family_identifier") or "", {})
        return [f'The asset "{d}" does not exist.' for d in data if d not in assets]
    if atype == "number":
        try:
            number = Decimal(str(data))
        except InvalidOperation:
            raise ApiError(422, f'Property "{code}" expects a numeric as data.') from None
        if not attr.get("decimals_allowed") and number != number.to_integral_value():
            return ["This value should not be a decimal."]
        return []
    if atype == "boolean" and not isinstance(data, bool):
        raise ApiError(422, f'Property "{code}" expects a boolean as data.')
    if atype == "record" and not isinstance(data, str):
        raise ApiError(422, f'Property "{code}" expects a string as data.')
    return []


def _apply_entity_values(  # noqa: PLR0917 - internal helper
    store: Store, attributes: dict[str, dict[str, Any]],
                         option_tables: dict[str, dict[str, Any]], current: dict[str, Any],
                         patch: Any, owner: str, check_media: bool) -> dict[str, Any]:
    if not isinstance(patch, dict):
        raise unprocessable('Property "values" expects an array as data.', doc=None)
    new = dict(current)
    errors: list[dict[str, Any]] = []
    for code, entries in patch.items():
        attr = attributes.get(code)
        if attr is None:
            raise unprocessable(f'Attribute "{code}" does not exist for "{owner}".', doc=None)
        if not isinstance(entries, list) or not all(isinstance(e, dict) and "data" in e
                                                    for e in entries):
            raise unprocessable(f'Property "values.{code}" expects an array of objects with '
                                'the keys "locale", "channel" and "data".', doc=None)
        updated = list(new.get(code, ()))
        for entry in entries:
            locale, channel, data = entry.get("locale"), entry.get("channel"), entry["data"]
            problems: list[str] = []
            if attr["value_per_locale"] and locale is None:
                problems.append(f'Attribute "{code}" expects a locale.')
            if not attr["value_per_locale"] and locale is not None:
                problems.append(f'Attribute "{code}" does not expect a locale, "{locale}" '
                                "given.")
            if locale is not None and locale not in store.enabled_locales:
                problems.append(f'The locale "{locale}" is not activated.')
            if attr["value_per_channel"] and channel not in store.channels:
                problems.append(f'Attribute "{code}" expects an existing channel, '
                                f'"{channel}" given.')
            if not attr["value_per_channel"] and channel is not None:
                problems.append(f'Attribute "{code}" does not expect a channel, "{channel}" '
                                "given.")
            empty = data is None or data in ("", [])
            if not problems and not empty:
                problems = _check_value(store, attr, data, option_tables.get(code, {}),
                                        check_media)
            if problems:
                errors.extend(violation(f"values.{code}", m, code, locale, channel)
                              for m in problems)
                continue
            updated = [e for e in updated
                       if e["locale"] != locale or e["channel"] != channel]
            if not empty:
                updated.append({"locale": locale, "channel": channel, "data": data})
        if updated:
            new[code] = updated
        else:
            new.pop(code, None)
    if errors:
        raise validation_failed(errors)
    return new


def _upsert_valued(  # noqa: PLR0917 - internal helper
    store: Store, table: dict[str, dict[str, Any]], code: str,
                   patch: dict[str, Any], attributes: dict[str, dict[str, Any]],
                   option_tables: dict[str, dict[str, Any]], owner: str,
                   extra: dict[str, Any], check_media: bool) -> int:
    body_code(patch, code)
    check_code(code)
    for key in patch:
        if key not in ("code", "values", *READ_ONLY, *extra):
            raise unprocessable(f'Property "{key}" does not exist.', doc=None)
    current = table.get(code)
    values = _apply_entity_values(store, attributes, option_tables,
                                  current["values"] if current else {},
                                  patch.get("values", {}), owner, check_media)
    if current is not None and current["values"] == values:
        return 204
    stamp = clock.fmt(clock.now())
    new = {"code": code, **extra, "values": values,
           "created": current["created"] if current else stamp, "updated": stamp}
    table[code] = new
    return 204 if current is not None else 201


def upsert_record(store: Store, entity: str, code: str, patch: dict[str, Any], *,
                  check_media: bool = False) -> int:
    """Upsert a record: values keyed by ``locale`` and ``channel``, merged per pair."""
    if entity not in store.reference_entities:
        raise not_found(f'Reference entity "{entity}" does not exist.')
    tables = {a: store.re_options.get((entity, a), {}) for a in store.re_attributes[entity]}
    patch = {k: v for k, v in patch.items() if k != "reference_entity"}
    return _upsert_valued(store, store.re_records.setdefault(entity, {}), code, patch,
                          store.re_attributes[entity], tables, entity, {}, check_media)


def upsert_asset_family(store: Store, code: str, patch: dict[str, Any]) -> int:
    """Upsert an asset family; a new one gets ``label`` and ``media`` attributes."""
    body_code(patch, code)
    check_code(code)
    current = store.asset_families.get(code)
    base = current or {"code": code, "labels": {}, "attribute_as_main_media": "media",
                       "naming_convention": {}, "product_link_rules": [], "transformations": []}
    new = merge(base, patch, {"code": STR, "labels": OBJ, "attribute_as_main_media": STR,
                              "naming_convention": OBJ, "product_link_rules": LIST,
                              "transformations": LIST, "sharing_enabled": ANY}, READ_ONLY)
    check_labels(new)
    attrs = store.asset_attributes.setdefault(code, {})
    if current is None and not attrs:
        attrs["label"] = {**_attr_defaults("label", "text", {"en_US": "Label"}, True),
                          "is_read_only": False}
        attrs["media"] = {**_attr_defaults("media", "media_file", {"en_US": "Media"}, False),
                          "is_read_only": False}
    main = attrs.get(new["attribute_as_main_media"])
    if main is None or main["type"] not in ("media_file", "media_link"):
        if current is None and new["attribute_as_main_media"] not in attrs:
            # The main media attribute may be created right after the family.
            pass
        else:
            raise validation_failed([violation(
                "attribute_as_main_media", "The attribute as main media must be a media file "
                "or media link attribute of the asset family.")])
    store.assets.setdefault(code, {})
    return _save(store.asset_families, code, current, new)


def upsert_asset_attribute(store: Store, family: str, code: str, patch: dict[str, Any]) -> int:
    """Upsert an asset attribute (type and value_per_* are immutable)."""
    if family not in store.asset_families:
        raise not_found(f'Asset family "{family}" does not exist.')
    table = store.asset_attributes.setdefault(family, {})
    spec_extra = {"asset_family": STR, "is_read_only": BOOL}
    status = _upsert_attribute(store, table, code, patch, ASSET_TYPES, spec_extra)
    table[code].setdefault("is_read_only", bool(patch.get("is_read_only", False)))
    if "is_read_only" in patch:
        table[code]["is_read_only"] = bool(patch["is_read_only"])
    return status


def upsert_asset_option(store: Store, family: str, attribute: str, code: str,
                        patch: dict[str, Any]) -> int:
    """Upsert an option of an asset attribute."""
    attr = store.asset_attributes.get(family, {}).get(attribute)
    if attr is None:
        raise not_found(f'Attribute "{attribute}" does not exist for the asset family '
                        f'"{family}".')
    return _upsert_option(store.asset_options.setdefault((family, attribute), {}), attr, code,
                          patch)


def upsert_asset(store: Store, family: str, code: str, patch: dict[str, Any], *,
                 check_media: bool = False) -> int:
    """Upsert an asset: values keyed by ``locale`` and ``channel``, merged per pair."""
    if family not in store.asset_families:
        raise not_found(f'Asset family "{family}" does not exist.')
    if "asset_family_code" in patch and patch["asset_family_code"] != family:
        raise unprocessable(f'The asset family code "{patch["asset_family_code"]}" provided in '
                            f'the request body must match the asset family code "{family}" '
                            "provided in the url.", doc=None)
    attrs = store.asset_attributes.get(family, {})
    tables = {a: store.asset_options.get((family, a), {}) for a in attrs}
    return _upsert_valued(store, store.assets.setdefault(family, {}), code, patch, attrs, tables,
                          family, {"asset_family_code": family}, check_media)
