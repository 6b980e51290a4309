"""Settling values with the PIM just before sending: options, assets, prices, categories.

A value whose options or asset could not be settled is left out (and reported); a price is
merged into the prices the product or model already has (Akeneo replaces the collection), and
left out when those could not be read: a failed read costs only the values that needed it.
Split category trees (``categories-{root}``) are merged the same way: Akeneo replaces the
``categories`` list whole, so the current categories of the trees a row leaves empty are kept.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from akeneo_client import AkeneoAuthError, AkeneoError

from target_akeneo.project import SELECT_KINDS, FieldSpec, Project
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


def price_read_reason(what: str, exc: AkeneoError | str) -> str:
    """Why a price value was left out when the current prices could not be read."""
    error = exc if isinstance(exc, str) else read_error(exc)
    return (
        f"price not sent: the {what}'s current prices could not be read ({error}); "
        "sending it alone would erase its other currencies"
    )


def categories_read_reason(what: str, error: str) -> str:
    """Why a row's split category trees were left out when the current ones could not be read."""
    return (
        f"categories not sent: the {what}'s current categories could not be read ({error}); "
        "sending the given trees alone would erase the others"
    )


def category_trees(project: Project) -> dict[str, str]:
    """Category code -> its split hierarchy (``categories-{root}``); empty without split trees."""
    hierarchies = project.document.get("hierarchies") or {}
    trees: dict[str, str] = {}
    for name in sorted(project.category_fields - {"categories"}):
        for category in hierarchies.get(name) or []:
            if isinstance(category, dict) and isinstance(category.get("code"), str):
                trees.setdefault(category["code"], name)
    return trees


def categories_of(item: dict[str, Any]) -> list[str]:
    """Category codes of a product or model JSON."""
    return [c for c in item.get("categories") or [] if isinstance(c, str)]


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

    @functools.cached_property
    def _category_trees(self) -> dict[str, str]:
        return category_trees(self.project)

    @functools.cached_property
    def _tree_names(self) -> frozenset[str]:
        return frozenset(self.project.category_fields - {"categories"})

    def _missing_trees(self, codes: list[str]) -> frozenset[str]:
        """Split trees none of ``codes`` belongs to (empty without split trees)."""
        names = self._tree_names
        if not names:
            return names
        trees = self._category_trees
        return names - {trees.get(code) for code in codes}

    def _merge_categories(self, own: list[str], current: list[str]) -> list[str]:
        """The row's codes plus the current ones of the trees it left empty.

        A current code found in no tree of project.json is kept: what cannot be placed is
        never erased.
        """
        missing = self._missing_trees(own)
        trees = self._category_trees
        given = set(own)
        kept = [
            code
            for code in current
            if code not in given and (code not in trees or trees[code] in missing)
        ]
        return [*own, *dict.fromkeys(kept)]

    def _search_products(
        self, idents: list[str], attributes: list[str]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
        """The PIM's products among ``idents`` (with only ``attributes``' values); read errors.

        One search per 100 identifiers; each stands alone: a failed one costs only its own
        identifiers (``read_error`` by identifier). A refused credential stops the push.
        """
        found: dict[str, dict[str, Any]] = {}
        failed: dict[str, str] = {}
        for search in identifier_searches(idents):
            params = {"search": search, "attributes": ",".join(attributes), "limit": 100}
            chunk: dict[str, dict[str, Any]] = {}
            try:
                for item in self.client.iter_items(PRODUCTS, params=params):
                    ident = item.get("identifier")
                    if isinstance(ident, str):
                        chunk[ident] = item
            except AkeneoAuthError:
                raise
            except AkeneoError as exc:
                error = read_error(exc)
                failed.update(
                    (ident, error)
                    for ident in json.loads(search)["identifier"][0]["value"]
                    if ident not in found
                )
                continue
            found.update(chunk)
        return found, failed

    def _current_products(
        self, idents: list[str], *, prices: bool
    ) -> tuple[dict[str, tuple[dict[Key, list[dict[str, Any]]], list[str]]], dict[str, str]]:
        """Current prices (when ``prices``) and categories by identifier; read errors by id.

        One search (up to 100 identifiers) serves both.
        """
        if prices:
            attributes = sorted(
                {s.attribute for s in self.key_specs.values() if s.kind == "price"}
            )
        else:  # categories only: the identifier attribute keeps the answer small
            attributes = [self._identifier_attribute]
        items, failed = self._search_products(idents, attributes)
        found = {
            ident: (prices_of(item, self.key_specs) if prices else {}, categories_of(item))
            for ident, item in items.items()
        }
        return found, failed

    def _pim_parents(self, idents: list[str]) -> tuple[dict[str, str], dict[str, str]]:
        """Parents of the PIM's variant products among ``idents``; read errors by id.

        Only the identifier attribute is asked for: the product's ``parent`` comes with it.
        """
        items, failed = self._search_products(idents, [self._identifier_attribute])
        parents = {
            ident: item["parent"]
            for ident, item in items.items()
            if isinstance(item.get("parent"), str) and item["parent"]
        }
        return parents, failed

    def _existing_identifiers(self, idents: list[str]) -> tuple[set[str], dict[str, str]]:
        """The PIM's identifiers among ``idents``; read errors by id."""
        items, failed = self._search_products(idents, [self._identifier_attribute])
        return set(items), failed
