"""Faults on demand (latency, 429, 5xx, dropped connections) and the request counters."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field, fields
from typing import Any

from .errors import ApiError

FAULT_KEYS = ("latency_ms", "fault_429_every", "fault_5xx_every", "fault_drop_every",
              "retry_after", "option_rate_limit", "token_ttl")
LOG_SIZE = 100_000


@dataclass
class FaultConfig:
    """What to inject; every ``*_every`` counts Akeneo requests (0 = off)."""

    latency_ms: float = 0
    fault_429_every: int = 0
    fault_5xx_every: int = 0
    fault_drop_every: int = 0
    retry_after: int = 1
    option_rate_limit: int = 0  # option writes per second (Akeneo SaaS: 3); 0 = off
    token_ttl: float = 3600


@dataclass
class Faults:
    """Fault state plus counters and the request log, shared by all server threads."""

    config: FaultConfig = field(default_factory=FaultConfig)
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: int = 0
    option_writes: deque[float] = field(default_factory=deque)
    counters: Counter[str] = field(default_factory=Counter)
    by_method: Counter[str] = field(default_factory=Counter)
    by_route: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    auth: Counter[str] = field(default_factory=Counter)
    log: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=LOG_SIZE))
    in_flight: int = 0  # Akeneo requests being answered now
    max_in_flight: int = 0  # the most at once since the last reset (a client's concurrency)

    def set(self, **changes: Any) -> dict[str, Any]:
        """Change fault settings; unknown keys raise ``ValueError``."""
        known = {f.name for f in fields(FaultConfig)}
        for key, value in changes.items():
            if key not in known:
                raise ValueError(f"unknown fault setting {key!r}; known: {sorted(known)}")
            if value is None or isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"fault setting {key!r} must be a number, got {value!r}")
            if value < 0:
                raise ValueError(f"fault setting {key!r} must be >= 0, got {value!r}")
        with self.lock:
            for key, value in changes.items():
                setattr(self.config, key, value)
            self.seen = 0
        return self.settings()

    def settings(self) -> dict[str, Any]:
        """Current fault settings."""
        return {f.name: getattr(self.config, f.name) for f in fields(FaultConfig)}

    def next_fault(self) -> str | None:
        """Count one Akeneo request and say which fault (if any) it gets."""
        cfg = self.config
        with self.lock:
            self.seen += 1
            n = self.seen
        if cfg.fault_drop_every and n % cfg.fault_drop_every == 0:
            return "drop"
        if cfg.fault_5xx_every and n % cfg.fault_5xx_every == 0:
            return "5xx"
        if cfg.fault_429_every and n % cfg.fault_429_every == 0:
            return "429"
        return None

    def check_option_rate(self) -> None:
        """Akeneo limits option writes (3/s on SaaS); answer 429 above the set rate."""
        limit = self.config.option_rate_limit
        if not limit:
            return
        now = time.monotonic()
        with self.lock:
            while self.option_writes and now - self.option_writes[0] >= 1.0:
                self.option_writes.popleft()
            if len(self.option_writes) >= limit:
                self.counters["faults_429"] += 1
                raise ApiError(429, "Too many requests: attribute options can be written "
                               f"{limit} times per second.",
                               headers={"Retry-After": str(max(1, self.config.retry_after))})
            self.option_writes.append(now)

    def record(self, *, method: str, path: str, route: str, status: int | None, bytes_in: int,
               bytes_out: int, lines: int | None, duration_ms: float,
               cpu_ms: float) -> None:
        """Count one request and log it (``status`` None: the connection was dropped)."""
        entry: dict[str, Any] = {"method": method, "path": path, "route": route,
                                 "status": status, "duration_ms": round(duration_ms, 3),
                                 "cpu_ms": round(cpu_ms, 3)}
        if lines is not None:
            entry["lines"] = lines
        with self.lock:
            self.counters["requests"] += 1
            self.counters["bytes_in"] += bytes_in
            self.counters["bytes_out"] += bytes_out
            self.by_method[method] += 1
            self.by_route[f"{method} {route}"] += 1
            self.by_status["dropped" if status is None else str(status)] += 1
            self.log.append(entry)

    def enter(self) -> None:
        """One Akeneo request starts being answered (latency included)."""
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        """That request is answered."""
        with self.lock:
            self.in_flight -= 1

    def count(self, key: str) -> None:
        """Bump a named counter (faults injected, ...)."""
        with self.lock:
            self.counters[key] += 1

    def count_auth(self, grant: str) -> None:
        """Count one token grant (``password``, ``refresh_token`` or ``failed``)."""
        with self.lock:
            self.auth[grant] += 1

    def stats(self) -> dict[str, Any]:
        """A snapshot of every counter."""
        with self.lock:
            return {
                "requests": self.counters["requests"],
                "by_method": dict(self.by_method),
                "by_route": dict(self.by_route),
                "by_status": dict(self.by_status),
                "auth": {"password": self.auth["password"],
                         "refresh_token": self.auth["refresh_token"],
                         "failed": self.auth["failed"]},
                "bytes_in": self.counters["bytes_in"],
                "bytes_out": self.counters["bytes_out"],
                "max_in_flight": self.max_in_flight,
                "faults": {"latency_ms": self.config.latency_ms,
                           "injected_429": self.counters["faults_429"],
                           "injected_5xx": self.counters["faults_5xx"],
                           "dropped": self.counters["faults_drop"]},
            }

    def requests(self) -> list[dict[str, Any]]:
        """The request log, oldest first."""
        with self.lock:
            return list(self.log)

    def reset(self) -> None:
        """Zero the counters and clear the log (fault settings stay)."""
        with self.lock:
            for counter in (self.counters, self.by_method, self.by_route, self.by_status,
                            self.auth):
                counter.clear()
            self.log.clear()
            self.seen = 0
            self.max_in_flight = self.in_flight
