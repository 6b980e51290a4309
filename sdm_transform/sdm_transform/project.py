"""Catalog structure -> SDM project configuration (`project.json`, contract §1, §3-§5).

`build_project` is pure: it reads the catalog (tap-akeneo stream names -> Akeneo JSON records),
the sync settings and the parsed step files, and returns the project document and its counts.
Writing it into the workspace is the loader's job.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sdm_transform import attribute_types as at
from sdm_transform.added_fields import normalize_added_fields
from sdm_transform.display_groups import display_groups, group_sort_orders
from sdm_transform.fields import AttributeShape, FieldRef, PimNameResolver, expand, is_valid_code
from sdm_transform.hierarchies import category_hierarchies, family_hierarchy, variants_by_family
from sdm_transform.notes import Notes
from sdm_transform.options import (
    attribute_options_by_attribute,
    currency_options,
    enabled_currencies,
    records_by_entity,
    table_columns,
    units_by_family,
)
from sdm_transform.protection import explain, protected_attributes
from sdm_transform.settings import SyncSettings
from sdm_transform.steps import step_uses
from sdm_transform.targeting import (
    build_scope,
    pim_locales,
    target_channels,
    target_families,
    valid_channels,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

FORMAT_VERSION = 1

EXCLUDED_BY_SETTING = "excluded_attributes"
EXCLUDED_BY_GROUP = "excluded_attribute_groups"
EXCLUDED_BY_FAMILIES = "families"
SKIPPED_UNSUPPORTED = "unsupported_type"
SKIPPED_INVALID_CODE = "invalid_code"
SKIPPED_NOT_TARGETED = "not_targeted"

_LEGACY_REFERENCE_DATA = frozenset({at.REFERENCE_DATA_SIMPLESELECT, at.REFERENCE_DATA_MULTISELECT})
_COMPANION_LABEL = {"unit": "unit", "currency": "currency"}


def utc_now() -> str:
    """Current UTC time as an ISO 8601 string with a `Z` suffix."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _records(catalog: Mapping[str, Any], stream: str) -> list[dict]:
    return [item for item in catalog.get(stream) or [] if isinstance(item, dict)]


def _sort_order(value: Any) -> int:
    return value if isinstance(value, int) else 0


class _Context:
    """Everything the per-attribute rules look up, computed once."""

    def __init__(self, catalog: Mapping[str, Any], settings: SyncSettings, notes: Notes) -> None:
        self.channels = valid_channels(_records(catalog, "channels"), notes)
        self.targeted = target_channels(self.channels, settings, notes)
        self.scope = build_scope(self.targeted, settings, notes)
        self.channel_currencies = {
            c["code"]: [x for x in c.get("currencies") or [] if isinstance(x, str)]
            for c in self.targeted
        }
        self.currencies = _records(catalog, "currencies")
        self.enabled_currencies = enabled_currencies(self.currencies)
        self.units = units_by_family(_records(catalog, "measurement_families"))
        self.options = attribute_options_by_attribute(_records(catalog, "attribute_options"))
        self.records = records_by_entity(_records(catalog, "reference_entity_records"))
        self.groups = _records(catalog, "attribute_groups")
        self.group_orders = group_sort_orders(self.groups)


def _exclusion(
    attribute: dict, settings: SyncSettings, family_attributes: set[str] | None
) -> str | None:
    """The setting that leaves this attribute out, if any (first in contract order)."""
    if attribute["code"] in settings.excluded_attributes:
        return EXCLUDED_BY_SETTING
    if attribute.get("group") in settings.excluded_attribute_groups:
        return EXCLUDED_BY_GROUP
    if family_attributes is not None and attribute["code"] not in family_attributes:
        return EXCLUDED_BY_FAMILIES
    return None


_EXCLUSION_MESSAGE = {
    EXCLUDED_BY_SETTING: "excluded by the setting excluded_attributes",
    EXCLUDED_BY_GROUP: "its attribute group {group} is in the setting excluded_attribute_groups",
    EXCLUDED_BY_FAMILIES: "used by none of the targeted families",
}


