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


_Upload = tuple[str, str, "Media", bool, "str | None"]
"""(upload target's id, kind, media, model?, id of the row the file came from)."""


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
            return None, error_reason(exc)
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
                    asset.status, asset.reason = "failed", f"asset not created: {error_reason(exc)}"
                continue
            for (asset, _), result in zip(chunk, results, strict=False):
                if result.ok:
                    asset.status = "ready"
                    if result.status_code == 201:
                        self.report.add("assets_created")
                else:
                    asset.status, asset.reason = "failed", f"asset not created: {why(result)}"

    def _upload_media(self) -> None:
        jobs: list[_Upload] = []
        for ident, item in self.media:
            if self.report.status(item.row) not in (FAILED, PENDING):
                jobs.append((ident, "product", item, False, ident))
            else:
                self.report.skip(
                    item.row, ident, item.field, "not uploaded: the product was not written"
                )
        for code, state in self.models.items():
            for source, item in state.media:
                jobs.append((code, "product_model", item, True, source or code))
        jobs = self._winning_media_only(jobs)
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
                    for ident, kind, m, model, _ in jobs
                ],
            )
            self.report.add("media_uploaded", len(jobs))
            progress.advance(len(jobs))
            return
        with ThreadPoolExecutor(max_workers=self.settings.max_concurrency) as pool:
            futures = [pool.submit(self._upload_one, *job[:4]) for job in jobs]
            for (_, _, item, _, source), future in zip(jobs, futures, strict=True):
                error = future.result()
                if error is None:
                    self.report.add("media_uploaded")
                else:
                    self.report.skip(item.row, source, item.field, f"media upload failed: {error}")
                progress.advance(1)

    def _winning_media_only(self, jobs: list[_Upload]) -> list[_Upload]:
        """One upload per media value, chosen as values are: own row first, then later row.

        A model's own rows win over its descendants' rows (as for its other values); among
        the rows of one rank the later row wins. Uploads run concurrently, so two files for
        one value would land in any order: the others are reported as superseded instead.
        """

        def rank(job: _Upload) -> tuple[bool, int]:
            ident, _, item, model, _ = job
            own = model and ident in self.models and item.row in self.models[ident].rows
            return own, item.row

        best: dict[tuple[bool, str, Key], _Upload] = {}
        for job in jobs:
            ident, _, item, model, _ = job
            slot = (model, ident, item.key)
            earlier = best.get(slot)
            if earlier is None or rank(earlier) <= rank(job):
                best[slot] = job
        kept = []
        for job in jobs:
            ident, _, item, model, source = job
            winner = best[(model, ident, item.key)]
            if winner is job:
                kept.append(job)
                continue
            if rank(winner)[0] and not rank(job)[0]:
                why_not = f"the product model {ident!r}'s own row, whose file wins"
            else:
                what = "product model" if model else "product"
                why_not = f"a later file for the same {what} value"
            self.report.skip(
                item.row,
                source,
                item.field,
                f"not uploaded: superseded by row {winner[2].row}, {why_not}",
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
            return error_reason(exc)
        except OSError as exc:
            return f"cannot read {item.path.name}: {exc.strerror}"
        return None


def error_reason(exc: AkeneoError) -> str:
    """A refused call's reason: Akeneo's ``errors`` messages when it names them.

    "Validation failed." alone does not say what to fix; the messages do (as ``why`` for
    the lines of a batch).
    """
    messages = [str(e["message"]) for e in exc.errors if e.get("message")]
    return "; ".join(messages) if messages else str(exc.message)
