"""Secrets (client secret, password, tokens) never reach logs, exceptions or reprs."""

from __future__ import annotations

import base64
import logging

import pytest
from akeneo_client import AkeneoError

SECRET = "S3cr3t-value-xyz"
PASSWORD = "P4ssw0rd-value-abc"


def _leaks(text: str, pim) -> list[str]:
    basic = base64.b64encode(f"{pim.credentials.client_id}:{SECRET}".encode()).decode()
    issued = list(pim.app.tokens.access) + list(pim.app.tokens.refresh)
    return [s for s in [SECRET, PASSWORD, basic, *issued] if s in text]


def test_nothing_secret_in_debug_logs_errors_or_reprs(sandbox_factory, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    pim = sandbox_factory(client_secret=SECRET, password=PASSWORD, token_ttl=1,
                          fault_5xx_every=5, fault_429_every=7, retry_after=0)
    now = [0.0]
    client = make_client(pim, clock=lambda: now[0])
    texts: list[str] = [repr(client), repr(client.stats)]
    for step in range(12):
        now[0] = step * 0.5  # crosses the token's renewal time several times
        client.get_json("/api/rest/v1/channels")
    with pytest.raises(AkeneoError) as info:
        client.get_json("/api/rest/v1/attributes/missing")
    texts += [str(info.value), repr(info.value)]
    bad = make_client(pim, password="wrong-" + PASSWORD)
    with pytest.raises(AkeneoError) as auth_info:
        bad.get_json("/api/rest/v1/channels")
    texts += [str(auth_info.value), repr(auth_info.value), repr(auth_info.value.body)]
    assert pim.stats()["auth"]["refresh_token"] >= 2  # the flow really renewed tokens
    assert "Obtained an Akeneo access token" in caplog.text
    texts.append(caplog.text)
    assert _leaks("\n".join(texts), pim) == []
