"""Shared fixtures: sandbox PIMs on 127.0.0.1 (stopped at teardown)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from akeneo_sandbox import Sandbox
from akeneo_sandbox.catalog import DEMO_CATALOG

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SMALL_CATALOG = Path(__file__).parent / "sandbox" / "catalog"


def demo_catalog() -> Path:
    """The demo catalog, or the sandbox tests' small catalog while the demo is missing."""
    return DEMO_CATALOG if DEMO_CATALOG.is_dir() else SMALL_CATALOG


@pytest.fixture
def pim() -> Iterator[Sandbox]:
    """A started sandbox PIM serving the demo catalog (fresh per test)."""
    with Sandbox(catalog=demo_catalog()) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., Sandbox]]:
    """Start sandboxes with any ``Sandbox`` keyword arguments; all are stopped at teardown.

    Without ``catalog`` or ``empty`` the demo catalog is served.
    """
    started: list[Sandbox] = []

    def make(**kwargs: Any) -> Sandbox:
        if "catalog" not in kwargs and not kwargs.get("empty"):
            kwargs["catalog"] = demo_catalog()
        sandbox = Sandbox(**kwargs).start()
        started.append(sandbox)
        return sandbox

    yield make
    for sandbox in started:
        sandbox.stop()
