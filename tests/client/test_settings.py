"""Shared connection settings: the schema both plugins merge, and the client built from it."""

from __future__ import annotations

import pytest
from akeneo_client import (
    CONNECTION_PROPERTIES,
    client_from_config,
    missing_credentials,
    with_connection_settings,
)


def test_client_from_config_reads_the_pim(pim):
    config = {**pim.config(), "request_timeout": 5, "max_retries": 0, "max_concurrency": 2}
    with client_from_config(config) as client:
        assert client.timeout == 5.0 and client.max_retries == 0
        assert client.max_concurrency == 2 and client.verify is True
        assert client.get_json("/api/rest/v1/channels", {"limit": 1})["_embedded"]["items"]
    assert pim.stats()["requests"] >= 2  # token and read


def test_defaults_and_tls_stay_on_unless_turned_off(pim):
    with client_from_config({**pim.config(), "verify_ssl": None}) as client:
        assert (client.timeout, client.max_retries, client.max_concurrency) == (60.0, 5, 4)
        assert client.verify is True
    with client_from_config({**pim.config(), "verify_ssl": False}) as client:
        assert client.verify is False


def test_incomplete_settings_are_refused():
    assert missing_credentials({"client_id": "a", "username": "u"}) == [
        "client_secret", "password"]
    assert missing_credentials({"access_token": "t"}) == []
    with pytest.raises(ValueError, match="api_url"):
        client_from_config({"api_url": "pim.example.com", "access_token": "t"})


def test_plugin_schema_gets_the_connection_settings_first():
    plugin = {"type": "object", "properties": {"job_id": {"type": ["string"]}},
              "required": ["job_id"]}
    schema = with_connection_settings(plugin)
    assert list(schema["properties"])[: len(CONNECTION_PROPERTIES)] == list(CONNECTION_PROPERTIES)
    assert schema["properties"]["job_id"] == {"type": ["string"]}
    assert schema["required"] == ["api_url", "job_id"]
    assert all(schema["properties"][k].get("secret") for k in
               ("client_id", "client_secret", "password", "access_token"))
    schema["properties"]["api_url"]["title"] = "changed"
    assert CONNECTION_PROPERTIES["api_url"]["title"] == "PIM URL"  # a copy, never shared


def test_a_concurrency_above_akeneos_limit_is_allowed_with_a_warning(pim, caplog):
    with client_from_config({**pim.config(), "max_concurrency": 9}) as client:
        assert client.max_concurrency == 9
    assert "max_concurrency 9 is above the 4 calls in flight Akeneo allows" in caplog.text
    caplog.clear()
    client_from_config(pim.config()).close()
    assert "max_concurrency" not in caplog.text


def test_the_longest_retry_after_wait_is_a_setting(pim):
    with client_from_config({**pim.config(), "max_retry_after": 5}) as client:
        assert client.retry_after_cap == 5.0
    with client_from_config(pim.config()) as client:
        assert client.retry_after_cap == 60.0
