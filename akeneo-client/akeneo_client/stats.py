"""Thread-safe counters of what a client did on the wire.

Benchmarks and tests compare them with the minimum number of requests (one per page plus
authentication), so every HTTP attempt is counted exactly once.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

__all__ = ["ClientStats"]


class ClientStats:
    """Counters: requests sent, retries by reason, token grants, time spent waiting."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        """Every HTTP attempt, including token calls and retried attempts."""
        self.api_requests = 0
        """HTTP attempts to the REST API (everything but the token endpoint)."""
        self.token_requests = 0
        """HTTP attempts to the token endpoint."""
        self.password_grants = 0
        """Successful password grants."""
        self.refresh_grants = 0
        """Successful refresh-token grants."""
        self.refresh_failures = 0
        """Refresh grants Akeneo refused (followed by a password grant)."""
        self.retries: Counter[str] = Counter()
        """Retried attempts by reason: ``429``, ``5xx``, ``408``, ``timeout``, ``connection``,
        ``401``."""
        self.wait_seconds = 0.0
        """Total time slept before retries."""

    def add(self, name: str, amount: int | float = 1) -> None:
        """Increase counter ``name`` by ``amount``."""
        with self._lock:
            setattr(self, name, getattr(self, name) + amount)

    def add_retry(self, reason: str, wait: float) -> None:
        """Count one retry for ``reason`` and the time waited before it."""
        with self._lock:
            self.retries[reason] += 1
            self.wait_seconds += wait

    @property
    def retries_total(self) -> int:
        """All retries, whatever the reason."""
        return sum(self.retries.values())

    def as_dict(self) -> dict[str, Any]:
        """Snapshot of all counters (plain types, JSON-serializable)."""
        with self._lock:
            return {
                "requests": self.requests,
                "api_requests": self.api_requests,
                "token_requests": self.token_requests,
                "password_grants": self.password_grants,
                "refresh_grants": self.refresh_grants,
                "refresh_failures": self.refresh_failures,
                "retries": dict(self.retries),
                "retries_total": sum(self.retries.values()),
                "wait_seconds": round(self.wait_seconds, 3),
            }

    def __repr__(self) -> str:
        return f"ClientStats({self.as_dict()})"
