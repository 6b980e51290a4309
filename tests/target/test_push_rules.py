"""Push rules of contract §7: duplicates, new options, PIM refusals, batches, order, dry run."""

from __future__ import annotations

import json

import pytest

from tests.target.conftest import client_for, product, value

OPTIONS = "/api/rest/v1/attributes/{}/options/{}"


def test_duplicate_rows_applied_in_file_order(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-MUG-001", "name-en_US": "first", "bulb_count": 1},
        {"sku": "KH-MUG-002", "name-en_US": "other"},
        {"sku": "KH-MUG-001", "name-en_US": "second", "burn_time_hours": 2},
        {"sku": "KH-MUG-001", "name-en_US": ""},
    ])
    report = push(pim, "j")
    assert report["counts"]["updated"] == 4, report["failures"]
    mug = product(api, "KH-MUG-001")
    assert value(mug, "name", locale="en_US") == "second"  # later non-empty value wins
    assert value(mug, "bulb_count") == 1 and value(mug, "burn_time_hours") == 2
    assert report["warnings"] == [
        {"row": 3, "message": "same identifier 'KH-MUG-001' as row 1; later values win"},
        {"row": 4, "message": "same identifier 'KH-MUG-001' as row 3; later values win"},
    ]


def test_options_created_only_where_allowed(pim, workspace, push, api):
    assert api.get_json_or_none(OPTIONS.format("collection", "winter_2027")) is None
    workspace.job("j", [
        {"sku": "KH-MUG-001", "collection": "winter_2027", "style_tags": "boho;rustic;coastal",
         "main_color": "mauve"},
        {"sku": "KH-MUG-002", "collection": "winter_2027", "style_tags": ["coastal"]},
        {"sku": "KH-MUG-003", "collection": "Winter 2027!"},
    ])
    pim.reset_stats()
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert report["counts"]["options_created"] == 3  # winter_2027, boho, coastal
    assert api.get_json_or_none(OPTIONS.format("collection", "winter_2027")) is not None
    assert api.get_json_or_none(OPTIONS.format("style_tags", "coastal")) is not None
    assert api.get_json_or_none(OPTIONS.format("main_color", "mauve")) is None
    mug = product(api, "KH-MUG-001")
    assert value(mug, "collection") == "winter_2027"
    assert value(mug, "style_tags") == ["boho", "rustic", "coastal"]
    assert value(mug, "main_color") == "navy"  # not allowed: left as it was
    reasons = {(s["row"], s["field"]): s["reason"] for s in report["skipped_values"]}
    assert reasons == {
        (1, "main_color"): "unknown option 'mauve' for attribute main_color "
                           "(not in allow_new_options)",
        (3, "collection"): "unknown option 'Winter 2027!' (not a valid code, so it cannot "
                           "be created)",
    }
    # one batch upsert per attribute, before any product write
    log = [(e["method"], e["path"]) for e in pim.request_log() if e["method"] != "GET"]
    option_writes = [p for m, p in log if "/options" in p]
    assert sorted(option_writes) == ["/api/rest/v1/attributes/collection/options",
                                     "/api/rest/v1/attributes/style_tags/options"]
    assert log.index(("PATCH", "/api/rest/v1/products")) > max(
        log.index(("PATCH", p)) for p in option_writes)


def test_option_added_in_pim_after_sync_is_used(pim, workspace, push, api):
    api.request("PATCH", OPTIONS.format("main_color", "mauve"),
                json={"code": "mauve", "labels": {"en_US": "Mauve"}})
    workspace.job("j", [{"sku": "KH-MUG-001", "main_color": "mauve"}])
    report = push(pim, "j")
    assert report["skipped_values"] == [] and report["counts"]["options_created"] == 0
    assert value(product(api, "KH-MUG-001"), "main_color") == "mauve"


