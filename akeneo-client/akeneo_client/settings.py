"""Connection settings shared by tap-akeneo and target-akeneo, and the client built from them.

Both plugins take the same PIM settings; their JSON-schema properties and the way they become
an ``AkeneoClient`` live here once. Plain dicts (no singer-sdk): each plugin merges them into
its own ``config_jsonschema`` with :func:`with_connection_settings`.
"""

from __future__ import annotations

import copy
import logging
from typing import TYPE_CHECKING, Any

from .client import AkeneoClient

AKENEO_CONCURRENCY = 4  # calls in flight Akeneo allows per API connection (SaaS)
logger = logging.getLogger("akeneo_client")

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "CONNECTION_CREDENTIALS",
    "CONNECTION_PROPERTIES",
    "client_from_config",
    "missing_credentials",
    "with_connection_settings",
]

CONNECTION_CREDENTIALS = ("client_id", "client_secret", "username", "password")

_SECRET = {"secret": True, "writeOnly": True}  # how singer-sdk marks a secret setting

CONNECTION_PROPERTIES: dict[str, dict[str, Any]] = {
    "api_url": {
        "type": ["string"],
        "title": "PIM URL",
        "description": "PIM base URL, without /api/rest/v1 (e.g. https://pim.example.com)",
        "examples": ["https://pim.example.com"],
    },
    "client_id": {
        "type": ["string", "null"],
        "description": "Connection client ID (Connect > Connection settings)",
        **_SECRET,
    },
    "client_secret": {"type": ["string", "null"], "description": "Connection secret", **_SECRET},
    "username": {"type": ["string", "null"], "description": "Connection API username"},
    "password": {
        "type": ["string", "null"], "description": "Connection API password", **_SECRET,
    },
    "access_token": {
        "type": ["string", "null"],
        "description": "App access token, instead of the four Connection credentials "
        "(never refreshed)",
        **_SECRET,
    },
    "request_timeout": {
        "type": ["number", "null"],
        "minimum": 1,
        "default": 60,
        "description": "Seconds to wait for each HTTP attempt",
    },
    "max_retries": {
        "type": ["integer", "null"],
        "minimum": 0,
        "default": 5,
        "description": "Retries of a call on 429 (after Retry-After), 408, 5xx, timeouts and "
        "dropped connections (exponential backoff with jitter)",
    },
    "max_retry_after": {
        "type": ["number", "null"],
        "minimum": 0,
        "default": 60,
        "description": "Longest wait honoured from a 429's Retry-After, in seconds (a longer "
        "one is logged and the call retried sooner)",
    },
    "max_concurrency": {
        "type": ["integer", "null"],
        "minimum": 1,
        "default": 4,
        "description": "HTTP calls in flight at once (Akeneo allows 4 per connection; more "
        "only for a PIM known to accept it)",
    },
    "verify_ssl": {
        "type": ["boolean", "null"],
        "default": True,
        "description": "Verify the PIM's TLS certificate",
    },
}
"""JSON-schema properties of the PIM connection settings (``api_url`` is required)."""


def with_connection_settings(plugin_schema: Mapping[str, Any]) -> dict[str, Any]:
    """A plugin's settings schema with the connection settings first (``api_url`` required)."""
    schema = copy.deepcopy(dict(plugin_schema))
    own = schema.get("properties") or {}
    schema["properties"] = {**copy.deepcopy(CONNECTION_PROPERTIES), **own}
    schema["required"] = ["api_url", *[r for r in schema.get("required") or [] if r != "api_url"]]
    schema.setdefault("type", "object")
    return schema


def missing_credentials(config: Mapping[str, Any]) -> list[str]:
    """Connection credentials missing from ``config`` (none when an App token is given)."""
    if config.get("access_token"):
        return []
    return [name for name in CONNECTION_CREDENTIALS if not config.get(name)]


def client_from_config(config: Mapping[str, Any]) -> AkeneoClient:
    """The ``AkeneoClient`` for a plugin's settings (defaults as in ``CONNECTION_PROPERTIES``).

    Raises:
        ValueError: ``api_url`` is not an absolute URL, or the credentials are incomplete.
    """
    concurrency = int(config.get("max_concurrency") or AKENEO_CONCURRENCY)
    if concurrency > AKENEO_CONCURRENCY:
        logger.warning(
            "max_concurrency %d is above the %d calls in flight Akeneo allows per API "
            "connection: the PIM may answer 429 (retried after its Retry-After)",
            concurrency,
            AKENEO_CONCURRENCY,
        )
    return AkeneoClient(
        str(config.get("api_url") or ""),
        config.get("client_id") or None,
        config.get("client_secret") or None,
        config.get("username") or None,
        config.get("password") or None,
        access_token=config.get("access_token") or None,
        timeout=float(config.get("request_timeout") or 60),
        max_retries=int(5 if config.get("max_retries") is None else config["max_retries"]),
        max_concurrency=concurrency,
        retry_after_cap=float(
            60 if config.get("max_retry_after") is None else config["max_retry_after"]
        ),
        verify=config.get("verify_ssl") is not False,  # on unless turned off explicitly
    )
