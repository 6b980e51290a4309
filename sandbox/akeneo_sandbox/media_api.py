"""Placeholder (filled in below)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .routing import Route

ROUTES: list[Route] = []
