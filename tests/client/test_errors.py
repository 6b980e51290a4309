"""4xx answers become AkeneoError naming the method, the endpoint and Akeneo's message."""

from __future__ import annotations

import pickle

import pytest
from akeneo_client import AkeneoError


def test_404_names_endpoint_and_message(pim, make_client):
    client = make_client(pim)
    with pytest.raises(AkeneoError) as info:
        client.get_json("/api/rest/v1/attributes/no_such_attribute")
    exc = info.value
    assert exc.status == 404
    assert exc.method == "GET"
    assert exc.endpoint == "/api/rest/v1/attributes/no_such_attribute"
    assert str(exc).startswith("GET /api/rest/v1/attributes/no_such_attribute failed (HTTP 404)")
    assert exc.message  # Akeneo's own text
    assert exc.message in str(exc)


def test_get_json_or_none_on_404(pim, make_client):
    client = make_client(pim)
    assert client.get_json_or_none("/api/rest/v1/attributes/no_such_attribute") is None
    assert client.get_json_or_none("/api/rest/v1/channels")["_embedded"]["items"]


def test_422_limit_over_100_is_not_retried(pim, make_client):
    client = make_client(pim)
    with pytest.raises(AkeneoError) as info:
        client.get_json("/api/rest/v1/attributes", {"limit": 101})
    assert info.value.status == 422
    assert "You cannot request more than 100 items." in str(info.value)
    assert "limit=101" in str(info.value)
    assert client.stats.retries_total == 0
    assert pim.stats()["requests"] == 2


def test_validation_errors_are_listed(pim, make_client):
    client = make_client(pim)
    with pytest.raises(AkeneoError) as info:
        client.request("PATCH", "/api/rest/v1/categories/bad_cat",
                       json={"code": "bad_cat", "parent": "no_such_parent_category"})
    assert info.value.status == 422
    assert "PATCH /api/rest/v1/categories/bad_cat" in str(info.value)


def test_error_pickles(pim, make_client):
    client = make_client(pim)
    with pytest.raises(AkeneoError) as info:
        client.get_json("/api/rest/v1/families/nope")
    copy = pickle.loads(pickle.dumps(info.value))  # noqa: S301 - our own object
    assert str(copy) == str(info.value)
