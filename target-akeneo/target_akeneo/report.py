"""The push report (contract §7): counts, unknown fields, skipped values, failures, warnings.

Row outcomes are kept in a ``bytearray`` indexed by row number, so a 100,000-row job costs
100 kB here whatever its content; only problems are kept as objects.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PENDING, CREATED, UPDATED, FAILED = 1, 2, 3, 4
STATUS_NAMES = {CREATED: "created", UPDATED: "updated", FAILED: "failed"}


def utc_now() -> str:
    """ISO-8601 UTC timestamp, seconds precision."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Report:
    """Collects what happened to every row and value of one push."""

    def __init__(self, job: str, *, dry_run: bool) -> None:
        self.job = job
        self.dry_run = dry_run
        self.started_at = utc_now()
        self.finished_at: str | None = None
        self.counts: dict[str, int] = {
            "values_sent": 0,
            "values_skipped_empty": 0,
            "values_skipped_unknown": 0,
            "options_created": 0,
            "media_uploaded": 0,
            "assets_created": 0,
        }
        self.unknown_fields: Counter[str] = Counter()
        self.skipped_values: list[dict[str, Any]] = []
        self.failures: list[dict[str, Any]] = []
        self.warnings: list[dict[str, Any]] = []
        self._status = bytearray()

    # -- rows ------------------------------------------------------------------------------

    def received(self, row: int) -> None:
        """A row entered the push; it must end created, updated or failed."""
        if row >= len(self._status):
            self._status.extend(bytes(row + 1 - len(self._status) + 1024))
        if not self._status[row]:
            self._status[row] = PENDING

    def status(self, row: int) -> int:
        """Current outcome code of a row (0 when never received)."""
        return self._status[row] if row < len(self._status) else 0

    def done(self, row: int, *, created: bool) -> None:
        """The PIM accepted the row's write (201 created or 204 updated)."""
        if self.status(row) != FAILED:
            self._status[row] = CREATED if created else UPDATED

    def fail(
        self,
        row: int,
        ident: str | None,
        message: str,
        *,
        status: int | None = None,
        errors: list[dict[str, Any]] | None = None,
        attribute: str | None = None,
    ) -> None:
        """The row failed: refused by the connector (``status`` None) or by the PIM."""
        self.received(row)
        if self._status[row] == FAILED:
            return
        self._status[row] = FAILED
        self.failures.append(
            {
                "row": row,
                "id": ident,
                "status": status,
                "errors": errors or [{"attribute": attribute, "message": message}],
            }
        )

    # -- values ----------------------------------------------------------------------------

    def skip(self, row: int, ident: str | None, field: str, reason: str) -> None:
        """A value left out of the push, with the reason."""
        self.skipped_values.append({"row": row, "id": ident, "field": field, "reason": reason})

    def unknown(self, field: str) -> None:
        """A non-empty value of a field ``project.json`` does not know."""
        self.unknown_fields[field] += 1
        self.counts["values_skipped_unknown"] += 1

    def warn(self, row: int | None, message: str) -> None:
        """Something the user should know that did not stop the row."""
        self.warnings.append({"row": row, "message": message})

    def add(self, name: str, amount: int = 1) -> None:
        """Bump one of the value counters."""
        self.counts[name] += amount

    # -- output ----------------------------------------------------------------------------

    def row_counts(self) -> dict[str, int]:
        """Rows by outcome; a row still pending here is a bug and counted as failed."""
        tally = Counter(self._status)
        return {
            "rows": len(self._status) - tally[0],
            "created": tally[CREATED],
            "updated": tally[UPDATED],
            "failed": tally[FAILED] + tally[PENDING],
        }

    def unreceived(self, last: int) -> list[int]:
        """Rows from 1 to ``last`` that never entered the push (a quick test first)."""
        status = self._status
        window = status[1 : last + 1] + bytes(max(0, last + 1 - len(status)))
        if 0 not in window:
            return []
        return [i for i, s in enumerate(window, start=1) if s == 0]

    def pending_rows(self) -> list[int]:
        """Rows without an outcome yet."""
        return [i for i, s in enumerate(self._status) if s == PENDING]

    def to_dict(self) -> dict[str, Any]:
        """The report as written to ``push-report.json``."""
        counts = {**self.row_counts(), **self.counts}
        return {
            "job": self.job,
            "started_at": self.started_at,
            "finished_at": self.finished_at or utc_now(),
            "dry_run": self.dry_run,
            "counts": counts,
            "unknown_fields": dict(sorted(self.unknown_fields.items())),
            "skipped_values": sorted(self.skipped_values, key=lambda s: s["row"] or 0),
            "failures": sorted(self.failures, key=lambda f: f["row"]),
            "warnings": sorted(self.warnings, key=lambda w: w["row"] or 0),
        }

    def write(self, path: Path) -> dict[str, Any]:
        """Write the report atomically (temporary file + rename) and return it."""
        self.finished_at = utc_now()
        document = self.to_dict()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".push-report.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        Path(tmp).replace(path)
        return document


class Progress:
    """Logs rows done, rate and ETA at most every ``every`` seconds."""

    def __init__(self, logger: Any, what: str, total: int, every: float = 2.0) -> None:
        self.logger = logger
        self.what = what
        self.total = total
        self.every = every
        self.done = 0
        self.start = time.monotonic()
        self._last = self.start

    def advance(self, count: int) -> None:
        """Count ``count`` more rows and log when it is time."""
        self.done += count
        now = time.monotonic()
        if now - self._last >= self.every or self.done >= self.total:
            self._last = now
            self.log(now)

    def log(self, now: float | None = None) -> None:
        """One progress line."""
        elapsed = max((now or time.monotonic()) - self.start, 1e-9)
        rate = self.done / elapsed
        left = max(self.total - self.done, 0)
        eta = f"{left / rate:.0f}s" if rate > 0 else "?"
        self.logger.info(
            "%s: %d/%d rows (%.0f rows/s, ETA %s)", self.what, self.done, self.total, rate, eta
        )
