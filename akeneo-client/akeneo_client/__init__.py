"""Akeneo PIM REST API client shared by tap-akeneo and target-akeneo.

Auth (password grant, refresh, App token), retries (429 Retry-After, 408/5xx/transport backoff,
401 renew), link-following pagination, NDJSON and JSON-array batches, media uploads and counters.
"""

from .auth import TokenManager
from .batch import LineResult, encode_line
from .client import COLLECTION_CONTENT_TYPE, AkeneoClient
from .errors import AkeneoAuthError, AkeneoBatchTooLargeError, AkeneoError
from .settings import (
    CONNECTION_PROPERTIES,
    client_from_config,
    missing_credentials,
    with_connection_settings,
)
from .stats import ClientStats

__all__ = [
    "COLLECTION_CONTENT_TYPE",
    "CONNECTION_PROPERTIES",
    "AkeneoAuthError",
    "AkeneoBatchTooLargeError",
    "AkeneoClient",
    "AkeneoError",
    "ClientStats",
    "LineResult",
    "TokenManager",
    "client_from_config",
    "encode_line",
    "missing_credentials",
    "with_connection_settings",
]
