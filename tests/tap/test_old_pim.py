"""A PIM before Akeneo 7 has no /products-uuid: the products stream reads /products instead."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from tests.stub_peer import JsonPeer, serve

from .conftest import run_tap

PRODUCT = {"identifier": "OLD-1", "enabled": True, "family": "mugs",
           "categories": [], "groups": [], "values": {}, "created": "2023-01-01T10:00:00+00:00",
           "updated": "2023-01-02T10:00:00+00:00"}


class _OldPim(JsonPeer):
    seen: list[str]
    token_body: ClassVar[dict[str, Any]] = {"access_token": "old-token", "expires_in": 3600}

    def do_GET(self) -> None:
        self.seen.append(self.path)
        if self.path.startswith("/api/rest/v1/products?"):
            item = {**PRODUCT, "uuid": "0b6f0a6e-0000-4000-8000-000000000001"}
            self.answer(200, {"_links": {}, "_embedded": {"items": [item]}})
        else:
            self.answer(404, {"code": 404, "message": f'No route found for "GET {self.path}"'})


@pytest.fixture
def old_pim():
    handler = type("OldPim", (_OldPim,), {"seen": []})
    with serve(handler) as url:
        yield url, handler.seen


def test_products_fall_back_to_identifier_endpoint(old_pim, caplog):
    url, seen = old_pim
    config = {"api_url": url, "client_id": "i", "client_secret": "s", "username": "u",
              "password": "p"}
    result = run_tap(config, streams=["products"])
    assert [p["identifier"] for p in result.records["products"]] == ["OLD-1"]
    assert [p.split("?")[0] for p in seen] == ["/api/rest/v1/products-uuid",
                                               "/api/rest/v1/products"]
    assert "pagination_type=search_after" in seen[1]
    assert "reading /api/rest/v1/products instead" in caplog.text
