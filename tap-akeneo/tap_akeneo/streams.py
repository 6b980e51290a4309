"""The streams of tap-akeneo, one per Akeneo list endpoint.

Parents hand their code to child streams through the context (``attribute``, ``family``,
``reference_entity``); child records carry it. Children keep no per-parent state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from .client import AkeneoStream, IncrementalAkeneoStream

if TYPE_CHECKING:
    from collections.abc import Iterable

    from singer_sdk.helpers.types import Context

SELECT_TYPES = frozenset({
    "pim_catalog_simpleselect",
    "pim_catalog_multiselect",
    # Legacy reference-data selects have options too; Akeneo's sources spell them three ways.
    "pim_reference_data_simpleselect",
    "pim_reference_data_multiselect",
    "pim_catalog_reference_data_simpleselect",
    "pim_catalog_reference_data_multiselect",
    "pim_catalog_reference_data_simple_select",
    "pim_catalog_reference_data_multi_select",
})
"""Attribute types whose options are read (simple and multi select, reference-data selects)."""


class ChannelsStream(AkeneoStream):
    """Channels (scopes)."""

    name = "channels"
    path = "/channels"


class LocalesStream(AkeneoStream):
    """Locales (enabled and disabled)."""

    name = "locales"
    path = "/locales"


class CurrenciesStream(AkeneoStream):
    """Currencies."""

    name = "currencies"
    path = "/currencies"


class MeasurementFamiliesStream(AkeneoStream):
    """Measurement families (Akeneo 5+; one plain JSON array, no paging)."""

    name = "measurement_families"
    path = "/measurement-families"
    paged = False
    optional_endpoint = True


class AttributeGroupsStream(AkeneoStream):
    """Attribute groups."""

    name = "attribute_groups"
    path = "/attribute-groups"


class AttributesStream(AkeneoStream):
    """Attributes; select attributes feed ``attribute_options``."""

    name = "attributes"
    path = "/attributes"

    def url_params(self, context: Context | None) -> dict[str, Any]:
        """Ask for the options of table select columns: the push checks cells against them."""
        return {**super().url_params(context), "with_table_select_options": "true"}

    def generate_child_contexts(
        self, record: dict[str, Any], context: Context | None
    ) -> Iterable[Context | None]:
        """Only simple and multi select attributes have options to read."""
        del context
        if record.get("type") in SELECT_TYPES:
            yield {"attribute": record["code"]}


class AttributeOptionsStream(AkeneoStream):
    """Options of every simple and multi select attribute."""

    name = "attribute_options"
    path = "/attributes/{attribute}/options"
    parent_stream_type = AttributesStream
    primary_keys: ClassVar[list[str]] = ["attribute", "code"]
    parent_keys = ("attribute",)
    state_partitioning_keys: ClassVar[list[str]] = []


class FamiliesStream(AkeneoStream):
    """Families."""

    name = "families"
    path = "/families"

    def get_child_context(self, record: dict[str, Any], context: Context | None) -> Context:
        """Family variants are read per family."""
        del context
        return {"family": record["code"]}


class FamilyVariantsStream(AkeneoStream):
    """Family variants of every family (records carry ``family``)."""

    name = "family_variants"
    path = "/families/{family}/variants"
    parent_stream_type = FamiliesStream
    primary_keys: ClassVar[list[str]] = ["family", "code"]
    parent_keys = ("family",)
    state_partitioning_keys: ClassVar[list[str]] = []


class CategoriesStream(AkeneoStream):
    """Categories, parents before children (Akeneo's tree order)."""

    name = "categories"
    path = "/categories"


class AssociationTypesStream(AkeneoStream):
    """Association types."""

    name = "association_types"
    path = "/association-types"


class ReferenceEntitiesStream(AkeneoStream):
    """Reference entities (Enterprise Edition; search_after only, no ``limit``)."""

    name = "reference_entities"
    path = "/reference-entities"
    paged = False
    optional_endpoint = True

    def get_child_context(self, record: dict[str, Any], context: Context | None) -> Context:
        """Attributes and records are read per reference entity."""
        del context
        return {"reference_entity": record["code"]}


class ReferenceEntityAttributesStream(AkeneoStream):
    """Attributes of every reference entity (one plain JSON array per entity)."""

    name = "reference_entity_attributes"
    path = "/reference-entities/{reference_entity}/attributes"
    parent_stream_type = ReferenceEntitiesStream
    paged = False
    primary_keys: ClassVar[list[str]] = ["reference_entity", "code"]
    parent_keys = ("reference_entity",)
    state_partitioning_keys: ClassVar[list[str]] = []


class ReferenceEntityRecordsStream(AkeneoStream):
    """Records of every reference entity (search_after only, no ``limit``)."""

    name = "reference_entity_records"
    path = "/reference-entities/{reference_entity}/records"
    parent_stream_type = ReferenceEntitiesStream
    paged = False
    primary_keys: ClassVar[list[str]] = ["reference_entity", "code"]
    parent_keys = ("reference_entity",)
    state_partitioning_keys: ClassVar[list[str]] = []


class AssetFamiliesStream(AkeneoStream):
    """Asset families (Enterprise Edition; search_after only, no ``limit``)."""

    name = "asset_families"
    path = "/asset-families"
    paged = False
    optional_endpoint = True


class ProductsStream(IncrementalAkeneoStream):
    """Products by UUID (Akeneo 7+; ``/products`` on older PIMs), incremental on ``updated``."""

    name = "products"
    path = "/products-uuid"
    fallback_path = "/products"
    primary_keys: ClassVar[list[str]] = ["uuid"]


class ProductModelsStream(IncrementalAkeneoStream):
    """Product models, incremental on ``updated``."""

    name = "product_models"
    path = "/product-models"


STREAM_TYPES: list[type[AkeneoStream]] = [
    ChannelsStream,
    LocalesStream,
    CurrenciesStream,
    MeasurementFamiliesStream,
    AttributeGroupsStream,
    AttributesStream,
    AttributeOptionsStream,
    FamiliesStream,
    FamilyVariantsStream,
    CategoriesStream,
    AssociationTypesStream,
    ReferenceEntitiesStream,
    ReferenceEntityAttributesStream,
    ReferenceEntityRecordsStream,
    AssetFamiliesStream,
    ProductsStream,
    ProductModelsStream,
]
