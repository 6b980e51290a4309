"""Faults on demand and the /_sandbox/ counters and request log."""

from __future__ import annotations

import time

import pytest
import requests
from akeneo_sandbox import Sandbox

from .conftest import SMALL, Api


def _root(pim: Sandbox) -> requests.Response:
    return requests.get(f"{pim.url}/api/rest/v1", timeout=5)


def test_every_nth_request_gets_429_with_retry_after() -> None:
    with Sandbox(catalog=SMALL, fault_429_every=3, retry_after=2) as pim:
        statuses = [_root(pim).status_code for _ in range(6)]
        assert statuses == [200, 200, 429, 200, 200, 429]
        limited = _root(pim), _root(pim), _root(pim)
        assert limited[2].headers["Retry-After"] == "2"
        assert limited[2].json() == {"code": 429, "message": "Too Many Requests"}


def test_every_nth_request_gets_5xx() -> None:
    with Sandbox(catalog=SMALL, fault_5xx_every=2) as pim:
        statuses = [_root(pim).status_code for _ in range(4)]
        assert statuses == [200, 500, 200, 500]
        assert pim.stats()["faults"]["injected_5xx"] == 2


def test_every_nth_connection_is_dropped() -> None:
    with Sandbox(catalog=SMALL, fault_drop_every=2) as pim:
        assert _root(pim).status_code == 200
        with pytest.raises(requests.ConnectionError):
            _root(pim)
        assert _root(pim).status_code == 200
        assert pim.stats()["faults"]["dropped"] == 1
        assert pim.stats()["by_status"]["dropped"] == 1
        assert pim.request_log()[1]["status"] is None


def test_faults_also_hit_token_and_api_calls(small: Sandbox) -> None:
    api = Api(small)
    small.set_faults(fault_429_every=1)
    assert api.get("/channels").status_code == 429
    token = requests.post(f"{small.url}/api/oauth/v1/token", timeout=5,
                          auth=("sandbox-client", "sandbox-secret"),
                          json={"grant_type": "password", "username": "sandbox",
                                "password": "sandbox"})
    assert token.status_code == 429
    small.set_faults(fault_429_every=0)
    assert api.get("/channels").status_code == 200


def test_latency_is_added_to_each_request() -> None:
    with Sandbox(catalog=SMALL, latency_ms=150) as pim:
        started = time.perf_counter()
        assert _root(pim).status_code == 200
        assert time.perf_counter() - started >= 0.15
        pim.set_faults(latency_ms=0)
        assert pim.stats()["faults"]["latency_ms"] == 0


def test_short_token_ttl_via_constructor() -> None:
    with Sandbox(catalog=SMALL, token_ttl=2) as pim:
        assert Api(pim).new_token()["expires_in"] == 2


def test_faults_over_http(small: Sandbox) -> None:
    base = f"{small.url}/_sandbox"
    current = requests.get(f"{base}/faults", timeout=5).json()
    assert current["fault_429_every"] == 0
    assert current["retry_after"] == 1
    changed = requests.post(f"{base}/faults", json={"fault_5xx_every": 1}, timeout=5)
    assert changed.status_code == 200
    assert changed.json()["fault_5xx_every"] == 1
    assert _root(small).status_code == 500
    bad = requests.post(f"{base}/faults", json={"nope": 1}, timeout=5)
    assert bad.status_code == 400
    assert "nope" in bad.json()["message"]
    negative = requests.post(f"{base}/faults", json={"latency_ms": -1}, timeout=5)
    assert negative.status_code == 400


def test_set_faults_refuses_unknown_settings(small: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown fault setting"):
        small.set_faults(fault_418_every=2)


def test_stats_count_requests_routes_statuses_auth_and_bytes(small: Sandbox) -> None:
    api = Api(small)
    api.get("/channels")
    api.get("/channels/nope")
    api.patch("/channels/ecommerce", {"labels": {"de_DE": "Onlineshop"}})
    requests.post(f"{small.url}/api/oauth/v1/token", auth=("x", "y"), timeout=5,
                  json={"grant_type": "password"})
    stats = small.stats()
    assert stats["requests"] == 5
    assert stats["by_method"] == {"POST": 2, "GET": 2, "PATCH": 1}
    assert stats["by_route"]["GET /api/rest/v1/channels"] == 1
    assert stats["by_route"]["GET /api/rest/v1/channels/<code>"] == 1
    assert stats["by_route"]["POST /api/oauth/v1/token"] == 2
    assert stats["by_status"] == {"200": 2, "404": 1, "204": 1, "422": 1}
    assert stats["auth"] == {"password": 1, "refresh_token": 0, "failed": 1}
    assert stats["bytes_in"] > 0
    assert stats["bytes_out"] > 0
    over_http = requests.get(f"{small.url}/_sandbox/stats", timeout=5).json()
    assert over_http["requests"] == 5


def test_request_log_holds_method_path_status(small: Sandbox) -> None:
    api = Api(small)
    api.get("/attributes", limit=5, page=2)
    api.batch_lines("/products", [{"identifier": "a"}, {"identifier": "b"},
                                  {"identifier": "c"}])
    log = small.request_log()
    assert [(e["method"], e["status"]) for e in log] == [("POST", 200), ("GET", 200),
                                                         ("PATCH", 200)]
    assert log[1]["path"] == "/api/rest/v1/attributes?limit=5&page=2"
    assert "lines" not in log[1]
    assert log[2]["lines"] == 3
    assert requests.get(f"{small.url}/_sandbox/requests", timeout=5).json() == log


def test_reset_stats_and_sandbox_paths_are_not_counted(small: Sandbox) -> None:
    Api(small).get("/channels")
    assert small.stats()["requests"] == 2
    requests.get(f"{small.url}/_sandbox/stats", timeout=5)
    assert small.stats()["requests"] == 2
    small.reset_stats()
    assert small.stats()["requests"] == 0
    assert small.request_log() == []
    assert requests.post(f"{small.url}/_sandbox/reset", timeout=5).status_code == 204
    assert requests.get(f"{small.url}/_sandbox/nope", timeout=5).status_code == 404


def test_cli_fault_flags() -> None:
    from akeneo_sandbox.cli import build_parser
    args = build_parser().parse_args([
        "serve", "--empty", "--latency-ms", "5", "--token-ttl", "30", "--fault-429-every", "4",
        "--fault-5xx-every", "6", "--fault-drop-every", "9", "--retry-after", "2",
        "--option-rate-limit", "3", "--edition", "ce"])
    assert (args.latency_ms, args.token_ttl, args.fault_429_every, args.fault_5xx_every,
            args.fault_drop_every, args.retry_after, args.option_rate_limit, args.edition) == (
        5, 30, 4, 6, 9, 2, 3, "ce")
