"""Retries against the sandbox's injected faults: 429 Retry-After, 5xx, dropped connections."""

from __future__ import annotations

import email.utils
import threading
import time

import pytest
from akeneo_client import AkeneoAuthError, AkeneoClient, AkeneoError

LOCALES = "/api/rest/v1/locales"


def _walk(client):
    """All locales, without the host-specific ``_links``."""
    items = client.iter_items(LOCALES, {"limit": 10})
    return [{k: v for k, v in item.items() if k != "_links"} for item in items]


def test_429_waits_retry_after_then_succeeds(sandbox_factory, make_client):
    pim = sandbox_factory(fault_429_every=3, retry_after=1)
    waits: list[float] = []
    client = make_client(pim, sleep=waits.append)
    items = [client.get_json(LOCALES, {"limit": 5}) for _ in range(3)]
    assert all(page["_embedded"]["items"] for page in items)
    assert waits == [1.0]  # Retry-After: 1, honoured exactly (no backoff on top)
    assert client.stats.retries == {"429": 1}
    assert pim.stats()["faults"]["injected_429"] == 1


def test_429_really_sleeps(sandbox_factory, make_client):
    pim = sandbox_factory(fault_429_every=2, retry_after=1)
    client = make_client(pim)
    started = time.monotonic()
    client.get_json(LOCALES)  # grant, then the call gets 429 and waits 1 s
    assert time.monotonic() - started >= 1.0
    assert client.stats.wait_seconds == pytest.approx(1.0)


def test_retry_after_is_capped(sandbox_factory, make_client, caplog):
    pim = sandbox_factory(fault_429_every=2, retry_after=30)
    waits: list[float] = []
    client = make_client(pim, sleep=waits.append, retry_after_cap=2.5)
    client.get_json(LOCALES)
    assert waits == [2.5]
    assert "Retry-After of 30 s is longer than the 2.5 s waited at most" in caplog.text


def test_5xx_retried_with_identical_results(sandbox_factory, make_client):
    clean = _walk(make_client(sandbox_factory()))
    pim = sandbox_factory(fault_5xx_every=3)
    waits: list[float] = []
    client = make_client(pim, sleep=waits.append, backoff_base=0.2, backoff_max=10)
    assert _walk(client) == clean
    assert client.stats.retries["5xx"] == pim.stats()["faults"]["injected_5xx"] > 0
    # exponential backoff with jitter: each wait within [base/2, base] of its attempt
    assert all(0.1 <= w <= 0.2 for w in waits)


def test_dropped_connections_retried_with_identical_results(sandbox_factory, make_client):
    clean = _walk(make_client(sandbox_factory()))
    pim = sandbox_factory(fault_drop_every=4)
    client = make_client(pim)
    assert _walk(client) == clean
    assert client.stats.retries["connection"] == pim.stats()["faults"]["dropped"] > 0


def test_backoff_doubles_between_consecutive_failures(sandbox_factory, make_client):
    pim = sandbox_factory()
    waits: list[float] = []
    client = make_client(pim, sleep=waits.append, backoff_base=1.0, backoff_max=100,
                         max_retries=3)
    client.get_json(LOCALES)  # authenticate first
    pim.set_faults(fault_5xx_every=1)
    with pytest.raises(AkeneoError):
        client.get_json(LOCALES)
    assert len(waits) == 3
    for attempt, wait in enumerate(waits):
        assert 2**attempt / 2 <= wait <= 2**attempt


def test_retries_are_bounded_and_error_names_the_call(sandbox_factory, make_client):
    pim = sandbox_factory()
    client = make_client(pim, max_retries=2)
    client.get_json(LOCALES)
    pim.reset_stats()
    pim.set_faults(fault_5xx_every=1)
    with pytest.raises(AkeneoError) as info:
        client.get_json(LOCALES, {"limit": 3})
    assert info.value.status == 500
    assert "GET /api/rest/v1/locales?limit=3" in str(info.value)
    assert pim.stats()["requests"] == 3  # first try + 2 retries


def test_connection_refused_gives_clear_error(make_client, sandbox_factory):
    pim = sandbox_factory()
    client = make_client(pim, max_retries=1)
    pim.stop()
    with pytest.raises(AkeneoError) as info:
        client.get_json(LOCALES)
    assert info.value.status is None
    assert "connection failed after 2 attempt(s)" in str(info.value)


