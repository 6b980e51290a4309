"""Media uploads: product media files, asset media files, download."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conftest import Api

JPEG = b"\xff\xd8\xff\xe0fake-jpeg-bytes"


def _upload(api: Api, owner: dict | None = None, kind: str = "product",
            filename: str = "front.jpg", content: bytes = JPEG):
    data = {kind: json.dumps(owner)} if owner is not None else {}
    return api.session.post(api.url("/media-files"), data=data,
                            files={"file": (filename, content, "image/jpeg")}, timeout=5)


def test_upload_for_product_writes_the_value(api: Api) -> None:
    response = _upload(api, {"identifier": "boot-1", "attribute": "picture", "scope": None,
                             "locale": None})
    assert response.status_code == 201
    location = response.headers["Location"]
    assert location.startswith(f"{api.pim.url}/api/rest/v1/media-files/")
    code = location.split("/media-files/", 1)[1]
    assert code.endswith("_front.jpg")
    product = api.get("/products/boot-1").json()
    assert product["values"]["picture"] == [{"locale": None, "scope": None, "data": code}]
    meta = api.session.get(location, timeout=5).json()
    assert meta["code"] == code
    assert meta["original_filename"] == "front.jpg"
    assert meta["mime_type"] == "image/jpeg"
    assert meta["size"] == len(JPEG)
    assert meta["extension"] == "jpg"
    download = api.session.get(meta["_links"]["download"]["href"], timeout=5)
    assert download.status_code == 200
    assert download.content == JPEG
    assert download.headers["Content-Type"] == "image/jpeg"
    listed = api.get("/media-files").json()["_embedded"]["items"]
    assert [m["code"] for m in listed] == [code]


def test_upload_for_product_model(api: Api) -> None:
    response = _upload(api, {"code": "runner_red", "attribute": "picture", "scope": None,
                             "locale": None}, kind="product_model")
    assert response.status_code == 201
    code = response.headers["Location"].split("/media-files/", 1)[1]
    assert api.get("/product-models/runner_red").json()["values"]["picture"][0]["data"] == code


def test_upload_needs_an_existing_owner(api: Api) -> None:
    missing = _upload(api, {"identifier": "ghost", "attribute": "picture", "scope": None,
                            "locale": None})
    assert missing.status_code == 422
    assert "ghost" in missing.json()["message"]
    neither = _upload(api, None)
    assert neither.status_code == 422
    assert neither.json()["code"] == 422
    model = _upload(api, {"code": "ghost", "attribute": "picture", "scope": None,
                          "locale": None}, kind="product_model")
    assert model.status_code == 422
    assert api.get("/media-files").json()["_embedded"]["items"] == []


def test_upload_value_is_validated(api: Api) -> None:
    wrong_ext = _upload(api, {"identifier": "boot-1", "attribute": "picture", "scope": None,
                              "locale": None}, filename="doc.gif")
    assert wrong_ext.status_code == 422
    assert wrong_ext.json()["errors"][0]["attribute"] == "picture"
    wrong_level = _upload(api, {"identifier": "boot-1", "attribute": "name", "scope": None,
                                "locale": None})
    assert wrong_level.status_code == 422
    assert api.get("/media-files").json()["_embedded"]["items"] == []


def test_upload_needs_multipart_and_file(api: Api) -> None:
    not_multipart = api.post("/media-files", {"product": {}})
    assert not_multipart.status_code == 415
    no_file = api.session.post(api.url("/media-files"), timeout=5, files={
        "product": (None, json.dumps({"identifier": "boot-1", "attribute": "picture",
                                      "scope": None, "locale": None}))})
    assert no_file.status_code == 422


def test_unknown_media_file_gives_404(api: Api) -> None:
    assert api.get("/media-files/a/b/c/d/none.jpg").status_code == 404
    assert api.get("/media-files/a/b/c/d/none.jpg/download").status_code == 404


def test_asset_media_file_upload(api: Api) -> None:
    response = api.session.post(api.url("/asset-media-files"), timeout=5,
                                files={"file": ("side.png", b"\x89PNGdata", "image/png")})
    assert response.status_code == 201
    code = response.headers["Asset-media-file-code"]
    assert response.headers["Location"] == f"{api.pim.url}/api/rest/v1/asset-media-files/{code}"
    assert api.session.get(response.headers["Location"], timeout=5).content == b"\x89PNGdata"
    patched = api.patch("/asset-families/packshots/assets/side", {"values": {
        "media": [{"locale": None, "channel": None, "data": code}]}})
    assert patched.status_code == 201
    record_media = api.session.post(api.url("/reference-entities-media-files"), timeout=5,
                                    files={"file": ("logo.png", b"logo", "image/png")})
    assert record_media.status_code == 201
    assert record_media.headers["Reference-entities-media-file-code"]
