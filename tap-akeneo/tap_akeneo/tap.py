"""tap-akeneo: reads an Akeneo PIM's catalog structure, products and product models."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from akeneo_client import (
    AkeneoError,
    client_from_config,
    missing_credentials,
    with_connection_settings,
)
from singer_sdk import Tap
from singer_sdk import typing as th
from singer_sdk.exceptions import ConfigValidationError

from .streams import STREAM_TYPES

if TYPE_CHECKING:
    from akeneo_client import AkeneoClient

    from .client import AkeneoStream
    from .prefetch import ChildPrefetcher

class TapAkeneo(Tap):
    """Singer tap for the Akeneo PIM REST API."""

    name = "tap-akeneo"

    config_jsonschema = with_connection_settings(
        th.PropertiesList(
            th.Property(
                "start_date",
                th.DateTimeType,
                description="Read only products and product models updated after this time "
                "(when there is no bookmark yet), in the PIM's time zone",
            ),
            th.Property(
                "page_size",
                th.IntegerType(minimum=1, maximum=100),
                default=100,
                description="Items per page (Akeneo allows at most 100)",
            ),
        ).to_dict()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._client: AkeneoClient | None = None
        self._client_lock = threading.Lock()
        self.prefetcher: ChildPrefetcher | None = None
        """Child reads started ahead by the parent stream being synced (see prefetch.py)."""
        super().__init__(*args, **kwargs)

    @property
    def client(self) -> AkeneoClient:
        """The one Akeneo client of this run, shared by every stream (created on first use)."""
        with self._client_lock:
            if self._client is None:
                self._client = client_from_config(self.config)
            return self._client

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """Schema validation, plus: App token or all four Connection credentials."""
        errors = super()._validate_config(raise_errors=raise_errors)
        missing = missing_credentials(self.config)
        if missing:
            errors.append(
                "Set access_token (App) or all of client_id, client_secret, username and "
                f"password (Connection); missing: {', '.join(missing)}"
            )
            if raise_errors:
                raise ConfigValidationError("Config validation failed", errors=errors)
        return errors

    @classmethod
    def invoke(cls, *args: Any, **kwargs: Any) -> None:
        """Run the tap; a PIM error ends the run with its message and exit code 1, no traceback.

        The message names the call, the HTTP status and Akeneo's own message, never a secret.
        """
        try:
            super().invoke(*args, **kwargs)
        except AkeneoError as exc:
            cls.logger.error("tap-akeneo stopped: %s", exc)
            raise SystemExit(1) from None

    def discover_streams(self) -> list[AkeneoStream]:
        """All streams; the list is fixed (no call to the PIM)."""
        return [stream_class(self) for stream_class in STREAM_TYPES]


if __name__ == "__main__":
    TapAkeneo.cli()
