"""target-akeneo's fast message path: same values as singer-sdk's reader and record path."""

from __future__ import annotations

import datetime
import json
import math
from decimal import Decimal

import pytest
from singer_sdk.singerlib.encoding import SimpleSingerReader
from singer_sdk.singerlib.exceptions import InvalidInputLine
from target_akeneo.messages import FastSingerReader
from target_akeneo.sinks import JobRowSink

from tests.target.conftest import product, run_target, tap_output, value

LINES = [
    '{"type":"RECORD","stream":"products","record":{"row":1,"data":{"sku":"A","w":"0.300"}}}',
    '{"type":"RECORD","stream":"products","record":{"row":2,"data":{"price":12.50,"n":3}}}',
    '{"type":"RECORD","stream":"products","record":{"row":3,"data":{"t":[{"c":{"v":1e3}}]}}}',
    '{"type":"RECORD","stream":"products","record":{"row":4,"data":{"big":123456789012345678901234567890}}}',
    '{"type":"RECORD","stream":"products","record":{"row":5,"data":{"s":"\\u00e9\\n\\t","e":[]}}}',
    '{"type":"STATE","value":{"bookmarks":{}}}',
]


@pytest.mark.parametrize("line", LINES)
def test_same_values_as_the_sdk_reader(line):
    fast = FastSingerReader().deserialize_json(line)
    sdk = SimpleSingerReader().deserialize_json(line)
    assert fast == sdk
    assert repr(fast) == repr(sdk)  # Decimal('12.50') stays Decimal('12.50'), never 12.5


def test_floats_are_decimals_as_written():
    message = FastSingerReader().deserialize_json(LINES[1])
    assert message["record"]["data"]["price"] == Decimal("12.50")
    assert str(message["record"]["data"]["price"]) == "12.50"


def test_lines_msgspec_refuses_take_the_sdk_path():
    nan = FastSingerReader().deserialize_json('{"type":"RECORD","record":{"x":NaN}}')
    assert math.isnan(nan["record"]["x"])  # the SDK's reader accepts NaN; so does this one
    with pytest.raises(InvalidInputLine, match="Unable to parse"):
        FastSingerReader().deserialize_json('{"type": "RECORD", broken')


def test_stream_maps_still_apply(pim, workspace, api):
    """With stream maps configured, records take the SDK's own path (maps applied)."""
    workspace.job("maps", [{"sku": "MAP-1", "family": "mugs", "name-en_US": "Mapped"},
                           {"sku": "MAP-2", "family": "mugs", "name-en_US": "Filtered out"}])
    config = {**pim.config(), "workspace": str(workspace.root), "job_id": "maps",
              "stream_maps": {"products": {"__filter__": "data['sku'] != 'MAP-2'"}}}
    run_target(config, tap_output(workspace, "maps"))
    report = workspace.report("maps")
    assert report["counts"]["created"] == 1, report
    assert value(product(api, "MAP-1"), "name", locale="en_US") == "Mapped"
    assert product(api, "MAP-2") is None


def test_invalid_record_shape_is_refused_as_by_the_sdk(pim, workspace):
    schema = {"type": "SCHEMA", "stream": "products", "key_properties": ["row"],
              "schema": {"type": "object", "properties": {"row": {"type": "integer"},
                                                          "data": {"type": "object"}}}}
    bad = {"type": "RECORD", "stream": "products", "record": {"row": "one", "data": {}}}
    config = {**pim.config(), "workspace": str(workspace.root), "job_id": "shape"}
    workspace.job("shape", [])
    messages = "\n".join(json.dumps(m) for m in (schema, bad)) + "\n"
    with pytest.raises(Exception, match="'row' must be an integer"):
        run_target(config, messages)


def test_record_keys_outside_the_schema_still_warned_and_dates_still_parsed(
    pim, workspace, caplog, monkeypatch
):
    """The SDK's date parsing is skipped only when a record has nothing for it to do."""
    schema = {"type": "SCHEMA", "stream": "products", "key_properties": ["row"],
              "schema": {"type": "object", "properties": {
                  "row": {"type": "integer"}, "data": {"type": "object"},
                  "at": {"type": ["string"], "format": "date-time"}}}}
    records = [{"row": 1, "data": {"sku": "TS-1", "family": "mugs"}},
               {"row": 2, "data": {"sku": "TS-2", "family": "mugs"}, "extra": 1},
               {"row": 3, "data": {"sku": "TS-3", "family": "mugs"}, "at": "2026-01-02T03:04:05"}]
    messages = [schema] + [{"type": "RECORD", "stream": "products", "record": r} for r in records]
    config = {**pim.config(), "workspace": str(workspace.root), "job_id": "stamps"}
    workspace.job("stamps", [])
    seen = []
    original = JobRowSink.process_record

    def spy(self, record, context):
        seen.append(dict(record))
        original(self, record, context)

    monkeypatch.setattr(JobRowSink, "process_record", spy)  # records as the push gets them
    with caplog.at_level("WARNING"):
        run_target(config, "\n".join(json.dumps(m) for m in messages) + "\n")
    assert "No schema for record field 'extra'" in caplog.text
    assert isinstance(seen[2]["at"], datetime.datetime)
    assert seen[0] == records[0]
    assert workspace.report("stamps")["counts"]["created"] == 3


def _collect(reader, source):
    seen = {"RECORD": [], "STATE": [], "SCHEMA": []}
    callbacks = {kind: seen[kind].append for kind in seen}
    counts = reader.process_lines(source, callbacks)
    return seen, counts


def test_line_loop_reads_bytes_as_the_sdk_reads_text():
    """Standard input is read as bytes: same messages, same counts as the SDK's loop."""
    import io

    text = "\n".join(LINES) + "\n"
    fast, fast_counts = _collect(FastSingerReader(), io.BytesIO(text.encode()))
    sdk, sdk_counts = _collect(SimpleSingerReader(), io.StringIO(text))
    assert fast_counts == sdk_counts == {"RECORD": 5, "STATE": 1}
    assert repr(fast) == repr(sdk)


def test_line_loop_refuses_what_the_sdk_refuses():
    import io

    for bad in (b'{"stream": "products"}\n', b"not json\n", b"\xff\xfe{}\n"):
        with pytest.raises(InvalidInputLine):
            _collect(FastSingerReader(), io.BytesIO(bad))


def test_a_message_nested_too_deeply_is_refused_like_any_bad_line():
    line = ('{"type":"RECORD","stream":"products","record":{"row":1,"data":{"x":'
            + "[" * 100_000 + "]" * 100_000 + "}}}")
    with pytest.raises(InvalidInputLine, match="nested too deeply"):
        FastSingerReader().deserialize_json(line)
