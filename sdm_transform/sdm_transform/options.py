"""Options collections: attribute options, metric units, currencies, reference-entity records.

One collection per attribute (named after its code), or per companion field (named after the
companion's field name), contract §4.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def _option(code: str, labels: Any) -> dict:
    return {"code": code, "labels": dict(labels) if isinstance(labels, dict) else {}}


def attribute_options_by_attribute(options: list[dict]) -> dict[str, list[dict]]:
    """Attribute options grouped by attribute, each list in sort order then code."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for option in options:
        if isinstance(option.get("attribute"), str) and isinstance(option.get("code"), str):
            grouped[option["attribute"]].append(option)
    return {
        attribute: [
            _option(o["code"], o.get("labels"))
            for o in sorted(items, key=lambda o: (_sort_order(o.get("sort_order")), o["code"]))
        ]
        for attribute, items in grouped.items()
    }


def _sort_order(value: Any) -> int:
    return value if isinstance(value, int) else 0


def record_label(record: dict) -> dict[str, str]:
    """Labels of a reference-entity record, from its `label` values (keyed by locale)."""
    labels: dict[str, str] = {}
    for value in (record.get("values") or {}).get("label") or []:
        if isinstance(value, dict) and value.get("locale") and isinstance(value.get("data"), str):
            labels[value["locale"]] = value["data"]
    return labels


def records_by_entity(records: list[dict]) -> dict[str, list[dict]]:
    """Reference-entity records as options, grouped by entity code and sorted by code."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        entity, code = record.get("reference_entity"), record.get("code")
        if isinstance(entity, str) and isinstance(code, str):
            grouped[entity].append(_option(code, record_label(record)))
    return {entity: sorted(items, key=lambda o: o["code"]) for entity, items in grouped.items()}


def units_by_family(families: list[dict]) -> dict[str, list[dict]]:
    """Units of each measurement family as options (the family's own order).

    Accepts the 5.0+ shape (`units` an object keyed by code) and the legacy one (a list).
    """
    result: dict[str, list[dict]] = {}
    for family in families:
        code = family.get("code")
        if not isinstance(code, str):
            continue
        units = family.get("units") or {}
        items = units.values() if isinstance(units, dict) else units
        result[code] = [
            _option(unit["code"], unit.get("labels"))
            for unit in items
            if isinstance(unit, dict) and isinstance(unit.get("code"), str)
        ]
    return result


def enabled_currencies(currencies: list[dict]) -> list[str]:
    """Codes of the PIM's enabled currencies, sorted."""
    return sorted(
        c["code"]
        for c in currencies
        if isinstance(c.get("code"), str) and c.get("enabled", c.get("enable", True))
    )


def currency_options(codes: list[str], currencies: list[dict]) -> list[dict]:
    """Currencies as options, labelled with the PIM's currency label when it has one."""
    labels = {c.get("code"): c.get("label") for c in currencies}
    return [
        {"code": code, "labels": {"en_US": labels[code]} if labels.get(code) else {}}
        for code in sorted(set(codes))
    ]


def table_columns(attribute: dict) -> list[dict]:
    """`table_columns` of a table attribute: code, data type and select options (codes)."""
    columns = []
    for column in attribute.get("table_configuration") or []:
        if not isinstance(column, dict) or not isinstance(column.get("code"), str):
            continue
        options = None
        if column.get("data_type") == "select":
            options = [
                o["code"]
                for o in column.get("options") or []
                if isinstance(o, dict) and isinstance(o.get("code"), str)
            ]
        columns.append(
            {"code": column["code"], "data_type": column.get("data_type"), "options": options}
        )
    return columns
