"""tap-sdm-job: line numbers, tolerated input (BOM, CRLF, blank lines, 2 MB lines), bad lines.

Plus singer-sdk's standard tap tests, run on a small job file.
"""

from __future__ import annotations

import atexit
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sdm_transform.job_tap.reader import JobReader, parse_line
from sdm_transform.job_tap.tap import TapSdmJob
from singer_sdk.testing import get_tap_test_class

_STD = Path(tempfile.mkdtemp(prefix="tap-sdm-job-std-"))
atexit.register(shutil.rmtree, _STD, ignore_errors=True)


def _std_workspace() -> str:
    folder = _STD / "jobs" / "std"
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"_type": "product_model", "code": "m1", "family_variant": "lamps_by_color"},
            {"sku": "p1", "parent": "m1"}, "{broken"]
    (folder / "export.jsonl").write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return str(_STD)


TestTapSdmJobStandard = get_tap_test_class(
    TapSdmJob, config={"workspace": _std_workspace(), "job_id": "std"}
)


def records(workspace: Path, job_id: str = "j") -> list[dict]:
    config = workspace / "tap.json"
    config.write_text(json.dumps({"workspace": str(workspace), "job_id": job_id}))
    out = subprocess.run([str(Path(sys.executable).parent / "tap-sdm-job"), "--config",
                          str(config)], capture_output=True, check=True)
    return [m for m in map(json.loads, out.stdout.splitlines()) if m["type"] == "RECORD"]


def write(workspace: Path, data: bytes, job_id: str = "j") -> None:
    folder = workspace / "jobs" / job_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "export.jsonl").write_bytes(data)


def test_streams_line_numbers_and_tolerated_input(tmp_path):
    big = {"sku": "big", "description-ecommerce-en_US": "é" * (2 * 1024 * 1024)}
    data = b"\r\n".join([
        b"\xef\xbb\xbf" + json.dumps({"sku": "a"}).encode(),
        b"",
        b"   ",
        json.dumps({"sku": "v1", "parent": "m1"}).encode(),
        json.dumps({"_type": "product_model", "code": "m1"}).encode(),
        json.dumps(big, ensure_ascii=False).encode(),
        '{"sku": "caf\u00e9"}'.encode("latin-1"),
        b'{"sku": "x", "weight": 1.50}',
        b'{"_type": "product", "sku": "typed"}',
        b'{"_typ\\u0065": "product_model", "code": "escaped"}',
    ]) + b"\r\n"
    write(tmp_path, data)
    found = records(tmp_path)
    streams = [(m["stream"], m["record"]["row"]) for m in found]
    assert streams == [
        ("product_models", 5), ("product_models", 10),  # models first, in file order
        ("products", 1), ("products", 4), ("products", 6), ("products", 8), ("products", 9),
        ("row_errors", 7),
    ]
    by_row = {m["record"]["row"]: m["record"] for m in found}
    assert by_row[1]["data"] == {"sku": "a"}  # BOM stripped
    assert len(by_row[6]["data"]["description-ecommerce-en_US"]) == 2 * 1024 * 1024
    assert by_row[8]["data"]["weight"] == 1.50
    assert "not valid UTF-8" in by_row[7]["error"] and by_row[7]["raw"].startswith('{"sku"')


def test_missing_job_file_is_one_clear_error(tmp_path):
    config = tmp_path / "tap.json"
    config.write_text(json.dumps({"workspace": str(tmp_path), "job_id": "nope"}))
    out = subprocess.run([str(Path(sys.executable).parent / "tap-sdm-job"), "--config",
                          str(config)], check=False, capture_output=True, text=True)
    assert out.returncode == 1
    assert "job file not found" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(("line", "reason"), [
    (b"{", "line 3 is not valid JSON"),
    (b"[]", "line 3 is not a JSON object (got list)"),
    (b'"text"', "line 3 is not a JSON object (got str)"),
    (b"\xc3\x28", "line 3 is not valid UTF-8 (byte 0xc3 at position 0)"),
    (b'{"a": Infinity}', "Infinity is not a JSON value"),
    (b'{"_type": 3}', "unknown _type 3"),
])
def test_parse_line_reasons(line, reason):
    kind, found = parse_line(3, line)
    assert kind == "error" and reason in found


