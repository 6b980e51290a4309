"""Read child endpoints ahead of the parent stream, ``max_concurrency`` at a time.

singer-sdk syncs a child stream (e.g. the options of one attribute) right after each parent
record, one after the other; with hundreds of select attributes that is hundreds of sequential
round trips. When the tap receives a page of parents it hands every child read of that page to a
small thread pool, and the child stream then takes its items from there. Each child endpoint is
still read exactly once, and records come out in the same order as without prefetching.
"""

from __future__ import annotations

import json
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["ChildPrefetcher"]

Items = list[dict[str, Any]]


def _key(stream: str, context: Mapping[str, Any] | None) -> tuple[str, str]:
    return stream, json.dumps(dict(context or {}), sort_keys=True, default=str)


class ChildPrefetcher:
    """Futures of child reads, keyed by child stream name and context."""

    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers),
                                        thread_name_prefix="tap-akeneo-prefetch")
        self._futures: dict[tuple[str, str], Future[Items]] = {}

    def submit(self, stream: str, context: Mapping[str, Any] | None,
               fetch: Callable[[], Items]) -> None:
        """Start reading one child endpoint (once per stream and context)."""
        key = _key(stream, context)
        if key not in self._futures:
            self._futures[key] = self._pool.submit(fetch)

    def take(self, stream: str, context: Mapping[str, Any] | None) -> Future[Items] | None:
        """The read started for this child stream and context, if any (handed out once)."""
        return self._futures.pop(_key(stream, context), None)

    def close(self) -> None:
        """Cancel reads nobody took (e.g. a record limit stopped the parent) and stop."""
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)
