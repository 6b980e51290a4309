"""A read of the PIM that fails while the job is read: that row fails with the reason, the
push goes on and writes its report (no traceback); a refused sign-in stops it cleanly."""

from __future__ import annotations

import json
import logging

import pytest
from akeneo_client import client_from_config
from target_akeneo.project import load_project
from target_akeneo.push import Push
from target_akeneo.state import PushSettings

from tests.target.conftest import client_for, product, run_target, tap_output, value


def _push(pim, workspace, job_id: str, **config) -> Push:
    workspace.job(job_id, [])
    client = client_from_config({**pim.config(), "max_retries": 0, **config})
    return Push(PushSettings(workspace.root, job_id), load_project(workspace.root),
                lambda: client, logging.getLogger("test-lookups"))


def test_a_parent_model_that_cannot_be_read_fails_its_row_only(pim, workspace):
    push = _push(pim, workspace, "lookup")
    push._warm.join()  # signed in; from now on every PIM call fails
    pim.set_faults(fault_5xx_every=1)
    push.add("products", {"row": 1, "data": {"sku": "KH-TEE-WHITE-S",
                                             "parent": "tee_organic_white",
                                             "erp_name": "never sent"}})
    pim.set_faults(fault_5xx_every=0)
    push.add("products", {"row": 2, "data": {"sku": "LOOKUP-2", "family": "mugs",
                                             "name-en_US": "Still pushed"}})
    report = push.run()
    assert report["counts"]["created"] == 1 and report["counts"]["failed"] == 1
    (failure,) = report["failures"]
    assert failure["row"] == 1 and failure["id"] == "KH-TEE-WHITE-S"
    message = failure["errors"][0]["message"]
    assert "'tee_organic_white' could not be read from the PIM" in message
    assert "HTTP 500" in message
    with client_for(pim) as api:
        assert value(product(api, "LOOKUP-2"), "name", locale="en_US") == "Still pushed"
        assert value(product(api, "KH-TEE-WHITE-S"), "erp_name") != "never sent"


def test_a_sign_in_refused_during_a_lookup_stops_the_push_with_a_report(pim, workspace, caplog):
    workspace.job("auth", [{"sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white",
                            "erp_name": "never sent"}, {"sku": "KH-MUG-001"}])
    config = {**pim.config(), "password": "wrong-password-456", "workspace": str(workspace.root),
              "job_id": "auth"}
    with pytest.raises(SystemExit) as stop:
        run_target(config, tap_output(workspace, "auth"))
    assert stop.value.code == 1
    report = workspace.report("auth")
    assert report["counts"]["failed"] == 2
    assert all("authentication failed" in f["errors"][0]["message"] for f in report["failures"])
    assert "wrong-password-456" not in json.dumps(report) + caplog.text
    assert "Traceback" not in caplog.text


def test_a_variant_value_outside_its_family_is_left_out_and_the_rest_lands(pim, workspace,
                                                                           push):
    """bulb_count and burn_time_hours belong to candles, not to the t-shirts' family: Akeneo
    would refuse the whole variant product for them (and its model values would be written
    while the row is reported failed)."""
    workspace.job("family", [{"sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white",
                              "bulb_count": "3", "burn_time_hours": "2",
                              "erp_name": "Kept on the variant"}])
    report = push(pim, "family")
    assert report["counts"]["updated"] == 1 and report["failures"] == []
    skipped = {s["field"]: s["reason"] for s in report["skipped_values"]}
    assert set(skipped) == {"bulb_count", "burn_time_hours"}
    assert "is not in family" in skipped["bulb_count"]
    with client_for(pim) as api:
        variant = product(api, "KH-TEE-WHITE-S")
        assert "bulb_count" not in variant["values"]
        assert value(variant, "erp_name") == "Kept on the variant"


def test_a_blank_family_variant_on_a_model_row_is_no_variant(pim, workspace, push, api):
    """"  " is an empty value: the model keeps its family variant (no 422 for "  ")."""
    workspace.job("blank", [{"_type": "product_model", "code": "tee_organic_white",
                             "family_variant": "  ", "parent": " tee_organic ",
                             "variation_name-en_US": "Blank variant kept"}])
    report = push(pim, "blank")
    assert report["counts"]["updated"] == 1, report["failures"]
    model = api.get_json("/api/rest/v1/product-models/tee_organic_white")
    assert model["family_variant"] and model["parent"] == "tee_organic"
    assert value(model, "variation_name", locale="en_US") == "Blank variant kept"


