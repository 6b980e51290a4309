"""Exceptions raised by the Akeneo client.

They carry the HTTP method, the endpoint and Akeneo's own message so that a failing call can be
diagnosed from the log line alone; they never carry credentials or tokens.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

__all__ = ["AkeneoAuthError", "AkeneoBatchTooLargeError", "AkeneoError"]


def endpoint_of(url: str) -> str:
    """Return the path and query of ``url`` (the part that names the endpoint)."""
    parts = urlsplit(url)
    if not parts.scheme:
        return url
    return parts.path + (f"?{parts.query}" if parts.query else "")


class AkeneoError(Exception):
    """An Akeneo call failed: a non-retryable 4xx, or retries ran out.

    Attributes:
        status: HTTP status code, or ``None`` when no response came back (timeout, dropped
            connection).
        message: Akeneo's ``message`` (or a description of the transport failure).
        method: HTTP method of the call.
        url: full URL of the call (it never holds credentials: tokens travel in headers).
        body: the parsed JSON error body (or the first 1,000 characters of a non-JSON body).
    """

    def __init__(
        self,
        status: int | None,
        message: str,
        method: str = "",
        url: str = "",
        body: Any = None,
    ) -> None:
        self.status = status
        self.message = message
        self.method = method
        self.url = url
        self.body = body
        super().__init__(self._describe())

    @property
    def endpoint(self) -> str:
        """Path and query of the failing call."""
        return endpoint_of(self.url)

    @property
    def errors(self) -> list[dict[str, Any]]:
        """Akeneo's validation ``errors`` list (422), else an empty list."""
        if isinstance(self.body, dict) and isinstance(self.body.get("errors"), list):
            return [e for e in self.body["errors"] if isinstance(e, dict)]
        return []

    def _describe(self) -> str:
        what = f"{self.method} {self.endpoint}".strip() or "Akeneo call"
        status = f"HTTP {self.status}" if self.status is not None else "no response"
        text = f"{what} failed ({status}): {self.message}"
        details = [
            f"{e.get('property') or e.get('attribute') or '?'}: {e.get('message')}"
            for e in self.errors[:5]
        ]
        if details:
            text += " [" + "; ".join(details) + "]"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.status, self.message, self.method, self.url, self.body))


class AkeneoAuthError(AkeneoError):
    """Authentication failed: bad credentials, or a token Akeneo keeps rejecting."""


class AkeneoBatchTooLargeError(AkeneoError):
    """Akeneo refused a whole batch request as too large (413, or a 403 'too large').

    Send fewer items (or smaller ones) per request.
    """
