"""Link-following pagination over the sandbox (absolute links) and a relative-link peer."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from akeneo_client import AkeneoClient, AkeneoError

from tests.stub_peer import JsonPeer, start_peer

from .conftest import many_categories, write_catalog

CATEGORIES = "/api/rest/v1/categories"


def _gets(pim):
    return [e["path"] for e in pim.request_log() if e["method"] == "GET"]


def test_pages_over_more_than_100_items(sandbox_factory, make_client, tmp_path):
    pim = sandbox_factory(catalog=write_catalog(tmp_path / "cat", categories=many_categories(250)))
    client = make_client(pim)
    pages = list(client.iter_pages(CATEGORIES, {"limit": 100}))
    assert [len(p) for p in pages] == [100, 100, 50]
    codes = [item["code"] for page in pages for item in page]
    assert len(set(codes)) == 250
    # first page with our params, then the next links verbatim (no repeated parameters)
    assert _gets(pim) == [
        f"{CATEGORIES}?limit=100",
        f"{CATEGORIES}?page=2&limit=100",
        f"{CATEGORIES}?page=3&limit=100",
    ]
    assert pim.stats()["requests"] == 4  # 3 pages + 1 token


def test_stops_on_empty_last_page(sandbox_factory, make_client, tmp_path):
    """A full last page still has a next link (as Akeneo CE does); the empty page ends it."""
    pim = sandbox_factory(catalog=write_catalog(tmp_path / "cat", categories=many_categories(200)))
    client = make_client(pim)
    assert len(list(client.iter_items(CATEGORIES, {"limit": 100}))) == 200
    assert len(_gets(pim)) == 3


@pytest.mark.parametrize(("path", "key", "limit"), [
    ("/api/rest/v1/products-uuid", "uuid", 10),
    ("/api/rest/v1/product-models", "code", 2),
])
def test_search_after_paging(pim, make_client, path, key, limit):
    client = make_client(pim)
    expected = client.get_json(path, {"limit": 100})["_embedded"]["items"]
    assert limit < len(expected) < 100
    pim.reset_stats()
    params = {"pagination_type": "search_after", "limit": limit}
    items = list(client.iter_items(path, params))
    assert sorted(i[key] for i in items) == sorted(i[key] for i in expected)
    gets = _gets(pim)
    assert len(gets) == -(-len(expected) // limit)
    assert all(g.count("limit=") == 1 and g.count("pagination_type=") == 1 for g in gets)
    assert all("search_after=" in g for g in gets[1:])


class _RelativePeer(JsonPeer):
    """A third-party style peer: relative links, and one plain-array endpoint."""

    seen: list[str]
    token_body: ClassVar[dict[str, Any]] = {"access_token": "peer-token", "expires_in": 3600,
                                            "refresh_token": "peer-refresh"}

    def do_GET(self) -> None:
        self.seen.append(self.path)
        if self.path.startswith("/api/rest/v1/plain"):
            self.answer(200, [{"code": "a"}, {"code": "b"}])
        elif self.path.startswith("/api/rest/v1/loop"):
            self.answer(200, {"_embedded": {"items": [{"code": "x"}]},
                             "_links": {"next": {"href": "/api/rest/v1/loop?page=1"}}})
        elif "page=2" in self.path:
            self.answer(200, {"_embedded": {"items": [{"code": "c"}]}, "_links": {}})
        else:
            self.answer(200, {"_embedded": {"items": [{"code": "a"}, {"code": "b"}]},
                             "_links": {"next": {"href": "/api/rest/v1/things?page=2&limit=2"}}})


@pytest.fixture
def peer():
    handler = type("Handler", (_RelativePeer,), {"seen": []})
    server = start_peer(handler)
    yield f"http://127.0.0.1:{server.server_port}", handler.seen
    server.shutdown()
    server.server_close()


def test_relative_next_links_are_joined(peer):
    url, seen = peer
    client = AkeneoClient(url, "id", "secret", "user", "pass")
    assert [i["code"] for i in client.iter_items("/api/rest/v1/things", {"limit": 2})] == [
        "a", "b", "c"]
    assert seen == ["/api/rest/v1/things?limit=2", "/api/rest/v1/things?page=2&limit=2"]


def test_plain_array_answer_is_one_page(peer):
    url, seen = peer
    client = AkeneoClient(url, "id", "secret", "user", "pass")
    assert list(client.iter_pages("/api/rest/v1/plain")) == [[{"code": "a"}, {"code": "b"}]]
    assert seen == ["/api/rest/v1/plain"]


def test_pagination_loop_is_an_error(peer):
    url, _ = peer
    client = AkeneoClient(url, "id", "secret", "user", "pass")
    with pytest.raises(AkeneoError, match="pagination loop"):
        list(client.iter_items("/api/rest/v1/loop", {"page": 1}))
