"""OAuth token handling for Akeneo connections and Apps.

One ``TokenManager`` is shared by every call of a client (and so by every stream of the tap): a
Connection gets its token with the password grant, renews it with the refresh-token grant a little
before it expires or when Akeneo answers 401, and falls back to a new password grant when the
refresh is refused. An App token is used as given (Apps get no refresh token).
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import requests

from .errors import AkeneoAuthError, AkeneoError

if TYPE_CHECKING:
    from .stats import ClientStats

__all__ = ["TOKEN_PATH", "TokenManager", "error_message"]

TOKEN_PATH = "/api/oauth/v1/token"  # noqa: S105 (a route, not a secret)
DEFAULT_EXPIRES_IN = 3600.0
MAX_MARGIN = 60.0
"""Renew at most this many seconds before expiry (or 10 % of the lifetime, whichever is less)."""

logger = logging.getLogger("akeneo_client")

Sender = Callable[..., requests.Response]


def error_message(response: requests.Response) -> tuple[str, Any]:
    """Akeneo's error message and parsed body (``message``, or OAuth's ``error_description``)."""
    try:
        body: Any = response.json()
    except ValueError:
        text = response.text.strip()
        body = text[:1000]
        return (text[:300] or response.reason or "no error message"), body
    if isinstance(body, dict):
        for key in ("message", "error_description", "error", "detail"):
            if isinstance(body.get(key), str) and body[key]:
                return body[key], body
    return (json.dumps(body)[:300] or response.reason or "no error message"), body


class TokenManager:
    """Holds the current access token; thread-safe.

    Args:
        token_url: absolute URL of ``/api/oauth/v1/token``.
        client_id, client_secret, username, password: Connection credentials.
        access_token: an App token; when given, no grant is ever requested.
        send: sends one token request with the client's transport retries (5xx, 429,
            timeouts) and returns the final response.
        stats: counters to update.
        clock: monotonic clock (seconds).
    """

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str | None,
        client_secret: str | None,
        username: str | None,
        password: str | None,
        access_token: str | None,
        send: Sender,
        stats: ClientStats,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token_url = token_url
        self._fixed = access_token or None
        if not self._fixed:
            missing = [
                name
                for name, value in (
                    ("client_id", client_id),
                    ("client_secret", client_secret),
                    ("username", username),
                    ("password", password),
                )
                if not value
            ]
            if missing:
                raise ValueError(
                    "Akeneo credentials incomplete: set access_token (App) or client_id, "
                    f"client_secret, username and password (Connection); missing: "
                    f"{', '.join(missing)}"
                )
        self._client_id = client_id or ""
        self._secret = client_secret or ""
        self._username = username or ""
        self._password = password or ""
        self._send = send
        self._stats = stats
        self._clock = clock
        self._lock = threading.RLock()
        self._access: str | None = self._fixed
        self._refresh: str | None = None
        self._renew_at = float("inf")

    @property
    def is_app_token(self) -> bool:
        """True when a fixed App token is used (no grants, no refresh)."""
        return self._fixed is not None

    def __repr__(self) -> str:
        kind = "app token" if self.is_app_token else "password grant"
        return f"TokenManager(url={self._token_url!r}, auth={kind!r}, token=***)"

    def redact(self, text: str) -> str:
        """Replace every secret this manager knows in ``text`` with ``***``."""
        secrets = (self._secret, self._password, self._access, self._refresh, self._fixed)
        for secret in secrets:
            if secret and len(secret) >= 4:
                text = text.replace(secret, "***")
        return text

    def token(self) -> str:
        """A valid access token, obtained or renewed first when needed."""
        with self._lock:
            if self._access is None:
                self._password_grant()
            elif self._clock() >= self._renew_at:
                logger.debug("Access token about to expire; renewing it")
                self._renew()
            assert self._access is not None  # noqa: S101 (set by the grants above)
            return self._access

    def on_unauthorized(self, rejected: str) -> bool:
        """Akeneo answered 401 to a call made with ``rejected``: renew the token once.

        Returns:
            False for an App token, which cannot be renewed; True otherwise.
        """
        with self._lock:
            if self._fixed is not None:
                return False
            if self._access != rejected:
                return True  # another thread renewed it already
            logger.info("Akeneo answered 401; renewing the access token")
            self._renew()
            return True

    def _renew(self) -> None:
        if self._refresh:
            try:
                self._grant({"grant_type": "refresh_token", "refresh_token": self._refresh},
                            "refresh-token grant")
            except AkeneoAuthError as exc:
                self._stats.add("refresh_failures")
                logger.info(
                    "Refresh token refused (HTTP %s); authenticating again with the password "
                    "grant",
                    exc.status,
                )
            else:
                self._stats.add("refresh_grants")
                return
        self._password_grant()

    def _password_grant(self) -> None:
        self._grant(
            {"grant_type": "password", "username": self._username, "password": self._password},
            "password grant",
        )
        self._stats.add("password_grants")

    def _grant(self, body: dict[str, str], kind: str) -> None:
        basic = base64.b64encode(f"{self._client_id}:{self._secret}".encode()).decode("ascii")
        headers = {"Authorization": f"Basic {basic}", "Content-Type": "application/json",
                   "Accept": "application/json"}
        response = self._send("POST", self._token_url, headers=headers, data=json.dumps(body),
                              token_call=True)
        if response.status_code != 200:
            message, parsed = error_message(response)
            hint = ""
            if body["grant_type"] == "password":
                hint = " (check client_id/client_secret and the API username/password)"
            raise AkeneoAuthError(
                response.status_code,
                self.redact(f"{kind} refused: {message}{hint}"),
                "POST",
                self._token_url,
                parsed if isinstance(parsed, dict) and "access_token" not in parsed else None,
            )
        try:
            payload = response.json()
        except ValueError:
            payload = None
        access = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(access, str) or not access:
            raise AkeneoError(200, f"{kind}: the token answer has no access_token", "POST",
                              self._token_url)
        assert isinstance(payload, dict)  # noqa: S101 (checked above)
        try:
            lifetime = float(payload.get("expires_in") or DEFAULT_EXPIRES_IN)
        except (TypeError, ValueError):
            lifetime = DEFAULT_EXPIRES_IN
        refresh = payload.get("refresh_token")
        self._access = access
        self._refresh = refresh if isinstance(refresh, str) and refresh else None
        margin = min(MAX_MARGIN, lifetime * 0.1)
        self._renew_at = self._clock() + lifetime - margin
        logger.info("Obtained an Akeneo access token (%s), valid %.0f s", kind, lifetime)
