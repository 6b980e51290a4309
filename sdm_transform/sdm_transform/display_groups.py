"""Display groups: the PIM's attribute groups (contract §3)."""

from __future__ import annotations


def group_sort_orders(groups: list[dict]) -> dict[str, int]:
    """Sort order of each attribute group (0 when the PIM gives none)."""
    return {
        g["code"]: g["sort_order"] if isinstance(g.get("sort_order"), int) else 0
        for g in groups
        if isinstance(g.get("code"), str)
    }


def display_groups(groups: list[dict], used: set[str]) -> list[dict]:
    """Attribute groups holding at least one synced field, by sort order then code."""
    orders = group_sort_orders(groups)
    known = {g["code"]: g for g in groups if isinstance(g.get("code"), str)}
    result = []
    for code in used:
        group = known.get(code, {})
        labels = group.get("labels")
        result.append(
            {
                "code": code,
                "labels": dict(labels) if isinstance(labels, dict) else {},
                "sort_order": orders.get(code, 0),
            }
        )
    return sorted(result, key=lambda g: (g["sort_order"], g["code"]))