def test_reader_parses_each_product_line_once(tmp_path, monkeypatch):
    write(tmp_path, b'{"sku": "a"}\n{"_type": "product_model", "code": "m"}\n{"sku": "b"}\n')
    calls = []
    import sdm_transform.job_tap.reader as reader_module

    original = reader_module.parse_line
    monkeypatch.setattr(reader_module, "parse_line",
                        lambda row, line: calls.append(row) or original(row, line))
    reader = JobReader(tmp_path / "jobs" / "j" / "export.jsonl")
    assert [r for r, _ in reader.scan_models()] == [2]
    assert [r for r, _ in reader.products()] == [1, 3]
    assert reader.row_errors() == []
    assert sorted(calls) == [1, 2, 3]


def test_fast_writer_writes_the_values_the_sdk_writer_writes():
    """orjson output, parsed back, equals the SDK's own serialization, value for value."""
    import datetime as dt
    import json as std_json
    from decimal import Decimal

    from sdm_transform.job_tap.writer import FastSingerWriter
    from singer_sdk.singerlib import RecordMessage, StateMessage
    from singer_sdk.singerlib.encoding import SimpleSingerWriter

    data = {"price": Decimal("12.50"), "exp": Decimal("1E+3"), "nan": float("nan"),
            "dnan": Decimal("NaN"), "big": 2**70, "text": "café \u2028 \"q\" \\ \n",
            "list": [1, Decimal("0.1"), None, True], "nested": {"t": [{"c": Decimal("-0.0")}]}}
    when = dt.datetime(2026, 11, 29, 8, 0, 1, 234, tzinfo=dt.UTC)
    for message in (
        RecordMessage(stream="products", record={"row": 1, "data": data}, time_extracted=when),
        RecordMessage(stream="products", record={"row": 2, "data": {"a": "b"}},
                      time_extracted=when),
        StateMessage(value={"bookmarks": {"products": {}}}),
    ):
        fast = FastSingerWriter().serialize_message(message)
        sdk = SimpleSingerWriter().serialize_message(message)
        as_read = std_json.loads(fast, parse_float=Decimal)
        assert as_read == std_json.loads(sdk, parse_float=Decimal)
        assert repr(as_read) == repr(std_json.loads(sdk, parse_float=Decimal))  # 12.50 kept


def test_fast_writer_flushes_on_every_message_but_records(monkeypatch):
    import io
    import sys

    from sdm_transform.job_tap.writer import FastSingerWriter
    from singer_sdk.singerlib import RecordMessage, SchemaMessage, StateMessage

    class Out(io.BytesIO):
        flushes = 0

        def flush(self):
            Out.flushes += 1

    buffer = Out()
    text = io.TextIOWrapper(buffer, encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", text)
    writer = FastSingerWriter()
    writer.write_message(SchemaMessage("products", {"type": "object"}, ["row"]))
    after_schema = Out.flushes
    for row in range(1, 4):
        writer.write_message(RecordMessage(stream="products", record={"row": row, "data": {}}))
    assert Out.flushes == after_schema  # records stay buffered
    writer.write_message(StateMessage(value={}))
    assert Out.flushes > after_schema
    lines = buffer.getvalue().decode().splitlines()
    assert [json.loads(line)["type"] for line in lines] == ["SCHEMA", *["RECORD"] * 3, "STATE"]


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80)
    | st.decimals(allow_nan=False, allow_infinity=False, places=4) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=6), _JSON_VALUES, max_size=6))
