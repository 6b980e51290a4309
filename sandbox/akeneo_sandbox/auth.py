"""OAuth as Akeneo does it: password and refresh-token grants, bearer tokens with expiry."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from .errors import ApiError

REFRESH_TTL = 1_209_600  # 14 days, as Akeneo.

BAD_CLIENT = ('Parameter "client_id" is missing or does not match any client, '
              "or secret is invalid")


@dataclass
class Credentials:
    """The one API connection the sandbox knows."""

    client_id: str = "sandbox-client"
    client_secret: str = "sandbox-secret"  # noqa: S105 - documented sandbox default
    username: str = "sandbox"
    password: str = "sandbox"  # noqa: S105 - documented sandbox default

    def __repr__(self) -> str:
        return f"Credentials(client_id={self.client_id!r}, username={self.username!r})"


@dataclass
class TokenStore:
    """Issued access and refresh tokens with their expiry (monotonic seconds)."""

    credentials: Credentials
    token_ttl: float = 3600
    access: dict[str, float] = field(default_factory=dict)
    refresh: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __repr__(self) -> str:
        return f"TokenStore(tokens={len(self.access)}, token_ttl={self.token_ttl})"

    def _issue(self) -> dict[str, Any]:
        access = secrets.token_urlsafe(32)
        refresh = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self.lock:
            self.access[access] = now + self.token_ttl
            self.refresh[refresh] = now + REFRESH_TTL
        ttl = self.token_ttl
        return {"access_token": access, "expires_in": int(ttl) if ttl == int(ttl) else ttl,
                "token_type": "bearer", "scope": None, "refresh_token": refresh}

    def grant(self, authorization: str | None, content_type: str,
              body: bytes) -> tuple[str, dict[str, Any]]:
        """Answer a token request; returns (grant type, token JSON) or raises 4xx."""
        client = _basic(authorization)
        if client != (self.credentials.client_id, self.credentials.client_secret):
            raise ApiError(422, BAD_CLIENT)
        params = _token_params(content_type, body)
        grant_type = params.get("grant_type")
        if grant_type == "password":
            username, password = params.get("username"), params.get("password")
            if not username or not password:
                raise ApiError(422, 'Parameter "username" or "password" is missing, empty or '
                                    "invalid")
            if (username, password) != (self.credentials.username, self.credentials.password):
                raise ApiError(422, "No user found for the given username and password")
            return "password", self._issue()
        if grant_type == "refresh_token":
            token = params.get("refresh_token")
            with self.lock:
                expiry = self.refresh.pop(str(token), None) if token else None
            if expiry is None or expiry < time.monotonic():
                raise ApiError(422, "Refresh token is invalid or has expired")
            return "refresh_token", self._issue()
        raise ApiError(422, 'Parameter "grant_type" is missing, empty or invalid')

    def check(self, authorization: str | None) -> None:
        """Raise Akeneo's 401 unless a valid, unexpired bearer token is given."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise ApiError(401, "Authentication is required")
        token = authorization[7:].strip()
        with self.lock:
            expiry = self.access.get(token)
        if expiry is None:
            raise ApiError(401, "The access token provided is invalid.")
        if expiry < time.monotonic():
            raise ApiError(401, "The access token provided has expired.")


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if ":" not in decoded:
        return None
    client_id, secret = decoded.split(":", 1)
    return client_id, secret


def _token_params(content_type: str, body: bytes) -> dict[str, Any]:
    if content_type.startswith("application/x-www-form-urlencoded"):
        parsed = parse_qs(body.decode("utf-8", "replace"))
        return {k: v[0] for k, v in parsed.items()}
    try:
        data = json.loads(body or b"{}")
    except ValueError as exc:
        raise ApiError(400, "Invalid json message received") from exc
    return data if isinstance(data, dict) else {}
