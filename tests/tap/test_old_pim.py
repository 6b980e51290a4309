"""A PIM before Akeneo 7 has no /products-uuid: the products stream reads /products instead."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import run_tap

PRODUCT = {"identifier": "OLD-1", "enabled": True, "family": "mugs",
           "categories": [], "groups": [], "values": {}, "created": "2023-01-01T10:00:00+00:00",
           "updated": "2023-01-02T10:00:00+00:00"}


class _OldPim(BaseHTTPRequestHandler):
    seen: list[str]

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer(200, {"access_token": "old-token", "expires_in": 3600})

    def do_GET(self) -> None:
        self.seen.append(self.path)
        if self.path.startswith("/api/rest/v1/products?"):
            item = {**PRODUCT, "uuid": "0b6f0a6e-0000-4000-8000-000000000001"}
            self._answer(200, {"_links": {}, "_embedded": {"items": [item]}})
        else:
            self._answer(404, {"code": 404, "message": f'No route found for "GET {self.path}"'})


@pytest.fixture
def old_pim():
    handler = type("OldPim", (_OldPim,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", handler.seen
    server.shutdown()
    server.server_close()


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
