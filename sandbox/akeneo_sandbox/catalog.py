"""Load a catalog folder (Akeneo JSON arrays, one file per resource) into a store."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from . import entities, products, structure
from .errors import ApiError, CatalogError
from .store import Store

DATA = resources.files("akeneo_sandbox") / "data"
DEMO_CATALOG = Path(str(resources.files("akeneo_sandbox") / "catalogs" / "demo"))

Loader = Callable[[Store, dict[str, Any]], int]
ASSOCIATIONS = ("associations", "quantified_associations")


def _strip(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in keys and k != "_links"}


def _code(item: dict[str, Any]) -> str:
    code = item.get("code")
    if not isinstance(code, str):
        raise ApiError(422, "Code is missing.")
    return code


# File name -> how one item is written. Order matters: referenced data first.
ORDER: list[tuple[str, Loader]] = [
    ("categories.json", lambda s, i: structure.upsert_category(s, _code(i), i)),
    ("channels.json", lambda s, i: structure.upsert_channel(s, _code(i), i)),
    ("attribute_groups.json",
     lambda s, i: structure.upsert_attribute_group(s, _code(i), _strip(i, "attributes"))),
    ("reference_entities.json",
     lambda s, i: entities.upsert_reference_entity(s, _code(i), i)),
    ("reference_entity_attributes.json",
     lambda s, i: entities.upsert_re_attribute(s, i["reference_entity"], _code(i),
                                               _strip(i, "reference_entity"))),
    ("reference_entity_attribute_options.json",
     lambda s, i: entities.upsert_re_option(s, i["reference_entity"], i["attribute"], _code(i),
                                            _strip(i, "reference_entity", "attribute"))),
    ("asset_families.json", lambda s, i: entities.upsert_asset_family(s, _code(i), i)),
    ("asset_family_attributes.json",
     lambda s, i: entities.upsert_asset_attribute(s, i["asset_family"], _code(i),
                                                  _strip(i, "asset_family"))),
    ("asset_family_attribute_options.json",
     lambda s, i: entities.upsert_asset_option(s, i["asset_family"], i["attribute"], _code(i),
                                               _strip(i, "asset_family", "attribute"))),
    ("reference_entity_records.json",
     lambda s, i: entities.upsert_record(s, i["reference_entity"], _code(i),
                                         _strip(i, "reference_entity"))),
    ("assets.json",
     lambda s, i: entities.upsert_asset(s, i["asset_family_code"], _code(i), i)),
    ("attributes.json", lambda s, i: structure.upsert_attribute(s, _code(i), i)),
    ("attribute_groups.json",
     lambda s, i: structure.upsert_attribute_group(s, _code(i), {"attributes": i["attributes"]})
     if i.get("attributes") else 204),
    ("attribute_options.json",
     lambda s, i: structure.upsert_option(s, i["attribute"], _code(i), i)),
    ("families.json", lambda s, i: structure.upsert_family(s, _code(i), i)),
    ("family_variants.json",
     lambda s, i: structure.upsert_family_variant(s, i["family"], _code(i), _strip(i, "family"))),
    ("association_types.json", lambda s, i: structure.upsert_association_type(s, _code(i), i)),
    ("product_models.json",
     lambda s, i: products.upsert_model(s, _code(i), _strip(i, *ASSOCIATIONS), check_media=False)),
    ("products.json", lambda s, i: products.load_product(s, _strip(i, *ASSOCIATIONS))),
]
# Associations may point at products further down the files: applied in a second pass.
SECOND_PASS: list[tuple[str, Loader]] = [
    ("product_models.json",
     lambda s, i: products.upsert_model(
         s, _code(i), {k: i[k] for k in ASSOCIATIONS if k in i}, check_media=False)),
    ("products.json",
     lambda s, i: products.load_product(
         s, {k: i[k] for k in ("identifier", "uuid", *ASSOCIATIONS) if k in i})),
]


def read_items(path: Path) -> list[dict[str, Any]]:
    """Read one catalog file: a JSON array of objects."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise CatalogError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, list) or not all(isinstance(i, dict) for i in data):
        raise CatalogError(f"{path}: expected a JSON array of objects")
    return data


def load_base(store: Store, folder: Path | None = None) -> None:
    """Load locales, currencies and measurement families (the folder's, else built-in)."""
    def pick(name: str) -> list[dict[str, Any]]:
        if folder is not None and (folder / name).is_file():
            return read_items(folder / name)
        return list(json.loads((DATA / name).read_text(encoding="utf-8")))

    for item in pick("locales.json"):
        store.locales[item["code"]] = {"code": item["code"]}
    for item in pick("currencies.json"):
        entry = {"code": item["code"]}
        if "label" in item:
            entry["label"] = item["label"]
        store.currencies[item["code"]] = entry
    for item in pick("measurement_families.json"):
        _apply(store, "measurement_families.json", item,
               lambda s, i: structure.upsert_measurement_family(s, _code(i), i))


def _apply(store: Store, name: str, item: dict[str, Any], loader: Loader) -> None:
    try:
        loader(store, item)
    except ApiError as exc:
        key = item.get("code") or item.get("identifier") or item.get("uuid")
        detail = "; ".join(f"{e.get('property')}: {e.get('message')}" for e in exc.errors or [])
        raise CatalogError(f"{name}: item {key!r} refused ({exc.status}): {exc.message}"
                           + (f" [{detail}]" if detail else "")) from None
    except KeyError as exc:
        raise CatalogError(f"{name}: item {item.get('code')!r} lacks the key {exc}") from None


def _sort_models(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda m: m.get("parent") is not None)


def load_catalog(store: Store, folder: Path) -> None:
    """Load a whole catalog folder; a refused item raises :class:`CatalogError`."""
    if not folder.is_dir():
        raise CatalogError(f"catalog folder not found: {folder}")
    with store.lock:
        load_base(store, folder)
        for name, loader in ORDER:
            path = folder / name
            if not path.is_file():
                continue
            items = read_items(path)
            if name == "product_models.json":
                items = _sort_models(items)
            for item in items:
                _apply(store, name, item, loader)
        for name, loader in SECOND_PASS:
            path = folder / name
            if path.is_file():
                for item in read_items(path):
                    if any(item.get(k) for k in ASSOCIATIONS):
                        _apply(store, name, item, loader)
        store.refresh_channel_usage()


def load_empty(store: Store) -> None:
    """A near-empty PIM as a minimal fresh install has it."""
    with store.lock:
        load_base(store)
        structure.upsert_category(store, "master", {"labels": {"en_US": "Master catalog"}})
        structure.upsert_channel(store, "ecommerce", {
            "category_tree": "master", "locales": ["en_US"], "currencies": ["USD"],
            "labels": {"en_US": "Ecommerce"}})
        structure.upsert_attribute_group(store, "other", {"labels": {"en_US": "Other"}})
        structure.upsert_attribute(store, "sku", {
            "type": "pim_catalog_identifier", "group": "other", "unique": True,
            "useable_as_grid_filter": True, "labels": {"en_US": "SKU"}})
        store.refresh_channel_usage()
