"""Settling values with the PIM just before sending: options, assets, prices.

A value whose options or asset could not be settled is left out (and reported); a price is
merged into the prices the product or model already has (Akeneo replaces the collection), and
left out when those could not be read: a failed read costs only the values that needed it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from akeneo_client import AkeneoAuthError, AkeneoError

from target_akeneo.project import SELECT_KINDS, FieldSpec
from target_akeneo.state import (
    PRODUCTS,
    PushState,
)

if TYPE_CHECKING:
    from target_akeneo.rows import Key


MAX_SEARCH_CHARS = 4000  # keep GET URLs well under common server limits (8 kB)
MAX_REASON_CHARS = 200  # a read's error in the report: its status and message, never its URL


def read_error(exc: AkeneoError) -> str:
    """A failed read in a few words for the report (no URL: a search URL can hold 4 kB)."""
    status = f"HTTP {exc.status}" if exc.status is not None else "no response"
    message = " ".join(str(exc.message).split())
    if len(message) > MAX_REASON_CHARS:
        message = message[: MAX_REASON_CHARS - 3] + "..."
    return f"{status}: {message}" if message else status


def price_read_reason(what: str, exc: AkeneoError) -> str:
    """Why a price value was left out when the current prices could not be read."""
    return (
        f"price not sent: the {what}'s current prices could not be read ({read_error(exc)}); "
        "sending it alone would erase its other currencies"
    )


def identifier_searches(idents: list[str]) -> list[str]:
    """``search`` filters for up to 100 identifiers each, each short enough for a URL."""
    searches: list[str] = []
    chunk: list[str] = []
    size = 0
    for ident in idents:
        cost = len(quote(json.dumps(ident))) + 3
        if chunk and (len(chunk) >= 100 or size + cost > MAX_SEARCH_CHARS):
            searches.append(json.dumps({"identifier": [{"operator": "IN", "value": chunk}]}))
            chunk, size = [], 0
        chunk.append(ident)
        size += cost
    if chunk:
        searches.append(json.dumps({"identifier": [{"operator": "IN", "value": chunk}]}))
    return searches


def prices_of(item: dict[str, Any], specs: dict[Key, FieldSpec]) -> dict[Key, list[dict[str, Any]]]:
    """Price values of a product or model JSON, by (attribute, scope, locale)."""
    prices: dict[Key, list[dict[str, Any]]] = {}
    for attribute, entries in (item.get("values") or {}).items():
        for value in entries or []:
            key = (attribute, value.get("scope"), value.get("locale"))
            spec = specs.get(key)
            if spec is not None and spec.kind == "price" and isinstance(value.get("data"), list):
                prices[key] = [
                    {"amount": p.get("amount"), "currency": p.get("currency")}
                    for p in value["data"]
                    if isinstance(p, dict)
                ]
    return prices


class Fixes(PushState):
    """Last-moment settling of payload values."""

    @property
    def _identifier_attribute(self) -> str:
        field = self.project.identifier_field
        spec = self.project.specs.get(field) if field else None
        return spec.attribute if spec is not None else "sku"

    def _fix_values(
        self,
        values: dict[str, list[dict[str, Any]]],
        prices: dict[Key, list[dict[str, Any]]],
        price_error: str | None = None,
    ) -> list[tuple[Key, str, str]]:
        """Settle a payload's values in place; returns (key, field, reason) of those left out.

        ``price_error``: the current prices could not be read, so every price value is left
        out with that reason (Akeneo replaces a price collection whole).
        """
        dropped: list[tuple[Key, str, str]] = []
        for attribute in list(values):
            kept = []
            for value in values[attribute]:
                key = (attribute, value.get("scope"), value.get("locale"))
                spec = self.key_specs.get(key)
                if spec is None:
                    reason = None
                elif price_error is not None and spec.kind == "price":
                    reason = price_error
                else:
                    reason = self._fix_one(spec, value, prices.get(key))
                if reason is None:
                    kept.append(value)
                else:
                    dropped.append((key, spec.name if spec else attribute, reason))
            if kept:
                values[attribute] = kept
            else:
                del values[attribute]
        return dropped

    def _fix_one(
        self, spec: FieldSpec, value: dict[str, Any], existing: list[dict[str, Any]] | None
    ) -> str | None:
        kind = spec.kind
        if kind in SELECT_KINDS:
            target_kind, target = self.options.target_of(spec)
            codes = value["data"] if isinstance(value["data"], list) else [value["data"]]
            fixed, reasons = [], []
            for code in codes:
                final, reason = self.options.check(target_kind, target, code)
                if final is None:
                    reasons.append(reason or f"unknown option {code!r}")
                else:
                    fixed.append(final)
            if reasons:
                return "; ".join(reasons)
            value["data"] = fixed if isinstance(value["data"], list) else fixed[0]
        elif kind == "assets":
            family = spec.reference_data_name or ""
            for code in value["data"]:
                asset = self.assets.by_code(family, code)
                if asset is not None and asset.status != "ready":
                    return asset.reason or f"asset {code!r} could not be created"
        elif kind == "price" and existing:
            new = value["data"]
            currencies = {p.get("currency") for p in new}
            value["data"] = [p for p in existing if p.get("currency") not in currencies] + new
        return None

    def _existing_prices(
        self, path: str, params: dict[str, Any] | None, key_name: str
    ) -> dict[str, dict[Key, list[dict[str, Any]]]]:
        """Price values of existing products or models: id -> (attribute, scope, locale)."""
        result: dict[str, dict[Key, list[dict[str, Any]]]] = {}
        for item in self.client.iter_items(path, params=params) if params is not None else []:
            ident = item.get(key_name)
            if not isinstance(ident, str):
                continue
            result[ident] = prices_of(item, self.key_specs)
        return result

    def _product_prices(
        self, idents: list[str]
    ) -> tuple[dict[str, dict[Key, list[dict[str, Any]]]], dict[str, str]]:
        """Current prices by identifier, and the reason for identifiers whose read failed.

        Each search (up to 100 identifiers) stands alone: a failed one costs only the price
        values of its own products. A refused credential still stops the push.
        """
        attributes = sorted({s.attribute for s in self.key_specs.values() if s.kind == "price"})
        found: dict[str, dict[Key, list[dict[str, Any]]]] = {}
        failed: dict[str, str] = {}
        for search in identifier_searches(idents):
            params = {"search": search, "attributes": ",".join(attributes), "limit": 100}
            try:
                found.update(self._existing_prices(PRODUCTS, params, "identifier"))
            except AkeneoAuthError:
                raise
            except AkeneoError as exc:
                reason = price_read_reason("product", exc)
                failed.update(
                    (ident, reason)
                    for ident in json.loads(search)["identifier"][0]["value"]
                    if ident not in found
                )
        return found, failed

    def _existing_identifiers(self, idents: list[str]) -> set[str]:
        found: set[str] = set()
        for search in identifier_searches(idents):
            # Ask for the identifier attribute's values only: the answer stays small.
            params = {"search": search, "limit": 100, "attributes": self._identifier_attribute}
            found.update(
                str(item.get("identifier"))
                for item in self.client.iter_items(PRODUCTS, params=params)
            )
        return found