def test_pim_refusal_fails_the_row_only(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-MUG-001", "ean": "not-an-ean"},
        {"sku": "KH-MUG-002", "name-en_US": "landed"},
        {"sku": "NEW-NO-FAMILY-PARENT", "parent": "lamp_arc", "family": "mugs"},
    ])
    report = push(pim, "j")
    failures = {f["row"]: f for f in report["failures"]}
    assert set(failures) == {1, 3}
    assert failures[1]["status"] == 422 and failures[1]["id"] == "KH-MUG-001"
    assert failures[1]["errors"] and all(e["message"] for e in failures[1]["errors"])
    assert report["counts"]["updated"] == 1
    assert value(product(api, "KH-MUG-002"), "name", locale="en_US") == "landed"


def test_batches_of_100_and_concurrency(pim, workspace, push, api):
    rows = [{"sku": f"BULK-{i:04d}", "family": "mugs", "name-en_US": f"Bulk {i}"}
            for i in range(250)]
    workspace.job("j", rows)
    pim.reset_stats()
    report = push(pim, "j", max_concurrency=2)
    assert report["counts"]["created"] == 250, report["failures"][:3]
    writes = [e for e in pim.request_log() if e["method"] == "PATCH"]
    assert sorted(e.get("lines") for e in writes) == [50, 100, 100]
    assert product(api, "BULK-0249")["family"] == "mugs"


def test_small_batch_size_setting(pim, workspace, push):
    workspace.job("j", [{"sku": f"B-{i}", "family": "mugs"} for i in range(7)])
    pim.reset_stats()
    report = push(pim, "j", batch_size=3)
    assert report["counts"]["created"] == 7
    writes = [e for e in pim.request_log() if e["method"] == "PATCH"]
    assert sorted(e.get("lines") for e in writes) == [1, 3, 3]


def test_retries_on_429_5xx_and_dropped_connections(sandbox_factory, workspace, push):
    pim = sandbox_factory(fault_429_every=4, fault_5xx_every=6, fault_drop_every=9)
    workspace.job("j", [{"sku": f"R-{i:03d}", "family": "mugs"} for i in range(320)])
    report = push(pim, "j", max_retries=8)
    assert report["counts"]["created"] == 320, report["failures"][:3]
    statuses = {str(s) for s in pim.stats()["by_status"]}
    assert {"429", "500", "dropped"} <= statuses  # each fault happened and was retried


def test_dry_run_changes_nothing(pim, workspace, push, api):
    before = product(api, "KH-MUG-001")
    workspace.job("j", [
        {"sku": "KH-MUG-001", "name-en_US": "dry", "collection": "winter_2027",
         "price": "1", "price-currency": "EUR"},
        {"sku": "DRY-NEW", "family": "mugs"},
        {"sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white", "name-en_US": "dry tee"},
    ])
    pim.reset_stats()
    report = push(pim, "j", dry_run=True)
    assert report["dry_run"] is True
    assert report["counts"]["created"] == 1 and report["counts"]["updated"] == 2
    assert report["counts"]["options_created"] == 1
    assert {e["method"] for e in pim.request_log()} <= {"GET", "POST"}
    assert all(e["path"] == "/api/oauth/v1/token" for e in pim.request_log()
               if e["method"] == "POST")
    assert product(api, "KH-MUG-001") == before
    assert product(api, "DRY-NEW") is None
    folder = workspace.root / "jobs" / "j" / "dry-run"
    files = sorted(p.name for p in folder.iterdir())
    assert [f.split("-", 1)[1] for f in files] == [
        "options-collection.ndjson", "product-models-level0.ndjson", "products.ndjson"]
    lines = [json.loads(x) for x in (folder / files[-1]).read_text().splitlines()]
    assert [x["identifier"] for x in lines] == ["KH-MUG-001", "DRY-NEW", "KH-TEE-WHITE-S"]
    prices = {p["currency"] for p in lines[0]["values"]["price"][0]["data"]}
    assert prices == {"EUR", "USD"}  # merged with the PIM's prices, as it would be sent
    root = json.loads((folder / files[1]).read_text())
    assert root["code"] == "tee_organic" and "name" in root["values"]


