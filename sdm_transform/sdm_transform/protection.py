"""Attributes that can never be excluded (contract §5), and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdm_transform import attribute_types as at
from sdm_transform.steps import AI_SOURCE, DEPENDENCY_TRIGGER

if TYPE_CHECKING:
    from sdm_transform.fields import PimNameResolver
    from sdm_transform.notes import Notes
    from sdm_transform.steps import StepUse

IDENTIFIER = "identifier"
VARIANT_AXIS = "variant_axis"

#: Reasons in the order the contract applies them (the first that applies is kept).
REASONS = (IDENTIFIER, VARIANT_AXIS, AI_SOURCE, DEPENDENCY_TRIGGER)

_EXPLAIN = {
    IDENTIFIER: "it is the identifier attribute",
    VARIANT_AXIS: "it is a variant axis of a targeted family variant",
    AI_SOURCE: "it is an AI source of a step",
    DEPENDENCY_TRIGGER: "it is a dependency trigger of a step",
}


def explain(reason: str) -> str:
    """Readable reason why an attribute is protected."""
    return _EXPLAIN.get(reason, reason)


def protected_attributes(
    attributes: list[dict],
    *,
    targeted_variants: list[dict],
    uses: list[StepUse],
    resolver: PimNameResolver,
    added_names: set[str],
    notes: Notes,
) -> dict[str, str]:
    """Map of protected attribute code -> the first protection reason that applies."""
    found: dict[str, set[str]] = {}
    for attribute in attributes:
        if at.normalize_type(str(attribute.get("type"))) == at.IDENTIFIER:
            found.setdefault(attribute["code"], set()).add(IDENTIFIER)
    for variant in targeted_variants:
        for level in variant.get("variant_attribute_sets") or []:
            for axis in level.get("axes") or []:
                found.setdefault(axis, set()).add(VARIANT_AXIS)
    for use in uses:
        ref = resolver.resolve(use.field)
        if ref is None:
            if use.field not in added_names:
                notes.warn(
                    f"{use.step}: field {use.field!r} is not a field of any PIM attribute, "
                    "channel and locale"
                )
            continue
        found.setdefault(ref.attribute, set()).add(use.role)
    return {
        code: next(reason for reason in REASONS if reason in reasons)
        for code, reasons in found.items()
    }
