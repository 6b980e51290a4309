"""Hierarchies: families with their variants, and categories (contract §3)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sdm_transform.notes import Notes


def _labels(item: dict) -> dict:
    labels = item.get("labels")
    return dict(labels) if isinstance(labels, dict) else {}


def _codes(value: Any) -> list[str]:
    return sorted({v for v in value or [] if isinstance(v, str)})


def variant_levels(variant: dict) -> list[dict]:
    """Levels of a family variant, by level number; axes keep their order."""
    levels = [
        {
            "level": level.get("level"),
            "axes": [a for a in level.get("axes") or [] if isinstance(a, str)],
            "attributes": _codes(level.get("attributes")),
        }
        for level in variant.get("variant_attribute_sets") or []
        if isinstance(level, dict)
    ]
    return sorted(levels, key=lambda lv: lv["level"] if isinstance(lv["level"], int) else 0)


def variants_by_family(family_variants: list[dict]) -> dict[str, list[dict]]:
    """Family variants grouped by their `family` key and sorted by code."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for variant in family_variants:
        if isinstance(variant.get("family"), str) and isinstance(variant.get("code"), str):
            grouped[variant["family"]].append(variant)
    return {family: sorted(items, key=lambda v: v["code"]) for family, items in grouped.items()}


def family_hierarchy(
    families: list[dict], variants: dict[str, list[dict]], channels: list[str]
) -> list[dict]:
    """The families hierarchy: attributes, label attribute, requirements of targeted channels."""
    result = []
    for family in families:
        requirements = family.get("attribute_requirements") or {}
        result.append(
            {
                "code": family["code"],
                "labels": _labels(family),
                "attributes": _codes(family.get("attributes")),
                "attribute_as_label": family.get("attribute_as_label"),
                "requirements": {
                    channel: _codes(requirements.get(channel))
                    for channel in channels
                    if channel in requirements
                },
                "variants": [
                    {
                        "code": variant["code"],
                        "labels": _labels(variant),
                        "levels": variant_levels(variant),
                    }
                    for variant in variants.get(family["code"], [])
                ],
            }
        )
    return result


def category_trees(categories: list[dict], notes: Notes) -> list[tuple[str, list[dict]]]:
    """Categories per tree, each tree in depth-first order (parents before children).

    Trees come in the PIM's order, children in the order the PIM lists them. A category whose
    parent is unknown is kept as the root of its own tree, with a warning.
    """
    known = {c["code"] for c in categories if isinstance(c.get("code"), str)}
    children: dict[str, list[dict]] = defaultdict(list)
    roots: list[dict] = []
    seen: set[str] = set()
    for category in categories:
        code = category.get("code")
        if not isinstance(code, str) or code in seen:
            continue
        seen.add(code)
        parent = category.get("parent")
        if parent is None:
            roots.append(category)
        elif parent in known and parent != code:
            children[parent].append(category)
        else:
            notes.warn(f"category {code!r}: parent {parent!r} is unknown; kept as a tree root")
            roots.append({**category, "parent": None})
    trees: list[tuple[str, list[dict]]] = []
    placed: set[str] = set()
    for root in roots:
        ordered: list[dict] = []
        stack = [root]
        while stack:
            category = stack.pop()
            if category["code"] in placed:
                continue
            placed.add(category["code"])
            ordered.append(
                {
                    "code": category["code"],
                    "parent": category.get("parent"),
                    "labels": _labels(category),
                }
            )
            stack.extend(reversed(children.get(category["code"], [])))
        trees.append((root["code"], ordered))
    for code in sorted(known - placed):
        notes.warn(f"category {code!r} is part of a parent cycle; left out")
    return trees


def category_hierarchies(
    categories: list[dict], split: bool, notes: Notes
) -> dict[str, list[dict]]:
    """One `categories` hierarchy, or one `categories-{root}` hierarchy per tree when split."""
    trees = category_trees(categories, notes)
    if not split:
        return {"categories": [c for _, tree in trees for c in tree]}
    return {f"categories-{root}": tree for root, tree in trees}