def _companion_options(attribute: dict, ref: FieldRef, ctx: _Context, notes: Notes) -> list[dict]:
    """Options of a unit or currency companion field."""
    if ref.companion == "unit":
        family = attribute.get("metric_family")
        if family not in ctx.units:
            notes.warn(
                f"metric attribute {attribute['code']}: measurement family {family!r} is unknown; "
                f"field {ref.name} has no units",
                attribute["code"],
            )
            return []
        return ctx.units[family]
    codes = ctx.channel_currencies.get(ref.channel, []) if ref.channel else ctx.enabled_currencies
    return currency_options(codes, ctx.currencies)


def _attribute_options(attribute: dict, akeneo_type: str, ctx: _Context) -> list[dict]:
    """Options of a select-like attribute: its options, or its reference entity's records."""
    if akeneo_type in {at.REFERENCE_ENTITY, at.REFERENCE_ENTITY_COLLECTION}:
        return ctx.records.get(str(attribute.get("reference_data_name")), [])
    return ctx.options.get(attribute["code"], [])


def _field_entries(
    attribute: dict,
    *,
    akeneo_type: str,
    refs: list[FieldRef],
    protected: str | None,
    allow_new: bool,
    ctx: _Context,
    collections: dict[str, list[dict]],
    notes: Notes,
) -> list[dict]:
    """Field entries of one attribute (and the options collections they point to)."""
    code = attribute["code"]
    sdm = at.sdm_type(attribute)
    labels = dict(attribute.get("labels") or {})
    decimal = akeneo_type in at.DECIMAL_TYPES
    common = {
        "attribute": code,
        "attribute_type": akeneo_type,
        "display_group": attribute.get("group"),
        "protected": protected,
        "decimals_allowed": bool(attribute.get("decimals_allowed")) if decimal else None,
        "default_metric_unit": attribute.get("default_metric_unit")
        if akeneo_type == at.METRIC
        else None,
        "metric_family": attribute.get("metric_family") if akeneo_type == at.METRIC else None,
        "reference_data_name": attribute.get("reference_data_name")
        if akeneo_type
        in {
            at.REFERENCE_ENTITY,
            at.REFERENCE_ENTITY_COLLECTION,
            at.ASSET_COLLECTION,
            at.REFERENCE_DATA_SIMPLESELECT,
            at.REFERENCE_DATA_MULTISELECT,
        }
        else None,
        "table_columns": table_columns(attribute) if akeneo_type == at.TABLE else None,
    }
    has_options = akeneo_type in at.OPTION_TYPES
    if has_options:
        collections[code] = _attribute_options(attribute, akeneo_type, ctx)
        if not collections[code] and akeneo_type in _LEGACY_REFERENCE_DATA:
            notes.warn(
                f"reference data attribute {code}: no options were read for it (Akeneo's API "
                "does not list reference data); its options collection is empty",
                code,
            )
    entries = []
    for ref in refs:
        if ref.companion:
            collections[ref.name] = _companion_options(attribute, ref, ctx, notes)
            suffix = _COMPANION_LABEL[ref.companion]
            entries.append(
                {
                    "name": ref.name,
                    "type": "select",
                    **common,
                    "channel": ref.channel,
                    "locale": ref.locale,
                    "labels": {loc: f"{text} ({suffix})" for loc, text in labels.items()},
                    "unique": False,
                    "max_length": None,
                    "options_collection": ref.name,
                    "multiple": False,
                    "allow_new_options": False,
                    "companion": ref.companion,
                    "companion_of": ref.amount_name,
                }
            )
            continue
        entries.append(
            {
                "name": ref.name,
                "type": sdm.type,
                **common,
                "channel": ref.channel,
                "locale": ref.locale,
                "labels": labels,
                "unique": akeneo_type == at.IDENTIFIER or bool(attribute.get("unique")),
                "max_length": at.max_length(attribute),
                "options_collection": code if has_options else None,
                "multiple": sdm.multiple,
                "allow_new_options": allow_new,
                "companion": None,
                "companion_of": None,
            }
        )
    return entries


