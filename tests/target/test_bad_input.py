"""A corpus of bad input: each case ends in a specific reason in the report, no row is lost.

All cases go in one job, between good rows, pushed once to one sandbox PIM; each case is then
checked on its own. The push runs as Meltano runs it (tap-sdm-job | target-akeneo).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from akeneo_sandbox import Sandbox

from tests.conftest import demo_catalog
from tests.target.conftest import (
    Workspace,
    client_for,
    demo_project,
    product,
    run_target,
    tap_output,
    value,
)

BIG = "x" * (2 * 1024 * 1024)

# (case id, row, expected): expected is ("failed", reason part), ("skipped", field, reason part),
# ("warning", reason part) or ("ok", None) for lines that must be tolerated.
CASES: list[tuple[str, Any, tuple[Any, ...]]] = [
    ("malformed_json", b'{"sku": "BAD-1", "name-en_US": ', ("failed", "is not valid JSON")),
    ("not_an_object", b'["BAD-2"]', ("failed", "is not a JSON object (got list)")),
    ("wrong_encoding", '{"sku": "BAD-3", "name-en_US": "caf\u00e9"}'.encode("latin-1"),
     ("failed", "is not valid UTF-8")),
    ("unknown_type", {"_type": "bundle", "sku": "BAD-4"}, ("failed", "unknown _type 'bundle'")),
    ("nan_number", b'{"sku": "BAD-5", "bulb_count": NaN}', ("failed", "NaN is not a JSON value")),
    ("missing_identifier", {"name-en_US": "no sku"},
     ("failed", "missing identifier (field 'sku')")),
    ("empty_identifier", {"sku": "  ", "family": "mugs"}, ("failed", "missing identifier")),
    ("long_identifier", {"sku": "L" * 300, "family": "mugs"}, ("failed", "identifier too long")),
    ("unknown_family", {"sku": "BAD-9", "family": "spaceships"},
     ("failed", "unknown family 'spaceships'")),
    ("unknown_parent", {"sku": "BAD-10", "parent": "ghost_model"},
     ("failed", "unknown parent product model 'ghost_model'")),
    ("model_without_code", {"_type": "product_model", "family_variant": "lamps_by_color"},
     ("failed", "missing product model code (field 'code')")),
    ("unknown_family_variant", {"_type": "product_model", "code": "m_bad",
                                "family_variant": "nope_variant"},
     ("failed", "unknown family variant 'nope_variant'")),
    ("text_in_number", {"sku": "KH-CND-001", "burn_time_hours": "forty"},
     ("skipped", "burn_time_hours", "not a number: \"forty\"")),
    ("decimal_in_integer", {"sku": "KH-CND-002", "burn_time_hours": "40.5"},
     ("skipped", "burn_time_hours", "not an integer")),
    ("comma_decimal", {"sku": "KH-PLT-001", "discount_rate": "0,5"},
     ("skipped", "discount_rate", "use . as the decimal separator")),
    ("over_long_text", {"sku": "KH-PLT-002", "name-en_US": "n" * 121},
     ("skipped", "name-en_US", "too long: 121 characters (at most 120)")),
    ("unknown_option", {"sku": "KH-PLT-003", "energy_class": "z"},
     ("skipped", "energy_class", "unknown option 'z' for attribute energy_class")),
    ("bad_boolean", {"sku": "KH-CND-003", "dishwasher_safe": "perhaps"},
     ("skipped", "dishwasher_safe", "not a boolean")),
    ("bad_date", {"sku": "KH-CND-004", "release_date": "2026-13-45"},
     ("skipped", "release_date", "not a date")),
    ("unknown_unit", {"sku": "KH-MUG-004", "weight": "2", "weight-unit": "STONE"},
     ("skipped", "weight", "unknown unit 'STONE'")),
    ("price_without_currency", {"sku": "KH-MUG-005", "sale_price-ecommerce": "9.99"},
     ("skipped", "sale_price-ecommerce", "no currency given")),
    ("dotdot_media_path", {"sku": "KH-MUG-006", "image": "../../../../etc/passwd"},
     ("skipped", "image", "path leaves the job folder")),
    ("absolute_media_path", {"sku": "KH-MUG-007", "image": "/etc/passwd"},
     ("skipped", "image", "absolute path refused")),
    ("symlink_out_media", {"sku": "KH-MUG-008", "safety_sheet": "assets/link-out.pdf"},
     ("skipped", "safety_sheet", "a link points outside")),
    ("missing_media_file", {"sku": "KH-PLT-004", "safety_sheet": "assets/nope.pdf"},
     ("skipped", "safety_sheet", "file not found")),
    ("unknown_category", {"sku": "KH-PLT-005", "categories": "nowhere"},
     ("skipped", "categories", "unknown category 'nowhere'")),
    ("bad_table_column", {"sku": "KH-BWL-001", "composition": [{"colour": "red"}]},
     ("skipped", "composition", "unknown column 'colour'")),
    ("list_for_single_select", {"sku": "KH-CND-005", "shipping_class": {"a": 1}},
     ("skipped", "shipping_class", "expected an option code")),
    ("two_mb_line", {"sku": "KH-CND-006", "description-ecommerce-en_US": BIG,
                     "name-en_US": "kept despite a 2 MB line"},
     ("skipped", "description-ecommerce-en_US", "too long: 2097152 characters")),
    ("duplicate_identifier", {"sku": "KH-MUG-001", "name-en_US": "dup"},
     ("warning", "same identifier 'KH-MUG-001' as row")),
    ("pim_refusal", {"sku": "KH-MUG-002", "ean": "12AB"}, ("failed", "")),
    ("blank_line", b"   ", ("ok", None)),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("corpus")
    workspace = Workspace(root / "ws", demo_project())
    outside = root / "secret.pdf"
    outside.write_bytes(b"outside the job folder")
    lines: list[Any] = [b"\xef\xbb\xbf" + json.dumps({"sku": "KH-MUG-001",
                                                         "name-en_US": "first"}).encode()]
    rows: dict[str, int] = {}
    for case_id, row, _ in CASES:
        rows[case_id] = len(lines) + 1
        lines.append(row)
        lines.append({"sku": f"GOOD-{case_id}", "family": "mugs", "name-en_US": case_id})
    folder = workspace.job("corpus", b"\r\n".join(
        x if isinstance(x, bytes) else json.dumps(x).encode() for x in lines) + b"\r\n")
    (folder / "assets").mkdir()
    os.symlink(outside, folder / "assets" / "link-out.pdf")
    with Sandbox(catalog=demo_catalog()) as pim:
        config = {**pim.config(), "workspace": str(workspace.root), "job_id": "corpus"}
        run_target(config, tap_output(workspace, "corpus"))
        report = workspace.report("corpus")
        with client_for(pim) as api:
            goods = {case_id: product(api, f"GOOD-{case_id}") for case_id, _, _ in CASES}
            candle = product(api, "KH-CND-006")
        yield {"report": report, "rows": rows, "goods": goods, "candle": candle,
               "total": len(lines)}


def test_every_row_accounted_for(corpus):
    counts = corpus["report"]["counts"]
    assert counts["rows"] == corpus["total"] - 1  # the blank line is not a row
    assert counts["created"] + counts["updated"] + counts["failed"] == counts["rows"]
    assert all(corpus["goods"].values()), "a good row was lost"
    assert value(corpus["candle"], "name", locale="en_US") == "kept despite a 2 MB line"


@pytest.mark.parametrize(("case_id", "row", "expected"), CASES, ids=[c[0] for c in CASES])
def test_case(corpus, case_id, row, expected):
    report, line = corpus["report"], corpus["rows"][case_id]
    failures = {f["row"]: f for f in report["failures"]}
    kind = expected[0]
    if kind == "failed":
        assert line in failures, f"row {line} did not fail"
        messages = " | ".join(e["message"] or "" for e in failures[line]["errors"])
        assert expected[1] in messages
        if expected[1] == "":  # refused by the PIM itself: its status and its message
            assert failures[line]["status"] == 422 and messages.strip(" |")
    elif kind == "skipped":
        assert line not in failures, failures.get(line)
        reasons = [s["reason"] for s in report["skipped_values"]
                   if s["row"] == line and s["field"] == expected[1]]
        assert reasons and expected[2] in reasons[0], reasons
    elif kind == "warning":
        assert line not in failures
        assert any(w["row"] == line and expected[1] in w["message"] for w in report["warnings"])
    else:
        assert line not in failures
    assert corpus["goods"][case_id] is not None
