"""Line-level reading of ``export.jsonl``: bytes in, classified rows out.

The file is read as bytes so that a bad line (wrong encoding, broken JSON, a 2 MB line) is
reported with its line number and never stops the other lines. The file is scanned once to
sort lines into product models, product candidates and errors; product lines are only
parsed when the ``products`` stream reads them, so each line is parsed once however the
three streams are selected.
"""

from __future__ import annotations

import json
from array import array
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdm_transform.jsonvalues import (
    BOM,
    MAX_DEPTH,
    JSONRefused,
    blank_line,
    is_json_object,
    nesting_depth,
    read_exact,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

RAW_CHARS = 200
ROW_TYPES = ("product", "product_model")
MODEL_MARK = b'"_type"'  # how the key of a row's type is written, unless spelled with escapes
CHUNK = 1 << 20  # bytes read at a time when searching the whole file


class JobFileError(Exception):
    """The job file itself cannot be read (missing, a directory, unreadable)."""


def job_file(workspace: str | Path, job_id: str) -> Path:
    """Path of a job's export, refusing job ids that would leave ``jobs/``."""
    if not job_id or job_id in {".", ".."} or "/" in job_id or "\\" in job_id:
        msg = f"invalid job_id {job_id!r}: it must be a folder name inside jobs/"
        raise JobFileError(msg)
    return Path(workspace) / "jobs" / job_id / "export.jsonl"


def _raw(line: bytes) -> str:
    return line[: RAW_CHARS * 4].decode("utf-8", errors="replace")[:RAW_CHARS]


class _ConstantError(ValueError):
    """``NaN`` / ``Infinity``: Python's json accepts them, JSON does not."""


def _refuse_constant(name: str) -> Any:
    raise _ConstantError(name)


def parse_line(row: int, line: bytes) -> tuple[str, dict[str, Any] | str]:
    """Classify one line: ``("product" | "product_model", object)`` or ``("error", reason)``.

    The line is read by :func:`read_exact` (numbers with a fraction as ``Decimal``); what it
    refuses (bad UTF-8 or JSON and their reasons, ``NaN``, an escaped lone surrogate...) is
    read by ``json`` as before.
    """
    if nesting_depth(line) > MAX_DEPTH:
        too_deep = f"nested too deeply (more than {MAX_DEPTH} levels)"
        return "error", f"line {row} is not valid JSON: {too_deep}"
    try:
        found = read_exact(line)
    except JSONRefused:
        found = None
    if type(found) is dict:
        return _classify(row, found)
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return "error", (
            f"line {row} is not valid UTF-8 (byte 0x{line[exc.start]:02x} at position "
            f"{exc.start}); re-export the job as UTF-8"
        )
    try:
        obj = json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except _ConstantError as exc:
        return "error", f"line {row} is not valid JSON: {exc} is not a JSON value"
    except json.JSONDecodeError as exc:
        return "error", f"line {row} is not valid JSON: {exc.msg} at column {exc.colno}"
    except RecursionError:
        return "error", f"line {row} is not valid JSON: nested too deeply"
    if not isinstance(obj, dict):
        return "error", f"line {row} is not a JSON object (got {type(obj).__name__})"
    return _classify(row, obj)


def _classify(row: int, obj: dict[str, Any]) -> tuple[str, dict[str, Any] | str]:
    kind = obj.get("_type", "product")
    if kind is None or kind == "":
        kind = "product"
    if kind not in ROW_TYPES:
        return "error", (
            f"line {row} has unknown _type {kind!r} (expected 'product' or 'product_model')"
        )
    return str(kind), obj


class JobReader:
    """One job file, scanned once; the streams pull their rows from it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._scanned = False
        self._products_checked = False
        #: row numbers of product candidates, in file order (None: every non-blank line)
        self.product_rows: array[int] | None = array("q")
        self.errors: list[dict[str, Any]] = []

    def _open(self) -> Any:
        if self.path.is_dir():
            msg = f"job file is a directory: {self.path}"
            raise JobFileError(msg)
        try:
            return self.path.open("rb")
        except FileNotFoundError as exc:
            msg = f"job file not found: {self.path}"
            raise JobFileError(msg) from exc
        except OSError as exc:
            msg = f"cannot read job file {self.path}: {exc.strerror}"
            raise JobFileError(msg) from exc

    def check(self) -> None:
        """Fail early, with one clear message, when the job file cannot be read."""
        with self._open():
            pass

    @staticmethod
    def _strip(line: bytes, row: int) -> bytes:
        if row == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
        return line.rstrip(b"\r\n")

    def _plain_file(self) -> bool:
        r"""True when no line of the file can be a product model or an unknown ``_type``.

        Such a line holds the key ``"_type"`` as written, or a ``\u`` escape (a key may be
        spelled with escapes). The whole file is searched for both, chunk by chunk, which is
        several times faster than searching line by line; a file without them needs no scan.
        """
        keep = len(MODEL_MARK) - 1  # the end of a chunk, searched again with the next one
        tail = b""
        with self._open() as handle:
            while chunk := handle.read(CHUNK):
                edge = tail + chunk[:keep]
                if MODEL_MARK in chunk or MODEL_MARK in edge or b"\\u" in edge:
                    return False
                if b"\\" in chunk and b"\\u" in chunk:  # memchr first: most files have none
                    return False
                tail = (tail + chunk[-keep:])[-keep:]
        return True

    def scan_models(self) -> Iterator[tuple[int, dict[str, Any]]]:
        r"""Scan the whole file once; yield product-model rows, remember the rest.

        A file that holds neither ``"_type"`` nor a ``\u`` escape has no model: every
        non-blank line is a product candidate, and the lines are not visited here. Otherwise,
        a line that holds neither is kept as a product candidate without being parsed here.
        """
        if self._scanned:
            return
        self._scanned = True
        if self._plain_file():
            self.product_rows = None
            return
        rows = self.product_rows = array("q")
        with self._open() as handle:
            for row, full in enumerate(handle, start=1):
                if blank_line(row, full):
                    continue
                if MODEL_MARK not in full and (b"\\" not in full or b"\\u" not in full):
                    rows.append(row)
                    continue
                line = self._strip(full, row)
                if not line.strip():
                    continue
                kind, obj = parse_line(row, line)
                if kind == "error":
                    self.errors.append({"row": row, "error": obj, "raw": _raw(line)})
                elif kind == "product_model":
                    yield row, obj  # type: ignore[misc]
                else:
                    rows.append(row)

    def products(self, *, raw: bool = False) -> Iterator[tuple[int, dict[str, Any] | bytes]]:
        """Yield product rows in file order (scanning first if needed).

        With ``raw``, a row that is a JSON object (checked by :func:`is_json_object`, which
        builds no value) is given as its exact JSON text (bytes, no carriage return inside)
        instead of the parsed object, so that it can be passed on as written: numbers keep
        their digits. Any other row is parsed as :func:`parse_line` parses it. Every row
        given here is a product: a line that may hold ``_type`` was classified by the scan.
        """
        for _ in self.scan_models():
            pass
        first = not self._products_checked
        self._products_checked = True
        rows = self.product_rows  # None: every non-blank line
        if rows is not None and not rows:
            return
        wanted, index = (rows[0] if rows is not None else 0), 0
        with self._open() as handle:  # one sequential read (product rows are in file order)
            for row, full in enumerate(handle, start=1):
                if rows is None:
                    if blank_line(row, full):
                        continue
                elif row != wanted:
                    continue
                else:
                    index += 1
                    wanted = rows[index] if index < len(rows) else 0
                line = self._strip(full, row)
                # A candidate is a product unless it is not a JSON object (see scan_models)
                if (
                    raw
                    and b"\r" not in line
                    and is_json_object(line)
                    and nesting_depth(line) <= MAX_DEPTH
                ):
                    yield row, line
                    continue
                kind, obj = parse_line(row, line)
                if kind == "error":
                    if first:
                        self.errors.append({"row": row, "error": obj, "raw": _raw(line)})
                elif kind == "product":
                    yield row, obj  # type: ignore[misc]
                if rows is not None and not wanted:
                    break

    def row_errors(self) -> list[dict[str, Any]]:
        """Every malformed line, by line number (runs the other passes if not yet run)."""
        if not self._products_checked:
            for _ in self.products():
                pass
        return sorted(self.errors, key=lambda e: e["row"])
