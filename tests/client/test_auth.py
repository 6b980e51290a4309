"""Authentication against the sandbox PIM: grants, reuse, expiry, 401, App tokens."""

from __future__ import annotations

import time

import pytest
import requests
from akeneo_client import AkeneoAuthError, AkeneoClient
from akeneo_sandbox import Sandbox

CHANNELS = "/api/rest/v1/channels"


def test_password_grant_once_then_token_reused(pim, make_client):
    client = make_client(pim)
    for _ in range(5):
        client.get_json(CHANNELS)
    stats = pim.stats()
    assert stats["auth"] == {"password": 1, "refresh_token": 0, "failed": 0}
    assert stats["requests"] == 6  # one grant, five calls
    assert client.stats.password_grants == 1
    assert client.stats.requests == 6


def test_wrong_secret_names_token_endpoint_and_message(pim, make_client):
    client = make_client(pim, client_secret="not-the-secret-42")
    with pytest.raises(AkeneoAuthError) as info:
        client.get_json(CHANNELS)
    text = str(info.value)
    assert "POST /api/oauth/v1/token" in text
    assert "client_id" in text  # Akeneo's own message about the Basic header
    assert info.value.status == 422
    assert "not-the-secret-42" not in text + repr(info.value)
    assert pim.stats()["auth"]["failed"] == 1


def test_wrong_password_is_auth_error(pim, make_client):
    client = make_client(pim, password="bad-password-77")
    with pytest.raises(AkeneoAuthError) as info:
        client.get_json(CHANNELS)
    assert "No user found" in str(info.value)
    assert "bad-password-77" not in str(info.value)


def test_incomplete_credentials_are_refused_before_any_call(pim):
    with pytest.raises(ValueError, match="missing: password"):
        AkeneoClient(pim.url, "id", "secret", "user", None)
    assert pim.stats()["requests"] == 0


def test_token_renewed_with_refresh_grant_before_expiry(sandbox_factory, make_client):
    pim = sandbox_factory(token_ttl=1)
    now = [0.0]
    client = make_client(pim, clock=lambda: now[0])
    client.get_json(CHANNELS)
    now[0] = 0.95  # within the renewal margin (10 % of the 1 s lifetime)
    client.get_json(CHANNELS)
    stats = pim.stats()
    assert stats["auth"] == {"password": 1, "refresh_token": 1, "failed": 0}
    assert "401" not in stats["by_status"]
    assert client.stats.refresh_grants == 1


def test_expired_token_401_refreshes_and_retries_once(sandbox_factory, make_client):
    """The client still believes its token valid; Akeneo says 401; refresh, retry, succeed."""
    pim = sandbox_factory(token_ttl=0.3)
    frozen = [0.0]
    client = make_client(pim, clock=lambda: frozen[0])
    first = client.get_json(CHANNELS)
    time.sleep(0.5)  # the server-side token has expired; the client clock has not moved
    assert client.get_json(CHANNELS) == first
    stats = pim.stats()
    assert stats["by_status"].get("401") == 1
    assert stats["auth"] == {"password": 1, "refresh_token": 1, "failed": 0}
    assert client.stats.retries["401"] == 1


def test_refused_refresh_falls_back_to_password_grant(sandbox_factory, make_client):
    """A PIM restarted with no memory of our tokens: 401, refresh refused, new password grant."""
    first = sandbox_factory()
    client = make_client(first)
    client.get_json(CHANNELS)
    port = first.port
    first.stop()
    second = Sandbox(port=port).start()
    try:
        assert client.get_json(CHANNELS)
        stats = second.stats()
        assert stats["by_status"].get("401") == 1
        assert stats["auth"] == {"password": 1, "refresh_token": 0, "failed": 1}
        assert client.stats.refresh_failures == 1
        assert client.stats.password_grants == 2
    finally:
        second.stop()


def test_app_token_used_as_is_and_401_is_not_retried(pim, make_client):
    grant = requests.post(
        pim.url + "/api/oauth/v1/token",
        auth=("sandbox-client", "sandbox-secret"),
        json={"grant_type": "password", "username": "sandbox", "password": "sandbox"},
        timeout=10,
    ).json()
    app = AkeneoClient(pim.url, access_token=grant["access_token"])
    assert app.get_json(CHANNELS)
    assert pim.stats()["auth"]["password"] == 1  # only the grant made by the test itself
    bogus = AkeneoClient(pim.url, access_token="revoked-app-token-123")
    with pytest.raises(AkeneoAuthError) as info:
        bogus.get_json(CHANNELS)
    assert "GET /api/rest/v1/channels" in str(info.value)
    assert "revoked-app-token-123" not in str(info.value) + repr(bogus)
    assert pim.stats()["auth"]["password"] == 1
