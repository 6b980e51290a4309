"""Sinks of target-akeneo: job rows go to the push; any other stream is counted and dropped.

Rows are not written one by one: the push needs the whole job (to route variant values to
their models and to write in the contract's order), so each record goes to the target's
:class:`~target_akeneo.push.Push`, which spools it compactly until the end of the input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from singer_sdk.exceptions import InvalidRecord
from singer_sdk.helpers._typing import get_datelike_property_type
from singer_sdk.sinks import RecordSink
from singer_sdk.sinks.core import BaseJSONSchemaValidator

if TYPE_CHECKING:
    from collections.abc import Sequence

    from singer_sdk import Target

JOB_STREAMS = frozenset({"products", "product_models", "row_errors"})


class JobRowValidator(BaseJSONSchemaValidator):
    """Checks the few keys of a job record (``row``, ``data`` or ``error``).

    A job row is an open object of SDM fields: the values are checked field by field by the
    push, so a generic JSON-schema walk over every key of every row would only cost time.
    """

    def __init__(self, schema: dict[str, Any], stream_name: str) -> None:
        super().__init__(schema)
        self.stream_name = stream_name

    def validate(self, record: dict[str, Any]) -> None:
        """Raise ``InvalidRecord`` when a record is not shaped as tap-sdm-job emits it."""
        row = record.get("row")
        if type(row) is not int:
            raise InvalidRecord("'row' must be an integer line number", record)
        if self.stream_name == "row_errors":
            if not isinstance(record.get("error"), str):
                raise InvalidRecord("'error' must be a string", record)
        elif not isinstance(record.get("data"), dict):
            raise InvalidRecord("'data' must be an object", record)


class JobRowSink(RecordSink):
    """``products``, ``product_models`` and ``row_errors`` of tap-sdm-job."""

    #: (schema, its properties that are not dates), for ``_parse_timestamps_in_record``
    _plain_keys: tuple[dict[str, Any], frozenset[str]] | None = None

    def __init__(
        self,
        target: Target,
        stream_name: str,
        schema: dict[str, Any],
        key_properties: Sequence[str] | None,
    ) -> None:
        super().__init__(target, stream_name, schema, key_properties)
        # The push (and project.json) is loaded as soon as a job stream's schema arrives.
        self._push = target.job_push()  # type: ignore[attr-defined]

    def _parse_timestamps_in_record(
        self, record: dict[str, Any], schema: dict[str, Any], treatment: Any
    ) -> None:
        """The SDK's date parsing, skipped when it has nothing to do (the usual job record).

        The SDK walks every key of every record; with keys that are all non-date properties
        of the stream's schema it parses and warns about nothing, so the walk is skipped.
        """
        known = self._plain_keys
        if known is None or known[0] is not schema:
            properties = schema.get("properties")
            plain = frozenset(
                key
                for key, prop in (properties if isinstance(properties, dict) else {}).items()
                if isinstance(prop, dict) and not get_datelike_property_type(prop)
            )
            known = self._plain_keys = (schema, plain)
        if not known[1].issuperset(record):
            super()._parse_timestamps_in_record(record, schema, treatment)

    def is_plain(self, record: dict[str, Any]) -> bool:
        """True for a plain job record: the SDK's checks would pass and change nothing.

        That is ``{"row": <int>, "data": <object>}`` of a products or models stream whose
        schema declares neither key as a date, so the target may skip validation and dates.
        """
        if (
            len(record) != 2  # exactly "row" and "data"
            or type(record.get("row")) is not int
            or type(record.get("data")) is not dict
            or self.stream_name == "row_errors"
        ):
            return False
        known = self._plain_keys
        if known is None or known[0] is not self.schema:
            return False  # checked the SDK's way once, which records the plain keys
        return "row" in known[1] and "data" in known[1]

    def get_validator(self) -> BaseJSONSchemaValidator | None:
        """A light check of the record's shape (values are checked by the push)."""
        return JobRowValidator(self.schema, self.stream_name)

    def process_record(self, record: dict[str, Any], context: dict[str, Any]) -> None:
        """Hand the row to the push (nothing is sent before the end of the input)."""
        self._push.add(self.stream_name, record)


class IgnoredStreamSink(RecordSink):
    """A stream that is not a job stream never reaches the PIM; it is only counted."""

    def process_record(self, record: dict[str, Any], context: dict[str, Any]) -> None:
        """Count and drop the record (warned about once per stream)."""
        if not getattr(self, "_warned", False):
            self._warned = True
            self.logger.warning(
                "stream %r is not a job stream (%s): its records are ignored",
                self.stream_name,
                ", ".join(sorted(JOB_STREAMS)),
            )
