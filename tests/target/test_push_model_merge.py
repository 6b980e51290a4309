"""Values a product model gets from several rows (contract §7, target-akeneo README).

Its own row wins, else the later descendant row. A row brings one amount and currency,
so prices are merged per currency (and then with the PIM's prices) instead of one row's
price list replacing another's; media follow the same precedence as values. Every test runs
a real push against the sandbox and reads the PIM back. In the demo catalog tee_organic
(root model of family variant tshirts_color_size) owns ``price`` and ``image`` and starts with
prices EUR 29.00 and GBP 25.00; tee_organic_navy and tee_organic_white are its sub models.
"""

from __future__ import annotations

from typing import Any

from tests.target.conftest import value

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PNG_B = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
MODELS = "/api/rest/v1/product-models"


def prices(api: Any, code: str) -> dict[str, float]:
    """A model's prices read back from the PIM: currency -> amount."""
    found = value(api.get_json(f"{MODELS}/{code}"), "price") or []
    return {p["currency"]: float(p["amount"]) for p in found}


def skips(report: dict[str, Any]) -> dict[tuple[int, str], str]:
    return {(s["row"], s["field"]): s["reason"] for s in report["skipped_values"]}


def test_prices_of_two_variant_rows_merge_per_currency(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-TEE-NAVY-L", "parent": "tee_organic_navy", "price": "40",
         "price-currency": "USD"},
        {"sku": "KH-TEE-NAVY-M", "parent": "tee_organic_navy", "price": "41",
         "price-currency": "CHF"},
    ])
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert prices(api, "tee_organic") == {"EUR": 29, "GBP": 25, "USD": 40, "CHF": 41}
    assert report["skipped_values"] == []
    assert not [w for w in report["warnings"] if "price" in w["message"]]


def test_same_currency_from_two_descendant_rows_the_later_row_wins(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-TEE-NAVY-L", "parent": "tee_organic_navy", "price": "40",
         "price-currency": "USD"},
        {"sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white", "price": "41",
         "price-currency": "CHF"},
        {"sku": "KH-TEE-NAVY-M", "parent": "tee_organic_navy", "price": "42",
         "price-currency": "USD"},
        {"sku": "KH-TEE-WHITE-M", "parent": "tee_organic_white", "price": "41",
         "price-currency": "CHF"},
    ])
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert prices(api, "tee_organic") == {"EUR": 29, "GBP": 25, "USD": 42, "CHF": 41}
    # Only the currency really overridden is reported; an equal CHF is no conflict.
    assert skips(report) == {
        (1, "price"): "product model 'tee_organic' takes its USD price from the later row 3"}
    warnings = [w for w in report["warnings"] if "price" in w["message"]]
    assert [w["row"] for w in warnings] == [3]
    assert "USD price from row 1" in warnings[0]["message"]


def test_model_own_row_price_merges_with_a_child_rows_other_currency(pim, workspace, push, api):
    workspace.job("j", [
        {"_type": "product_model", "code": "tee_organic", "price": "30",
         "price-currency": "EUR"},
        {"sku": "KH-TEE-NAVY-L", "parent": "tee_organic_navy", "price": "40",
         "price-currency": "USD"},
    ])
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert prices(api, "tee_organic") == {"EUR": 30, "GBP": 25, "USD": 40}
    assert report["skipped_values"] == []


def test_model_own_row_wins_per_currency_over_a_child_row(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-TEE-NAVY-L", "parent": "tee_organic_navy", "price": "40",
         "price-currency": "USD"},
        {"sku": "KH-TEE-NAVY-M", "parent": "tee_organic_navy", "price": "31",
         "price-currency": "EUR"},
        {"_type": "product_model", "code": "tee_organic", "price": "30",
         "price-currency": "EUR"},
    ])
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert prices(api, "tee_organic") == {"EUR": 30, "GBP": 25, "USD": 40}
    assert skips(report) == {(2, "price"): (
        "product model 'tee_organic' row 3 sets a different EUR price; "
        "the model's own row wins")}
    assert {s["id"] for s in report["skipped_values"]} == {"KH-TEE-NAVY-M"}


def test_two_own_rows_of_one_model_merge_prices_per_currency(pim, workspace, push, api):
    workspace.job("j", [
        {"_type": "product_model", "code": "tee_organic", "price": "30",
         "price-currency": "EUR"},
        {"_type": "product_model", "code": "tee_organic", "price": "35",
         "price-currency": "USD"},
    ])
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert prices(api, "tee_organic") == {"EUR": 30, "GBP": 25, "USD": 35}


def test_model_media_own_row_wins_over_a_later_child_row(pim, workspace, push, api):
    workspace.job("j", [
        {"_type": "product_model", "code": "tee_organic", "name-en_US": "Tee (own row)",
         "image": "assets/m.png"},
        {"sku": "KH-TEE-NAVY-L", "parent": "tee_organic_navy", "name-en_US": "Tee (child)",
         "image": "assets/p.png"},
    ], files={"assets/m.png": PNG, "assets/p.png": PNG_B})
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert report["counts"]["media_uploaded"] == 1
    tee = api.get_json(f"{MODELS}/tee_organic")
    assert value(tee, "name", locale="en_US") == "Tee (own row)"
    assert value(tee, "image").endswith("m.png")
    reasons = skips(report)
    assert reasons[(2, "image")] == (
        "not uploaded: superseded by row 1, the product model 'tee_organic''s own row, "
        "whose file wins")
    assert {s["id"] for s in report["skipped_values"] if s["field"] == "image"} == {
        "KH-TEE-NAVY-L"}


def test_model_media_between_child_rows_the_later_row_wins(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-TEE-NAVY-M", "parent": "tee_organic_navy", "image": "assets/m.png"},
        {"sku": "KH-TEE-WHITE-S", "parent": "tee_organic_white", "image": "assets/p.png"},
    ], files={"assets/m.png": PNG, "assets/p.png": PNG_B})
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert value(api.get_json(f"{MODELS}/tee_organic"), "image").endswith("p.png")
    assert skips(report)[(1, "image")] == (
        "not uploaded: superseded by row 2, a later file for the same product model value")


def test_media_upload_failure_keeps_akeneos_reason(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-MUG-001", "name-en_US": "Mug, renamed", "image": "assets/pic.gif"},
    ], files={"assets/pic.gif": b"GIF89a" + b"\x00" * 32})
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    reason = skips(report)[(1, "image")]
    assert reason.startswith("media upload failed: ")
    assert "extension" in reason  # Akeneo's errors message, not its bare "Validation failed."
    assert reason != "media upload failed: Validation failed."
    mug = api.get_json("/api/rest/v1/products/KH-MUG-001")
    assert value(mug, "name", locale="en_US") == "Mug, renamed"


def test_a_refused_merged_price_is_reported_against_every_row_that_gave_it(pim, workspace,
                                                                           push, api):
    """JPY is not activated: Akeneo refuses the model's whole price value, so every row that
    gave a currency of it is told (not only the row whose entry won last)."""
    workspace.job("j", [
        {"sku": "KH-TEE-NAVY-L", "parent": "tee_organic_navy", "price": "40",
         "price-currency": "USD"},
        {"sku": "KH-TEE-NAVY-M", "parent": "tee_organic_navy", "price": "41",
         "price-currency": "JPY"},
    ])
    report = push(pim, "j")
    refused = {row for (row, field) in skips(report) if field == "price"}
    assert refused == {1, 2}  # the sandbox, like Akeneo, refuses a currency not activated
    assert prices(api, "tee_organic") == {"EUR": 29, "GBP": 25}  # the PIM's prices unchanged
