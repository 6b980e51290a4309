"""Keep Python's garbage collector off a large store, so that no write pauses for it.

Every stored product is a few dozen container objects, and a full collection rescans them
all: with thousands of products a write that happens to trigger one pauses 100 ms and more.
Once the store is large, the sandbox freezes (``gc.freeze()``) what is alive after each write,
which is mostly the stored data, so collections only look at newer objects; and while a
write to the frozen store runs, automatic collections wait (they would only rescan the
write's own new objects, about to be stored and frozen). Stopping the
sandbox unfreezes everything and collects once, so that garbage cycles frozen meanwhile are
reclaimed. The collector is process-wide: freezing also spares the host process's objects
until then, which is harmless for tests, benchmarks and the demo. Small stores (the tests'
catalogs) are never frozen: there a full collection is cheap and freezing would only keep
garbage alive longer.
"""

from __future__ import annotations

import gc
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import Store

# Products and product models stored from which a full collection costs more than a batch.
FREEZE_FROM = 500


class GcPolicy:
    """Freezes the collector's view of a large store after writes; ``release()`` undoes it."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.frozen = False
        self._lock = threading.Lock()
        self._writers = 0
        self._reenable = False

    def __repr__(self) -> str:
        return f"GcPolicy(enabled={self.enabled}, frozen={self.frozen})"

    def settle(self, store: Store) -> None:
        """After a write (or a catalog load): freeze what is alive once the store is large."""
        if self.enabled and len(store.products) + len(store.product_models) >= FREEZE_FROM:
            gc.freeze()
            self.frozen = True

    def pause(self) -> bool:
        """Before a write to a frozen store: no automatic collection until ``resume()``.

        With the store frozen, a collection during a batch would only rescan the batch's own
        new objects, most of which are about to be stored and frozen. Returns whether it
        paused (call ``resume()`` then); concurrent writes share one pause.
        """
        if not self.frozen:
            return False
        with self._lock:
            self._writers += 1
            if self._writers == 1:
                self._reenable = gc.isenabled()
                gc.disable()
        return True

    def resume(self) -> None:
        """End a ``pause()``: the last write to end turns collections back on."""
        with self._lock:
            self._writers -= 1
            if self._writers == 0 and self._reenable:
                gc.enable()

    def release(self) -> None:
        """Give every frozen object back to the collector and collect once."""
        if self.frozen:
            gc.unfreeze()
            gc.collect()
            self.frozen = False
