"""Reference entities and Asset Manager (EE): upserts (filled in step 3)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from . import clock

if TYPE_CHECKING:
    from .store import Store


def _put(table: dict[str, dict[str, Any]], code: str, item: dict[str, Any]) -> int:
    current = table.get(code)
    new = {**(current or {}), **copy.deepcopy(item), "code": code}
    table[code] = new
    return 201 if current is None else 204


def upsert_reference_entity(store: Store, code: str, patch: dict[str, Any]) -> int:
    """Upsert a reference entity."""
    store.re_attributes.setdefault(code, {})
    store.re_records.setdefault(code, {})
    return _put(store.reference_entities, code, {"labels": {}, "image": None, **patch})


def upsert_re_attribute(store: Store, entity: str, code: str, patch: dict[str, Any]) -> int:
    """Upsert a reference entity attribute."""
    return _put(store.re_attributes.setdefault(entity, {}), code, patch)


def upsert_re_option(store: Store, entity: str, attribute: str, code: str,
                     patch: dict[str, Any]) -> int:
    """Upsert a reference entity attribute option."""
    return _put(store.re_options.setdefault((entity, attribute), {}), code, patch)


def upsert_record(store: Store, entity: str, code: str, patch: dict[str, Any]) -> int:
    """Upsert a record."""
    stamp = clock.fmt(clock.now())
    return _put(store.re_records.setdefault(entity, {}), code,
                {"values": {}, "created": stamp, "updated": stamp, **patch})


def upsert_asset_family(store: Store, code: str, patch: dict[str, Any]) -> int:
    """Upsert an asset family."""
    store.asset_attributes.setdefault(code, {})
    store.assets.setdefault(code, {})
    return _put(store.asset_families, code, {"labels": {}, **patch})


def upsert_asset_attribute(store: Store, family: str, code: str, patch: dict[str, Any]) -> int:
    """Upsert an asset attribute."""
    return _put(store.asset_attributes.setdefault(family, {}), code, patch)


def upsert_asset_option(store: Store, family: str, attribute: str, code: str,
                        patch: dict[str, Any]) -> int:
    """Upsert an asset attribute option."""
    return _put(store.asset_options.setdefault((family, attribute), {}), code, patch)


def upsert_asset(store: Store, family: str, code: str, patch: dict[str, Any]) -> int:
    """Upsert an asset."""
    stamp = clock.fmt(clock.now())
    return _put(store.assets.setdefault(family, {}), code,
                {"values": {}, "created": stamp, "updated": stamp, **patch,
                 "asset_family_code": family})
