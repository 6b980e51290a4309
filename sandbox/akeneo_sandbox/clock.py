"""Timestamps as Akeneo prints them (second precision, UTC offset)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """Return the current time truncated to the second, as Akeneo stores it."""
    return datetime.now(UTC).replace(microsecond=0)


def fmt(moment: datetime) -> str:
    """Format like Akeneo: ``2024-01-01T10:00:00+00:00``."""
    return moment.isoformat()


def parse_filter_date(value: object) -> datetime | None:
    """Parse a search filter date (``YYYY-MM-DD hh:mm:ss``, UTC) or an ISO string."""
    if not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    for candidate in (text, text.replace(" ", "T", 1)):
        try:
            parsed = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    return None
