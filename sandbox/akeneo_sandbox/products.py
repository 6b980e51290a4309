"""Products and product models: storage (validation is added in step 2)."""

from __future__ import annotations

import copy
import uuid as uuidlib
from typing import TYPE_CHECKING, Any

from . import clock

if TYPE_CHECKING:
    from .store import Store


def load_product(store: Store, item: dict[str, Any]) -> int:
    """Store a catalog product (``identifier`` given; a uuid is generated when absent)."""
    product = copy.deepcopy(item)
    ident = product.pop("identifier", None)
    uid = product.get("uuid") or str(uuidlib.uuid4())
    attr = store.identifier_attribute
    if ident and attr:
        product.setdefault("values", {})[attr] = [{"locale": None, "scope": None, "data": ident}]
        store.identifiers[ident] = uid
    now = clock.now()
    product.update({"uuid": uid, "created": clock.fmt(now), "updated": clock.fmt(now)})
    store.products[uid] = product
    return 201


def upsert_model(store: Store, code: str, item: dict[str, Any]) -> int:
    """Store a product model."""
    now = clock.fmt(clock.now())
    store.product_models[code] = {**copy.deepcopy(item), "created": now, "updated": now}
    return 201
