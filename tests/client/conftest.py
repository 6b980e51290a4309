"""Client test helpers: clients wired to sandbox PIMs, and small catalogs built on disk."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from akeneo_client import AkeneoClient

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from akeneo_sandbox import Sandbox

FAST_BACKOFF = {"backoff_base": 0.01, "backoff_max": 0.05}


@pytest.fixture
def make_client() -> Iterator[Callable[..., AkeneoClient]]:
    """``make_client(pim, **kwargs)``: a client for a sandbox (fast backoff); closed after."""
    clients: list[AkeneoClient] = []

    def make(pim: Sandbox, **kwargs: Any) -> AkeneoClient:
        settings: dict[str, Any] = {**pim.config(), **FAST_BACKOFF, **kwargs}
        client = AkeneoClient(**settings)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def write_catalog(folder: Path, **files: list[dict[str, Any]]) -> Path:
    """Write a catalog folder (one JSON array per file name) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, items in files.items():
        (folder / f"{name}.json").write_text(json.dumps(items), encoding="utf-8")
    return folder


def many_categories(count: int) -> list[dict[str, Any]]:
    """A root category and ``count - 1`` children (parents before children)."""
    root = {"code": "master", "parent": None, "labels": {"en_US": "Master"}}
    return [root] + [
        {"code": f"cat_{i:05d}", "parent": "master", "labels": {"en_US": f"Category {i}"}}
        for i in range(1, count)
    ]