_KEY_ORDER = (
    "name",
    "type",
    "attribute",
    "attribute_type",
    "channel",
    "locale",
    "display_group",
    "labels",
    "unique",
    "max_length",
    "options_collection",
    "multiple",
    "allow_new_options",
    "protected",
    "companion",
    "companion_of",
    "decimals_allowed",
    "default_metric_unit",
    "metric_family",
    "reference_data_name",
    "table_columns",
)


def _check_settings_codes(
    settings: SyncSettings, attributes: dict[str, dict], groups: set[str], notes: Notes
) -> set[str]:
    """Warn about settings naming unknown attributes or groups; return allowed new-option codes."""
    for code in settings.excluded_attributes:
        if code not in attributes:
            notes.warn(
                f"attribute {code!r} of the setting excluded_attributes does not exist in the PIM",
                code,
            )
    for code in settings.excluded_attribute_groups:
        if code not in groups:
            notes.warn(
                f"attribute group {code!r} of the setting excluded_attribute_groups "
                "does not exist in the PIM"
            )
    allowed: set[str] = set()
    for code in settings.allow_new_options:
        attribute = attributes.get(code)
        if attribute is None:
            notes.warn(
                f"attribute {code!r} of the setting allow_new_options does not exist in the PIM",
                code,
            )
            continue
        akeneo_type = at.normalize_type(str(attribute.get("type")))
        if akeneo_type in at.NEW_OPTION_TYPES:
            allowed.add(code)
        else:
            notes.warn(
                f"allow_new_options refused for attribute {code}: its type {akeneo_type} "
                "has no options the push could create",
                code,
            )
    return allowed


