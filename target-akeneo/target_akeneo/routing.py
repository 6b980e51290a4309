"""Variant rows: each value goes to the level that owns it in its family variant.

Root model (level 0), sub model (level 1) or variant product: the level comes from
``project.json``'s family variants; where a model sits comes from the job's model rows or,
for a model the job does not hold, from the PIM (looked up once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from akeneo_client import AkeneoAuthError, AkeneoError, encode_line

from target_akeneo.models import ModelInfo, ModelState, values_payload
from target_akeneo.rows import Converted, Entry, Key, Media
from target_akeneo.state import (
    MODELS,
    PushState,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from target_akeneo.fixes import Fixes
    from target_akeneo.project import Variant


@dataclass(slots=True)
class PriceEntry(Entry):
    """A price value merged from several rows: each currency keeps the row it came from.

    Akeneo replaces a price collection whole while a row brings one amount per currency, so
    rows that reach the same model are merged per currency instead of replacing each other.
    """

    sources: dict[Any, Entry] = field(default_factory=dict)  # currency -> its row's entry


def _by_currency(entry: Entry) -> dict[Any, Entry]:
    """A price entry's amounts, one entry per currency (each with the row it came from)."""
    if isinstance(entry, PriceEntry):
        return dict(entry.sources)
    return {
        price.get("currency"): Entry([price], entry.row, entry.field, entry.ident)
        for price in entry.data
        if isinstance(price, dict)
    }


def merge_prices(base: Entry, over: Entry) -> tuple[PriceEntry, list[tuple[Entry, Entry]]]:
    """``base``'s prices with ``over``'s currencies taking precedence.

    Returns the merged entry (named after ``over``'s row) and, for each currency whose
    amount ``over`` really changes, the (overridden, winning) per-currency entries.
    """
    sources = _by_currency(base)
    overridden: list[tuple[Entry, Entry]] = []
    for currency, entry in _by_currency(over).items():
        earlier = sources.get(currency)
        if earlier is not None and earlier.data != entry.data:
            overridden.append((earlier, entry))
        sources[currency] = entry
    data = [price for entry in sources.values() for price in entry.data]
    return PriceEntry(data, over.row, over.field, over.ident, sources), overridden


def _currency(entry: Entry) -> str:
    """The currency of a one-currency entry, for the report."""
    return str(entry.data[0].get("currency")) if entry.data else "?"


