"""The compact row store: repeats of an identifier, rounds, and memory that does not grow."""

from __future__ import annotations

from target_akeneo.spool import Identifiers, Line, Spool


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
            spool.add(Line(row, ident, payload, 0, 0), occurrence)
        assert spool.rounds == 3
        first = [line.row for batch in spool.batches(0, 2) for line in batch]
        assert first == [1, 2, 4]
        assert [[line.row for line in b] for b in spool.batches(0, 2)] == [[1, 2], [4]]
        assert [line.row for b in spool.batches(1, 100) for line in b] == [3]
        assert [line.row for b in spool.batches(2, 100) for line in b] == [5]
        assert next(iter(spool.batches(0, 100)))[0].ident == "x"
    finally:
        spool.close()
