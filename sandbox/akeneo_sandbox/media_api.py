"""Media uploads: product media files (tied to a product value), asset and record media files."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Response

from . import products
from .errors import ApiError, not_found
from .http import empty, json_response
from .listing import page_envelope
from .routing import Route
from .store import MediaFile

if TYPE_CHECKING:
    from werkzeug.datastructures import FileStorage
    from werkzeug.wrappers import Request

    from .server import App

API = "/api/rest/v1"
MULTIPART = "multipart/form-data"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _require_multipart(req: Request) -> None:
    mime = (req.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if mime != MULTIPART:
        shown = mime or "none"
        raise ApiError(415, f'"{shown}" in "Content-Type" header is not valid. Only '
                       f'"{MULTIPART}" is allowed.')


def _read_file(req: Request) -> tuple[FileStorage, bytes]:
    upload = req.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(422, 'Property "file" is required.')
    return upload, upload.read()


def _new_code(filename: str, content: bytes) -> str:
    digest = hashlib.sha1(content + secrets.token_bytes(8), usedforsecurity=False).hexdigest()
    safe = _UNSAFE.sub("_", filename) or "file"
    return f"{digest[0]}/{digest[1]}/{digest[2]}/{digest[3]}/{digest}_{safe}"


def _media(filename: str, upload: FileStorage, content: bytes) -> MediaFile:
    mime = upload.mimetype or "application/octet-stream"
    return MediaFile(_new_code(filename, content), filename, mime, content)


def _owner(req: Request) -> tuple[str, dict[str, Any]]:
    product = req.form.get("product")
    model = req.form.get("product_model")
    if product is None and model is None:
        raise ApiError(422, 'You should at least give one of the following properties: '
                       '"product" or "product_model".')
    if product is not None and model is not None:
        raise ApiError(422, 'You should give either a "product" or a "product_model" key, '
                       "not both.")
    kind = "product" if product is not None else "product_model"
    raw = product if product is not None else model
    try:
        target = json.loads(raw or "")
    except ValueError:
        raise ApiError(422, f'Property "{kind}" does not hold valid JSON.') from None
    key = "identifier" if kind == "product" else "code"
    if not isinstance(target, dict) or not isinstance(target.get(key), str) or not isinstance(
            target.get("attribute"), str):
        raise ApiError(422, f'Property "{kind}" expects an object with the keys "{key}", '
                       '"attribute", "scope" and "locale".')
    return kind, target


def upload_media_file(app: App, req: Request) -> Response:
    """POST /media-files: store the file and write it into the product (model) value."""
    _require_multipart(req)
    kind, target = _owner(req)
    upload, content = _read_file(req)
    media = _media(upload.filename or "file", upload, content)
    value = {target["attribute"]: [{"locale": target.get("locale"),
                                    "scope": target.get("scope"), "data": media.code}]}
    store = app.store
    with store.lock:
        if kind == "product":
            if target["identifier"] not in store.identifiers:
                raise ApiError(422, f'Product "{target["identifier"]}" does not exist.')
        elif target["code"] not in store.product_models:
            raise ApiError(422, f'Product model "{target["code"]}" does not exist.')
        store.media[media.code] = media
        try:
            if kind == "product":
                products.upsert_product(store, {"values": value},
                                        identifier=target["identifier"])
            else:
                products.upsert_model(store, target["code"], {"values": value})
        except ApiError:
            del store.media[media.code]
            raise
    return empty(201, f"{app.base_url(req)}{API}/media-files/{media.code}")


def _describe(app: App, req: Request, media: MediaFile) -> dict[str, Any]:
    href = f"{app.base_url(req)}{API}/media-files/{media.code}"
    return {"_links": {"self": {"href": href}, "download": {"href": f"{href}/download"}},
            **media.describe()}


def list_media_files(app: App, req: Request) -> Response:
    """GET /media-files (paginated)."""
    with app.store.lock:
        items = list(app.store.media.values())
    body = page_envelope(app.base_url(req), f"{API}/media-files", req.args, items,
                         lambda m: _describe(app, req, m))
    return json_response(body)


def get_media_file(app: App, req: Request, code: str) -> Response:
    """GET /media-files/{code}: the file's metadata."""
    media = app.store.media.get(code)
    if media is None:
        raise not_found(f'Media file "{code}" does not exist.')
    return json_response(_describe(app, req, media))


def _download(media: MediaFile | None, code: str) -> Response:
    if media is None:
        raise not_found(f'Media file "{code}" does not exist.')
    return Response(media.content, status=200, content_type=media.mime_type, headers={
        "Content-Disposition": f'attachment; filename="{media.original_filename}"'})


def download_media_file(app: App, req: Request, code: str) -> Response:
    """GET /media-files/{code}/download: the bytes."""
    return _download(app.store.media.get(code), code)


def _standalone_upload(app: App, req: Request, path: str, header: str) -> Response:
    _require_multipart(req)
    upload, content = _read_file(req)
    media = _media(upload.filename or "file", upload, content)
    with app.store.lock:
        app.store.asset_media[media.code] = media
    return empty(201, f"{app.base_url(req)}{API}/{path}/{media.code}", {header: media.code})


def upload_asset_media_file(app: App, req: Request) -> Response:
    """POST /asset-media-files: 201 with ``Asset-media-file-code``."""
    return _standalone_upload(app, req, "asset-media-files", "Asset-media-file-code")


def upload_record_media_file(app: App, req: Request) -> Response:
    """POST /reference-entities-media-files: 201 with ``Reference-entities-media-file-code``."""
    return _standalone_upload(app, req, "reference-entities-media-files",
                              "Reference-entities-media-file-code")


def download_asset_media_file(app: App, req: Request, code: str) -> Response:
    """GET /asset-media-files/{code} (and the record twin): the bytes."""
    return _download(app.store.asset_media.get(code), code)


ROUTES = [
    Route(API + "/media-files", "pim_api_media_file_list", ("GET",), list_media_files),
    Route(API + "/media-files", "pim_api_media_file_create", ("POST",), upload_media_file),
    Route(API + "/media-files/<path:code>/download", "pim_api_media_file_download", ("GET",),
          download_media_file, binary=True),
    Route(API + "/media-files/<path:code>", "pim_api_media_file_get", ("GET",), get_media_file),
    Route(API + "/asset-media-files", "pim_api_asset_media_file_create", ("POST",),
          upload_asset_media_file, "ee"),
    Route(API + "/asset-media-files/<path:code>", "pim_api_asset_media_file_download",
          ("GET",), download_asset_media_file, "ee", binary=True),
    Route(API + "/reference-entities-media-files",
          "pim_api_reference_entity_media_file_create", ("POST",), upload_record_media_file,
          "ee"),
    Route(API + "/reference-entities-media-files/<path:code>",
          "pim_api_reference_entity_media_file_download", ("GET",), download_asset_media_file,
          "ee", binary=True),
]
