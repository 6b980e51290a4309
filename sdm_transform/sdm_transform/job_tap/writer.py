"""Writing Singer messages fast, as singer-sdk's writer does, for a job of many rows.

singer-sdk serializes each message with ``simplejson`` (pure Python for most of the work)
and flushes standard output after every message. A job of 100,000 rows spends most of
tap-sdm-job's CPU there, so messages are serialized with ``orjson``: the same JSON values
(decimals written as they were read, ``NaN`` as ``null``, dates in ISO 8601), UTF-8 text
unescaped. Anything orjson refuses (an integer beyond 64 bits, ...) takes the SDK's own
serializer. Record messages are left in the output buffer; every other message (schema,
state: the checkpoints a target acts on) flushes it, and so does the end of the run.
"""

from __future__ import annotations

import decimal
import sys
from typing import TYPE_CHECKING, Any

import orjson
from singer_sdk.singerlib import RecordMessage
from singer_sdk.singerlib.encoding import SimpleSingerWriter
from singer_sdk.singerlib.json import _default_encoding

if TYPE_CHECKING:
    from singer_sdk.singerlib.messages import Message

__all__ = ["FastSingerWriter"]


def _default(obj: Any) -> Any:
    """What orjson does not know, written as singer-sdk writes it."""
    if isinstance(obj, decimal.Decimal):
        if obj.is_finite():
            return orjson.Fragment(str(obj))  # the number as read: 12.50 stays 12.50
        return None  # simplejson's ignore_nan: NaN and infinities become null
    return _default_encoding(obj)  # the SDK's own: ISO dates, else str()


class FastSingerWriter(SimpleSingerWriter):
    """``SimpleSingerWriter`` with orjson and without a flush after every record."""

    _text_flushed = False

    def serialize_message(self, message: Message) -> str:
        """One message as compact JSON (the SDK's serializer for what orjson refuses)."""
        return self._bytes(message).decode("utf-8")

    def _bytes(self, message: Message) -> bytes:
        document = message.to_dict()
        try:
            return orjson.dumps(document, default=_default)
        except TypeError:  # orjson.JSONEncodeError too
            return super().serialize_message(message).encode("utf-8")

    def write_record_line(self, line: bytes) -> None:
        """Write one record message already serialized (a line ending in a newline)."""
        out = getattr(sys.stdout, "buffer", None)
        if out is None:
            sys.stdout.write(line.decode("utf-8"))
            return
        if not self._text_flushed:
            sys.stdout.flush()
            self._text_flushed = True
        out.write(line)

    def write_message(self, message: Message) -> None:
        """Write one message line; flush unless it is a record."""
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # a text-only stream (tests capturing output)
            sys.stdout.write(self.serialize_message(message) + "\n")
            sys.stdout.flush()
            return
        if not self._text_flushed:  # anything written as text before goes first
            sys.stdout.flush()
            self._text_flushed = True
        out.write(self._bytes(message) + b"\n")
        if not isinstance(message, RecordMessage):
            out.flush()
