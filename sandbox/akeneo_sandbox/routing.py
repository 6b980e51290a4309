"""The route table type shared by the API modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.wrappers import Response

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
