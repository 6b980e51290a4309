"""Media files, assets and reference-entity records (contract §4, §6-§7), against the sandbox."""

from __future__ import annotations

from tests.target.conftest import product, value

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PNG_B = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
PDF = b"%PDF-1.4\n%fake\n"


def posts(pim, path):
    return [e for e in pim.request_log() if e["method"] == "POST" and e["path"] == path]


def test_media_uploaded_after_the_product_exists(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "NEW-IMG", "family": "mugs", "image": "assets/mug.png",
         "user_manual-fr_FR": "docs/manual.pdf"},
        {"sku": "KH-MUG-001", "safety_sheet": "docs/manual.pdf"},
    ], files={"assets/mug.png": PNG, "docs/manual.pdf": PDF})
    pim.reset_stats()
    report = push(pim, "j")
    assert report["counts"]["created"] == 1 and report["counts"]["updated"] == 1
    assert report["counts"]["media_uploaded"] == 3, report["skipped_values"]
    new = product(api, "NEW-IMG")
    assert value(new, "image").endswith("mug.png")
    assert value(new, "user_manual", locale="fr_FR").endswith("manual.pdf")
    assert value(product(api, "KH-MUG-001"), "safety_sheet").endswith("manual.pdf")
    log = [(e["method"], e["path"]) for e in pim.request_log() if e["method"] != "GET"]
    first_upload = log.index(("POST", "/api/rest/v1/media-files"))
    assert log.index(("PATCH", "/api/rest/v1/products")) < first_upload


def test_model_media_goes_to_the_owning_model(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-TEE-WHITE-M", "parent": "tee_organic_white",
         "variation_image": "assets/white.png"},
    ], files={"assets/white.png": PNG})
    report = push(pim, "j")
    assert report["counts"]["media_uploaded"] == 1, report["skipped_values"]
    sub = api.get_json("/api/rest/v1/product-models/tee_organic_white")
    assert value(sub, "variation_image").endswith("white.png")


def test_no_media_for_a_failed_row(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-MUG-001", "ean": "bad-ean", "image": "assets/mug.png"},
    ], files={"assets/mug.png": PNG})
    pim.reset_stats()
    report = push(pim, "j")
    assert report["counts"]["failed"] == 1 and report["counts"]["media_uploaded"] == 0
    assert report["skipped_values"][0]["reason"] == "not uploaded: the product was not written"
    assert posts(pim, "/api/rest/v1/media-files") == []


def test_assets_created_once_per_distinct_file(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-GIFT-025", "gallery": "assets/front.png;assets/back.png"},
        {"sku": "KH-GIFT-050", "gallery": ["assets/front-copy.png"]},
        {"sku": "KH-GIFT-100", "gallery": "assets/front.png"},
    ], files={"assets/front.png": PNG, "assets/back.png": PNG_B,
              "assets/front-copy.png": PNG})
    pim.reset_stats()
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert report["skipped_values"] == []
    assert report["counts"]["assets_created"] == 2
    assert report["counts"]["media_uploaded"] == 2
    assert len(posts(pim, "/api/rest/v1/asset-media-files")) == 2
    first = value(product(api, "KH-GIFT-025"), "gallery")
    second = value(product(api, "KH-GIFT-050"), "gallery")
    assert len(first) == 2 and second == [first[0]]
    assert value(product(api, "KH-GIFT-100"), "gallery") == [first[0]]
    asset = api.get_json(f"/api/rest/v1/asset-families/packshots/assets/{first[0]}")
    assert asset["code"].startswith("front_")  # named after the first file with that content
    assert value(asset, "media").endswith("front.png")  # the family's main media attribute
    # pushing the same files again reuses the assets: nothing uploaded, nothing created
    pim.reset_stats()
    again = push(pim, "j")
    assert again["counts"]["assets_created"] == 0 and again["counts"]["media_uploaded"] == 0
    assert posts(pim, "/api/rest/v1/asset-media-files") == []


def test_reference_entity_records_created_where_allowed(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-MUG-001", "brand": "fjordlight", "partner_brands": "pebble;driftwood"},
        {"sku": "KH-MUG-002", "brand": "driftwood"},
    ])
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    assert report["skipped_values"] == []
    assert report["counts"]["options_created"] == 2
    records = "/api/rest/v1/reference-entities/brand/records/{}"
    assert api.get_json_or_none(records.format("fjordlight")) is not None
    assert api.get_json_or_none(records.format("driftwood")) is not None
    assert value(product(api, "KH-MUG-001"), "partner_brands") == ["pebble", "driftwood"]
    assert value(product(api, "KH-MUG-002"), "brand") == "driftwood"


def test_push_order_and_report_shape(pim, workspace, push):
    workspace.job("j", [
        {"sku": "ORD-1", "parent": "ord_sub", "size": "m", "image": "assets/p.png"},
        {"_type": "product_model", "code": "ord_sub", "parent": "ord_root", "main_color": "red"},
        {"_type": "product_model", "code": "ord_root", "family_variant": "tshirts_color_size",
         "collection": "ord_new_collection", "name-en_US": "Order tee"},
        {"sku": "KH-GIFT-025", "gallery": "assets/g.png"},
    ], files={"assets/p.png": PNG, "assets/g.png": PNG_B})
    pim.reset_stats()
    report = push(pim, "j")
    assert report["counts"]["failed"] == 0, report["failures"]
    writes = [(e["method"], e["path"]) for e in pim.request_log()
              if e["method"] in ("POST", "PATCH") and "oauth" not in e["path"]]
    kinds = [
        "option" if "/options" in p else
        "asset-file" if p.endswith("/asset-media-files") else
        "asset" if "/assets" in p else
        "model" if p.endswith("/product-models") else
        "product" if p.endswith("/products") else
        "media" if p.endswith("/media-files") else p
        for _, p in writes
    ]
    assert kinds == ["option", "asset-file", "asset", "model", "model", "product", "media"]
    assert set(report) == {"job", "started_at", "finished_at", "dry_run", "counts",
                           "unknown_fields", "skipped_values", "failures", "warnings"}
    assert set(report["counts"]) == {
        "rows", "created", "updated", "failed", "values_sent", "values_skipped_empty",
        "values_skipped_unknown", "options_created", "media_uploaded", "assets_created"}
    assert report["job"] == "j" and report["dry_run"] is False
    assert report["started_at"].endswith("Z") and report["finished_at"] >= report["started_at"]


def test_dry_run_with_files_uploads_nothing(pim, workspace, push, api):
    workspace.job("j", [
        {"sku": "KH-GIFT-025", "gallery": "assets/front.png;assets/copy.png", "image": "a.png"},
    ], files={"assets/front.png": PNG, "assets/copy.png": PNG, "a.png": PNG_B})
    pim.reset_stats()
    report = push(pim, "j", dry_run=True)
    assert report["counts"]["assets_created"] == 1
    assert report["counts"]["media_uploaded"] == 2  # one asset file, one product image
    assert {e["method"] for e in pim.request_log()} <= {"GET", "POST"}
    assert [e["path"] for e in pim.request_log() if e["method"] == "POST"] == [
        "/api/oauth/v1/token"]
    folder = workspace.root / "jobs" / "j" / "dry-run"
    names = sorted(p.name.split("-", 1)[1] for p in folder.iterdir())
    assert names == ["assets-packshots.json", "media-uploads.ndjson", "products.ndjson"]
    assert value(product(api, "KH-GIFT-025"), "image") is None