def build_project(
    catalog: Mapping[str, Any],
    settings: SyncSettings | Mapping[str, Any] | None = None,
    steps: Mapping[str, Any] | None = None,
    *,
    synced_at: str | None = None,
) -> tuple[dict, dict]:
    """Build the project document from the catalog, settings and parsed step files.

    Returns `(project, counts)`; `counts` is what `sync-status.json` records.
    """
    if not isinstance(settings, SyncSettings):
        settings = SyncSettings.from_config(settings or {})
    notes = Notes()
    ctx = _Context(catalog, settings, notes)

    attributes: dict[str, dict] = {}
    all_attributes = _records(catalog, "attributes")
    for attribute in all_attributes:
        code = attribute.get("code")
        if not is_valid_code(code):
            shown = code if isinstance(code, str) else None
            notes.skip(
                shown,
                SKIPPED_INVALID_CODE,
                f"attribute code {code!r} holds '-' or is empty: not usable in field names",
            )
            notes.warn(f"attribute {code!r} left out: its code holds '-' or is empty", shown)
            continue
        attributes.setdefault(str(code), attribute)

    families = target_families(_records(catalog, "families"), settings, notes)
    variants = variants_by_family(_records(catalog, "family_variants"))
    targeted_variants = [v for f in families for v in variants.get(f["code"], [])]
    family_attributes: set[str] | None = None
    if settings.families:
        family_attributes = {a for f in families for a in f.get("attributes") or []}

    resolver = PimNameResolver(
        (AttributeShape.from_attribute(a) for a in attributes.values()),
        [c["code"] for c in ctx.channels],
        pim_locales(_records(catalog, "locales"), ctx.channels),
    )
    raw_added = {
        e if isinstance(e, str) else e.get("name")
        for e in settings.added_fields
        if isinstance(e, str | dict)
    }
    protected = protected_attributes(
        list(attributes.values()),
        targeted_variants=targeted_variants,
        uses=step_uses(dict(steps or {}), notes),
        resolver=resolver,
        added_names={n for n in raw_added if isinstance(n, str)},
        notes=notes,
    )
    group_codes = set(ctx.group_orders) | {str(a.get("group")) for a in attributes.values()}
    allowed_new = _check_settings_codes(settings, attributes, group_codes, notes)

    def order(attribute: dict) -> tuple[int, int, str]:
        return (
            ctx.group_orders.get(str(attribute.get("group")), 0),
            _sort_order(attribute.get("sort_order")),
            attribute["code"],
        )

    fields: list[dict] = []
    collections: dict[str, list[dict]] = {}
    for attribute in sorted(attributes.values(), key=order):
        code = attribute["code"]
        akeneo_type = at.normalize_type(str(attribute.get("type")))
        guard = protected.get(code)
        if not at.is_supported(akeneo_type):
            notes.skip(
                code,
                SKIPPED_UNSUPPORTED,
                f"attribute type {attribute.get('type')} is not supported",
            )
            if guard:
                notes.warn(
                    f"attribute {code} is protected ({explain(guard)}) but its type "
                    f"{attribute.get('type')} is not supported; it has no field",
                    code,
                )
            continue
        reason = _exclusion(attribute, settings, family_attributes)
        if reason:
            if guard is None:
                notes.exclude(
                    code, reason, _EXCLUSION_MESSAGE[reason].format(group=attribute.get("group"))
                )
                continue
            notes.warn(
                f"attribute {code} cannot be excluded ({reason}): {explain(guard)}; it stays", code
            )
        refs = expand(AttributeShape.from_attribute(attribute), ctx.scope)
        if not refs:
            notes.skip(code, SKIPPED_NOT_TARGETED, _not_targeted_message(attribute))
            continue
        fields.extend(
            {key: entry[key] for key in _KEY_ORDER}
            for entry in _field_entries(
                attribute,
                akeneo_type=akeneo_type,
                refs=refs,
                protected=guard,
                allow_new=code in allowed_new,
                ctx=ctx,
                collections=collections,
                notes=notes,
            )
        )

    pim_names = {f["name"] for f in fields}
    added = normalize_added_fields(settings.added_fields, pim_names, notes)
    hierarchies: dict[str, list[dict]] = {
        "families": family_hierarchy(families, variants, [c["code"] for c in ctx.targeted]),
    }
    categories = category_hierarchies(
        _records(catalog, "categories"), settings.split_categories, notes
    )
    hierarchies.update(categories)
    notes = notes.sorted()
    project = {
        "format_version": FORMAT_VERSION,
        "source": {
            "pim_url": settings.pim_url,
            "synced_at": synced_at or utc_now(),
            "channels": [c["code"] for c in ctx.targeted],
            "locales": list(ctx.scope.locales),
            "families": sorted(f["code"] for f in families) if settings.families else [],
        },
        "locales": list(ctx.scope.locales),
        "display_groups": display_groups(ctx.groups, {str(f["display_group"]) for f in fields}),
        "fields": fields,
        "options_collections": {name: collections[name] for name in sorted(collections)},
        "hierarchies": hierarchies,
        "added_fields": added,
        "excluded": notes.excluded,
        "skipped": notes.skipped,
        "warnings": notes.warnings,
    }
    counts = {
        "attributes": len(all_attributes),
        "fields": len(fields),
        "families": len(hierarchies["families"]),
        "categories": sum(len(tree) for tree in categories.values()),
        "options_collections": len(collections),
        "excluded": len(notes.excluded),
        "skipped": len(notes.skipped),
        "warnings": len(notes.warnings),
    }
    return project, counts


def _not_targeted_message(attribute: dict) -> str:
    if attribute.get("available_locales"):
        locales = ", ".join(sorted(attribute["available_locales"]))
        return f"locale-specific attribute: none of its locales ({locales}) is targeted"
    if attribute.get("scopable"):
        return "scopable attribute, but no channel is targeted"
    return "localizable attribute, but no locale is targeted"
