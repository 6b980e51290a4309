"""File uploads: assets made from job files (before any write) and media (after).

Each distinct file becomes one asset per asset family and is uploaded once; an asset that
already exists with its code is reused. Product and model media are uploaded once their
product or model was written.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from akeneo_client import AkeneoAuthError, AkeneoError

from target_akeneo.fixes import read_error
from target_akeneo.report import FAILED, PENDING, Progress
from target_akeneo.state import (
    API,
    PushState,
    why,
)

if TYPE_CHECKING:
    from target_akeneo.media import PlannedAsset
    from target_akeneo.rows import Key, Media


class Uploads(PushState):
    """Assets and media files."""

    def _settle_assets(self) -> None:
        """Create the job's assets: reuse existing ones, upload each distinct file once."""
        assets = list(self.assets.assets.values())
        if not assets:
            return
        self.logger.info("assets: %d distinct file(s) in asset families", len(assets))
        with ThreadPoolExecutor(max_workers=self.settings.max_concurrency) as pool:
            found = list(pool.map(self._asset_exists, assets))
            by_family: dict[str, list[PlannedAsset]] = {}
            for asset, exists in zip(assets, found, strict=True):
                if isinstance(exists, str):  # the lookup failed: only this asset's values
                    asset.status, asset.reason = "failed", exists
                elif exists:
                    asset.status = "ready"  # reused: same file content, same code
                else:
                    by_family.setdefault(asset.family, []).append(asset)
            media: dict[str, tuple[str | None, str | None]] = {}  # digest -> (code, error)
            for family, todo in by_family.items():
                attribute = self._main_media(family)
                if isinstance(attribute, tuple):
                    for asset in todo:
                        asset.status, asset.reason = "failed", attribute[0]
                    continue
                first = {a.digest: a for a in todo if a.digest not in media}
                if self.settings.dry_run:  # counted as they would be: one upload per file
                    media.update(
                        (d, (f"<upload of {a.path.name}>", None)) for d, a in first.items()
                    )
                    self.report.add("media_uploaded", len(first))
                else:
                    uploads = list(pool.map(self._upload_asset_file, first.values()))
                    media.update(zip(first, uploads, strict=True))
                    self.report.add("media_uploaded", sum(1 for c, _ in uploads if c))
                items = []
                for asset in todo:
                    code, error = media[asset.digest]
                    if code is None:
                        asset.status, asset.reason = "failed", f"asset file upload failed: {error}"
                        continue
                    value = [{"locale": None, "channel": None, "data": code}]
                    items.append((asset, {"code": asset.code, "values": {attribute: value}}))
                self._upsert_assets(family, items)

    def _asset_exists(self, asset: PlannedAsset) -> bool | str:
        """Whether the asset exists, or why that could not be read."""
        family, code = quote(asset.family, safe=""), quote(asset.code, safe="")
        try:
            found = self.client.get_json_or_none(f"{API}/asset-families/{family}/assets/{code}")
        except AkeneoAuthError:
            raise
        except AkeneoError as exc:
            return f"asset {asset.code!r} could not be looked up in the PIM ({read_error(exc)})"
        return found is not None

    def _upload_asset_file(self, asset: PlannedAsset) -> tuple[str | None, str | None]:
        """Upload one file for the asset media; (code, None) or (None, reason)."""
        try:
            code = self.client.upload_asset_media_file(asset.path, asset.path.name)
        except AkeneoAuthError:
            raise
        except AkeneoError as exc:
            return None, exc.message
        except OSError as exc:
            return None, f"cannot read {asset.path.name}: {exc.strerror}"
        return code, None

    def _main_media(self, family: str) -> str | tuple[str]:
        """The asset family's main media attribute (a media file), or (reason,)."""
        path = f"{API}/asset-families/{quote(family, safe='')}"
        try:
            found = self.client.get_json_or_none(path)
        except AkeneoAuthError:
            raise
        except AkeneoError as exc:
            return (f"asset family {family!r} could not be read from the PIM ({read_error(exc)})",)
        if not isinstance(found, dict):
            return (f"asset family {family!r} not found in the PIM",)
        attribute = found.get("attribute_as_main_media")
        if not isinstance(attribute, str):
            return (f"asset family {family!r} has no main media attribute",)
        try:
            spec = self.client.get_json_or_none(f"{path}/attributes/{quote(attribute, safe='')}")
        except AkeneoAuthError:
            raise
        except AkeneoError as exc:
            return (
                f"asset family {family!r}: its main media attribute {attribute} could not be "
                f"read from the PIM ({read_error(exc)})",
            )
        if isinstance(spec, dict):
            if spec.get("type") not in (None, "media_file"):
                return (
                    f"asset family {family!r}: main media {attribute} is a "
                    f"{spec.get('type')}, not a file the push can upload",
                )
            if spec.get("value_per_locale") or spec.get("value_per_channel"):
                return (
                    f"asset family {family!r}: main media {attribute} is per locale or "
                    "channel; the push only fills a single media value",
                )
        return attribute

    def _upsert_assets(self, family: str, items: list[tuple[PlannedAsset, dict[str, Any]]]) -> None:
        path = f"{API}/asset-families/{quote(family, safe='')}/assets"
        for start in range(0, len(items), self.settings.batch_size):
            chunk = items[start : start + self.settings.batch_size]
            if self.settings.dry_run:
                self._dry_write(f"assets-{family}.json", [b for _, b in chunk])
                for asset, _ in chunk:
                    asset.status = "ready"
                self.report.add("assets_created", len(chunk))
                continue
            try:
                results = self.client.patch_json_array(path, [b for _, b in chunk])
            except AkeneoAuthError:
                raise
            except AkeneoError as exc:
                for asset, _ in chunk:
                    asset.status, asset.reason = "failed", f"asset not created: {exc.message}"
                continue
            for (asset, _), result in zip(chunk, results, strict=False):
                if result.ok:
                    asset.status = "ready"
                    if result.status_code == 201:
                        self.report.add("assets_created")
                else:
                    asset.status, asset.reason = "failed", f"asset not created: {why(result)}"

    def _upload_media(self) -> None:
        jobs: list[tuple[str, str, Media, bool]] = []  # (id, kind, media, model?)
        for ident, item in self.media:
            if self.report.status(item.row) not in (FAILED, PENDING):
                jobs.append((ident, "product", item, False))
            else:
                self.report.skip(
                    item.row, ident, item.field, "not uploaded: the product was not written"
                )
        for code, state in self.models.items():
            for _, item in state.media:
                jobs.append((code, "product_model", item, True))
        jobs = self._last_media_only(jobs)
        if not jobs:
            return
        progress = Progress(self.logger, "media files", len(jobs))
        if self.settings.dry_run:
            self._dry_write(
                "media-uploads.ndjson",
                [
                    {
                        "file": str(m.path.relative_to(self.settings.job_dir.resolve())),
                        kind: {
                            ("code" if model else "identifier"): ident,
                            "attribute": m.key[0],
                            "scope": m.key[1],
                            "locale": m.key[2],
                        },
                    }
                    for ident, kind, m, model in jobs
                ],
            )
            self.report.add("media_uploaded", len(jobs))
            progress.advance(len(jobs))
            return
        with ThreadPoolExecutor(max_workers=self.settings.max_concurrency) as pool:
            futures = [pool.submit(self._upload_one, *job) for job in jobs]
            for (ident, _, item, _), future in zip(jobs, futures, strict=True):
                error = future.result()
                if error is None:
                    self.report.add("media_uploaded")
                else:
                    self.report.skip(item.row, ident, item.field, f"media upload failed: {error}")
                progress.advance(1)

    def _last_media_only(
        self, jobs: list[tuple[str, str, Media, bool]]
    ) -> list[tuple[str, str, Media, bool]]:
        """One upload per media value: the last row's file in file order wins.

        Uploads run concurrently, so two files for one value would land in any order; the
        earlier ones are reported as superseded instead of uploaded.
        """
        last: dict[tuple[bool, str, Key], tuple[str, str, Media, bool]] = {}
        for job in jobs:
            ident, _, item, model = job
            slot = (model, ident, item.key)
            earlier = last.get(slot)
            if earlier is None or earlier[2].row <= item.row:
                last[slot] = job
        kept = []
        for job in jobs:
            ident, _, item, model = job
            winner = last[(model, ident, item.key)]
            if winner is job:
                kept.append(job)
            else:
                what = "product model" if model else "product"
                self.report.skip(
                    item.row,
                    ident,
                    item.field,
                    f"not uploaded: superseded by row {winner[2].row}, a later file for the "
                    f"same {what} value",
                )
        return kept

    def _upload_one(self, ident: str, kind: str, item: Media, model: bool) -> str | None:
        target = {
            ("code" if model else "identifier"): ident,
            "attribute": item.key[0],
            "scope": item.key[1],
            "locale": item.key[2],
        }
        try:
            if model:
                self.client.upload_media_file(item.path, item.path.name, product_model=target)
            else:
                self.client.upload_media_file(item.path, item.path.name, product=target)
        except AkeneoAuthError:
            raise
        except AkeneoError as exc:
            return str(exc.message)
        except OSError as exc:
            return f"cannot read {item.path.name}: {exc.strerror}"
        return None
