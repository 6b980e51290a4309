"""Tap test helpers: run tap-akeneo in-process against a sandbox and collect its messages."""

from __future__ import annotations

import contextlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import requests
from tap_akeneo.tap import TapAkeneo

if TYPE_CHECKING:
    from pathlib import Path

    from akeneo_sandbox import Sandbox


@dataclass
class SyncResult:
    """What one tap run wrote on stdout."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    states: list[dict[str, Any]] = field(default_factory=list)
    tap: TapAkeneo | None = None

    @property
    def state(self) -> dict[str, Any]:
        """The last STATE message's value."""
        return self.states[-1] if self.states else {}

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.records.items()}


def tap_config(pim: Sandbox, **settings: Any) -> dict[str, Any]:
    return {**pim.config(), **settings}


def run_tap(
    config: dict[str, Any],
    *,
    streams: list[str] | None = None,
    state: dict[str, Any] | None = None,
) -> SyncResult:
    """Run a full sync in-process (only ``streams`` selected, when given)."""
    catalog = None
    if streams is not None:
        catalog = TapAkeneo(config=config, parse_env_config=False).catalog_dict
        for entry in catalog["streams"]:
            for meta in entry["metadata"]:
                if not meta["breadcrumb"]:
                    meta["metadata"]["selected"] = entry["tap_stream_id"] in streams
    tap = TapAkeneo(config=config, catalog=catalog, state=state, parse_env_config=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        tap.sync_all()
    result = SyncResult(tap=tap)
    for line in out.getvalue().splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD":
            result.records[message["stream"]].append(message["record"])
        elif message["type"] == "SCHEMA":
            result.schemas[message["stream"]] = message["schema"]
        elif message["type"] == "STATE":
            result.states.append(message["value"])
    return result


def sandbox_stats(pim: Sandbox) -> dict[str, Any]:
    """The counters as the sandbox serves them on ``GET /_sandbox/stats``."""
    response = requests.get(pim.url + "/_sandbox/stats", timeout=10)
    response.raise_for_status()
    return response.json()


def write_catalog(folder: Path, **files: list[dict[str, Any]]) -> Path:
    """Write a catalog folder (one JSON array per file name) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, items in files.items():
        (folder / f"{name}.json").write_text(json.dumps(items), encoding="utf-8")
    return folder
