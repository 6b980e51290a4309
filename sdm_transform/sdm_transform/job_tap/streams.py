"""The three streams of tap-sdm-job: ``product_models``, ``products`` and ``row_errors``.

``product_models`` is listed first so that a target sees every model before the variant
products that point at it; within each stream records keep the file's line order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from singer_sdk import Stream
from singer_sdk import typing as th
from singer_sdk.helpers._util import utc_now
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.mapper import SameRecordTransform
from singer_sdk.singerlib import RecordMessage, SelectionMask

from sdm_transform.job_tap.writer import FastSingerWriter

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Mapping

    from singer_sdk.helpers import types

    from sdm_transform.job_tap.reader import JobReader

ROW_SCHEMA = th.PropertiesList(
    th.Property("row", th.IntegerType, required=True, description="line number, from 1"),
    th.Property(
        "data",
        th.ObjectType(additional_properties=True),
        required=True,
        description="the row object as in the file",
    ),
).to_dict()

ERROR_SCHEMA = th.PropertiesList(
    th.Property("row", th.IntegerType, required=True, description="line number, from 1"),
    th.Property("error", th.StringType, required=True, description="why the line was refused"),
    th.Property("raw", th.StringType, description="first 200 characters of the line"),
).to_dict()


class _RememberingMask(SelectionMask):
    """A selection mask that keeps what it resolved.

    The SDK checks the selection of every key of every record, nested keys included; the
    keys of ``data`` are SDM fields, not schema properties, so each resolves to ``data``'s own
    selection by walking up the breadcrumb, row after row. Remembering the answer gives the
    same selection for a dictionary lookup.
    """

    def __missing__(self, breadcrumb: tuple[str, ...]) -> bool:
        selected = super().__missing__(breadcrumb)
        self[breadcrumb] = selected
        return selected


class _JobStream(Stream):
    """Base: rows come from the tap's shared :class:`JobReader`."""

    primary_keys = ("row",)
    replication_key = None
    # Rows are passed through untouched: values are typed by the target, not the tap.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    @property
    def mask(self) -> SelectionMask:
        """The stream's selection mask (see :class:`_RememberingMask`)."""
        if not isinstance(self._mask, _RememberingMask):
            self._mask = _RememberingMask(super().mask)
        return self._mask

    @property
    def reader(self) -> JobReader:
        return self._tap.job_reader  # type: ignore[attr-defined]

    def generate_child_contexts(
        self, record: types.Record, context: types.Context | None
    ) -> Iterable[types.Context | None]:
        """No context: job streams have no child streams (the SDK would make one per record)."""
        if not self.child_streams:
            return ()
        return super().generate_child_contexts(record, context)

    _whole: bool | None = None  # every property selected, nothing below ``data`` in metadata
    _as_written: bool | None = None

    def _selected_whole(self) -> bool:
        if self._whole is None:
            mask = self.mask
            self._whole = all(mask[("properties", key)] for key in ("row", "data")) and not any(
                len(breadcrumb) > 2 for breadcrumb in self.metadata
            )
        return self._whole

    def rows_as_written(self) -> bool:
        """True when a row's ``data`` may be emitted as its exact JSON text from the file.

        That holds when the stream is selected whole and its only stream map is the identity
        without flattening: nothing would look inside ``data`` before it is written.
        """
        if self._as_written is None:
            maps = self.stream_maps
            only = maps[0] if len(maps) == 1 else None
            self._as_written = (
                self._selected_whole()
                and type(only) is SameRecordTransform
                and only.stream_alias == self.name
                and not (only.flattening_options and only.flattening_enabled)
            )
        return self._as_written

    def _generate_record_messages(
        self, record: dict[str, Any]
    ) -> Generator[RecordMessage, None, None]:
        """The SDK's record messages, without its per-key walks when they change nothing.

        For a ``{"row", "data"}`` record of a stream selected whole, the SDK's removal of
        deselected properties and its type conformance (level NONE) give the record back as
        it is, after visiting every SDM field of ``data`` (internals of singer-sdk ~=0.54.9).
        Any other record, or any selection below the top level, takes the SDK's path.
        """
        if not self._selected_whole() or record.keys() != {"row", "data"}:
            yield from super()._generate_record_messages(record)
            return
        for stream_map in self.stream_maps:
            mapped = stream_map.transform(record)
            if mapped is not None:
                yield RecordMessage(
                    stream=stream_map.stream_alias,
                    record=mapped,
                    version=self._stream_version,
                    time_extracted=utc_now(),
                )


