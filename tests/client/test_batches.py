"""Batch upserts: NDJSON collection and JSON-array PATCH, per-line results, size limits."""

from __future__ import annotations

import json

import pytest
from akeneo_client import AkeneoBatchTooLargeError, AkeneoClient, AkeneoError

from tests.stub_peer import JsonPeer, start_peer

CATEGORIES = "/api/rest/v1/categories"


def test_ndjson_batch_gives_one_result_per_line(pim, make_client):
    client = make_client(pim)
    existing = client.get_json(CATEGORIES, {"limit": 1})["_embedded"]["items"][0]["code"]
    items = [
        {"code": "batch_new_1", "parent": existing, "labels": {"en_US": "New one"}},
        {"code": "batch_bad", "parent": "no_such_parent_category"},
        {"code": existing, "labels": {"fr_FR": "Libellé"}},
    ]
    results = client.patch_collection(CATEGORIES, items)
    assert [(r.line, r.key) for r in results] == [(1, "batch_new_1"), (2, "batch_bad"),
                                                   (3, existing)]
    assert [r.status_code for r in results] == [201, 422, 204]
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].message  # Akeneo's reason for the failed line
    assert results[1].raw["status_code"] == 422
    log = [e for e in pim.request_log() if e["method"] == "PATCH"]
    assert len(log) == 1 and log[0]["status"] == 200
    assert client.get_json(f"{CATEGORIES}/batch_new_1")["parent"] == existing


def test_batch_over_limit_is_refused_without_a_request(pim, make_client):
    client = make_client(pim)
    items = [{"code": f"c{i}"} for i in range(101)]
    with pytest.raises(ValueError, match="101 items; at most 100"):
        client.patch_collection(CATEGORIES, items)
    assert pim.stats()["requests"] == 0


def test_empty_batch_sends_nothing(pim, make_client):
    assert make_client(pim).patch_collection(CATEGORIES, []) == []
    assert pim.stats()["requests"] == 0


def test_whole_request_413_is_reported_as_too_large(pim, make_client):
    client = make_client(pim, batch_limit=150)  # let 101 items through to the PIM
    parent = client.get_json(CATEGORIES, {"limit": 1})["_embedded"]["items"][0]["code"]
    items = [{"code": f"big_{i}", "parent": parent} for i in range(101)]
    with pytest.raises(AkeneoBatchTooLargeError) as info:
        client.patch_collection(CATEGORIES, items)
    assert info.value.status == 413
    assert "whole batch of 101 item(s) as too large" in str(info.value)
    assert "PATCH /api/rest/v1/categories" in str(info.value)


def test_json_array_batch(pim, make_client):
    client = make_client(pim)
    family = client.get_json("/api/rest/v1/measurement-families")[0]
    items = [
        {"code": family["code"], "labels": {"en_US": "Renamed"}},
        {"code": "BROKEN_FAMILY", "standard_unit_code": "NOPE", "units": {}},
    ]
    results = client.patch_json_array("/api/rest/v1/measurement-families", items)
    assert [r.line for r in results] == [1, 2]
    assert [r.key for r in results] == [family["code"], "BROKEN_FAMILY"]
    assert results[0].ok
    assert not results[1].ok and results[1].status_code == 422


class _BatchPeer(JsonPeer):
    """A peer that answers a 3-line batch with one good line and one unreadable line."""

    def do_PATCH(self) -> None:
        self.read_body()
        self.answer(200, b'{"line":1,"identifier":"a","status_code":201}\nnot json\n',
                    content_type="application/vnd.akeneo.collection+json")


@pytest.fixture
def peer_batch():
    server = start_peer(_BatchPeer)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_unanswered_and_unreadable_lines_get_a_result(peer_batch):
    """No sent item is lost: every line gets a result, in order."""
    client = AkeneoClient(peer_batch, "id", "secret", "user", "pass")
    results = client.patch_collection("/api/rest/v1/products", [
        {"identifier": "a"}, {"identifier": "b"}, {"identifier": "c"}])
    assert [(r.line, r.key, r.status_code) for r in results] == [
        (1, "a", 201), (2, "b", 0), (3, "c", 0)]
    assert results[1].message == "unreadable answer line: not json"
    assert results[2].message == "Akeneo sent no answer for this line"
    assert not results[1].ok


