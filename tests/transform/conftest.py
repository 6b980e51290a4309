"""Fixtures of the transform tests: one demo sandbox PIM per module, tool paths."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from akeneo_sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_pim() -> Iterator[Sandbox]:
    """A sandbox PIM serving the demo catalog, shared by the tests of one module."""
    from akeneo_sandbox import Sandbox
    from akeneo_sandbox.catalog import DEMO_CATALOG

    with Sandbox(catalog=DEMO_CATALOG) as sandbox:
        yield sandbox


@pytest.fixture
def demo_workspace(tmp_path: Path) -> Path:
    """A copy of the demo SDM workspace (its steps/ hold AI sources and dependency rules)."""
    target = tmp_path / "workspace"
    shutil.copytree(ROOT / "demo" / "workspace" / "steps", target / "steps")
    return target
