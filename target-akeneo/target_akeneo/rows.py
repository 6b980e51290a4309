"""One job row -> converted values, reserved properties and pending work (contract §6-§7).

The converter knows nothing of HTTP: it checks and converts each value, counts empty and
unknown fields, and notes what must be settled with the PIM later (options the project does
not know, assets to create, prices to merge, media to upload).
"""

from __future__ import annotations

import functools
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from target_akeneo.convert import (
    CODE_RE,
    SkipValueError,
    is_empty,
    kind_of,
    lookup_codes,
    reserved_code,
    single_code,
    split_multi,
    to_boolean,
    to_date,
    to_number,
    to_table,
    to_text,
)
from target_akeneo.fixes import category_trees
from target_akeneo.media import safe_job_path
from target_akeneo.project import CREATABLE_KINDS, MULTI_KINDS, FieldSpec
from target_akeneo.shapes import Plan, Shapes
from target_akeneo.spool import FIX_ASSETS, FIX_CATEGORIES, FIX_OPTIONS, FIX_PRICE

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from target_akeneo.media import AssetPlan
    from target_akeneo.options import OptionRegistry
    from target_akeneo.project import Project
    from target_akeneo.report import Report

Key = tuple[str, str | None, str | None]  # attribute, channel (scope), locale
#: Kinds whose fast converter reads nothing but the value (a metric also reads its unit field)
PURE_KINDS = frozenset({"select", "multiselect", "boolean", "date", "number"})
IDENTIFIER_MAX = 255
PLAIN_CATEGORY_LISTS = 4096  # distinct category lists remembered as clean
_PASS = object()


class _EmptyValueError(Exception):
    """A value that is empty once split (``";"``): counted as empty, never sent."""


RESERVED = frozenset({"_type", "family", "family_variant", "parent", "categories", "enabled"})
NOT_FOR_PRODUCTS = (
    "family_variant applies to product models only; a variant product takes its parent's"
)
_ABSENT = object()  # a reserved key the row does not hold (``null`` is an empty value)


@dataclass(slots=True)
class Entry:
    """One value given to a product model: its data and the row and field it came from."""

    data: Any
    row: int
    field: str
    ident: str | None = None  # identifier (or model code) of the row it came from


@dataclass(slots=True)
class Media:
    """A media file to upload into one value once its product (or model) exists."""

    row: int
    field: str
    key: Key
    path: Path


@dataclass(slots=True)
class Converted:
    """What a row holds once converted."""

    row: int
    ident: str | None
    failure: str | None = None
    failure_attribute: str | None = None
    family: str | None = None
    family_variant: str | None = None
    parent: str | None = None
    categories: list[str] | None = None
    enabled: bool | None = None
    values: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # Akeneo's shape
    flags: int = 0  # FIX_* bits: what must be settled with the PIM before sending
    media: list[Media] = field(default_factory=list)

    def put(self, spec: FieldSpec, data: Any) -> None:
        """Add one converted value, in Akeneo's ``values`` shape."""
        entry = {"locale": spec.locale, "scope": spec.channel, "data": data}
        found = self.values.get(spec.attribute)
        if found is None:
            self.values[spec.attribute] = [entry]
        else:
            found.append(entry)

    def count(self) -> int:
        """Number of (attribute, channel, locale) values."""
        return sum(map(len, self.values.values()))


