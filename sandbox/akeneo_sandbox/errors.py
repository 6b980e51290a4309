"""Akeneo-shaped API errors: every error body is ``{"code": status, "message": ...}``."""

from __future__ import annotations

from typing import Any

DOC_FORMAT = "http://api.akeneo.com/api-reference.html"


class ApiError(Exception):
    """An error answered to the client with Akeneo's JSON error body."""

    def __init__(
        self,
        status: int,
        message: str,
        errors: list[dict[str, Any]] | None = None,
        doc: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.doc = doc
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Return the JSON body Akeneo sends for this error."""
        out: dict[str, Any] = {"code": self.status, "message": self.message}
        if self.errors is not None:
            out["errors"] = self.errors
        if self.doc:
            out["_links"] = {"documentation": {"href": self.doc}}
        return out


def unprocessable(message: str, doc: str | None = DOC_FORMAT) -> ApiError:
    """Return a 422 for unknown properties or data (Akeneo's message-only form)."""
    return ApiError(422, message, doc=doc)


def validation_failed(errors: list[dict[str, Any]]) -> ApiError:
    """Return a 422 "Validation failed." with the list of violations."""
    return ApiError(422, "Validation failed.", errors=errors)


def not_found(message: str) -> ApiError:
    """Return a 404 with Akeneo's message."""
    return ApiError(404, message)


def violation(
    prop: str,
    message: str,
    attribute: str | None = None,
    locale: str | None = None,
    scope: str | None = None,
) -> dict[str, Any]:
    """Build one violation as Akeneo reports it in ``errors``."""
    err: dict[str, Any] = {"property": prop, "message": message}
    if attribute is not None:
        err.update({"attribute": attribute, "locale": locale, "scope": scope})
    return err


class CatalogError(Exception):
    """A catalog folder holds an item the sandbox refuses (file and item named)."""
