"""In-memory PIM data, guarded by one lock (the server is threaded)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

IDENTIFIER = "pim_catalog_identifier"


@dataclass
class MediaFile:
    """A stored upload: metadata as Akeneo returns it, plus the bytes."""

    code: str
    original_filename: str
    mime_type: str
    content: bytes

    def describe(self) -> dict[str, Any]:
        """Return the media file JSON (without ``_links``)."""
        name = self.original_filename
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return {"code": self.code, "original_filename": self.original_filename,
                "mime_type": self.mime_type, "size": len(self.content), "extension": ext}


@dataclass
class Store:
    """Every resource of the sandbox PIM, keyed by code (products by uuid)."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    locales: dict[str, dict[str, Any]] = field(default_factory=dict)
    currencies: dict[str, dict[str, Any]] = field(default_factory=dict)
    measurement_families: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    attribute_groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    options: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    families: dict[str, dict[str, Any]] = field(default_factory=dict)
    family_variants: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    association_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    reference_entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    re_attributes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    re_options: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    re_records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    asset_families: dict[str, dict[str, Any]] = field(default_factory=dict)
    asset_attributes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    asset_options: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    assets: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    product_models: dict[str, dict[str, Any]] = field(default_factory=dict)
    products: dict[str, dict[str, Any]] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)
    media: dict[str, MediaFile] = field(default_factory=dict)
    asset_media: dict[str, MediaFile] = field(default_factory=dict)
    updated: dict[tuple[str, str], datetime] = field(default_factory=dict)
    # Derived indexes, kept in step with writes.
    enabled_locales: set[str] = field(default_factory=set)
    enabled_currencies: set[str] = field(default_factory=set)
    unique_index: dict[str, dict[str, str]] = field(default_factory=dict)
    child_products: dict[str, set[str]] = field(default_factory=dict)
    child_models: dict[str, set[str]] = field(default_factory=dict)
    # Lookups derived from the catalog structure (cleared on every structure write).
    caches: dict[Any, Any] = field(default_factory=dict)

    def invalidate(self) -> None:
        """Forget derived lookups after a structure change."""
        self.caches.clear()

    # -- derived data ------------------------------------------------------------------
    def refresh_channel_usage(self) -> None:
        """A locale or currency is enabled once a channel uses it."""
        locales: set[str] = set()
        currencies: set[str] = set()
        for channel in self.channels.values():
            locales.update(channel.get("locales") or [])
            currencies.update(channel.get("currencies") or [])
        self.enabled_locales = locales
        self.enabled_currencies = currencies
        self.invalidate()

    @property
    def identifier_attribute(self) -> str | None:
        """The main identifier attribute's code (the first identifier attribute)."""
        if "identifier" not in self.caches:
            self.caches["identifier"] = next(
                (str(a["code"]) for a in self.attributes.values()
                 if a["type"] == IDENTIFIER and a.get("is_main_identifier", True)), None)
        return self.caches["identifier"]

    @property
    def unique_attributes(self) -> tuple[str, ...]:
        """Codes of the unique attributes other than identifiers."""
        if "unique" not in self.caches:
            self.caches["unique"] = tuple(a["code"] for a in self.attributes.values()
                                          if a["unique"] and a["type"] != IDENTIFIER)
        return self.caches["unique"]

    @property
    def unique_set(self) -> frozenset[str]:
        """``unique_attributes`` for membership tests (one lookup per value written)."""
        if "unique_set" not in self.caches:
            self.caches["unique_set"] = frozenset(self.unique_attributes)
        return self.caches["unique_set"]

    def family_variant(self, family: str | None, code: str | None) -> dict[str, Any] | None:
        """Return a family variant, or None."""
        if family is None or code is None:
            return None
        return self.family_variants.get(family, {}).get(code)

    def find_family_variant(self, code: str) -> tuple[str, dict[str, Any]] | None:
        """Find a family variant by code across families (codes are unique in Akeneo)."""
        for family, variants in self.family_variants.items():
            if code in variants:
                return family, variants[code]
        return None

    def category_descendants(self, code: str) -> set[str]:
        """Return the codes of a category and all its descendants."""
        children: dict[str | None, list[str]] = {}
        for cat in self.categories.values():
            children.setdefault(cat.get("parent"), []).append(cat["code"])
        out: set[str] = set()
        stack = [code]
        while stack:
            current = stack.pop()
            if current in out:
                continue
            out.add(current)
            stack.extend(children.get(current, []))
        return out

    def category_tree_order(self) -> list[dict[str, Any]]:
        """Categories in tree order (each root, then its subtree depth first)."""
        children: dict[str | None, list[dict[str, Any]]] = {}
        for cat in self.categories.values():
            children.setdefault(cat.get("parent"), []).append(cat)
        out: list[dict[str, Any]] = []
        stack = list(reversed(children.get(None, [])))
        while stack:
            cat = stack.pop()
            out.append(cat)
            stack.extend(reversed(children.get(cat["code"], [])))
        return out