class ProductModelsStream(_JobStream):
    """Rows with ``"_type": "product_model"``."""

    name = "product_models"
    schema = ROW_SCHEMA

    def get_records(self, context: Mapping[str, Any] | None) -> Iterable[dict[str, Any]]:
        """Yield model rows while scanning the file."""
        for row, data in self.reader.scan_models():
            yield {"row": row, "data": data}


class ProductsStream(_JobStream):
    """Product rows (``_type`` absent or ``product``)."""

    name = "products"
    schema = ROW_SCHEMA
    STAMP_EVERY = 256  # records between two readings of the clock for ``time_extracted``

    _written: tuple[Any, bytes] = (None, b"")  # (the fragment given last, its row's text)

    def get_records(self, context: Mapping[str, Any] | None) -> Iterable[dict[str, Any]]:
        """Yield product rows in file order (as written in the file, when nothing reads them).

        A row passed as written is its checked JSON text, embedded in the message by the
        writer (``orjson.Fragment``): its values are neither parsed again nor re-serialized.
        """
        as_written = self.rows_as_written()
        for row, data in self.reader.products(raw=as_written):
            if not isinstance(data, bytes):
                yield {"row": row, "data": data}
                continue
            fragment = orjson.Fragment(data)
            self._written = (fragment, data)
            yield {"row": row, "data": fragment}

    _head: bytes = b""
    _stamp: bytes = b""
    _stamped = 0

    def _write_record_message(self, record: dict[str, Any]) -> None:
        """A row passed as written goes out as one line of bytes (see :meth:`get_records`).

        The line is the one singer-sdk writes for it (``type``, ``stream``, ``record``,
        ``time_extracted``), without building its message object: a job of many rows spent
        a third of tap-sdm-job's CPU there. ``time_extracted`` is read from the clock every
        ``STAMP_EVERY`` records (a few milliseconds apart). Any other record, a stream
        version, or another writer takes the SDK's path (internals of singer-sdk ~=0.54.9).
        """
        fragment, text = self._written
        writer = self._tap.message_writer
        if (
            fragment is None
            or record.get("data") is not fragment
            or len(record) != 2
            or type(record.get("row")) is not int
            or self._stream_version is not None
            or not isinstance(writer, FastSingerWriter)
        ):
            super()._write_record_message(record)
            return
        if not self._stamped:
            name = orjson.dumps(self.name)
            self._head = b'{"type":"RECORD","stream":' + name + b',"record":{"row":'
            self._stamp = b'},"time_extracted":' + orjson.dumps(utc_now()) + b"}\n"
        self._stamped = (self._stamped + 1) % self.STAMP_EVERY
        writer.write_record_line(
            b"".join((self._head, b"%d" % record["row"], b',"data":', text, self._stamp))
        )
        self.state_manager.is_flushed = False


class RowErrorsStream(_JobStream):
    """Lines that are not a usable row: bad encoding, bad JSON, not an object, bad ``_type``."""

    name = "row_errors"
    schema = ERROR_SCHEMA

    def get_records(self, context: Mapping[str, Any] | None) -> Iterable[dict[str, Any]]:
        """Yield malformed lines, by line number."""
        for error in self.reader.row_errors():
            self.logger.warning("row %s refused: %s", error["row"], error["error"])
            yield error
