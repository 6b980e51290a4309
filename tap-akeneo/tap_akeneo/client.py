"""Base stream of tap-akeneo: every HTTP call goes through the tap's shared ``AkeneoClient``.

Streams only say which endpoint to read and with which first-page parameters; authentication,
retries, paging and counters live in ``akeneo_client``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar, cast
from urllib.parse import quote

from akeneo_client import AkeneoClient, AkeneoError
from singer_sdk.streams import Stream

from .prefetch import ChildPrefetcher
from .schemas import SCHEMAS

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Iterable, Iterator

    from singer_sdk.helpers.types import Context

    from .tap import TapAkeneo

API = "/api/rest/v1"

__all__ = ["API", "AkeneoStream", "IncrementalAkeneoStream"]


class AkeneoStream(Stream):
    """A stream read from one Akeneo list endpoint.

    Class attributes:
        path: endpoint path under ``/api/rest/v1``; ``{name}`` placeholders are filled from the
            parent's context.
        paged: the endpoint takes ``limit`` (offset pagination); search_after-only and plain-array
            endpoints do not.
        optional_endpoint: the endpoint is missing in some editions or versions (reference
            entities and assets on Community Edition): a 404 skips the stream with one log line.
    """

    path: ClassVar[str]
    primary_keys: ClassVar[list[str]] = ["code"]
    paged: ClassVar[bool] = True
    optional_endpoint: ClassVar[bool] = False
    parent_keys: ClassVar[tuple[str, ...]] = ()
    """Context keys copied into each record (the parent's code, e.g. ``family``)."""
    fallback_path: ClassVar[str | None] = None
    """Older endpoint read instead when ``path`` answers 404 (products before Akeneo 7)."""

    def __init__(self, tap: Any) -> None:
        super().__init__(tap, schema=SCHEMAS[self.name])

    @property
    def tap(self) -> TapAkeneo:
        """The tap running this stream."""
        return cast("TapAkeneo", self._tap)

    @property
    def client(self) -> AkeneoClient:
        """The tap's shared client (one token, one connection pool, one set of counters)."""
        return self.tap.client

    @property
    def page_size(self) -> int:
        """Items per page (Akeneo caps it at 100)."""
        return max(1, min(100, int(self.config.get("page_size") or 100)))

    def url_params(self, context: Context | None) -> dict[str, Any]:
        """Parameters of the first page (later pages follow ``_links.next.href``)."""
        del context
        return {"limit": self.page_size} if self.paged else {}

    def endpoint(self, context: Context | None) -> str:
        """Endpoint path for this context."""
        codes = {key: quote(str(value), safe="") for key, value in (context or {}).items()}
        return API + self.path.format(**codes)

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Yield the endpoint's items without ``_links``, with the parent's keys added."""
        endpoint = self.endpoint(context)
        emitted = False
        try:
            for item in self._items(endpoint, context):
                emitted = True
                yield self.to_record(item, context)
        except AkeneoError as exc:
            if exc.status != 404 or emitted:
                raise
            if self.fallback_path is not None:
                fallback = API + self.fallback_path
                self.logger.warning("GET %s answered 404 (a PIM before Akeneo 7); reading %s "
                                    "instead", endpoint, fallback)
                params = self.url_params(context) or None
                for item in self.client.iter_items(fallback, params):
                    yield self.to_record(item, context)
            elif not self.skip_missing(endpoint, context):
                raise

    def _items(self, endpoint: str, context: Context | None) -> Iterator[dict[str, Any]]:
        """The endpoint's items: prefetched for a child, else read page by page."""
        prefetcher = self.tap.prefetcher
        future = prefetcher.take(self.name, context) if prefetcher is not None else None
        if future is not None:
            yield from future.result()
            return
        children = [c for c in self.child_streams if c.selected or c.has_selected_descendents]
        params = self.url_params(context) or None
        if not children or prefetcher is not None or self.client.max_concurrency < 2:
            yield from self.client.iter_items(endpoint, params)
            return
        prefetcher = ChildPrefetcher(self.client.max_concurrency)
        self.tap.prefetcher = prefetcher
        try:
            for page in self.client.iter_pages(endpoint, params):
                for item in page:
                    record = self.to_record(item, context)
                    for child_context in self.generate_child_contexts(record, context):
                        for child in children:
                            if isinstance(child, AkeneoStream):
                                prefetcher.submit(child.name, child_context,
                                                  child.reader(child_context))
                yield from page
        finally:
            self.tap.prefetcher = None
            prefetcher.close()

    def reader(self, context: Context | None) -> Callable[[], list[dict[str, Any]]]:
        """A function reading all items of this stream's endpoint for ``context``."""
        endpoint = self.endpoint(context)
        params = self.url_params(context) or None
        return lambda: list(self.client.iter_items(endpoint, params))

    def skip_missing(self, endpoint: str, context: Context | None) -> bool:
        """Whether a 404 on the first page is skipped (with one log line) rather than fatal.

        Optional endpoints (absent from some editions or versions) and child endpoints (the
        parent may have been deleted during the sync) are skipped.
        """
        if self.optional_endpoint:
            self.logger.warning(
                "Skipping stream %s: GET %s answered 404 (not available in this PIM edition or "
                "version, e.g. Community Edition)",
                self.name,
                endpoint,
            )
            return True
        if context:
            self.logger.warning(
                "Skipping %s for %s: GET %s answered 404 (the parent was probably deleted "
                "during the sync)",
                self.name,
                context,
                endpoint,
            )
            return True
        return False

    def to_record(self, item: dict[str, Any], context: Context | None) -> dict[str, Any]:
        """Akeneo item -> record: drop ``_links``, add the parent's keys."""
        record = {k: v for k, v in item.items() if k != "_links"}
        for key in self.parent_keys:
            if context and key in context:
                record[key] = context[key]
        return record


def akeneo_datetime(value: datetime.datetime) -> str:
    """Format a timestamp for Akeneo's ``updated`` filter (``YYYY-MM-DD hh:mm:ss``).

    Bookmarks come from Akeneo's own ``updated`` values, which are in the PIM's time zone, so the
    wall-clock time is kept as is.
    """
    return value.strftime("%Y-%m-%d %H:%M:%S")


class IncrementalAkeneoStream(AkeneoStream):
    """Products and product models: search_after paging, ``updated >`` the bookmark.

    search_after orders by primary key, not by ``updated``, so the stream is unsorted and the
    bookmark (the greatest ``updated`` seen) is written when the stream ends.
    """

    replication_key = "updated"
    is_sorted = False

    def url_params(self, context: Context | None) -> dict[str, Any]:
        """search_after paging, and the ``updated`` filter from the bookmark or start_date."""
        params: dict[str, Any] = {"pagination_type": "search_after", "limit": self.page_size}
        start = self.get_starting_timestamp(context)
        if start is not None:
            params["search"] = json.dumps(
                {"updated": [{"operator": ">", "value": akeneo_datetime(start)}]},
                separators=(",", ":"),
            )
        return params
