"""Timestamps as Akeneo prints them (second precision, UTC offset)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime


def now() -> datetime:
    """Return the current time truncated to the second, as Akeneo stores it."""
    return datetime.now(UTC).replace(microsecond=0)


def fmt(moment: datetime) -> str:
    """Format like Akeneo: ``2024-01-01T10:00:00+00:00``."""
    return moment.isoformat()


_stamp: tuple[int, datetime, str] = (-1, datetime.min.replace(tzinfo=UTC), "")


def stamp() -> tuple[datetime, str]:
    """``now()`` and its ``fmt()`` text, made once per second (every product write asks)."""
    global _stamp  # noqa: PLW0603 - a one-entry cache, replaced whole (thread-safe)
    second = int(time.time())
    cached = _stamp
    if cached[0] != second:
        moment = datetime.fromtimestamp(second, UTC)
        cached = _stamp = (second, moment, moment.isoformat())
    return cached[1], cached[2]


_FILTER_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\Z")


def parse_filter_date(value: object, iso: bool = False) -> datetime | None:
    """Parse a search filter date; None when it is not in the expected format.

    Products and the catalog structure take ``YYYY-MM-DD hh:mm:ss`` (the server's time zone,
    UTC here), as Akeneo; reference-entity records and assets take ISO 8601 (``iso=True``).
    """
    if not isinstance(value, str) or not (iso or _FILTER_FORMAT.match(value)):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