def test_403_too_large_and_403_acl(scripted_peer):
    url, _ = scripted_peer([
        (403, {}, {"code": 403, "message": "The request payload is too large."}, 0.0),
        (403, {}, {"code": 403, "message": "You are not allowed to administrate categories."},
         0.0),
    ])
    client = AkeneoClient(url, "id", "secret", "user", "pass")
    with pytest.raises(AkeneoBatchTooLargeError, match="send fewer or smaller items"):
        client.patch_collection(CATEGORIES, [{"code": "a"}])
    with pytest.raises(AkeneoError) as info:
        client.patch_json_array(CATEGORIES, [{"code": "a"}])
    assert not isinstance(info.value, AkeneoBatchTooLargeError)
    assert "not allowed to administrate categories" in str(info.value)
    assert "may also mean the payload is too large" in str(info.value)


# -- ready-made NDJSON lines ---------------------------------------------------------------


def _lines(items):
    return [json.dumps(item, separators=(",", ":")).encode() for item in items]


def test_lines_batch_gives_one_result_per_line(pim, make_client):
    client = make_client(pim)
    parent = client.get_json(CATEGORIES, {"limit": 1})["_embedded"]["items"][0]["code"]
    lines = _lines([
        {"code": "lines_new", "parent": parent, "labels": {"en_US": "Line\nbreak"}},
        {"code": "lines_bad", "parent": "no_such_parent_category"},
    ])
    results = client.patch_collection_lines(CATEGORIES, lines)
    assert [(r.line, r.key, r.status_code) for r in results] == [
        (1, "lines_new", 201), (2, "lines_bad", 422)]
    assert results[1].message
    assert client.get_json(f"{CATEGORIES}/lines_new")["labels"]["en_US"] == "Line\nbreak"
    assert [e["lines"] for e in pim.request_log() if e["method"] == "PATCH"] == [2]


def test_lines_over_limit_or_with_a_raw_newline_are_refused_without_a_request(pim, make_client):
    client = make_client(pim)
    with pytest.raises(ValueError, match="101 items; at most 100"):
        client.patch_collection_lines(CATEGORIES, _lines([{"code": f"c{i}"} for i in range(101)]))
    with pytest.raises(ValueError, match="raw newline"):
        client.patch_collection_lines(CATEGORIES, [b'{"code":\n"a"}'])
    assert client.patch_collection_lines(CATEGORIES, []) == []
    assert pim.stats()["requests"] == 0


def test_lines_too_large_raise_or_are_split(pim, make_client):
    client = make_client(pim, batch_limit=150)  # let 101 lines through to the PIM
    parent = client.get_json(CATEGORIES, {"limit": 1})["_embedded"]["items"][0]["code"]
    lines = _lines([{"code": f"split_{i:03d}", "parent": parent} for i in range(101)])
    with pytest.raises(AkeneoBatchTooLargeError, match="whole batch of 101"):
        client.patch_collection_lines(CATEGORIES, lines)
    pim.reset_stats()
    results = client.patch_collection_lines(CATEGORIES, lines, split_too_large=True)
    assert [(r.line, r.key, r.status_code) for r in results] == [
        (i + 1, f"split_{i:03d}", 201) for i in range(101)]
    patches = [(e["status"], e.get("lines")) for e in pim.request_log() if e["method"] == "PATCH"]
    assert patches[0][0] == 413
    assert patches[1:] == [(200, 50), (200, 51)]
    assert client.get_json(f"{CATEGORIES}/split_100")["parent"] == parent


def test_a_single_line_refused_as_too_large_fails_alone(scripted_peer):
    too_large = (413, {}, {"code": 413, "message": "Request Entity Too Large"}, 0.0)
    answer = b'{"line":1,"code":"b","status_code":204}'
    url, seen = scripted_peer([too_large, too_large, (200, {}, json.loads(answer), 0.0)])
    client = AkeneoClient(url, "id", "secret", "user", "pass")
    results = client.patch_collection_lines(CATEGORIES, [b'{"code":"a"}', b'{"code":"b"}'],
                                            split_too_large=True)
    assert [(r.line, r.key, r.status_code, r.ok) for r in results] == [
        (1, "a", 413, False), (2, "b", 204, True)]
    assert "too large" in (results[0].message or "")
    assert len(seen) == 3
