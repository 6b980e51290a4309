"""The compact row store: repeats of an identifier, rounds, and memory that does not grow."""

from __future__ import annotations

from target_akeneo.spool import Identifiers, Spool


def test_occurrences_and_exact_duplicates(tmp_path):
    ids = Identifiers(tmp_path)
    found = [ids.occurrence(row, ident) for row, ident in
             enumerate(["a", "b", "a", "c\t\n\"", "a", "c\t\n\""], start=1)]
    assert found == [0, 0, 1, 0, 2, 1]
    assert ids.duplicates() == {"a": [1, 3, 5], "c\t\n\"": [4, 6]}
    ids.close()


def test_many_distinct_identifiers_stay_in_round_zero(tmp_path):
    ids = Identifiers(tmp_path)
    assert sum(ids.occurrence(i, f"SKU-{i:06d}") for i in range(5000)) == 0
    assert ids.duplicates() == {}
    ids.close()


def test_spool_rounds_keep_file_order():
    spool = Spool()
    try:
        for row, ident in enumerate(["x", "y", "x", "z", "x"], start=1):
            occurrence = spool.ids.occurrence(row, ident)
            payload = f'{{"identifier":"{ident}","values":{{}}}}'.encode()
            spool.add(row, ident, payload, 0, 0, occurrence=occurrence)
        assert spool.rounds == 3
        first = [line.row for batch in spool.batches(0, 2) for line in batch]
        assert first == [1, 2, 4]
        assert [[line.row for line in b] for b in spool.batches(0, 2)] == [[1, 2], [4]]
        assert [line.row for b in spool.batches(1, 100) for line in b] == [3]
        assert [line.row for b in spool.batches(2, 100) for line in b] == [5]
        assert next(iter(spool.batches(0, 100)))[0].ident == "x"
    finally:
        spool.close()


def test_spool_gives_back_exact_payloads_and_identifiers():
    """Identifiers with tabs, quotes, accents or a lone surrogate, payloads of any bytes."""
    idents = ["plain", "tab\there", 'quote"back\\slash', "café-ü", "lone\udc80", "x" * 255]
    spool = Spool()
    try:
        sent = []
        for row, ident in enumerate(idents * 40, start=1):
            occurrence = spool.ids.occurrence(row, ident)
            payload = f"{row}:{ident}".encode("utf-8", "surrogatepass")
            payload += b"\n\t\x00\xff" * (row % 3)
            spool.add(row, ident, payload, row % 7, row % 8, occurrence=occurrence)
            sent.append((row, ident, payload, row % 7, row % 8, occurrence))
        for round_no in range(spool.rounds):
            expected = [s[:5] for s in sent if s[5] == round_no]
            got = [(line.row, line.ident, line.payload, line.values, line.flags)
                   for batch in spool.batches(round_no, 7) for line in batch]
            assert got == expected
            assert all(len(b) <= 7 for b in spool.batches(round_no, 7))
        assert spool.rounds == 40
    finally:
        spool.close()
