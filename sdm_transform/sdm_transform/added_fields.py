"""`added_fields`: non-PIM fields declared in the settings so they survive syncs (contract §3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sdm_transform.notes import Notes

SDM_FIELD_TYPES = frozenset(
    {"string", "html", "number", "boolean", "date", "select", "media", "table"}
)


def normalize_added_fields(
    entries: tuple[Any, ...], pim_names: set[str], notes: Notes
) -> list[dict]:
    """Added fields as `{name, type, labels, multiple}` sorted by name.

    An entry is a field name or an object with `name` and optional `type` (default `string`),
    `labels` and `multiple`. A bad entry, a duplicate or a name already used by a PIM field is
    refused with a warning; the others are kept.
    """
    fields: dict[str, dict] = {}
    for index, entry in enumerate(entries):
        raw = {"name": entry} if isinstance(entry, str) else entry
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
            notes.warn(
                f"added_fields[{index}]: expected a field name or an object with a name, "
                f"got {entry!r}; ignored"
            )
            continue
        name = raw["name"].strip()
        field_type = raw.get("type", "string")
        if field_type not in SDM_FIELD_TYPES:
            notes.warn(
                f"added_fields[{index}] {name!r}: unknown type {field_type!r} "
                f"(expected one of {', '.join(sorted(SDM_FIELD_TYPES))}); ignored"
            )
            continue
        if name in pim_names:
            notes.warn(f"added_fields[{index}] {name!r}: a PIM field has this name; ignored")
            continue
        if name in fields:
            notes.warn(f"added_fields[{index}] {name!r}: declared twice; the first is kept")
            continue
        labels = raw.get("labels")
        fields[name] = {
            "name": name,
            "type": field_type,
            "labels": dict(labels) if isinstance(labels, dict) else {},
            "multiple": bool(raw.get("multiple", False)),
        }
    return [fields[name] for name in sorted(fields)]
