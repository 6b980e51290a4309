"""A large store is kept off the garbage collector's full scans; stopping gives it back."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from akeneo_sandbox import Sandbox, gc_policy

from .conftest import SMALL, Api, value

if TYPE_CHECKING:
    import pytest

PRODUCT = {"family": "shirts", "values": {"name": value("en_US", None, "A shirt")}}


def _write(pim: Sandbox, identifier: str) -> None:
    response = Api(pim).patch(f"/products/{identifier}", PRODUCT)
    assert response.status_code in (201, 204), response.text


def test_writes_to_a_large_store_freeze_the_collector_until_stop(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gc_policy, "FREEZE_FROM", 1)
    gc.unfreeze()
    with Sandbox(catalog=SMALL) as pim:
        _write(pim, "frozen-1")
        assert gc.get_freeze_count() > 0
        assert pim.gc_policy.frozen
    assert gc.get_freeze_count() == 0


def test_small_stores_and_freeze_gc_false_leave_the_collector_alone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    gc.unfreeze()
    with Sandbox(catalog=SMALL) as pim:
        _write(pim, "small-1")
        assert gc.get_freeze_count() == 0
    monkeypatch.setattr(gc_policy, "FREEZE_FROM", 1)
    with Sandbox(catalog=SMALL, freeze_gc=False) as pim:
        _write(pim, "unfrozen-1")
        assert gc.get_freeze_count() == 0


def test_writes_to_a_frozen_store_pause_collections_and_turn_them_back_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gc_policy, "FREEZE_FROM", 1)
    with Sandbox(catalog=SMALL) as pim:
        _write(pim, "paused-1")  # freezes: later writes pause the collector while they run
        policy = pim.gc_policy
        assert policy.pause() and policy.pause()  # two concurrent writes share one pause
        assert not gc.isenabled()
        policy.resume()
        assert not gc.isenabled()
        policy.resume()
        assert gc.isenabled()
        _write(pim, "paused-2")
        assert gc.isenabled()
        gc.disable()  # a host that turned the collector off keeps it off
        try:
            _write(pim, "paused-3")
            assert not gc.isenabled()
        finally:
            gc.enable()