class Converter:
    """Converts rows against one project; reports skipped, empty and unknown values."""

    compile_shapes = True  # rows of a repeated shape use its compiled converter (shapes.py)

    def __init__(
        self,
        project: Project,
        report: Report,
        job_dir: Path,
        options: OptionRegistry,
        assets: AssetPlan,
    ) -> None:
        self.project = project
        self.report = report
        self.job_dir = job_dir
        self.options = options
        self.assets = assets
        self._category_keys = ["categories", *sorted(project.category_fields - {"categories"})]
        # category lists seen known, unique and clean: they are sent as they are
        self._plain_categories: set[tuple[Any, ...]] = set()
        # split trees: code -> its tree, to tell which trees a row leaves empty
        self._trees = category_trees(project)
        self._tree_names = frozenset(self._category_keys[1:])
        self._family_codes = frozenset(f for f in project.families if f and f == f.strip())
        # unit/currency field -> its amount field, and back (the names rows use)
        self._amount_of = {c.name: amount for amount, c in project.companions.items()}
        self._companion_of = {amount: c.name for amount, c in project.companions.items()}
        # companions whose amount field a compiled shape lacks, by shape converter
        self._lone: dict[Any, tuple[str, ...]] = {}
        self._late: list[str] = []  # such companions met by the loop of one simple product
        # Row key -> field spec (None: unknown, _PASS: reserved or companion), per row kind.
        self._plans: dict[bool, dict[str, Any]] = {False: {}, True: {}}
        # Simple products: row key -> (spec or _PASS or None, attribute, converter or None)
        self._fast: dict[str, Plan] = {}
        # Compiled converters of simple products' row shapes (keyed by their identifier field)
        key_field = project.identifier_field or ""
        self._shapes = Shapes(lambda name: self._planned(name, key_field), _PASS, SkipValueError)
        handlers: dict[str, Callable[..., None]] = {
            "text": self._text,
            "number": self._number,
            "boolean": self._boolean,
            "date": self._date,
            "metric": self._metric_value,
            "price": self._price_value,
            "table": self._table,
            "media": self._media,
            "assets": self._asset_value,
        }
        for kind in ("select", "multiselect", "record", "records", "refdata", "refdata_multi"):
            handlers[kind] = self._select_value
        self._handlers: dict[str, Callable[..., None]] = defaultdict(
            lambda: self._unsupported, handlers
        )

    # -- rows ------------------------------------------------------------------------------

    def convert(self, row: int, data: dict[str, Any], *, model: bool) -> Converted:
        """Convert one row; a row-level problem sets ``failure`` (the row is not sent).

        A simple product's ``values`` are valid until the next row is converted (compiled
        shapes reuse their value entries, see ``shapes``): serialize or copy them first.
        """
        project = self.project
        key_field = "code" if model else project.identifier_field
        if key_field is None:
            out = Converted(row, None)
            out.failure = "project.json has no identifier field: run the configuration sync"
            return out
        ident, problem = _identifier(data.get(key_field), key_field)
        if problem and model and ident is None:
            problem = problem.replace("identifier", "product model code", 1)
        out = Converted(row, ident)
        if problem:
            out.failure, out.failure_attribute = problem, None if model else key_field
            return out
        self._reserved(out, data, model=model)
        if out.failure:
            return out
        if not model and out.parent is None:
            # A simple product is serialized as it is converted (it is never routed): each
            # value goes straight to JSON text, which costs half of building dicts and
            # encoding them.
            self._convert_simple(out, data, key_field)
            return out
        plans = self._plans[model]
        values = out.values
        report = self.report
        for name, value in data.items():
            try:
                spec = plans[name]
            except KeyError:
                spec = plans[name] = self._plan(name, key_field)
            if spec is _PASS:
                amount = self._amount_of.get(name)
                if amount is not None and amount not in data:
                    self._lone_companion(out, name, data)
                continue
            if is_empty(value):
                report.add("values_skipped_empty")
                companion = self._companion_of.get(name)
                if companion is not None and companion in data:
                    self._lone_companion(out, companion, data)
                continue
            if spec is None:
                report.unknown(name)
                continue
            try:
                if spec.kind == "text" and type(value) is str:  # the commonest value
                    if spec.max_length is not None and len(value) > spec.max_length:
                        to_text(spec, value)  # raises with the reason
                    entry = {"locale": spec.locale, "scope": spec.channel, "data": value}
                    found = values.get(spec.attribute)
                    if found is None:
                        values[spec.attribute] = [entry]
                    else:
                        found.append(entry)
                else:
                    self._handlers[spec.kind](out, spec, name, value, data)
            except SkipValueError as exc:
                report.skip(row, ident, name, str(exc))
            except _EmptyValueError:  # e.g. ";" for a multi select: nothing left to send
                report.add("values_skipped_empty")
        return out

    def _convert_simple(self, out: Converted, data: dict[str, Any], key_field: str) -> None:
        """The values of a simple product (the hot path: it is never routed).

        Each field name is planned once: its spec and, for the common kinds, a converter
        made for that field (see ``_fast_converter``); the others go through the handlers.
        Rows of a shape seen before run that shape's compiled converter (``shapes``), which
        does the same without the loop. Values are collected in Akeneo's shape and the whole
        product is serialized once (``akeneo_client.encode_line``), which costs less than
        building each value's JSON text.
        """
        compiled = self._shapes.get(tuple(data)) if self.compile_shapes else None
        if compiled is not None:
            compiled(out, data, self._general_value)
            lone = self._lone.get(compiled)
            if lone is None:  # the shape's companions without their amount field
                amount_of = self._amount_of
                lone = self._lone[compiled] = tuple(
                    n for n in data if n in amount_of and amount_of[n] not in data
                )
            if lone:
                for name in lone:
                    self._lone_companion(out, name, data)
            return
        fast = self._fast
        values: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        out.values = values
        general = self._general_value
        for name, value in data.items():
            try:
                plan = fast[name]
            except KeyError:
                plan = self._planned(name, key_field)
            if (
                type(value) is str
                and 0 < len(value) <= plan.limit
                and not value.isspace()
            ):  # text, the commonest value, inlined: not blank, within its length
                values[plan.attribute].append(
                    {"locale": plan.locale, "scope": plan.scope, "data": value}
                )
                continue
            general(out, name, value, data, plan)
        if self._late:  # after the values, as a compiled shape reports them
            for name in self._late:
                self._lone_companion(out, name, data)
            self._late.clear()

    def _planned(self, name: str, key_field: str) -> Plan:
        plan = self._fast.get(name)
        if plan is None:
            plan = self._fast[name] = self._fast_plan(name, key_field)
        return plan

    def _general_value(
        self, out: Converted, name: str, value: Any, data: dict[str, Any], plan: Plan
    ) -> None:
        """One value of a simple product, any kind, any input (the inlined path aside)."""
        spec, attribute, convert, locale, scope = plan[:5]
        if spec is _PASS:
            amount = self._amount_of.get(name)
            if amount is not None and amount not in data:
                self._late.append(name)  # reported after the row's values
            return
        type_of = type(value)
        # empty: null, "", whitespace only, [] or {}
        if value is None or (
            (type_of is str and (not value or value.isspace()))
            or (type_of in (list, dict) and not value)
        ):
            self.report.add("values_skipped_empty")
            companion = self._companion_of.get(name)
            if companion is not None and companion in data:
                self._lone_companion(out, companion, data)
            return
        if spec is None:
            self.report.unknown(name)
            return
        try:
            if convert is not None:
                converted = convert(value, data)
                if converted is not None:
                    out.values[attribute].append(
                        {"locale": locale, "scope": scope, "data": converted}
                    )
                    return
            self._handlers[spec.kind](out, spec, name, value, data)
        except SkipValueError as exc:
            self.report.skip(out.row, out.ident, name, str(exc))
        except _EmptyValueError:  # e.g. ";" for a multi select: nothing left to send
            self.report.add("values_skipped_empty")

    def _lone_companion(self, out: Converted, name: str, data: dict[str, Any]) -> None:
        """A unit or currency field whose amount field is missing or empty: never sent.

        Counted as empty when it is empty too, else listed with the reason (contract §7:
        every value not sent is in the report).
        """
        value = data[name]
        if is_empty(value):
            self.report.add("values_skipped_empty")
            return
        amount = self._amount_of[name]
        spec = self.project.specs.get(name)
        what = spec.companion if spec is not None and spec.companion else "companion value"
        state = "empty" if amount in data else "missing"
        self.report.skip(
            out.row, out.ident, name, f"{what} given without an amount (field {amount} is {state})"
        )

    def _fast_plan(self, name: str, key_field: str) -> Plan:
        """How a product field is converted, planned once per field name.

        See :class:`~target_akeneo.shapes.Plan`. A pure converter (value -> data, or None
        for the general handler) reads nothing but the value, so its answers may be
        remembered per value; a metric's reads its amount and its unit field: it is pure on
        the pair ``(amount, unit)``.
        """
        spec = self._plan(name, key_field)
        if not isinstance(spec, FieldSpec):
            return Plan(spec, "", None, None, None, -1, None, metric=False, unit_field=None)
        limit = -1
        if spec.kind == "text":
            limit = spec.max_length if spec.max_length is not None else sys.maxsize
        convert = self._fast_converter(spec)
        pure: Any = None
        unit_field = None
        if convert is not None and spec.kind in PURE_KINDS:
            pure = functools.partial(_call_pure, convert)
        elif convert is not None and spec.kind == "metric":
            companion = self.project.companions.get(spec.name)
            unit_field = companion.name if companion is not None else None
            pure = functools.partial(_call_metric, convert, unit_field)
        return Plan(
            spec, spec.attribute, convert, spec.locale, spec.channel, limit, pure,
            metric=spec.kind == "metric" and pure is not None, unit_field=unit_field,
        )

    def _fast_converter(self, spec: FieldSpec) -> Callable[[Any, dict[str, Any]], Any] | None:
        """A converter made for one field: value -> the value's ``data``.

        It raises ``SkipValueError`` as the handlers do, and returns None when the value needs
        the general handler (an option the project does not know, a non-string input, ...).
        Kinds without one (price, table, media, assets, ...) always take the handlers.
        """
        kind, options = spec.kind, spec.options
        if kind == "text":

            def text(value: Any, data: dict[str, Any]) -> str:
                return to_text(spec, value)  # raises with the reason, or gives text

            return text
        if kind == "select" and options is not None:

            def select(value: Any, data: dict[str, Any]) -> str | None:
                if type(value) is not str:
                    return None
                return options.get(value.strip().lower())

            return select
        if kind == "multiselect" and options is not None:

            def multiselect(value: Any, data: dict[str, Any]) -> list[str] | None:
                type_of = type(value)
                items = value.split(";") if type_of is str else value if type_of is list else None
                if items is None:
                    return None
                codes: list[str] = []
                for item in items:
                    if type(item) is not str:
                        return None
                    code = options.get(item.strip().lower())
                    if code is None:
                        if item and not item.isspace():
                            return None  # unknown: noted or refused by the handler
                    elif code not in codes:
                        codes.append(code)
                return codes or None

            return multiselect
        if kind == "boolean":
            return lambda value, data: to_boolean(value)
        if kind == "date":  # remembered per value by compiled shapes (pure)
            return lambda value, data: to_date(value)
        if kind == "number":
            decimals = spec.decimals_allowed
            return lambda value, data: to_number(value, decimals)
        if kind == "metric":
            return self._fast_metric(spec)
        return None

    def _fast_metric(self, spec: FieldSpec) -> Callable[[Any, dict[str, Any]], Any]:
        """A metric's amount with its unit field (a known unit, or none and a default).

        Anything else (an unknown or non-text unit, no unit and no default) gives None: the
        general handler then refuses the value with its reason.
        """
        decimals, default = spec.decimals_allowed, spec.default_unit
        companion = self.project.companions.get(spec.name)
        unit_field = companion.name if companion is not None else None
        units = companion.options if companion is not None else None

        def metric(value: Any, data: dict[str, Any]) -> dict[str, Any] | None:
            amount = to_number(value, decimals)
            unit = data.get(unit_field) if unit_field is not None else None
            if unit is None or (type(unit) is str and (not unit or unit.isspace())):
                return {"amount": amount, "unit": default} if default else None
            if type(unit) is not str or units is None:
                return None
            code = units.get(unit.strip().lower())
            return None if code is None else {"amount": amount, "unit": code}

        return metric

    def _plan(self, name: str, key_field: str) -> FieldSpec | object | None:
        """What a row key is: passed over (reserved, companion), a field, or unknown (None)."""
        if name in RESERVED or name == key_field or name in self.project.category_fields:
            return _PASS
        spec = self.project.resolve(name)
        if spec is not None and spec.kind == "companion":
            return _PASS  # read with its amount field
        return spec

    def _reserved(self, out: Converted, data: dict[str, Any], *, model: bool) -> None:
        project = self.project
        raw = data.get("family", _ABSENT)
        # a known family code as written is the commonest case (codes hold no spaces)
        if raw is _ABSENT:
            family = None
        elif type(raw) is str and raw in self._family_codes:
            family = raw
        else:
            family = self._code(out, raw, "family", "a family code")
            if out.failure:
                return
        if family is not None and project.families and family not in project.families:
            out.failure = (
                f"unknown family {family!r} (not in project.json; run the configuration sync "
                "if it is new)"
            )
            out.failure_attribute = "family"
            return
        out.family = family
        raw = data.get("parent", _ABSENT)
        if raw is not _ABSENT:
            out.parent = self._code(out, raw, "parent", "a product model code")
            if out.failure:
                return
        raw = data.get("family_variant", _ABSENT)
        if raw is not _ABSENT:
            if not model:  # never sent: a variant product takes its parent's
                if not is_empty(raw):
                    self.report.skip(out.row, out.ident, "family_variant", NOT_FOR_PRODUCTS)
                else:
                    self.report.add("values_skipped_empty")
            else:
                variant = self._code(out, raw, "family_variant", "a family variant code")
                if out.failure or not self._variant_fits(out, variant, family):
                    return
                out.family_variant = variant
        if "categories" in data or len(self._category_keys) > 1:
            out.categories = self._categories(out, data)
        if "enabled" in data:
            value = data["enabled"]
            if is_empty(value):
                self.report.add("values_skipped_empty")
            elif model:
                self.report.skip(out.row, out.ident, "enabled", "enabled applies to products only")
            else:
                try:
                    out.enabled = to_boolean(value)
                except SkipValueError as exc:
                    self.report.skip(out.row, out.ident, "enabled", str(exc))

    def _code(self, out: Converted, raw: Any, name: str, what: str) -> str | None:
        """A reserved code; an empty one is counted, one of the wrong shape fails the row."""
        try:
            code = reserved_code(raw, what)
        except SkipValueError as exc:
            out.failure, out.failure_attribute = f"{name} {exc}", name
            return None
        if code is None:
            self.report.add("values_skipped_empty")
        return code

    def _variant_fits(self, out: Converted, variant: str | None, family: str | None) -> bool:
        """A model's family variant is known and belongs to its family (else the row fails)."""
        if variant is None:
            return True
        known = self.project.variants.get(variant)
        if known is None and self.project.variants:
            out.failure = f"unknown family variant {variant!r} (not in project.json)"
        elif known is not None and family is not None and known.family != family:
            out.failure = (
                f"family variant {variant!r} belongs to family {known.family!r}, not {family!r}"
            )
        else:
            return True
        out.failure_attribute = "family_variant"
        return False

    def _categories(self, out: Converted, data: dict[str, Any]) -> list[str] | None:
        keys = self._category_keys
        if len(keys) == 1:  # the usual project: one "categories" field
            value = data.get("categories")
            if value is None:
                return None
            if type(value) is list and value:  # known codes, each once, as written
                key = tuple(value)
                try:
                    if key in self._plain_categories:
                        return value[:]
                except TypeError:  # a list or object among the codes: refused below
                    pass
                known = self.project.categories
                if (
                    all(type(code) is str for code in value)
                    and (not known or known.issuperset(value))
                    and len(set(value)) == len(value)
                    and all(code and code == code.strip() for code in value)
                ):
                    if len(self._plain_categories) < PLAIN_CATEGORY_LISTS:
                        self._plain_categories.add(key)
                    return value[:]
        names = [n for n in keys if n in data]
        codes: list[str] = []
        for name in names:
            value = data[name]
            if is_empty(value):
                self.report.add("values_skipped_empty")
                continue
            try:
                items = split_multi(value)
            except SkipValueError as exc:
                self.report.skip(out.row, out.ident, name, str(exc))
                continue
            known = self.project.categories
            for code in items:
                if known and code not in known:
                    self.report.skip(out.row, out.ident, name, f"unknown category {code!r}")
                elif code not in codes:
                    codes.append(code)
        if codes and self._tree_names and self._tree_names - {self._trees.get(c) for c in codes}:
            out.flags |= FIX_CATEGORIES  # a tree left empty: its current codes are kept
        return codes or None

    # -- values ----------------------------------------------------------------------------

    def _text(self, out: Converted, spec: FieldSpec, name: str, value: Any, data: Any) -> None:
        out.put(spec, to_text(spec, value))

    def _number(self, out: Converted, spec: FieldSpec, name: str, value: Any, data: Any) -> None:
        out.put(spec, to_number(value, spec.decimals_allowed))

    def _boolean(self, out: Converted, spec: FieldSpec, name: str, value: Any, data: Any) -> None:
        out.put(spec, to_boolean(value))

    def _date(self, out: Converted, spec: FieldSpec, name: str, value: Any, data: Any) -> None:
        out.put(spec, to_date(value))

    def _metric_value(
        self, out: Converted, spec: FieldSpec, name: str, value: Any, data: dict[str, Any]
    ) -> None:
        out.put(spec, self._metric(spec, value, data))

    def _price_value(
        self, out: Converted, spec: FieldSpec, name: str, value: Any, data: dict[str, Any]
    ) -> None:
        amount, currency = self._price(spec, value, data)
        out.put(spec, [{"amount": amount, "currency": currency}])
        out.flags |= FIX_PRICE

    def _select_value(
        self, out: Converted, spec: FieldSpec, name: str, value: Any, data: Any
    ) -> None:
        data, pending = self._select(spec, value, out.row)
        out.put(spec, data)
        if pending:
            out.flags |= FIX_OPTIONS

    def _table(self, out: Converted, spec: FieldSpec, name: str, value: Any, data: Any) -> None:
        rows = to_table(spec, value)
        if not rows:
            self.report.add("values_skipped_empty")
            return
        out.put(spec, rows)

    def _media(self, out: Converted, spec: FieldSpec, name: str, value: Any, data: Any) -> None:
        if isinstance(value, list):
            if len(value) != 1:
                msg = "expected one file path, got a list"
                raise SkipValueError(msg)
            value = value[0]
        out.media.append(Media(out.row, name, spec.key, safe_job_path(self.job_dir, value)))

    def _asset_value(
        self, out: Converted, spec: FieldSpec, name: str, value: Any, data: Any
    ) -> None:
        out.put(spec, self._assets(spec, value, out.row))
        out.flags |= FIX_ASSETS

    def _unsupported(
        self, out: Converted, spec: FieldSpec, name: str, value: Any, data: Any
    ) -> None:
        msg = f"attribute type {spec.attribute_type} is not supported by the push"
        raise SkipValueError(msg)

    def _companion(self, spec: FieldSpec, data: dict[str, Any]) -> tuple[FieldSpec | None, Any]:
        companion = self.project.companions.get(spec.name)
        if companion is None:
            return None, None
        value = data.get(companion.name)
        return companion, None if is_empty(value) else value

    def _metric(self, spec: FieldSpec, value: Any, data: dict[str, Any]) -> dict[str, Any]:
        amount = to_number(value, spec.decimals_allowed)
        companion, unit = self._companion(spec, data)
        if unit is None:
            if not spec.default_unit:
                msg = "no unit given and the attribute has no default unit"
                raise SkipValueError(msg)
            return {"amount": amount, "unit": spec.default_unit}
        unit_code = single_code(unit)
        if companion is not None and companion.options is not None:
            canonical = companion.options.get(unit_code.lower())
            if canonical is None:
                msg = f"unknown unit {unit_code!r} (field {companion.name})"
                raise SkipValueError(msg)
            unit_code = canonical
        return {"amount": amount, "unit": unit_code}

    def _price(self, spec: FieldSpec, value: Any, data: dict[str, Any]) -> tuple[Any, str]:
        amount = to_number(value, spec.decimals_allowed)
        companion, currency = self._companion(spec, data)
        choices = companion.options if companion is not None else None
        if currency is None:
            if choices and len(choices) == 1:
                return amount, next(iter(choices.values()))
            where = companion.name if companion is not None else f"{spec.name}-currency"
            msg = f"no currency given (field {where})"
            raise SkipValueError(msg)
        code = single_code(currency)
        if choices is not None:
            canonical = choices.get(code.lower())
            if canonical is None:
                msg = f"unknown currency {code!r} (field {companion.name})"  # type: ignore[union-attr]
                raise SkipValueError(msg)
            code = canonical
        return amount, code

    def _select(self, spec: FieldSpec, value: Any, row: int) -> tuple[Any, bool]:
        """Option codes as the PIM spells them; True when some must be settled first."""
        multiple = spec.kind in MULTI_KINDS
        codes = split_multi(value) if multiple else [single_code(value)]
        if not codes or not codes[0]:
            raise _EmptyValueError
        known, unknown = lookup_codes(spec, codes)
        data: Any = list(dict.fromkeys(known)) if multiple else known[0]  # "Red;red": once
        for code in unknown:
            if CODE_RE.match(code):
                self.options.note(spec, code, row)  # settled with the PIM before any write
                continue
            what = "record" if spec.kind in {"record", "records"} else "option"
            if spec.allow_new_options and spec.kind in CREATABLE_KINDS:
                msg = f"unknown {what} {code!r} (not a valid code, so it cannot be created)"
            else:
                msg = (
                    f"unknown {what} {code!r} for attribute {spec.attribute} "
                    "(not in allow_new_options)"
                )
            raise SkipValueError(msg)
        return data, bool(unknown)

    def _assets(self, spec: FieldSpec, value: Any, row: int) -> list[str]:
        """Asset codes for the files of an asset collection (assets planned, not yet made)."""
        family = spec.reference_data_name
        if not family:
            msg = "asset collection without an asset family in project.json"
            raise SkipValueError(msg)
        paths = split_multi(value)
        if not paths:
            raise _EmptyValueError
        planned = [
            self.assets.asset_for(family, safe_job_path(self.job_dir, p), row) for p in paths
        ]
        return list(dict.fromkeys(a.code for a in planned))




