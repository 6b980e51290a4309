"""What the push knows about the PIM: the last synced ``project.json`` of the workspace.

Field names of a job are parsed only through sdm_transform's :class:`FieldTable` (the one
field-name grammar); this module adds, per field, what the converter needs (kind, limits,
options) and the family variants used to route values to their level.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdm_transform.fields import FieldTable

# Akeneo attribute type -> conversion kind (alternative spellings included, akeneo-api §5.3).
KINDS: dict[str, str] = {
    "pim_catalog_identifier": "text",
    "pim_catalog_text": "text",
    "pim_catalog_textarea": "text",
    "pim_catalog_number": "number",
    "pim_catalog_boolean": "boolean",
    "pim_catalog_date": "date",
    "pim_catalog_simpleselect": "select",
    "pim_catalog_multiselect": "multiselect",
    "pim_catalog_metric": "metric",
    "pim_catalog_price_collection": "price",
    "pim_catalog_price": "price",
    "pim_catalog_image": "media",
    "pim_catalog_file": "media",
    "pim_catalog_asset_collection": "assets",
    "akeneo_reference_entity": "record",
    "akeneo_reference_entity_collection": "records",
    "pim_catalog_table": "table",
    "pim_reference_data_simpleselect": "refdata",
    "pim_reference_data_multiselect": "refdata_multi",
    "pim_catalog_reference_data_simpleselect": "refdata",
    "pim_catalog_reference_data_multiselect": "refdata_multi",
    "pim_catalog_reference_data_simple_select": "refdata",
    "pim_catalog_reference_data_multi_select": "refdata_multi",
}
SELECT_KINDS = frozenset({"select", "multiselect", "record", "records", "refdata", "refdata_multi"})
MULTI_KINDS = frozenset({"multiselect", "records", "refdata_multi"})
#: Kinds whose missing options the push can create (attribute options or entity records).
CREATABLE_KINDS = frozenset({"select", "multiselect", "record", "records"})


class ProjectError(Exception):
    """``project.json`` is missing or unusable: nothing can be pushed."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One synced field, with what converting its values needs."""

    name: str
    attribute: str
    attribute_type: str
    kind: str
    channel: str | None
    locale: str | None
    companion: str | None
    companion_of: str | None
    max_length: int | None
    decimals_allowed: bool | None
    default_unit: str | None
    collection: str | None
    options: dict[str, str] | None  # lower-cased code -> code as the PIM spells it
    allow_new_options: bool
    reference_data_name: str | None
    table_columns: tuple[dict[str, Any], ...] | None

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        """The (attribute, channel, locale) this field writes."""
        return (self.attribute, self.channel, self.locale)


@dataclass(frozen=True)
class Variant:
    """A family variant: which level (0 root model, 1, 2) owns each attribute."""

    code: str
    family: str
    depth: int
    levels: dict[str, int]
    family_attributes: frozenset[str]

    def level_of(self, attribute: str) -> int:
        """Level owning ``attribute``: its variant level, else the root model."""
        level = self.levels.get(attribute)
        if level is not None:
            return level
        if attribute in self.family_attributes:
            return 0
        return self.depth  # not in the family at all: leave it on the variant product


def _options(entries: Any) -> dict[str, str]:
    codes: dict[str, str] = {}
    for entry in entries or []:
        code = entry.get("code") if isinstance(entry, dict) else entry
        if isinstance(code, str):
            codes.setdefault(code.lower(), code)
    return codes


