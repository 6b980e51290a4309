"""Product payloads kept on disk between conversion and sending.

A job may hold 100,000 rows; keeping them as dicts would make memory grow with the job.
Each converted product is serialized once, as the exact NDJSON line to send, into a
temporary file; per row only its number, value count and fix flags stay in memory (compact
arrays). Rows repeating an identifier go to later *rounds*, sent only after the earlier
round is answered, so that duplicate rows are applied in file order.
"""

from __future__ import annotations

import json
import tempfile
from array import array
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

FIX_PRICE, FIX_OPTIONS, FIX_ASSETS = 1, 2, 4
FIX_CATEGORIES = 8  # split category trees: some tree left out, merged with the PIM's


@dataclass(slots=True)
class Line:
    """One product ready to send."""

    row: int
    ident: str
    payload: bytes
    values: int
    flags: int


class Identifiers:
    """Which identifiers were already seen, in a fixed 2 MB whatever the job's size.

    A Bloom filter answers "maybe seen" (a false positive only sends that row in a later
    round, which is harmless); the exact identifiers are written to a file and read back once
    at the end, to confirm real repeats and name the earlier rows in the warnings.
    """

    BITS = 1 << 24  # 16 M bits (2 MB)
    # Three probes: false positives ~6e-6 a row at 100,000 rows, ~7e-3 at a million (each
    # only moves that row to a later round).

    def __init__(self, folder: Path) -> None:
        self._bits = bytearray(self.BITS // 8)
        self.repeats: dict[str, int] = {}  # identifier -> occurrences so far (repeats only)
        self._path = folder / "ids.txt"
        self._file = self._path.open("w", encoding="utf-8", buffering=1 << 16)

    def _seen_before(self, ident: str) -> bool:
        """Set the identifier's three bits; True when all of them were already set."""
        digest = hash(ident)
        bits = self._bits
        # Three 24-bit slices of the 64-bit hash: bit index = byte (21 bits) + bit (3 bits)
        a, b, c = digest & 0xFFFFFF, (digest >> 24) & 0xFFFFFF, (digest >> 40) & 0xFFFFFF
        ma, mb, mc = 1 << (a & 7), 1 << (b & 7), 1 << (c & 7)
        a, b, c = a >> 3, b >> 3, c >> 3
        seen = bits[a] & ma and bits[b] & mb and bits[c] & mc
        if not seen:
            bits[a] |= ma
            bits[b] |= mb
            bits[c] |= mc
        return bool(seen)

    def occurrence(self, row: int, ident: str) -> int:
        """0 for the first row with this identifier, 1 for the second, ..."""
        self._file.write(f"{row}\t{encode_basestring_ascii(ident)}\n")  # as json.dumps
        if not self._seen_before(ident) and ident not in self.repeats:
            return 0
        count = self.repeats.get(ident, 1) + 1
        self.repeats[ident] = count
        return count - 1

    def duplicates(self) -> dict[str, list[int]]:
        """Rows of every identifier that occurs more than once, in file order."""
        self._file.flush()
        if not self.repeats:
            return {}
        rows: dict[str, list[int]] = {}
        with self._path.open(encoding="utf-8") as handle:
            for line in handle:
                row, _, encoded = line.partition("\t")
                ident = json.loads(encoded)
                if ident in self.repeats:
                    rows.setdefault(ident, []).append(int(row))
        return {ident: found for ident, found in rows.items() if len(found) > 1}

    def close(self) -> None:
        """Close the identifiers file."""
        self._file.close()


class Spool:
    """Converted product payloads by round, on disk for round 0, in memory after.

    Round 0 is one file of ``<identifier><payload>`` records back to back; their byte
    lengths are kept in compact arrays, so a batch is read back with one ``read`` and cut
    by offsets (no separator to escape, no parsing).
    """

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="target-akeneo-")
        self.folder = Path(self._tmp.name)
        self.ids = Identifiers(self.folder)
        self._file = (self.folder / "products.bin").open("w+b", buffering=1 << 20)
        self._rows = array("q")
        self._values = array("l")
        self._flags = bytearray()
        self._ident_sizes = array("L")
        self._payload_sizes = array("L")
        self._later: list[list[Line]] = []
        self.count = 0

    def add(
        self, row: int, ident: str, payload: bytes, values: int, flags: int, *, occurrence: int
    ) -> None:
        """Keep one product (its exact NDJSON line ``payload``) for round ``occurrence``."""
        self.count += 1
        if occurrence == 0:
            key = ident.encode("utf-8", "surrogatepass")
            write = self._file.write
            write(key)
            write(payload)
            self._rows.append(row)
            self._values.append(values)
            self._flags.append(flags)
            self._ident_sizes.append(len(key))
            self._payload_sizes.append(len(payload))
            return
        while len(self._later) < occurrence:
            self._later.append([])
        self._later[occurrence - 1].append(Line(row, ident, payload, values, flags))

    @property
    def rounds(self) -> int:
        """Number of rounds (1 + the most repeats of one identifier)."""
        return 1 + len(self._later)

    def size(self, round_no: int) -> int:
        """Products in one round."""
        return len(self._rows) if round_no == 0 else len(self._later[round_no - 1])

    def batches(self, round_no: int, size: int) -> Iterator[list[Line]]:
        """Products of one round, in file order, ``size`` at a time."""
        if round_no > 0:
            lines = self._later[round_no - 1]
            for start in range(0, len(lines), size):
                yield lines[start : start + size]
            return
        self._file.flush()
        self._file.seek(0)
        rows, values, flags = self._rows, self._values, self._flags
        ident_sizes, payload_sizes = self._ident_sizes, self._payload_sizes
        for start in range(0, len(rows), size):
            stop = min(start + size, len(rows))
            chunk = self._file.read(
                sum(ident_sizes[start:stop]) + sum(payload_sizes[start:stop])
            )
            batch: list[Line] = []
            at = 0
            for index in range(start, stop):
                middle = at + ident_sizes[index]
                end = middle + payload_sizes[index]
                ident = chunk[at:middle].decode("utf-8", "surrogatepass")
                batch.append(Line(rows[index], ident, chunk[middle:end], values[index],
                                  flags[index]))
                at = end
            yield batch

    def close(self) -> None:
        """Remove the temporary files."""
        self.ids.close()
        self._file.close()
        self._tmp.cleanup()
