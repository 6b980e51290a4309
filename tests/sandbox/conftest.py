"""Fixtures of the sandbox's own tests: a small, fixed catalog and an authenticated client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests
from akeneo_sandbox import Sandbox

if TYPE_CHECKING:
    from collections.abc import Iterator

SMALL = Path(__file__).parent / "catalog"
API = "/api/rest/v1"
COLLECTION = "application/vnd.akeneo.collection+json"


class Api:
    """A requests session holding a token for one sandbox (test helper, not the product client)."""

    def __init__(self, pim: Sandbox) -> None:
        self.pim = pim
        self.session = requests.Session()
        self.token = self.new_token()["access_token"]
        self.session.headers["Authorization"] = f"Bearer {self.token}"

    def new_token(self) -> dict[str, Any]:
        cfg = self.pim.config()
        response = requests.post(
            f"{self.pim.url}/api/oauth/v1/token",
            json={"grant_type": "password", "username": cfg["username"],
                  "password": cfg["password"]},
            auth=(cfg["client_id"], cfg["client_secret"]), timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.pim.url}{API}{path}"

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(self.url(path), params=params or None, timeout=10)

    def patch(self, path: str, body: Any) -> requests.Response:
        return self.session.patch(self.url(path), json=body, timeout=10)

    def post(self, path: str, body: Any) -> requests.Response:
        return self.session.post(self.url(path), json=body, timeout=10)

    def batch(self, path: str, items: list[Any]) -> requests.Response:
        data = "\n".join(i if isinstance(i, str) else json.dumps(i) for i in items)
        return self.session.patch(self.url(path), data=data.encode(),
                                  headers={"Content-Type": COLLECTION}, timeout=10)

    def batch_lines(self, path: str, items: list[Any]) -> list[dict[str, Any]]:
        response = self.batch(path, items)
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith(COLLECTION)
        return [json.loads(line) for line in response.text.splitlines()]

    def search(self, path: str, search: dict[str, Any], **params: Any) -> requests.Response:
        return self.get(path, search=json.dumps(search), **params)

    def all_items(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Follow ``_links.next`` to the end."""
        items: list[dict[str, Any]] = []
        response = self.get(path, **params)
        while True:
            assert response.status_code == 200, response.text
            body = response.json()
            items.extend(body["_embedded"]["items"])
            nxt = body["_links"].get("next")
            if not nxt or not body["_embedded"]["items"]:
                return items
            response = self.session.get(nxt["href"], timeout=10)


@pytest.fixture
def small() -> Iterator[Sandbox]:
    """A sandbox serving the tests' small catalog (fresh per test)."""
    with Sandbox(catalog=SMALL) as sandbox:
        yield sandbox


@pytest.fixture
def api(small: Sandbox) -> Api:
    """An authenticated client of the small-catalog sandbox."""
    return Api(small)


def value(locale: str | None, scope: str | None, data: Any) -> list[dict[str, Any]]:
    """One value in Akeneo's format."""
    return [{"locale": locale, "scope": scope, "data": data}]