class Project:
    """A loaded ``project.json``: field specs, identifier field, families, categories."""

    def __init__(self, document: dict[str, Any]) -> None:
        if not isinstance(document, dict) or not isinstance(document.get("fields"), list):
            msg = "project.json has no 'fields' list: run the configuration sync first"
            raise ProjectError(msg)
        self.document = document
        self.table = FieldTable.from_project(document)
        collections = document.get("options_collections") or {}
        added = document.get("added_fields") or []
        self.added_fields = frozenset(
            (e if isinstance(e, str) else e.get("name")) for e in added if isinstance(e, str | dict)
        )
        self.specs: dict[str, FieldSpec] = {}
        for entry in document["fields"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            if entry["name"] in self.added_fields:
                continue
            self.specs[entry["name"]] = self._spec(entry, collections)
        self.identifier_field = next(
            (s.name for s in self.specs.values() if s.attribute_type == "pim_catalog_identifier"),
            None,
        )
        self.companions = {s.companion_of: s for s in self.specs.values() if s.companion_of}
        self._families(document.get("hierarchies") or {})
        self.locales = [x for x in document.get("locales") or [] if isinstance(x, str)]
        self._cache: dict[str, FieldSpec | None] = {}

    @staticmethod
    def _spec(entry: dict[str, Any], collections: dict[str, Any]) -> FieldSpec:
        attribute_type = str(entry.get("attribute_type") or "")
        collection = entry.get("options_collection")
        columns = entry.get("table_columns")
        companion = entry.get("companion")
        kind = "companion" if companion else KINDS.get(attribute_type, "unsupported")
        has_collection = isinstance(collection, str) and collection in collections
        return FieldSpec(
            name=entry["name"],
            attribute=str(entry.get("attribute")),
            attribute_type=attribute_type,
            kind=kind,
            channel=entry.get("channel"),
            locale=entry.get("locale"),
            companion=companion,
            companion_of=entry.get("companion_of"),
            max_length=length if isinstance(length := entry.get("max_length"), int) else None,
            decimals_allowed=entry.get("decimals_allowed"),
            default_unit=entry.get("default_metric_unit"),
            collection=collection if isinstance(collection, str) else None,
            options=_options(collections[str(collection)]) if has_collection else None,
            allow_new_options=bool(entry.get("allow_new_options")),
            reference_data_name=entry.get("reference_data_name"),
            table_columns=tuple(c for c in columns if isinstance(c, dict))
            if isinstance(columns, list)
            else None,
        )

    def _families(self, hierarchies: dict[str, Any]) -> None:
        self.families: dict[str, frozenset[str]] = {}
        self.variants: dict[str, Variant] = {}
        for family in hierarchies.get("families") or []:
            if not isinstance(family, dict) or not isinstance(family.get("code"), str):
                continue
            attributes = frozenset(a for a in family.get("attributes") or [] if isinstance(a, str))
            self.families[family["code"]] = attributes
            for variant in family.get("variants") or []:
                levels: dict[str, int] = {}
                depth = 0
                for level in variant.get("levels") or []:
                    number = level.get("level")
                    if not isinstance(number, int):
                        continue
                    depth = max(depth, number)
                    for attribute in [*(level.get("attributes") or []), *(level.get("axes") or [])]:
                        levels[attribute] = number
                self.variants[variant["code"]] = Variant(
                    variant["code"], family["code"], depth or 1, levels, attributes
                )
        self.category_fields = frozenset(k for k in hierarchies if k != "families")
        self.categories = frozenset(
            c["code"]
            for key in self.category_fields
            for c in hierarchies.get(key) or []
            if isinstance(c, dict) and isinstance(c.get("code"), str)
        )

    def resolve(self, name: str) -> FieldSpec | None:
        """The synced field a row key stands for (through the field table), or None."""
        try:
            return self._cache[name]
        except KeyError:
            pass
        ref = self.table.resolve(name) if name not in self.added_fields else None
        spec = self.specs.get(ref.name) if ref is not None else None
        self._cache[name] = spec
        return spec


def load_project(workspace: str | Path) -> Project:
    """Read ``<workspace>/project.json`` (a clear error if it is missing or broken)."""
    path = Path(workspace) / "project.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{path} not found: run the configuration sync before pushing a job"
        raise ProjectError(msg) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"{path} cannot be read: {exc}"
        raise ProjectError(msg) from None
    return Project(document)
