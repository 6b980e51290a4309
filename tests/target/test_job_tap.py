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
