"""The route table type shared by the API modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from .server import App

Handler = Callable[..., Response]


@dataclass(frozen=True)
class Route:
    """One Akeneo route: URL rule, Akeneo-like route name, methods and handler.

    ``edition`` is ``"ee"`` for Enterprise-only routes (404 on Community Edition);
    ``binary`` routes answer file bytes.
    """

    rule: str
    name: str
    methods: tuple[str, ...]
    handler: Handler
    edition: str = "ce"
    binary: bool = False  # answers file bytes: no Accept check


def call(handler: Handler, app: App, req: Request, **kw: Any) -> Response:
    """Invoke a handler (kept tiny so handlers stay plain functions)."""
    return handler(app, req, **kw)
