"""Collected outcome notes of a transform: warnings, excluded and skipped attributes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Notes:
    """What the transform reports besides fields: kept in the order the rules raised them."""

    warnings: list[dict] = field(default_factory=list)
    excluded: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    def warn(self, message: str, attribute: str | None = None) -> None:
        """Record a warning, optionally about one attribute."""
        self.warnings.append({"attribute": attribute, "message": message})

    def exclude(self, attribute: str, reason: str, message: str) -> None:
        """Record an attribute left out by a setting."""
        self.excluded.append({"attribute": attribute, "reason": reason, "message": message})

    def skip(self, attribute: str | None, reason: str, message: str) -> None:
        """Record an attribute the connector cannot map."""
        self.skipped.append({"attribute": attribute, "reason": reason, "message": message})

    def sorted(self) -> Notes:
        """Same notes in a deterministic order (attribute code, then message)."""

        def key(entry: dict) -> tuple[str, str, str]:
            return (entry.get("attribute") or "", entry.get("reason") or "", entry["message"])

        # General notes (attribute null) come first, then by attribute code.
        return Notes(
            warnings=sorted(self.warnings, key=key),
            excluded=sorted(self.excluded, key=key),
            skipped=sorted(self.skipped, key=key),
        )