def test_lines_read_as_json_reads_them(row_object):
    """orjson reads the line when it can; the row is what json (decimals exact) reads."""
    from decimal import Decimal

    import simplejson  # a singer-sdk dependency: writes Decimals as JSON numbers

    row_object.pop("_type", None)
    line = simplejson.dumps(row_object, use_decimal=True).encode() + b"\n"
    kind, parsed = parse_line(1, line)
    assert kind == "product"
    expected = json.loads(line, parse_float=Decimal)
    assert parsed == expected and repr(parsed) == repr(expected)


def test_rows_are_passed_as_written_unless_a_stream_map_reads_them(tmp_path):
    """Without stream maps a product row's data is its exact text (1.50 stays 1.50, spacing
    inside the row kept); with a map (here a filter) rows are parsed and the map applies."""
    lines = [b'{"sku": "A",  "weight": 1.50, "n": 12345678901234567890123}',
             b'{"sku":"B","name-en_US":"caf\\u00e9"}']
    write(tmp_path, b"\n".join(lines) + b"\n")
    config = tmp_path / "tap.json"
    config.write_text(json.dumps({"workspace": str(tmp_path), "job_id": "j"}))
    out = subprocess.run([str(Path(sys.executable).parent / "tap-sdm-job"), "--config",
                          str(config)], capture_output=True, check=True).stdout
    assert b'"data":{"sku": "A",  "weight": 1.50, "n": 12345678901234567890123}' in out
    found = [m for m in map(json.loads, out.splitlines()) if m["type"] == "RECORD"]
    assert [m["record"]["data"]["sku"] for m in found] == ["A", "B"]
    assert found[1]["record"]["data"]["name-en_US"] == "café"
    config.write_text(json.dumps({"workspace": str(tmp_path), "job_id": "j", "stream_maps": {
        "products": {"__filter__": "data['sku'] != 'B'", "marked": "'yes'"}}}))
    out = subprocess.run([str(Path(sys.executable).parent / "tap-sdm-job"), "--config",
                          str(config)], capture_output=True, check=True).stdout
    found = [m for m in map(json.loads, out.splitlines()) if m["type"] == "RECORD"]
    assert [(m["record"]["data"]["sku"], m["record"]["marked"]) for m in found] == [("A", "yes")]


def test_a_first_line_of_only_a_bom_and_blanks_is_skipped(tmp_path):
    write(tmp_path, b"\xef\xbb\xbf  \r\n\x0b\n" + json.dumps({"sku": "a"}).encode() + b"\n")
    found = records(tmp_path)
    assert [(m["stream"], m["record"]["row"]) for m in found] == [("products", 3)]


_LINES = st.sampled_from([
    b'{"sku": "p"}', b'{"sku": "q", "name-en_US": "caf\\u00e9"}', b'{"sku": "r", "n": "a\\\\b"}',
    b'{"_type": "product_model", "code": "m"}', b'{"_typ\\u0065": "product_model", "code": "e"}',
    b'{"_type": "product", "sku": "t"}', b'{"_type": "bogus"}', b'{"w": 1.50}', b"{broken",
    b"[]", b"", b"   ", b"\xef\xbb\xbf", b"\xef\xbb\xbf" + b'{"sku": "bom"}', b"\xc3\x28",
    b'{"label": "the \\"_type\\" key"}', b'{"sku": "x_type"}',
])


def _reference(data: bytes) -> tuple[list, list, list]:
    """Every line parsed on its own: (models, products, error rows)."""
    models, products, errors = [], [], []
    for row, full in enumerate(data.split(b"\n"), start=1):
        line = full[3:] if row == 1 and full.startswith(b"\xef\xbb\xbf") else full
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        kind, obj = parse_line(row, line)
        {"product_model": models, "product": products, "error": errors}[kind].append(
            row if kind == "error" else (row, obj))
    return models, products, errors


