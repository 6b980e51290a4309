"""Sinks of target-sdm-config: they only buffer the catalog structure.

The project configuration aggregates every stream (attributes x channels x locales, families,
options...), so nothing can be written per record: the target builds the project once, at the
end of the input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from singer_sdk.sinks import RecordSink

if TYPE_CHECKING:
    from singer_sdk.target_base import Target


class CatalogSink(RecordSink):
    """Keeps every record of one catalog stream in the target's buffer."""

    def __init__(self, target: Target, stream_name: str, schema: dict, key_properties: Any) -> None:
        super().__init__(target, stream_name, schema, key_properties)
        buffers: dict[str, list[dict]] = target.buffers  # type: ignore[attr-defined]
        self._buffer = buffers.setdefault(stream_name, [])

    def process_record(self, record: dict, context: dict) -> None:
        """Buffer the record as received."""
        self._buffer.append(record)


class IgnoredSink(RecordSink):
    """Drops records of streams the configuration sync does not use (products...)."""

    def process_record(self, record: dict, context: dict) -> None:
        """Ignore the record."""