def test_concurrency_is_bounded(sandbox_factory, make_client):
    """8 calls of >= 100 ms through 2 slots take at least 4 rounds."""
    pim = sandbox_factory(latency_ms=100)
    client = make_client(pim, max_concurrency=2)
    client.get_json(LOCALES)
    errors: list[Exception] = []

    def call() -> None:
        try:
            client.get_json(LOCALES)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(8)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert time.monotonic() - started >= 0.4
    assert pim.stats()["auth"]["password"] == 1  # one token shared by all threads


def test_408_and_503_are_retried_and_retry_after_date_is_read(scripted_peer):
    later = email.utils.formatdate(time.time() + 3, usegmt=True)
    url, seen = scripted_peer([
        (408, {}, {"code": 408, "message": "Request Timeout"}, 0.0),
        (503, {"Retry-After": later}, {"code": 503, "message": "busy"}, 0.0),
    ])
    waits: list[float] = []
    client = AkeneoClient(url, "id", "secret", "user", "pass", sleep=waits.append,
                          backoff_base=0.01)
    assert client.get_json("/api/rest/v1/x") == {"ok": True}
    assert len(seen) == 3
    assert client.stats.retries == {"408": 1, "5xx": 1}
    assert 0.005 <= waits[0] <= 0.01
    assert 1.0 <= waits[1] <= 3.0  # the HTTP-date form of Retry-After


def test_read_timeout_is_retried(scripted_peer):
    url, seen = scripted_peer([(200, {}, {"slow": True}, 1.0)])
    client = AkeneoClient(url, "id", "secret", "user", "pass", timeout=0.2, backoff_base=0.01)
    assert client.get_json("/api/rest/v1/x") == {"ok": True}
    assert client.stats.retries == {"timeout": 1}
    assert len(seen) == 2


def test_other_4xx_is_not_retried(scripted_peer):
    url, seen = scripted_peer([(403, {}, {"code": 403, "message": "You are not allowed."}, 0.0)])
    client = AkeneoClient(url, "id", "secret", "user", "pass")
    with pytest.raises(AkeneoError, match=r"GET /api/rest/v1/x failed \(HTTP 403\): You are not"):
        client.get_json("/api/rest/v1/x")
    assert len(seen) == 1


def test_batch_calls_retry_timeouts_and_refused_connections(scripted_peer, sandbox_factory):
    """PATCH calls go straight to the connection pool; the same errors and retries apply."""
    url, seen = scripted_peer([(200, {}, b"", 1.0), (503, {}, {"message": "busy"}, 0.0)])
    client = AkeneoClient(url, access_token="app", timeout=0.2, backoff_base=0.01)
    results = client.patch_collection_lines("/api/rest/v1/products", [b'{"identifier":"a"}'])
    assert client.stats.retries == {"timeout": 1, "5xx": 1}
    assert seen == ["PATCH /api/rest/v1/products"] * 3
    assert [(r.line, r.status_code) for r in results] == [(1, 0)]  # {"ok": true}: no answer
    pim = sandbox_factory()
    refused = AkeneoClient(pim.url, access_token="app", max_retries=1, backoff_base=0.01)
    pim.stop()
    with pytest.raises(AkeneoError, match=r"connection failed after 2 attempt\(s\)") as info:
        refused.patch_collection_lines("/api/rest/v1/products", [b'{"identifier":"a"}'])
    assert info.value.status is None and "PATCH /api/rest/v1/products" in str(info.value)


def test_a_token_that_expires_again_during_retries_is_renewed_again(scripted_peer):
    """A long chain of 429s and 5xx may outlive the renewed token too: each 401 renews it
    (a few times at most), instead of the second one stopping the call."""
    url, seen = scripted_peer([
        (429, {"Retry-After": "0"}, {"message": "slow down"}, 0.0),
        (401, {}, {"message": "The access token provided has expired."}, 0.0),
        (503, {}, {"message": "busy"}, 0.0),
        (401, {}, {"message": "The access token provided has expired."}, 0.0),
    ])
    client = AkeneoClient(url, "id", "secret", "user", "pass", backoff_base=0.001)
    assert client.get_json("/api/rest/v1/x") == {"ok": True}
    assert len(seen) == 5 and client.stats.retries["401"] == 2
    never = AkeneoClient(*scripted_peer([(401, {}, {"message": "no"}, 0.0)] * 10)[:1],
                         "id", "secret", "user", "pass")
    with pytest.raises(AkeneoAuthError):
        never.get_json("/api/rest/v1/x")  # 401 after every renewal: it stops, bounded
    assert never.stats.retries["401"] == 3