@given(st.lists(_LINES, max_size=12), st.integers(min_value=1, max_value=40), st.booleans())
def test_reader_finds_what_parsing_every_line_finds(tmp_path_factory, lines, chunk, raw):
    """The whole-file search (any chunk size: marks cut across chunks) and the line scan
    find the models, products and errors that parsing each line on its own finds."""
    import sdm_transform.job_tap.reader as reader_module

    data = b"\n".join(lines) + b"\n"
    path = tmp_path_factory.mktemp("job") / "export.jsonl"
    path.write_bytes(data)
    saved = reader_module.CHUNK
    reader_module.CHUNK = chunk
    try:
        reader = JobReader(path)
        models = list(reader.scan_models())
        products = [(row, json.loads(d) if isinstance(d, bytes) else d)
                    for row, d in reader.products(raw=raw)]
        errors = [e["row"] for e in reader.row_errors()]
    finally:
        reader_module.CHUNK = saved
    assert (models, products, errors) == _reference(data)


def test_a_model_mark_cut_by_a_chunk_end_is_found(tmp_path, monkeypatch):
    import sdm_transform.job_tap.reader as reader_module

    line = b'{"code": "m", "_type": "product_model"}\n'
    write(tmp_path, b'{"sku": "a"}\n' + line)
    cut = len(b'{"sku": "a"}\n{"code": "m", "_ty')  # the chunk ends inside "_type"
    monkeypatch.setattr(reader_module, "CHUNK", cut)
    reader = JobReader(tmp_path / "jobs" / "j" / "export.jsonl")
    assert [row for row, _ in reader.scan_models()] == [2]
    assert [row for row, _ in reader.products()] == [1]


def test_rows_written_as_bytes_are_the_lines_the_sdk_writes(tmp_path, monkeypatch):
    """The products stream's own record lines equal singer-sdk's, time_extracted aside."""
    import io
    import re

    from sdm_transform.job_tap.streams import ProductsStream
    from singer_sdk import Stream

    lines = [b'{"sku": "A",  "weight": 1.50}', b'{"_type": "product_model", "code": "m"}',
             b'{"sku":"B","name-en_US":"caf\\u00e9","n":12345678901234567890123}', b"{bad",
             "{\"sku\": \"\u00e9t\u00e9\", \"list\": [1, {\"x\": null}]}".encode()]
    write(tmp_path, b"\n".join(lines) + b"\n")

    def run() -> list[bytes]:
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        monkeypatch.setattr(sys, "stdout", out)
        TapSdmJob(config={"workspace": str(tmp_path), "job_id": "j"}).sync_all()
        out.flush()
        text = out.buffer.getvalue()  # type: ignore[attr-defined]
        monkeypatch.undo()
        return [re.sub(rb'"time_extracted":"[^"]+"', b"T", x) for x in text.splitlines()]

    ours = run()
    monkeypatch.setattr(ProductsStream, "_write_record_message", Stream._write_record_message)
    sdk = run()
    assert ours == sdk
    assert sum(b'"stream":"products"' in x and b'"RECORD"' in x for x in ours) == 3


def test_lines_nested_too_deeply_are_refused_and_the_others_go_on(tmp_path):
    """A line nesting ~1,000 levels used to end the tap with a RecursionError, losing every
    later line; it is now a row error with its reason, whatever the depth."""
    def nested(depth: int) -> bytes:
        return b'{"sku": "deep", "composition": ' + b"[" * depth + b"]" * depth + b"}"

    lines = [b'{"sku": "first"}', nested(990), nested(1100), nested(30_000), nested(150),
             b'{"sku": "last", "note": "[[[[ brackets in text ]]]]"}']
    write(tmp_path, b"\n".join(lines) + b"\n")
    found = records(tmp_path)
    streams = [(m["stream"], m["record"]["row"]) for m in found]
    assert streams == [("products", 1), ("products", 5), ("products", 6),
                       ("row_errors", 2), ("row_errors", 3), ("row_errors", 4)]
    errors = [m["record"]["error"] for m in found if m["stream"] == "row_errors"]
    assert all("nested too deeply (more than 200 levels)" in e for e in errors)
