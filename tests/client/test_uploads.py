"""Media uploads: product media files (code from Location) and asset media files."""

from __future__ import annotations

import pytest
from akeneo_client import AkeneoClient, AkeneoError

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _product_with_image_attribute(client):
    """A product identifier and an image attribute of its family, found through the API."""
    images = {a["code"] for a in client.iter_items("/api/rest/v1/attributes", {"limit": 100})
              if a["type"] == "pim_catalog_image" and not a["localizable"] and not a["scopable"]}
    families = {f["code"]: set(f["attributes"])
                for f in client.iter_items("/api/rest/v1/families", {"limit": 100})}
    for product in client.iter_items("/api/rest/v1/products", {"limit": 100}):
        usable = images & families.get(product.get("family") or "", set())
        if usable and not product.get("parent"):
            return product["identifier"], sorted(usable)[0]
    raise AssertionError("the demo catalog has no product with an image attribute")


def test_upload_product_media_file_returns_code_from_location(pim, make_client, tmp_path):
    client = make_client(pim)
    identifier, attribute = _product_with_image_attribute(client)
    path = tmp_path / "front.png"
    path.write_bytes(PNG)
    code = client.upload_media_file(
        path, "front.png",
        product={"identifier": identifier, "attribute": attribute, "scope": None, "locale": None})
    assert code.endswith("front.png")
    described = client.get_json(f"/api/rest/v1/media-files/{code}")
    assert described["code"] == code
    download = client.request("GET", f"/api/rest/v1/media-files/{code}/download")
    assert download.content == PNG
    product = client.get_json(f"/api/rest/v1/products/{identifier}")
    assert product["values"][attribute][0]["data"] == code


def test_upload_is_retried_with_the_whole_file(pim, make_client):
    client = make_client(pim)
    identifier, attribute = _product_with_image_attribute(client)
    pim.reset_stats()
    pim.set_faults(fault_5xx_every=2)
    client.get_json("/api/rest/v1/channels")  # call 1 passes; call 2 (the upload) fails once
    code = client.upload_media_file(
        PNG, "retried.png",
        product={"identifier": identifier, "attribute": attribute, "scope": None, "locale": None})
    pim.set_faults(fault_5xx_every=0)
    posts = [e["status"] for e in pim.request_log() if e["method"] == "POST"]
    assert posts == [500, 201]
    assert client.request("GET", f"/api/rest/v1/media-files/{code}/download").content == PNG


def test_upload_for_unknown_product_is_named(pim, make_client):
    client = make_client(pim)
    with pytest.raises(AkeneoError) as info:
        client.upload_media_file(PNG, "x.png", product={"identifier": "NO-SUCH-SKU",
                                                        "attribute": "image", "scope": None,
                                                        "locale": None})
    assert info.value.status == 422
    assert "POST /api/rest/v1/media-files" in str(info.value)
    assert "NO-SUCH-SKU" in str(info.value)


def test_upload_needs_exactly_one_owner(pim, make_client):
    client = make_client(pim)
    with pytest.raises(ValueError, match="exactly one"):
        client.upload_media_file(PNG, "x.png")
    with pytest.raises(ValueError, match="exactly one"):
        client.upload_media_file(PNG, "x.png", product={}, product_model={})
    assert pim.stats()["requests"] == 0


def test_upload_asset_media_file(pim, make_client):
    client = make_client(pim)
    code = client.upload_asset_media_file(PNG, "packshot.png")
    assert code
    download = client.request("GET", f"/api/rest/v1/asset-media-files/{code}")
    assert download.content == PNG


def test_asset_code_header_any_case_else_location(scripted_peer):
    url, seen = scripted_peer([
        (201, {"asset-media-file-code": "1/2/3/abc_shot.png"}, None, 0.0),
        (201, {"Location": "https://pim.example.com/api/rest/v1/asset-media-files/4/5/"
                           "6/def_shot%20two.png"}, None, 0.0),
        (201, {"Location": "/api/rest/v1/media-files/7/8/9/ghi_front.png"}, None, 0.0),
    ])
    client = AkeneoClient(url, "id", "secret", "user", "pass")
    assert client.upload_asset_media_file(PNG, "shot.png") == "1/2/3/abc_shot.png"
    assert client.upload_asset_media_file(PNG, "shot two.png") == "4/5/6/def_shot two.png"
    assert client.upload_media_file(PNG, "front.png", product_model={
        "code": "m1", "attribute": "image", "scope": None, "locale": None}) == (
        "7/8/9/ghi_front.png")
    assert seen == ["POST /api/rest/v1/asset-media-files"] * 2 + ["POST /api/rest/v1/media-files"]


def test_upload_without_location_is_an_error(scripted_peer):
    url, _ = scripted_peer([(201, {}, None, 0.0)])
    client = AkeneoClient(url, "id", "secret", "user", "pass")
    with pytest.raises(AkeneoError, match="without a media-file Location header"):
        client.upload_media_file(PNG, "x.png", product={"identifier": "a", "attribute": "b",
                                                        "scope": None, "locale": None})
