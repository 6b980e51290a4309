"""Options and reference-entity records the job uses but ``project.json`` does not know.

Such a code may exist in the PIM already (added after the last sync): it is looked up. If
not, it is created only for attributes in ``allow_new_options`` (batch upserts, one request
per attribute and 100 codes, never more than 3 option writes per second); otherwise the value
is left out and the report says why.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from target_akeneo.convert import CODE_RE
from target_akeneo.project import CREATABLE_KINDS

if TYPE_CHECKING:
    from target_akeneo.project import FieldSpec

ATTRIBUTE, ENTITY, REFDATA = "attribute", "entity", "refdata"
MAX_LOOKUPS = 500
OPTION_WRITES_PER_SECOND = 3.0


@dataclass
class PendingCode:
    """A code missing from ``project.json`` for one attribute or reference entity."""

    code: str
    allowed: bool
    rows: list[int] = field(default_factory=list)
    resolved: str | None = None  # the code as the PIM spells it, once known to exist
    reason: str | None = None  # why it cannot be used


class OptionRegistry:
    """Collects unknown codes while rows are converted; settles them before any write."""

    def __init__(self) -> None:
        # (target_kind, target) -> lower-cased code -> pending
        self.pending: dict[tuple[str, str], dict[str, PendingCode]] = {}
        self.labels: dict[tuple[str, str], str] = {}  # target -> attribute code for messages

    @staticmethod
    def target_of(spec: FieldSpec) -> tuple[str, str]:
        """Where the options of a field live: an attribute, or a reference entity."""
        if spec.kind in {"record", "records"} and spec.reference_data_name:
            return ENTITY, spec.reference_data_name
        if spec.kind in {"refdata", "refdata_multi"}:
            return REFDATA, spec.attribute
        return ATTRIBUTE, spec.attribute

    def note(self, spec: FieldSpec, code: str, row: int) -> bool:
        """Remember an unknown code; True when it may be created (allow_new_options)."""
        target = self.target_of(spec)
        allowed = (
            spec.allow_new_options and spec.kind in CREATABLE_KINDS and bool(CODE_RE.match(code))
        )
        codes = self.pending.setdefault(target, {})
        pending = codes.get(code.lower())
        if pending is None:
            pending = codes[code.lower()] = PendingCode(code, allowed)
        pending.allowed = pending.allowed or allowed
        self.labels.setdefault(target, spec.attribute)
        pending.rows.append(row)
        return allowed

    def check(self, target_kind: str, target: str, code: str) -> tuple[str | None, str | None]:
        """The code to send for an unknown code, or ``(None, reason)``."""
        pending = self.pending.get((target_kind, target), {}).get(code.lower())
        if pending is None:
            return code, None
        if pending.resolved is not None:
            return pending.resolved, None
        return None, pending.reason or f"unknown option {code!r}"

    # -- settling with the PIM --------------------------------------------------------------

    def items(self) -> list[tuple[str, str, PendingCode]]:
        """Every pending code as (target kind, target, pending)."""
        return [(k, t, p) for (k, t), codes in self.pending.items() for p in codes.values()]

    def lookup_path(self, target_kind: str, target: str, code: str) -> str | None:
        """GET path telling whether a code exists in the PIM (None: cannot be checked)."""
        if target_kind == ATTRIBUTE:
            return f"/api/rest/v1/attributes/{quote(target)}/options/{quote(code)}"
        if target_kind == ENTITY:
            return f"/api/rest/v1/reference-entities/{quote(target)}/records/{quote(code)}"
        return None

    def refuse(self, target_kind: str, target: str, pending: PendingCode) -> None:
        """Explain why a code that does not exist cannot be used."""
        attribute = self.labels.get((target_kind, target), target)
        what = "record" if target_kind == ENTITY else "option"
        if pending.allowed and not CODE_RE.match(pending.code):
            pending.reason = f"unknown {what} {pending.code!r} (not a valid code)"
        else:
            pending.reason = (
                f"unknown {what} {pending.code!r} for attribute {attribute} "
                "(not in allow_new_options)"
            )


class RateLimiter:
    """At most ``rate`` calls in any one-second window, across threads.

    Akeneo limits option writes to 3 per second per PIM; a small margin absorbs the time
    between leaving this gate and reaching the server.
    """

    def __init__(self, rate: float = OPTION_WRITES_PER_SECOND, margin: float = 0.25) -> None:
        self.rate = max(1, int(rate))
        self.window = 1.0 + margin
        self._calls: deque[float] = deque()
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until one more call fits in the window."""
        with self._lock:
            while True:
                now = time.monotonic()
                while self._calls and now - self._calls[0] >= self.window:
                    self._calls.popleft()
                if len(self._calls) < self.rate:
                    self._calls.append(now)
                    return
                time.sleep(self.window - (now - self._calls[0]))
