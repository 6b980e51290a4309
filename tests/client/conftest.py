"""Client test helpers: clients wired to sandbox PIMs, and small catalogs built on disk."""

from __future__ import annotations

import contextlib
import json
import time
from typing import TYPE_CHECKING, Any

import pytest
from akeneo_client import AkeneoClient

from tests.stub_peer import JsonPeer, start_peer

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


class _ScriptedPeer(JsonPeer):
    """Answers the token route; every other call takes the next scripted answer."""

    script: list[tuple[int, dict[str, str], Any, float]]
    seen: list[str]

    def _scripted(self) -> None:
        self.read_body()
        if self.path == "/api/oauth/v1/token":
            self.answer(200, {"access_token": "tok-peer", "expires_in": 3600})
            return
        self.seen.append(f"{self.command} {self.path}")
        status, headers, body, delay = self.script.pop(0) if self.script else (
            200, {}, {"ok": True}, 0.0)
        if delay:
            time.sleep(delay)
        with contextlib.suppress(OSError):  # the client may have given up waiting
            self.answer(status, body, headers)

    do_GET = do_PATCH = do_POST = _scripted  # noqa: N815 - http.server naming


@pytest.fixture
def scripted_peer() -> Iterator[Callable[..., tuple[str, list[str]]]]:
    """``scripted_peer([(status, headers, body, delay), ...])`` -> (url, calls seen)."""
    servers: list[Any] = []

    def start(script: list[tuple[int, dict[str, str], Any, float]]) -> tuple[str, list[str]]:
        handler = type("Peer", (_ScriptedPeer,), {"script": list(script), "seen": []})
        server = start_peer(handler)
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}", handler.seen

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
