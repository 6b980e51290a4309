"""A failed read or a refused model costs only what depended on it (contract §7).

The PIM is the sandbox; reads are made to fail by a small forwarding server on 127.0.0.1 in
front of it that answers chosen requests with Akeneo's 500 body instead of passing them on, so
each test fails exactly the read it is about. Every test reads the PIM back afterwards.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.target.conftest import client_for, product, run_target, tap_output, value
from tests.target.fault_proxy import push_via

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PNG_B = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
MODELS = "/api/rest/v1/product-models"


def skips(report: dict[str, Any]) -> dict[tuple[int, str], str]:
    return {(s["row"], s["field"]): s["reason"] for s in report["skipped_values"]}


def prices(item: dict[str, Any] | None, attribute: str = "price") -> dict[str, float]:
    assert item is not None
    return {p["currency"]: float(p["amount"]) for p in value(item, attribute) or []}


def no_stop(report: dict[str, Any]) -> None:
    assert not [w for w in report["warnings"] if "push stopped" in w["message"]], report


# -- 1. failed reads ---------------------------------------------------------------------------


def test_failed_product_price_read_leaves_out_only_those_prices(pim, workspace, faulty, api):
    before = prices(product(api, "KH-MUG-001"))
    assert len(before) >= 2  # a lone currency sent now would erase the others
    workspace.job("j", [
        {"sku": "KH-MUG-001", "name-en_US": "Mug one renamed", "price": "99",
         "price-currency": "EUR"},
        {"sku": "KH-MUG-002", "name-en_US": "Mug two renamed"},
        {"sku": "NEW-PRICED", "family": "mugs", "name-en_US": "New", "price": "5",
         "price-currency": "USD"},
    ])
    proxy = faulty(lambda m, p: m == "GET" and p.startswith("/api/rest/v1/products?")
                   and "search=" in p)
    report = push_via(proxy, pim, workspace)
    assert proxy.injected, proxy.seen  # the price read did fail
    no_stop(report)
    assert report["counts"]["failed"] == 0, report["failures"]
    assert report["counts"]["updated"] == 2 and report["counts"]["created"] == 1
    reasons = skips(report)
    assert set(reasons) == {(1, "price"), (3, "price")}, reasons
    reason = reasons[(1, "price")]
    assert "could not be read" in reason and "HTTP 500: Internal Server Error" in reason
    assert "search" not in reason and "/api/" not in reason and len(reason) < 300
    mug = product(api, "KH-MUG-001")
    assert value(mug, "name", locale="en_US") == "Mug one renamed"
    assert prices(mug) == before  # untouched: no currency erased
    assert value(product(api, "KH-MUG-002"), "name", locale="en_US") == "Mug two renamed"
    new = product(api, "NEW-PRICED")
    assert value(new, "name", locale="en_US") == "New" and value(new, "price") is None


def test_failed_model_price_read_leaves_out_only_the_model_prices(pim, workspace, faulty, api):
    root = api.get_json(f"{MODELS}/tee_organic")
    before = prices(root)
    workspace.job("j", [
        {"sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white", "price": "29",
         "price-currency": "GBP", "name-en_US": "Root name via S"},
        {"sku": "KH-MUG-002", "name-en_US": "Mug two renamed"},
    ])
    reads = []

    def rule(method: str, path: str) -> bool:
        # The first read of the model tells the push where it sits; the next one, just
        # before its write, reads its prices: that one fails.
        if method == "GET" and path == f"{MODELS}/tee_organic":
            reads.append(path)
            return len(reads) >= 2
        return False

    proxy = faulty(rule)
    report = push_via(proxy, pim, workspace)
    assert proxy.injected, proxy.seen
    no_stop(report)
    assert report["counts"]["failed"] == 0, report["failures"]
    reasons = skips(report)
    assert set(reasons) == {(1, "price")}, reasons
    assert "product model's current prices could not be read (HTTP 500" in reasons[(1, "price")]
    after = api.get_json(f"{MODELS}/tee_organic")
    assert prices(after) == before
    assert value(after, "name", locale="en_US") == "Root name via S"
    assert value(product(api, "KH-MUG-002"), "name", locale="en_US") == "Mug two renamed"


def test_failed_option_lookup_leaves_out_only_that_value(pim, workspace, faulty, api):
    workspace.job("j", [
        {"sku": "KH-MUG-001", "name-en_US": "Renamed", "main_color": "zz_unlisted"},
        {"sku": "KH-MUG-002", "name-en_US": "Also renamed"},
    ])
    proxy = faulty(lambda m, p: m == "GET" and p.startswith("/api/rest/v1/attributes/main_color/"
                                                            "options/"))
    report = push_via(proxy, pim, workspace)
    assert proxy.injected, proxy.seen
    no_stop(report)
    assert report["counts"]["failed"] == 0 and report["counts"]["updated"] == 2
    reason = skips(report)[(1, "main_color")]
    assert "'zz_unlisted'" in reason and "could not be looked up" in reason and "HTTP 500" in reason
    assert value(product(api, "KH-MUG-001"), "name", locale="en_US") == "Renamed"
    assert value(product(api, "KH-MUG-002"), "name", locale="en_US") == "Also renamed"


@pytest.mark.parametrize("failing", ["asset", "family"])
def test_failed_asset_lookup_leaves_out_only_those_assets(pim, workspace, faulty, api, failing):
    workspace.job("j", [
        {"sku": "KH-GIFT-025", "name-en_US": "Gift renamed", "gallery": "assets/front.png"},
        {"sku": "KH-MUG-002", "name-en_US": "Mug renamed"},
    ], files={"assets/front.png": PNG})
    family = "/api/rest/v1/asset-families/packshots"
    if failing == "asset":
        proxy = faulty(lambda m, p: m == "GET" and p.startswith(f"{family}/assets/"))
    else:
        proxy = faulty(lambda m, p: m == "GET" and p == family)
    report = push_via(proxy, pim, workspace)
    assert proxy.injected, proxy.seen
    no_stop(report)
    assert report["counts"]["failed"] == 0 and report["counts"]["updated"] == 2
    reason = skips(report)[(1, "gallery")]
    assert "HTTP 500: Internal Server Error" in reason
    assert ("asset 'front_" if failing == "asset" else "asset family 'packshots'") in reason
    gift = product(api, "KH-GIFT-025")
    assert value(gift, "name", locale="en_US") == "Gift renamed"
    assert all(not code.startswith("front_") for code in value(gift, "gallery") or [])
    assert value(product(api, "KH-MUG-002"), "name", locale="en_US") == "Mug renamed"


def test_injected_5xx_never_fails_a_row_for_another_rows_read(sandbox_factory, workspace):
    pim = sandbox_factory(fault_5xx_every=5)
    rows = [{"sku": f"P5-{i:04d}", "family": "mugs", "name-en_US": f"n{i}", "price": "1",
             "price-currency": "EUR"} for i in range(250)]
    workspace.job("j", rows)
    config = {**pim.config(), "workspace": str(workspace.root), "job_id": "j", "max_retries": 0}
    run_target(config, tap_output(workspace, "j"))
    report = workspace.report("j")
    no_stop(report)
    counts = report["counts"]
    assert counts["rows"] == 250 and counts["created"] + counts["failed"] == 250
    assert counts["created"] > 0
    for failure in report["failures"]:  # only a row's own write fails it
        assert failure["status"] == 500, failure
    pim.set_faults(fault_5xx_every=0)
    with client_for(pim) as api:
        for skipped in report["skipped_values"]:
            assert skipped["field"] == "price" and "could not be read" in skipped["reason"]
            created = product(api, skipped["id"])
            assert created is not None and value(created, "price") is None


# -- 2. refused model line ---------------------------------------------------------------------


def test_model_refused_for_one_value_keeps_the_other_rows_values(pim, workspace, api):
    workspace.job("j", [
        {"sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white",
         "variation_name-en_US": "Snow white NEW"},
        {"sku": "KH-TEE-WHITE-M", "parent": "tee_organic_white", "main_color": "black"},
        {"sku": "KH-TEE-WHITE-L", "parent": "tee_organic_white", "main_color": "black"},
    ])
    config = {**pim.config(), "workspace": str(workspace.root), "job_id": "j"}
    run_target(config, tap_output(workspace, "j"))
    report = workspace.report("j")
    assert report["counts"]["failed"] == 0, report["failures"]
    reasons = skips(report)
    assert set(reasons) == {(2, "main_color"), (3, "main_color")}, reasons
    for reason in reasons.values():
        assert "Variant axis \"main_color\" cannot be modified" in reason
        assert "'tee_organic_white'" in reason
    sub = api.get_json(f"{MODELS}/tee_organic_white")
    assert value(sub, "variation_name", locale="en_US") == "Snow white NEW"
    assert value(sub, "main_color") == "white"


def test_model_refused_again_fails_as_before(pim, workspace, faulty, api):
    workspace.job("j", [
        {"sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white",
         "variation_name-en_US": "Snow white NEW"},
        {"sku": "KH-TEE-WHITE-M", "parent": "tee_organic_white", "main_color": "black"},
    ])
    patches = []

    def rule(method: str, path: str) -> bool:  # the second model write (the resend) fails
        if method == "PATCH" and path == MODELS:
            patches.append(path)
            return len(patches) == 2
        return False

    proxy = faulty(rule)
    report = push_via(proxy, pim, workspace)
    assert len(proxy.injected) == 1, proxy.seen
    reasons = [(s["row"], s["field"], s["reason"]) for s in report["skipped_values"]]
    assert len(reasons) == 2, reasons  # each value once, as before this change
    for _, _, reason in reasons:
        assert reason.startswith("routed to product model 'tee_organic_white', which the PIM")
        assert "Variant axis" in reason and "Internal Server Error" in reason
    sub = api.get_json(f"{MODELS}/tee_organic_white")
    assert value(sub, "variation_name", locale="en_US") != "Snow white NEW"
    assert value(sub, "main_color") == "white"


def test_model_refused_for_nothing_usable_is_not_sent_again(pim, workspace, api):
    workspace.job("j", [
        {"_type": "product_model", "code": "tee_organic_white", "parent": "lamp_arc",
         "family_variant": "tshirts_color_size", "variation_name-en_US": "Snow white NEW"},
        {"sku": "KH-TEE-WHITE-M", "parent": "tee_organic_white", "main_color": "black"},
    ])
    config = {**pim.config(), "workspace": str(workspace.root), "job_id": "j"}
    pim.reset_stats()
    run_target(config, tap_output(workspace, "j"))
    report = workspace.report("j")
    assert [f["row"] for f in report["failures"]] == [1], report["failures"]
    assert report["failures"][0]["errors"][0]["attribute"] == "parent"
    writes = [e for e in pim.request_log() if e["method"] == "PATCH" and e["path"] == MODELS]
    assert len(writes) == 1
    assert value(api.get_json(f"{MODELS}/tee_organic_white"), "variation_name",
                 locale="en_US") != "Snow white NEW"


# -- 3. duplicate rows' media -----------------------------------------------------------------


def test_only_the_last_rows_media_file_is_uploaded(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-MUG-001", "image": "a/first.png"},
        {"sku": "KH-MUG-002", "name-en_US": "x"},
        {"sku": "KH-MUG-001", "image": "a/second.png"},
        {"sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white", "variation_image": "a/first.png"},
        {"sku": "KH-TEE-WHITE-M", "parent": "tee_organic_white",
         "variation_image": "a/second.png"},
    ], files={"a/first.png": PNG, "a/second.png": PNG_B})
    pim.reset_stats()
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert report["counts"]["media_uploaded"] == 2
    uploads = [e for e in pim.request_log()
               if e["method"] == "POST" and e["path"] == "/api/rest/v1/media-files"]
    assert len(uploads) == 2
    reasons = skips(report)
    assert reasons[(1, "image")] == (
        "not uploaded: superseded by row 3, a later file for the same product value")
    assert reasons[(4, "variation_image")] == (
        "not uploaded: superseded by row 5, a later file for the same product model value")
    assert value(product(api, "KH-MUG-001"), "image").endswith("second.png")
    sub = api.get_json(f"{MODELS}/tee_organic_white")
    assert value(sub, "variation_image").endswith("second.png")