def test_a_dry_run_that_cannot_read_the_pim_fails_those_rows_and_goes_on(pim, workspace):
    workspace.job("dry", [])
    client = client_from_config({**pim.config(), "max_retries": 0})
    push = Push(PushSettings(workspace.root, "dry", dry_run=True),
                load_project(workspace.root), lambda: client, logging.getLogger("test-dry"))
    push.add("product_models", {"row": 1, "data": {"_type": "product_model",
                                                   "code": "tee_organic_white",
                                                   "variation_name-en_US": "Dry"}})
    push.add("products", {"row": 2, "data": {"sku": "DRY-1", "family": "mugs"}})
    push.add("product_models", {"row": 3, "data": {"_type": "product_model", "code": "tee_organic",
                                                   "family_variant": "tshirts_color_size",
                                                   "variation_name-en_US": "Dry root"}})
    push._warm.join()
    pim.set_faults(fault_5xx_every=1)  # every read of the dry run fails
    report = push.run()
    pim.set_faults(fault_5xx_every=0)
    assert report["dry_run"] is True and report["counts"]["failed"] == 3
    model, simple, root = sorted(report["failures"], key=lambda f: f["row"])
    assert "could not be read from the PIM" in model["errors"][0]["message"]
    for failure in (simple, root):  # the reads that tell a creation from an update
        assert "dry run: the PIM could not be read" in failure["errors"][0]["message"]
    assert all("HTTP 500" in f["errors"][0]["message"] for f in (model, simple, root))
    with client_for(pim) as api:
        assert product(api, "DRY-1") is None  # a dry run writes nothing


def test_lines_that_never_reached_the_push_fail_with_the_reason(pim, workspace):
    """tap-sdm-job stopped part-way: the report must not look complete."""
    workspace.job("cut", [{"sku": f"CUT-{i}", "family": "mugs"} for i in range(1, 6)])
    messages = tap_output(workspace, "cut").splitlines(keepends=True)
    records = [i for i, m in enumerate(messages) if '"RECORD"' in m]
    cut = "".join(m for i, m in enumerate(messages) if i not in records[2:])  # rows 3-5 lost
    config = {**pim.config(), "workspace": str(workspace.root), "job_id": "cut"}
    run_target(config, cut)
    report = workspace.report("cut")
    assert report["counts"]["created"] == 2 and report["counts"]["failed"] == 3
    assert sorted(f["row"] for f in report["failures"]) == [3, 4, 5]
    assert all("never reached the push" in f["errors"][0]["message"]
               for f in report["failures"])


def test_a_job_file_that_does_not_exist_is_no_clean_report(pim, workspace):
    workspace.job("real", [{"sku": "REAL-1"}])
    schemas = "".join(m for m in tap_output(workspace, "real").splitlines(keepends=True)
                      if '"SCHEMA"' in m)
    config = {**pim.config(), "workspace": str(workspace.root), "job_id": "missing"}
    (workspace.root / "jobs" / "missing").mkdir(parents=True)
    with pytest.raises(SystemExit) as stop:
        run_target(config, schemas)
    assert stop.value.code == 1
    report = workspace.report("missing")
    assert report["counts"]["rows"] == 0
    assert "not found: no row was read" in report["warnings"][0]["message"]


def test_a_dry_run_counts_as_the_push_does_with_a_repeated_new_product(pim, workspace, push):
    """The second row of a product the job creates is an update, in a dry run as in a push."""
    rows = [{"sku": "DRY-DUP", "family": "mugs", "name-en_US": "first"},
            {"sku": "KH-MUG-001", "name-en_US": "kept"},
            {"sku": "DRY-DUP", "name-en_US": "second"}]
    workspace.job("dup", rows)
    dry = push(pim, "dup", dry_run=True)["counts"]
    real = push(pim, "dup")["counts"]
    assert (dry["created"], dry["updated"]) == (real["created"], real["updated"]) == (1, 2)
