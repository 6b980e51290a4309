"""Product models of a push: where they sit in their family variant, and what they receive.

A model's values come from its own rows and from the rows of its descendants (a variant row
may carry every field, as SDM shows it). The model's own rows win; among descendants, the
later row wins, with a warning when they disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from target_akeneo.rows import Entry, Key, Media


@dataclass
class ModelInfo:
    """Where a model sits: its family variant and parent (from the job or the PIM)."""

    code: str
    family_variant: str | None
    parent: str | None
    in_job: bool
    checked: bool = False  # a job model already completed from the PIM

    @property
    def level(self) -> int:
        """0 for a root model, 1 for a sub model."""
        return 0 if self.parent is None else 1


@dataclass
class ModelState:
    """Everything the push will write to one product model."""

    code: str
    rows: list[int] = field(default_factory=list)  # its own rows, file order
    own: dict[Key, Entry] = field(default_factory=dict)
    inherited: dict[Key, Entry] = field(default_factory=dict)
    contributors: list[Entry] = field(default_factory=list)  # values of descendant rows
    categories: list[str] | None = None
    media: list[tuple[str | None, Media]] = field(default_factory=list)  # (row's id, media)
    family_variant: str | None = None
    parent: str | None = None

    def merge_values(self) -> tuple[dict[Key, Entry], list[tuple[Entry, Entry]]]:
        """Final values (own rows win) and the descendant entries overruled by own rows."""
        values: dict[Key, Entry] = dict(self.inherited)
        overruled: list[tuple[Entry, Entry]] = []
        for key, entry in self.own.items():
            earlier = values.get(key)
            if earlier is not None and earlier.data != entry.data:
                overruled.append((earlier, entry))
            values[key] = entry
        return values, overruled


def values_payload(values: dict[Key, Entry]) -> dict[str, list[dict[str, Any]]]:
    """Akeneo's ``values`` object from converted entries."""
    payload: dict[str, list[dict[str, Any]]] = {}
    for (attribute, channel, locale), entry in values.items():
        payload.setdefault(attribute, []).append(
            {"locale": locale, "scope": channel, "data": entry.data}
        )
    return payload
