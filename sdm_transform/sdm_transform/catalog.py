"""The catalog structure the transform reads, keyed by tap-akeneo stream names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

#: Streams the transform reads (tap-akeneo stream names, also the catalog-folder file names).
CATALOG_STREAMS: Final = (
    "channels",
    "locales",
    "currencies",
    "measurement_families",
    "attribute_groups",
    "attributes",
    "attribute_options",
    "families",
    "family_variants",
    "categories",
    "reference_entities",
    "reference_entity_attributes",
    "reference_entity_records",
    "asset_families",
)

#: Top-level streams every tap-akeneo run announces (a SCHEMA message before the first request,
#: even when the stream is empty or its endpoint missing; singer-sdk syncs them in name order,
#: children inside their parent). When one of these was never announced at the end of the input,
#: the tap stopped early and the catalog is incomplete: the sync fails and keeps the previous
#: project.json. A stop in the middle of a stream is caught by the loader's closing-STATE check.
REQUIRED_STREAMS: Final = (
    "channels",
    "locales",
    "currencies",
    "measurement_families",
    "attribute_groups",
    "attributes",
    "families",
    "categories",
    "reference_entities",
    "asset_families",
)

#: Streams the configuration sync does not need (the tap may still send them).
IGNORED_STREAMS: Final = frozenset({"products", "product_models"})

Catalog = dict[str, list[dict]]


class CatalogError(ValueError):
    """A catalog that cannot be read (names the file or stream and the reason)."""


def load_catalog_dir(path: str | Path, base: str | Path | None = None) -> Catalog:
    """Read a catalog folder (one JSON array per stream, ARCHITECTURE.md); missing files = none.

    `base` is a folder that supplies the files missing from `path` (e.g. the base data a PIM
    has built in: locales, currencies, measurement families).
    """
    folder = Path(path)
    if not folder.is_dir():
        raise CatalogError(f"catalog folder {folder} does not exist")
    catalog: Catalog = {}
    for stream in CATALOG_STREAMS:
        file = folder / f"{stream}.json"
        if not file.exists() and base is not None:
            file = Path(base) / f"{stream}.json"
        if not file.exists():
            continue
        try:
            items = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CatalogError(f"{file}: not readable JSON ({exc})") from exc
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise CatalogError(f"{file}: expected a JSON array of objects")
        catalog[stream] = items
    return catalog
