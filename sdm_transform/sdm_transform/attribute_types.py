"""Akeneo attribute types and the SDM field types they become (contract §4).

Akeneo's own sources spell some types differently (akeneo-api.md §5.3): the reference-data
selects and the price collection have alternative names. They are normalized here once, so
the rest of the package (and the push) only ever sees the canonical spelling.
"""

from __future__ import annotations

from typing import Final, NamedTuple

IDENTIFIER: Final = "pim_catalog_identifier"
TEXT: Final = "pim_catalog_text"
TEXTAREA: Final = "pim_catalog_textarea"
NUMBER: Final = "pim_catalog_number"
BOOLEAN: Final = "pim_catalog_boolean"
DATE: Final = "pim_catalog_date"
SIMPLESELECT: Final = "pim_catalog_simpleselect"
MULTISELECT: Final = "pim_catalog_multiselect"
METRIC: Final = "pim_catalog_metric"
PRICE: Final = "pim_catalog_price_collection"
IMAGE: Final = "pim_catalog_image"
FILE: Final = "pim_catalog_file"
ASSET_COLLECTION: Final = "pim_catalog_asset_collection"
REFERENCE_ENTITY: Final = "akeneo_reference_entity"
REFERENCE_ENTITY_COLLECTION: Final = "akeneo_reference_entity_collection"
TABLE: Final = "pim_catalog_table"
REFERENCE_DATA_SIMPLESELECT: Final = "pim_reference_data_simpleselect"
REFERENCE_DATA_MULTISELECT: Final = "pim_reference_data_multiselect"

# Alternative spellings seen in Akeneo's docs (Swagger enum, product-value page).
_ALIASES: Final[dict[str, str]] = {
    "pim_catalog_price": PRICE,
    "pim_catalog_reference_data_simple_select": REFERENCE_DATA_SIMPLESELECT,
    "pim_catalog_reference_data_multi_select": REFERENCE_DATA_MULTISELECT,
    "pim_catalog_reference_data_simpleselect": REFERENCE_DATA_SIMPLESELECT,
    "pim_catalog_reference_data_multiselect": REFERENCE_DATA_MULTISELECT,
}


class SdmType(NamedTuple):
    """What an Akeneo type becomes in SDM: field type and multiplicity."""

    type: str
    multiple: bool


_SDM_TYPES: Final[dict[str, SdmType]] = {
    IDENTIFIER: SdmType("string", False),
    TEXT: SdmType("string", False),
    TEXTAREA: SdmType("string", False),  # "html" when wysiwyg_enabled, see sdm_type()
    NUMBER: SdmType("number", False),
    BOOLEAN: SdmType("boolean", False),
    DATE: SdmType("date", False),
    SIMPLESELECT: SdmType("select", False),
    MULTISELECT: SdmType("select", True),
    METRIC: SdmType("number", False),
    PRICE: SdmType("number", False),
    IMAGE: SdmType("media", False),
    FILE: SdmType("media", False),
    ASSET_COLLECTION: SdmType("media", True),
    REFERENCE_ENTITY: SdmType("select", False),
    REFERENCE_ENTITY_COLLECTION: SdmType("select", True),
    TABLE: SdmType("table", False),
    REFERENCE_DATA_SIMPLESELECT: SdmType("select", False),
    REFERENCE_DATA_MULTISELECT: SdmType("select", True),
}

#: Types whose SDM field is backed by an options collection named after the attribute.
OPTION_TYPES: Final = frozenset(
    {
        SIMPLESELECT,
        MULTISELECT,
        REFERENCE_ENTITY,
        REFERENCE_ENTITY_COLLECTION,
        REFERENCE_DATA_SIMPLESELECT,
        REFERENCE_DATA_MULTISELECT,
    }
)

#: Types for which the setting allow_new_options is accepted (contract §5).
NEW_OPTION_TYPES: Final = frozenset(
    {SIMPLESELECT, MULTISELECT, REFERENCE_ENTITY, REFERENCE_ENTITY_COLLECTION, TABLE}
)

#: Companion select field added after each field of these types (contract §1, §4).
COMPANIONS: Final[dict[str, str]] = {METRIC: "unit", PRICE: "currency"}

#: Types that may serve as family variant axes; the only ones with a `decimals_allowed` flag.
DECIMAL_TYPES: Final = frozenset({NUMBER, METRIC, PRICE})

TEXT_MAX_LENGTH: Final = 255
TEXTAREA_MAX_LENGTH: Final = 65535


def normalize_type(akeneo_type: str) -> str:
    """Return the canonical spelling of an Akeneo attribute type."""
    return _ALIASES.get(akeneo_type, akeneo_type)


def is_supported(akeneo_type: str) -> bool:
    """Whether the connector maps this type to an SDM field (else it is skipped)."""
    return normalize_type(akeneo_type) in _SDM_TYPES


def sdm_type(attribute: dict) -> SdmType:
    """SDM field type of a supported attribute (its Akeneo JSON)."""
    akeneo_type = normalize_type(str(attribute.get("type")))
    mapped = _SDM_TYPES[akeneo_type]
    if akeneo_type == TEXTAREA and attribute.get("wysiwyg_enabled"):
        return SdmType("html", False)
    return mapped


def companion_of_type(akeneo_type: str) -> str | None:
    """Companion kind (`unit`, `currency`) added for this type, or None."""
    return COMPANIONS.get(normalize_type(akeneo_type))


def max_length(attribute: dict) -> int | None:
    """`max_length` of the field: identifier 255, text/textarea from the attribute."""
    akeneo_type = normalize_type(str(attribute.get("type")))
    declared = attribute.get("max_characters")
    if akeneo_type == IDENTIFIER:
        return TEXT_MAX_LENGTH
    if akeneo_type == TEXT:
        return int(declared) if declared else TEXT_MAX_LENGTH
    if akeneo_type == TEXTAREA:
        return int(declared) if declared else TEXTAREA_MAX_LENGTH
    return None
