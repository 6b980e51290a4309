"""What every part of a push shares: settings, state, the client and the dry-run writer.

The push is split by concern into mixins over this state: :mod:`routing` (variant values to
their models), :mod:`option_writes` (new options and records), :mod:`uploads` (assets and
media files), :mod:`writes` (model and product batches) and :mod:`push` (the order of it all).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import logging
    import threading
    from collections.abc import Callable, Iterable
    from pathlib import Path

    from akeneo_client import AkeneoClient, AkeneoError, LineResult

    from target_akeneo.media import AssetPlan
    from target_akeneo.models import ModelInfo, ModelState
    from target_akeneo.options import OptionRegistry, RateLimiter
    from target_akeneo.project import FieldSpec, Project
    from target_akeneo.report import Report
    from target_akeneo.rows import Converted, Converter, Key, Media
    from target_akeneo.spool import Spool

API = "/api/rest/v1"
PRODUCTS = f"{API}/products"
MODELS = f"{API}/product-models"


@dataclass
class PushSettings:
    """The target settings a push needs (credentials stay inside the client)."""

    workspace: Path
    job_id: str
    batch_size: int = 100
    max_concurrency: int = 4
    dry_run: bool = False

    @property
    def job_dir(self) -> Path:
        """``<workspace>/jobs/<job_id>``."""
        return self.workspace / "jobs" / self.job_id


class PushState:
    """Attributes shared by the parts of a push (set in ``Push.__init__``)."""

    settings: PushSettings
    project: Project
    logger: logging.Logger
    report: Report
    options: OptionRegistry
    assets: AssetPlan
    converter: Converter
    spool: Spool
    key_specs: dict[Key, FieldSpec]
    model_rows: list[tuple[int, dict[str, Any]]]
    model_infos: dict[str, ModelInfo]
    models: dict[str, ModelState]
    deferred: list[tuple[Converted, dict[str, Any]]]  # variant rows awaiting their parent
    media: list[tuple[str, Media]]
    ingesting: bool
    _pim_models: dict[str, ModelInfo | None]
    _model_errors: dict[str, str]  # model code -> why reading it from the PIM failed
    _job_parents: dict[str, str]  # identifier -> the parent a row of the job gave it
    _warm_error: AkeneoError | None  # a refused sign-in: the push stops when it runs
    _option_limiter: RateLimiter
    _client_factory: Callable[[], AkeneoClient]
    _client: AkeneoClient | None
    _client_lock: threading.Lock
    _dry_dir: Path
    _dry_created: set[str]
    _dry_seq: int

    @property
    def client(self) -> AkeneoClient:
        """The one Akeneo client, created on first use (by one thread only)."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = self._client_factory()
        return self._client

    def _dry_write(self, name: str, lines: Iterable[Any], *, raw: bool = False) -> None:
        """Write what would be sent: one file per request, numbered in sending order."""
        self._dry_seq += 1
        self._dry_dir.mkdir(parents=True, exist_ok=True)
        path = self._dry_dir / f"{self._dry_seq:05d}-{name}"
        with path.open("wb") as handle:
            for line in lines:
                handle.write(line if raw else json.dumps(line, ensure_ascii=False).encode())
                handle.write(b"\n")


def why(result: LineResult) -> str:
    """A PIM answer line's reason, for the report."""
    errors = result.errors
    if errors:
        return "; ".join(str(e.get("message")) for e in errors if e.get("message")) or (
            result.message or f"HTTP {result.status_code}"
        )
    return result.message or f"HTTP {result.status_code}"


def result_errors(result: LineResult) -> list[dict[str, Any]]:
    """A PIM answer line's errors in the report's shape."""
    return map_errors(result.errors, result.message or f"HTTP {result.status_code}")


def map_errors(errors: list[dict[str, Any]] | None, message: str) -> list[dict[str, Any]]:
    """Akeneo errors as ``[{attribute, message}]`` (the message alone when none)."""
    mapped = [
        {"attribute": e.get("attribute") or e.get("property"), "message": e.get("message")}
        for e in errors or []
        if isinstance(e, dict)
    ]
    return mapped or [{"attribute": None, "message": message}]