def _call_pure(convert: Callable[[Any, Any], Any], value: Any) -> Any:
    """A pure field converter called with the value alone (it reads no other field)."""
    return convert(value, None)


def _call_metric(
    convert: Callable[[Any, Any], Any], unit_field: str | None, pair: tuple[Any, Any]
) -> Any:
    """A metric's converter called with ``(amount, unit)`` alone (it reads nothing else)."""
    amount, unit = pair
    return convert(amount, {unit_field: unit} if unit_field is not None else {})


def _identifier(value: Any, field_name: str) -> tuple[str | None, str | None]:
    if (
        type(value) is str
        and 0 < len(value) <= IDENTIFIER_MAX
        and value == value.strip()
        and "\n" not in value
        and "\r" not in value
    ):  # the common case: a plain identifier
        return value, None
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        shape = "" if is_empty(value) else f" holds {kind_of(value)}, not text"
        return None, f"missing identifier (field {field_name!r}{shape})"
    text = str(value)
    if text != text.strip():
        return text, f"identifier {text!r} has leading or trailing spaces"
    if len(text) > IDENTIFIER_MAX:
        return text[:50] + "...", (
            f"identifier too long: {len(text)} characters (at most {IDENTIFIER_MAX})"
        )
    if any(c in text for c in "\n\r"):
        return text, "identifier holds a line break"
    return text, None