def test_row_errors_and_generic_streams(pim, workspace, push, api):
    workspace.job("j", [
        b"{not json",
        {"sku": "KH-MUG-001", "name-en_US": "after a broken line"},
    ])
    report = push(pim, "j")
    assert report["counts"]["rows"] == 2 and report["counts"]["failed"] == 1
    [failure] = report["failures"]
    assert failure["row"] == 1 and "not valid JSON" in failure["errors"][0]["message"]
    assert value(product(api, "KH-MUG-001"), "name", locale="en_US") == "after a broken line"


def test_secrets_never_in_report_or_logs(sandbox_factory, workspace, push, caplog):
    pim = sandbox_factory(client_secret="S3cr3t-client-XYZ", password="P4ss-word-XYZ")
    workspace.job("j", [{"sku": "KH-MUG-001", "name-en_US": "x"}, b"{broken"])
    caplog.set_level("DEBUG")
    report = push(pim, "j")
    assert report["counts"]["updated"] == 1
    text = json.dumps(report) + caplog.text
    assert "S3cr3t-client-XYZ" not in text and "P4ss-word-XYZ" not in text


def test_expired_token_is_refreshed(sandbox_factory, workspace, push):
    pim = sandbox_factory(token_ttl=1, latency_ms=300)
    workspace.job("j", [{"sku": f"T-{i:03d}", "family": "mugs"} for i in range(600)])
    report = push(pim, "j", max_concurrency=1)
    assert report["counts"]["created"] == 600, report["failures"][:3]
    auth = pim.stats()["auth"]
    assert auth["password"] + auth.get("refresh_token", 0) >= 2


def test_option_writes_stay_under_the_rate_limit(sandbox_factory, workspace, push):
    pim = sandbox_factory(option_rate_limit=3)
    workspace.job("j", [
        {"sku": f"KH-MUG-00{i}", "collection": f"c_{i}", "style_tags": f"t_{i}",
         "room": f"r_{i}", "certifications": f"x_{i}"} for i in range(1, 4)
    ])
    report = push(pim, "j")
    assert report["skipped_values"] == []
    assert report["counts"]["options_created"] == 12
    statuses = {str(s) for s in pim.stats()["by_status"]}
    assert "429" not in statuses
    option_writes = [e for e in pim.request_log()
                     if e["method"] == "PATCH" and e["path"].endswith("/options")]
    assert len(option_writes) == 4
    with client_for(pim) as api:
        assert value(product(api, "KH-MUG-002"), "room") == ["r_2"]


def test_bad_credentials_stop_the_push_with_a_report(pim, workspace, caplog):
    from tests.target.conftest import run_target, tap_output

    workspace.job("j", [{"sku": "KH-MUG-001", "name-en_US": "never sent"}])
    config = {**pim.config(), "password": "wrong-password-123", "workspace": str(workspace.root),
              "job_id": "j"}
    with pytest.raises(SystemExit) as stop:
        run_target(config, tap_output(workspace, "j"))
    assert stop.value.code == 1
    report = workspace.report("j")
    assert report["counts"]["failed"] == 1
    assert "authentication failed" in report["failures"][0]["errors"][0]["message"]
    assert "wrong-password-123" not in json.dumps(report) + caplog.text
    assert "Traceback" not in caplog.text


def test_progress_and_summary_logged(pim, workspace, push, caplog):
    workspace.job("j", [{"sku": f"P-{i:03d}", "family": "mugs"} for i in range(150)])
    caplog.set_level("INFO")
    push(pim, "j")
    progress = [r.getMessage() for r in caplog.records if "rows/s" in r.getMessage()]
    assert progress and progress[-1].startswith("products: 150/150 rows (")
    assert all("ETA" in line for line in progress)
    summary = [r.getMessage() for r in caplog.records if "finished in" in r.getMessage()]
    assert summary and "150 rows, 150 created, 0 updated, 0 failed" in summary[0]
