"""What goes on the wire: headers, query, cookies, redirects and proxies, as requests sends them.

The client prepares its requests itself rather than through ``Session.request`` (see
``AkeneoClient._prepare``); these tests pin what requests' own merge gave, seen by a peer.
"""

from __future__ import annotations

import gzip
import json
import socket
from typing import ClassVar

import pytest
from akeneo_client import AkeneoClient, AkeneoError

from tests.stub_peer import JsonPeer, serve

COLLECTION = "application/vnd.akeneo.collection+json"


class _RecordingPeer(JsonPeer):
    """Records each call (request line, headers, body); sets a cookie with the token."""

    calls: ClassVar[list[dict]]

    def _record(self) -> dict:
        call = {"line": f"{self.command} {self.path}", "headers": self.headers,
                "body": self.read_body()}
        self.calls.append(call)
        return call

    def do_POST(self) -> None:
        self._record()
        self.answer(200, self.token_body, {"Set-Cookie": "lb=node-7; Path=/"})

    def do_GET(self) -> None:
        call = self._record()
        if call["line"].endswith("/old-place"):
            self.answer(301, {}, {"Location": "/api/rest/v1/new-place"})
            return
        self.answer(200, {"path": self.path})

    def do_PATCH(self) -> None:
        call = self._record()
        line = b'{"line":1,"identifier":"a","status_code":201}'
        if call["line"].endswith("/moved"):
            self.answer(308, {}, {"Location": "/api/rest/v1/products"})
        elif call["line"].endswith("/gzip"):
            self.answer(200, gzip.compress(line), {"Content-Encoding": "gzip"},
                        content_type=COLLECTION)
        elif call["line"].endswith("/sticky"):
            self.answer(200, line, {"Set-Cookie": "lb=node-9; Path=/"}, content_type=COLLECTION)
        else:
            self.answer(200, line, content_type=COLLECTION)


@pytest.fixture
def recorder():
    handler = type("Peer", (_RecordingPeer,), {"calls": []})
    with serve(handler) as url:
        yield url, handler.calls


def test_headers_query_and_body_are_those_requests_would_send(recorder):
    url, calls = recorder
    with AkeneoClient(url, "id", "secret", "user", "pass") as client:
        results = client.patch_collection_lines("/api/rest/v1/products", [b'{"identifier":"a"}'])
        page = client.get_json("/api/rest/v1/channels", {"limit": 10, "search": None, "x": "a b"})
    assert [(r.key, r.status_code) for r in results] == [("a", 201)]
    token, patch, get = calls
    assert token["line"] == "POST /api/oauth/v1/token"
    assert json.loads(token["body"])["grant_type"] == "password"
    assert token["headers"]["Authorization"].startswith("Basic ")
    assert patch["line"] == "PATCH /api/rest/v1/products"
    assert patch["body"] == b'{"identifier":"a"}'
    assert patch["headers"]["Content-Type"] == COLLECTION
    assert patch["headers"]["Content-Length"] == str(len(patch["body"]))
    assert patch["headers"]["Authorization"] == "Bearer peer-token"
    assert patch["headers"]["User-Agent"].startswith("akeneo-sdm-connector/")
    assert patch["headers"]["Accept-Encoding"]  # requests' default headers are kept
    # a None parameter is left out, as requests leaves it out
    assert get["line"] == "GET /api/rest/v1/channels?limit=10&x=a+b"
    assert page == {"path": "/api/rest/v1/channels?limit=10&x=a+b"}
    # the call's Accept replaces the session's, whatever the case: one header, not two
    assert get["headers"].get_all("Accept") == ["application/json"]


def test_cookies_set_by_the_pim_are_sent_back(recorder):
    url, calls = recorder
    with AkeneoClient(url, "id", "secret", "user", "pass") as client:
        client.get_json("/api/rest/v1/channels")
        client.patch_collection_lines("/api/rest/v1/products", [b'{"identifier":"a"}'])
    assert "Cookie" not in calls[0]["headers"]
    assert [c["headers"]["Cookie"] for c in calls[1:]] == ["lb=node-7", "lb=node-7"]


def test_redirects_are_followed_with_the_token(recorder):
    url, calls = recorder
    with AkeneoClient(url, "id", "secret", "user", "pass") as client:
        assert client.get_json("/api/rest/v1/old-place") == {"path": "/api/rest/v1/new-place"}
    assert [c["line"] for c in calls[1:]] == ["GET /api/rest/v1/old-place",
                                               "GET /api/rest/v1/new-place"]
    assert calls[2]["headers"]["Authorization"] == "Bearer peer-token"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_proxy_from_the_environment_is_read_once_and_used(recorder, monkeypatch):
    proxy, calls = recorder
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy)
    pim = f"http://127.0.0.1:{_closed_port()}"  # nothing listens: only the proxy can answer
    with AkeneoClient(pim, "id", "secret", "user", "pass", max_retries=0) as client:
        monkeypatch.delenv("HTTP_PROXY")  # read at construction, not on each call
        assert client.get_json("/api/rest/v1/channels") == {
            "path": f"{pim}/api/rest/v1/channels"}
        client.patch_collection_lines("/api/rest/v1/products", [b'{"identifier":"a"}'])
    assert [c["line"] for c in calls] == [f"POST {pim}/api/oauth/v1/token",
                                          f"GET {pim}/api/rest/v1/channels",
                                          f"PATCH {pim}/api/rest/v1/products"]


def test_batch_answers_set_cookies_and_may_be_compressed(recorder):
    url, calls = recorder
    with AkeneoClient(url, "id", "secret", "user", "pass") as client:
        sticky = client.patch_collection_lines("/api/rest/v1/sticky", [b'{"identifier":"a"}'])
        packed = client.patch_collection_lines("/api/rest/v1/gzip", [b'{"identifier":"a"}'])
    assert [(r.key, r.status_code) for r in sticky + packed] == [("a", 201), ("a", 201)]
    assert calls[2]["headers"]["Cookie"] == "lb=node-9"  # the cookie set by a PATCH answer


def test_a_redirected_batch_is_reported_not_sent_again(recorder):
    url, calls = recorder
    with AkeneoClient(url, "id", "secret", "user", "pass", max_retries=0) as client, \
            pytest.raises(AkeneoError, match=r"redirected to '/api/rest/v1/products'") as info:
        client.patch_collection_lines("/api/rest/v1/moved", [b'{"identifier":"a"}'])
    assert info.value.status == 308
    assert [c["line"] for c in calls[1:]] == ["PATCH /api/rest/v1/moved"]