class Routing(PushState):
    """Routing of values to product models, and the model payloads it builds."""

    def model_info(self, code: str) -> ModelInfo | None:
        """A model of the job, else of the PIM (looked up once), else None."""
        info = self.model_infos.get(code)
        if info is not None:
            if not info.checked and (info.parent is None or info.family_variant is None):
                # A job row that omits parent or family_variant updates a model as it is in
                # the PIM (PATCH leaves them unchanged): take them from there.
                info.checked = True
                known = self._pim_model(code)
                if known is not None:
                    info.parent = info.parent or known.parent
                    info.family_variant = info.family_variant or known.family_variant
            return info
        return self._pim_model(code)

    def _pim_model(self, code: str) -> ModelInfo | None:
        """The PIM's model ``code`` (None when it has none, or when it could not be read).

        A read that fails is remembered with its reason (the rows under that model fail
        with it; the other rows go on); a refused sign-in stops the push when it runs, as a
        failed warm-up does, instead of ending the reading of the job with a traceback.
        """
        if code in self._pim_models:
            return self._pim_models[code]
        if self._warm_error is not None:  # signed out: nothing can be read, run() stops
            return None
        try:
            found = self.client.get_json_or_none(f"{MODELS}/{quote(code, safe='')}")
        except AkeneoAuthError as exc:
            self._warm_error = exc
            return None
        except AkeneoError as exc:
            self._model_errors[code] = str(exc)
            found = None
        self._pim_models[code] = (
            ModelInfo(code, found.get("family_variant"), found.get("parent"), False)
            if isinstance(found, dict)
            else None
        )
        return self._pim_models[code]

    def variant_of(self, info: ModelInfo) -> str | None:
        """The family variant of a model (a sub model may inherit it from its parent)."""
        if info.family_variant:
            return info.family_variant
        if info.parent:
            parent = self.model_info(info.parent)
            return parent.family_variant if parent else None
        return None

    def _state(self, code: str) -> ModelState:
        state = self.models.get(code)
        if state is None:
            state = self.models[code] = ModelState(code)
        return state

    def _route_product(self, converted: Converted, data: dict[str, Any]) -> None:
        row, ident = converted.row, converted.ident
        assert ident is not None  # noqa: S101 - a product without identifier failed earlier
        values = converted.values
        media = converted.media
        if converted.parent is not None:
            self._job_parents[ident] = converted.parent
            info = self.model_info(converted.parent)
            if info is None:
                if self.ingesting:
                    self.deferred.append((converted, data))  # routed once all is read
                    return
                failed = self._model_errors.get(converted.parent)
                self.report.fail(
                    row,
                    ident,
                    f"parent product model {converted.parent!r} could not be read from the "
                    f"PIM: {failed}"
                    if failed
                    else f"unknown parent product model {converted.parent!r} "
                    "(not in the job nor in the PIM)",
                    attribute="parent",
                )
                self.spool.ids.occurrence(row, ident)
                return
            values, media = self._route_up(converted, info)
        occurrence = self.spool.ids.occurrence(row, ident)
        payload: dict[str, Any] = {"identifier": ident}
        if converted.family is not None:
            payload["family"] = converted.family
        if converted.parent is not None:
            payload["parent"] = converted.parent
        if converted.categories is not None:
            payload["categories"] = converted.categories
        if converted.enabled is not None:
            payload["enabled"] = converted.enabled
        payload["values"] = values
        count = sum(map(len, values.values()))
        line = encode_line(payload)
        self.spool.add(row, ident, line, count, converted.flags, occurrence=occurrence)
        if media:
            self.media.extend((ident, m) for m in media)

    def _entries(self, converted: Converted) -> Iterator[tuple[Key, Entry]]:
        """The converted values of a row one by one, with the field each came from."""
        for attribute, entries in converted.values.items():
            for value in entries:
                key = (attribute, value["scope"], value["locale"])
                spec = self.key_specs.get(key)
                name = spec.name if spec is not None else attribute
                yield key, Entry(value["data"], converted.row, name, converted.ident)

    def _route_up(
        self, converted: Converted, info: ModelInfo
    ) -> tuple[dict[str, list[dict[str, Any]]], list[Media]]:
        """Keep the product's own values; send the others to the model that owns them."""
        variant = self.project.variants.get(self.variant_of(info) or "")
        if variant is None:
            self.report.warn(
                converted.row,
                f"family variant of product model {info.code!r} is unknown to project.json: "
                "every value is sent to the variant product",
            )
            return converted.values, converted.media
        own_level = info.level + 1
        ancestors = {info.level: info.code}
        if info.parent:
            ancestors[0] = info.parent
        kept: dict[str, list[dict[str, Any]]] = {}
        family = variant.family_attributes  # empty when project.json lists none: no check
        for key, entry in self._entries(converted):
            if family and key[0] not in family:
                self._outside_family(converted, entry.field, key[0], variant)
                continue
            level = variant.level_of(key[0])
            if level >= own_level:
                kept.setdefault(key[0], []).append(
                    {"locale": key[2], "scope": key[1], "data": entry.data}
                )
                continue
            self._give(
                ancestors.get(level), key, entry, converted, level=level, variant=variant.code
            )
        media: list[Media] = []
        for item in converted.media:
            if family and item.key[0] not in family:
                self._outside_family(converted, item.field, item.key[0], variant)
                continue
            level = variant.level_of(item.key[0])
            if level >= own_level:
                media.append(item)
            elif level in ancestors:
                self._state(ancestors[level]).media.append((converted.ident, item))
            else:
                self.report.skip(
                    converted.row,
                    converted.ident,
                    item.field,
                    f"belongs to level {level} of family variant {variant.code}, "
                    "whose product model is unknown",
                )
        return kept, media

    def _later_categories(self, earlier: list[str] | None, later: list[str]) -> list[str]:
        """A later row of the same model: its categories win, tree by tree.

        With split category trees, a tree the later row leaves empty keeps the earlier row's
        codes (as a tree a row leaves empty keeps the PIM's); otherwise the later list wins.
        """
        fixes = cast("Fixes", self)
        if not earlier or not fixes._tree_names:
            return later
        return fixes._merge_categories(later, earlier)

    def _outside_family(
        self, converted: Converted, field: str, attribute: str, variant: Variant
    ) -> None:
        """Leave out a variant row's value for an attribute its family lacks.

        Akeneo would refuse the whole variant product (or model) for it; the rest goes on.
        """
        self.report.skip(
            converted.row,
            converted.ident,
            field,
            f"attribute {attribute!r} is not in family {variant.family!r} (project.json): "
            "a variant product or its models only take their family's attributes",
        )

    def _give(
        self,
        code: str | None,
        key: Key,
        entry: Entry,
        converted: Converted,
        *,
        level: int,
        variant: str,
    ) -> None:
        if code is None:
            self.report.skip(
                converted.row,
                converted.ident,
                entry.field,
                f"belongs to level {level} of family variant {variant}, "
                "whose product model is unknown",
            )
            return
        state = self._state(code)
        earlier = state.inherited.get(key)
        state.contributors.append(entry)
        if earlier is not None and self._mergeable(key, earlier, entry):
            merged, overridden = merge_prices(earlier, entry)
            for old, new in overridden:
                self.report.skip(
                    old.row,
                    old.ident,
                    old.field,
                    f"product model {code!r} takes its {_currency(old)} price from the later "
                    f"row {new.row}",
                )
                self.report.warn(
                    new.row,
                    f"{new.field}: product model {code!r} gets a different {_currency(new)} "
                    f"price from row {old.row}; the later row (row {new.row}) wins",
                )
            state.inherited[key] = merged
            return
        if earlier is not None and earlier.data != entry.data:
            self.report.skip(
                earlier.row,
                earlier.ident,
                earlier.field,
                f"product model {code!r} takes this value from the later row {entry.row}",
            )
            self.report.warn(
                entry.row,
                f"{entry.field}: product model {code!r} gets a different value from row "
                f"{earlier.row}; the later row (row {entry.row}) wins",
            )
        state.inherited[key] = entry

    def _mergeable(self, key: Key, earlier: Entry, entry: Entry) -> bool:
        """Whether two rows' values for one key are prices, merged per currency."""
        spec = self.key_specs.get(key)
        return (
            spec is not None
            and spec.kind == "price"
            and isinstance(earlier.data, list)
            and isinstance(entry.data, list)
        )

    def _set_own(self, state: ModelState, key: Key, entry: Entry) -> None:
        """A model's own row's value; a later own row's prices merge per currency."""
        earlier = state.own.get(key)
        if earlier is not None and self._mergeable(key, earlier, entry):
            entry, _ = merge_prices(earlier, entry)  # later own row wins, as for any value
        state.own[key] = entry

    def _convert_models(self) -> None:
        seen: dict[str, int] = {}
        for row, data in self.model_rows:
            converted = self.converter.convert(row, data, model=True)
            code = converted.ident
            if converted.failure is not None or code is None:
                self.report.fail(
                    row,
                    code,
                    converted.failure or "missing code",
                    attribute=converted.failure_attribute,
                )
                continue
            if code in seen:
                self.report.warn(
                    row, f"same product model code {code!r} as row {seen[code]}; later values win"
                )
            seen[code] = row
            info = self.model_info(code) or self.model_infos[code]
            state = self._state(code)
            state.rows.append(row)
            state.parent = info.parent
            state.family_variant = self.variant_of(info)
            if converted.categories is not None:
                state.categories = self._later_categories(state.categories, converted.categories)
            variant = self.project.variants.get(state.family_variant or "")
            if variant is None:
                if state.family_variant is None:
                    failed = self._model_errors.get(code) or self._model_errors.get(
                        state.parent or ""
                    )
                    self.report.fail(
                        row,
                        code,
                        "product model without family_variant: it could not be read from the "
                        f"PIM ({failed})"
                        if failed
                        else "product model without family_variant "
                        "(and no known parent to take it from)",
                        attribute="family_variant",
                    )
                    state.rows.remove(row)
                    continue
                for key, entry in self._entries(converted):
                    self._set_own(state, key, entry)
                state.media.extend((code, m) for m in converted.media)
                continue
            level = info.level
            for key, entry in self._entries(converted):
                owner = variant.level_of(key[0])
                if owner == level:
                    self._set_own(state, key, entry)
                elif owner < level and info.parent:
                    self._give(
                        info.parent, key, entry, converted, level=owner, variant=variant.code
                    )
                else:
                    self.report.skip(
                        row, code, entry.field, self._deeper(key[0], owner, variant.code)
                    )
            for item in converted.media:
                owner = variant.level_of(item.key[0])
                if owner == level:
                    state.media.append((code, item))
                elif owner < level and info.parent:
                    self._state(info.parent).media.append((code, item))
                else:
                    self.report.skip(
                        row, code, item.field, self._deeper(item.key[0], owner, variant.code)
                    )

    def _merge_model_values(
        self, state: ModelState
    ) -> tuple[dict[Key, Entry], list[tuple[Entry, Entry]], list[tuple[Entry, Entry]]]:
        """A model's final values: its own rows win, per currency for prices.

        Returns the values, the (descendant entry, own entry) pairs the own rows overrule,
        and the same for single currencies of prices.
        """
        values, overruled = state.merge_values()
        prices: list[tuple[Entry, Entry]] = []
        replaced: set[int] = set()
        for key, own in state.own.items():
            child = state.inherited.get(key)
            if child is not None and self._mergeable(key, child, own):
                values[key], overridden = merge_prices(child, own)
                prices.extend(overridden)
                replaced.add(id(child))
        if replaced:
            overruled = [pair for pair in overruled if id(pair[0]) not in replaced]
        return values, overruled, prices

    @staticmethod
    def _deeper(attribute: str, level: int, variant: str) -> str:
        return (
            f"attribute {attribute} belongs to level {level} of family variant {variant} "
            "(a lower level): it cannot be set on this product model"
        )

    def _model_payloads(self, level: int) -> list[tuple[ModelState, dict[str, Any]]]:
        result = []
        for code, state in self.models.items():
            info = self.model_info(code)
            if info is None:
                if level == 0:  # report once: values routed to a model that does not exist
                    for entry in state.contributors:
                        self.report.skip(
                            entry.row,
                            entry.ident,
                            entry.field,
                            f"routed to product model {code!r}, which is "
                            "neither in the job nor in the PIM",
                        )
                continue
            if info.level != level:
                continue
            values, overruled, prices = self._merge_model_values(state)
            per_currency = {id(child) for child, _ in prices}
            for child, own in overruled + prices:
                what = f"{_currency(child)} price" if id(child) in per_currency else "value"
                self.report.skip(
                    child.row,
                    child.ident,
                    child.field,
                    f"product model {code!r} row {own.row} sets a different {what}; "
                    "the model's own row wins",
                )
            if not state.rows and not values:
                continue
            payload: dict[str, Any] = {"code": code}
            if state.rows:
                if state.family_variant:
                    payload["family_variant"] = state.family_variant
                if state.parent:
                    payload["parent"] = state.parent
                if state.categories is not None:
                    payload["categories"] = state.categories
            payload["values"] = values_payload(values)
            result.append((state, payload))
        return result

