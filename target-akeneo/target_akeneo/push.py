"""Orchestration of one push: rows in, PIM writes in the contract's order, report out.

Order (contract §7): new options and records, assets, root product models, sub models,
products (one round per repeat of an identifier), then media files. Product and model writes
are NDJSON batches of up to ``batch_size`` with up to ``max_concurrency`` in flight; every
answer line is read, and a failed line or batch never stops the others.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from akeneo_client import COLLECTION_CONTENT_TYPE, AkeneoAuthError, AkeneoError, LineResult
from akeneo_client.batch import parse_ndjson

from target_akeneo.media import AssetPlan, PlannedAsset
from target_akeneo.models import ModelInfo, ModelState, values_payload
from target_akeneo.options import ATTRIBUTE, ENTITY, OptionRegistry, RateLimiter
from target_akeneo.project import SELECT_KINDS, FieldSpec, Project
from target_akeneo.report import FAILED, PENDING, Progress, Report
from target_akeneo.rows import Converted, Converter, Entry, Key, Media
from target_akeneo.spool import FIX_PRICE, Line, Spool

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from pathlib import Path

    from akeneo_client import AkeneoClient

API = "/api/rest/v1"
PRODUCTS = f"{API}/products"
MODELS = f"{API}/product-models"
QUEUE_FACTOR = 2  # batches prepared ahead per concurrent slot
READ_LOG_EVERY = 10_000  # rows between two "read N rows" log lines


@dataclass
class PushSettings:
    """The target settings a push needs (credentials stay inside the client)."""

    workspace: Path
    job_id: str
    batch_size: int = 100
    max_concurrency: int = 4
    dry_run: bool = False

    @property
    def job_dir(self) -> Path:
        """``<workspace>/jobs/<job_id>``."""
        return self.workspace / "jobs" / self.job_id


@dataclass
class _Sent:
    """Outcome of one product batch, built in a worker thread, applied in the main one."""

    lines: list[Line]
    results: list[tuple[int, str, str | None, dict[str, Any] | None]] = field(default_factory=list)
    dropped: list[tuple[int, str, str, str]] = field(default_factory=list)  # row,id,field,why
    values: int = 0


class Push:
    """One push of one job: feed rows with :meth:`add`, then call :meth:`run`."""

    def __init__(
        self,
        settings: PushSettings,
        project: Project,
        client_factory: Callable[[], AkeneoClient],
        logger: logging.Logger | None = None,
    ) -> None:
        self.settings = settings
        self.project = project
        self.logger = logger or logging.getLogger("target-akeneo")
        self.report = Report(settings.job_id, dry_run=settings.dry_run)
        self._client_factory = client_factory
        self._client: AkeneoClient | None = None
        self.options = OptionRegistry()
        self.assets = AssetPlan()
        self.converter = Converter(
            project, self.report, settings.job_dir, self.options, self.assets
        )
        self.spool = Spool()
        self.key_specs: dict[Key, FieldSpec] = {
            s.key: s for s in project.specs.values() if s.kind != "companion"
        }
        self.model_rows: list[tuple[int, dict[str, Any]]] = []
        self.model_infos: dict[str, ModelInfo] = {}
        self._pim_models: dict[str, ModelInfo | None] = {}
        self.models: dict[str, ModelState] = {}
        self.deferred: list[tuple[int, dict[str, Any]]] = []
        self.media: list[tuple[str, Media]] = []  # (identifier, media) of products
        self.ingesting = True
        self._option_limiter = RateLimiter()
        self._cpu_start = time.process_time()
        self.stopped: str | None = None  # why the push stopped before the end, if it did
        self._read = 0
        self._read_start = time.monotonic()
        self._dry_dir = settings.job_dir / "dry-run"
        self._dry_seq = 0

    # -- client ----------------------------------------------------------------------------

    @property
    def client(self) -> AkeneoClient:
        """The one Akeneo client, created on first use."""
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    # -- intake ----------------------------------------------------------------------------

    def add(self, stream: str, record: dict[str, Any]) -> None:
        """Take one record of ``products``, ``product_models`` or ``row_errors``."""
        row = record.get("row")
        if not isinstance(row, int) or isinstance(row, bool) or row < 1:
            self.logger.warning("record without a valid row number ignored: %.200r", record)
            return
        self.report.received(row)
        self._read += 1
        if self._read % READ_LOG_EVERY == 0:
            elapsed = max(time.monotonic() - self._read_start, 1e-9)
            self.logger.info("read %d rows (%.0f rows/s)", self._read, self._read / elapsed)
        if stream == "row_errors":
            self.report.fail(row, None, str(record.get("error") or "unreadable line"))
            return
        data = record.get("data")
        if not isinstance(data, dict):
            self.report.fail(row, None, "row is not a JSON object")
            return
        if stream == "product_models":
            self._add_model(row, data)
        else:
            self._add_product(row, data)

    def _add_model(self, row: int, data: dict[str, Any]) -> None:
        self.model_rows.append((row, data))
        code = data.get("code")
        if isinstance(code, str) and code.strip():
            info = self.model_infos.get(code)
            variant = (
                data.get("family_variant") if isinstance(data.get("family_variant"), str) else None
            )
            parent = data.get("parent") if isinstance(data.get("parent"), str) else None
            if info is None:
                self.model_infos[code] = ModelInfo(code, variant or None, parent or None, True)
            else:  # a repeated model row: later non-empty values win
                info.family_variant = variant or info.family_variant
                info.parent = parent or info.parent

    def _add_product(self, row: int, data: dict[str, Any]) -> None:
        try:
            converted = self.converter.convert(row, data, model=False)
        except AkeneoAuthError:
            raise
        if converted.ident is not None and converted.failure is None:
            pass
        if converted.failure is not None:
            self.report.fail(
                row, converted.ident, converted.failure, attribute=converted.failure_attribute
            )
            if converted.ident is not None:
                self.spool.ids.occurrence(row, converted.ident)
            return
        self._route_product(converted, data)

    # -- routing ---------------------------------------------------------------------------

    def model_info(self, code: str) -> ModelInfo | None:
        """A model of the job, else of the PIM (looked up once), else None."""
        info = self.model_infos.get(code)
        if info is not None:
            if not info.checked and (info.parent is None or info.family_variant is None):
                # A job row that omits parent or family_variant updates a model as it is in
                # the PIM (PATCH leaves them unchanged): take them from there.
                info.checked = True
                known = self._pim_model(code)
                if known is not None:
                    info.parent = info.parent or known.parent
                    info.family_variant = info.family_variant or known.family_variant
            return info
        return self._pim_model(code)

    def _pim_model(self, code: str) -> ModelInfo | None:
        if code not in self._pim_models:
            found = self.client.get_json_or_none(f"{MODELS}/{quote(code, safe='')}")
            self._pim_models[code] = (
                ModelInfo(code, found.get("family_variant"), found.get("parent"), False)
                if isinstance(found, dict)
                else None
            )
        return self._pim_models[code]

    def variant_of(self, info: ModelInfo) -> str | None:
        """The family variant of a model (a sub model may inherit it from its parent)."""
        if info.family_variant:
            return info.family_variant
        if info.parent:
            parent = self.model_info(info.parent)
            return parent.family_variant if parent else None
        return None

    def _state(self, code: str) -> ModelState:
        state = self.models.get(code)
        if state is None:
            state = self.models[code] = ModelState(code)
        return state

    def _route_product(self, converted: Converted, data: dict[str, Any]) -> None:
        row, ident = converted.row, converted.ident
        assert ident is not None  # noqa: S101 - a product without identifier failed earlier
        values = converted.values
        media = converted.media
        if converted.parent is not None:
            info = self.model_info(converted.parent)
            if info is None:
                if self.ingesting:
                    self.deferred.append((row, data))
                    return
                self.report.fail(
                    row,
                    ident,
                    f"unknown parent product model {converted.parent!r} "
                    "(not in the job nor in the PIM)",
                    attribute="parent",
                )
                self.spool.ids.occurrence(row, ident)
                return
            values, media = self._route_up(converted, info)
        occurrence = self.spool.ids.occurrence(row, ident)
        payload: dict[str, Any] = {"identifier": ident}
        if converted.family is not None:
            payload["family"] = converted.family
        if converted.parent is not None:
            payload["parent"] = converted.parent
        if converted.categories is not None:
            payload["categories"] = converted.categories
        if converted.enabled is not None:
            payload["enabled"] = converted.enabled
        payload["values"] = values
        count = sum(map(len, values.values()))
        line = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.spool.add(Line(row, ident, line, count, converted.flags), occurrence)
        self.media.extend((ident, m) for m in media)

    def _entries(self, converted: Converted) -> Iterator[tuple[Key, Entry]]:
        """The converted values of a row one by one, with the field each came from."""
        for attribute, entries in converted.values.items():
            for value in entries:
                key = (attribute, value["scope"], value["locale"])
                spec = self.key_specs.get(key)
                name = spec.name if spec is not None else attribute
                yield key, Entry(value["data"], converted.row, name)

    def _route_up(
        self, converted: Converted, info: ModelInfo
    ) -> tuple[dict[str, list[dict[str, Any]]], list[Media]]:
        """Keep the product's own values; send the others to the model that owns them."""
        variant = self.project.variants.get(self.variant_of(info) or "")
        if variant is None:
            self.report.warn(
                converted.row,
                f"family variant of product model {info.code!r} is unknown to project.json: "
                "every value is sent to the variant product",
            )
            return converted.values, converted.media
        own_level = info.level + 1
        ancestors = {info.level: info.code}
        if info.parent:
            ancestors[0] = info.parent
        kept: dict[str, list[dict[str, Any]]] = {}
        for key, entry in self._entries(converted):
            level = variant.level_of(key[0])
            if level >= own_level:
                kept.setdefault(key[0], []).append(
                    {"locale": key[2], "scope": key[1], "data": entry.data}
                )
                continue
            self._give(
                ancestors.get(level), key, entry, converted, level=level, variant=variant.code
            )
        media: list[Media] = []
        for item in converted.media:
            level = variant.level_of(item.key[0])
            if level >= own_level:
                media.append(item)
            elif level in ancestors:
                self._state(ancestors[level]).media.append((None, item))
            else:
                self.report.skip(
                    converted.row,
                    converted.ident,
                    item.field,
                    f"belongs to level {level} of family variant {variant.code}, "
                    "whose product model is unknown",
                )
        return kept, media

    def _give(
        self,
        code: str | None,
        key: Key,
        entry: Entry,
        converted: Converted,
        *,
        level: int,
        variant: str,
    ) -> None:
        if code is None:
            self.report.skip(
                converted.row,
                converted.ident,
                entry.field,
                f"belongs to level {level} of family variant {variant}, "
                "whose product model is unknown",
            )
            return
        state = self._state(code)
        earlier = state.inherited.get(key)
        if earlier is not None and earlier.data != entry.data:
            self.report.skip(
                earlier.row,
                None,
                earlier.field,
                f"product model {code!r} takes this value from the later row {entry.row}",
            )
            self.report.warn(
                entry.row,
                f"{entry.field}: product model {code!r} gets a different value from row "
                f"{earlier.row}; the later row (row {entry.row}) wins",
            )
        state.inherited[key] = entry
        state.contributors.setdefault(entry.row, []).append(entry.field)

    # -- models ----------------------------------------------------------------------------

    def _convert_models(self) -> None:
        seen: dict[str, int] = {}
        for row, data in self.model_rows:
            converted = self.converter.convert(row, data, model=True)
            code = converted.ident
            if converted.failure is not None or code is None:
                self.report.fail(
                    row,
                    code,
                    converted.failure or "missing code",
                    attribute=converted.failure_attribute,
                )
                continue
            if code in seen:
                self.report.warn(
                    row, f"same product model code as row {seen[code]}; later values win"
                )
            seen[code] = row
            info = self.model_info(code) or self.model_infos[code]
            state = self._state(code)
            state.rows.append(row)
            state.parent = info.parent
            state.family_variant = self.variant_of(info)
            if converted.categories is not None:
                state.categories = converted.categories
            variant = self.project.variants.get(state.family_variant or "")
            if variant is None:
                if state.family_variant is None:
                    self.report.fail(
                        row,
                        code,
                        "product model without family_variant "
                        "(and no known parent to take it from)",
                        attribute="family_variant",
                    )
                    state.rows.remove(row)
                    continue
                state.own.update(self._entries(converted))
                state.media.extend((None, m) for m in converted.media)
                continue
            level = info.level
            for key, entry in self._entries(converted):
                owner = variant.level_of(key[0])
                if owner == level:
                    state.own[key] = entry
                elif owner < level and info.parent:
                    self._give(
                        info.parent, key, entry, converted, level=owner, variant=variant.code
                    )
                else:
                    self.report.skip(
                        row, code, entry.field, self._deeper(key[0], owner, variant.code)
                    )
            for item in converted.media:
                owner = variant.level_of(item.key[0])
                if owner == level:
                    state.media.append((None, item))
                elif owner < level and info.parent:
                    self._state(info.parent).media.append((None, item))
                else:
                    self.report.skip(
                        row, code, item.field, self._deeper(item.key[0], owner, variant.code)
                    )

    @staticmethod
    def _deeper(attribute: str, level: int, variant: str) -> str:
        return (
            f"attribute {attribute} belongs to level {level} of family variant {variant} "
            "(a lower level): it cannot be set on this product model"
        )

    def _model_payloads(self, level: int) -> list[tuple[ModelState, dict[str, Any]]]:
        result = []
        for code, state in self.models.items():
            info = self.model_info(code)
            if info is None:
                if level == 0:  # report once: values routed to a model that does not exist
                    for row, fields in state.contributors.items():
                        for name in fields:
                            self.report.skip(
                                row,
                                None,
                                name,
                                f"routed to product model {code!r}, which is "
                                "neither in the job nor in the PIM",
                            )
                continue
            if info.level != level:
                continue
            values, overruled = state.merge_values()
            for child, own in overruled:
                self.report.skip(
                    child.row,
                    None,
                    child.field,
                    f"product model {code!r} row {own.row} sets a different value; "
                    "the model's own row wins",
                )
            if not state.rows and not values:
                continue
            payload: dict[str, Any] = {"code": code}
            if state.rows:
                if state.family_variant:
                    payload["family_variant"] = state.family_variant
                if state.parent:
                    payload["parent"] = state.parent
                if state.categories is not None:
                    payload["categories"] = state.categories
            payload["values"] = values_payload(values)
            result.append((state, payload))
        return result

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """Push everything in order and write ``push-report.json``; returns the report."""
        started = time.monotonic()
        self._cpu_run = time.process_time()
        try:
            self._run()
        except AkeneoAuthError as exc:
            self.logger.error("push stopped: %s", exc)
            self._stop(f"push stopped: authentication failed: {exc.message}")
        except AkeneoError as exc:
            self.logger.error("push stopped: %s", exc)
            self._stop(f"push stopped: {exc}")
        except Exception as exc:
            self.logger.exception("push stopped by an unexpected error")
            self._stop(f"push stopped by an unexpected error: {type(exc).__name__}: {exc}")
            raise
        finally:
            for row in self.report.pending_rows():
                self.report.fail(row, None, "not pushed: the push stopped before this row")
            document = self.report.write(self.settings.job_dir / "push-report.json")
            self._summary(document, time.monotonic() - started)
            self.spool.close()
            if self._client is not None:
                self._client.close()
        return document

    def _stop(self, reason: str) -> None:
        self.stopped = reason
        self.report.warn(None, reason)
        for row in self.report.pending_rows():
            self.report.fail(row, None, reason)

    def _run(self) -> None:
        self.ingesting = False
        deferred, self.deferred = self.deferred, []
        for row, data in deferred:
            self._add_product(row, data)
        self._convert_models()
        for ident, rows in self.spool.ids.duplicates().items():
            for earlier, later in itertools.pairwise(rows):
                self.report.warn(
                    later, f"same identifier {ident!r} as row {earlier}; later values win"
                )
        self._settle_options()
        self._settle_assets()
        for level, what in ((0, "root product models"), (1, "sub product models")):
            self._push_models(level, what)
        for round_no in range(self.spool.rounds):
            self._push_products(round_no)
        self._upload_media()

    def _summary(self, document: dict[str, Any], elapsed: float) -> None:
        counts = document["counts"]
        self.logger.info(
            "push %s%s finished in %.1fs: %d rows, %d created, %d updated, %d failed; "
            "%d values sent, %d empty, %d unknown, %d skipped; %d options created, "
            "%d media uploaded, %d assets created; report: %s",
            self.settings.job_id,
            " (dry run)" if self.settings.dry_run else "",
            elapsed,
            counts["rows"],
            counts["created"],
            counts["updated"],
            counts["failed"],
            counts["values_sent"],
            counts["values_skipped_empty"],
            counts["values_skipped_unknown"],
            len(document["skipped_values"]),
            counts["options_created"],
            counts["media_uploaded"],
            counts["assets_created"],
            self.settings.job_dir / "push-report.json",
        )
        cpu = time.process_time()
        self.logger.info(
            "CPU: %.2fs reading and converting rows, %.2fs pushing",
            self._cpu_run - self._cpu_start,
            cpu - self._cpu_run,
        )
        if self._client is not None:
            self.logger.info("Akeneo client: %s", self._client.stats)

    # -- dry run ---------------------------------------------------------------------------

    def _dry_write(self, name: str, lines: Iterable[Any], *, raw: bool = False) -> None:
        """Write what would be sent: one file per request, numbered in sending order."""
        self._dry_seq += 1
        self._dry_dir.mkdir(parents=True, exist_ok=True)
        path = self._dry_dir / f"{self._dry_seq:05d}-{name}"
        with path.open("wb") as handle:
            for line in lines:
                handle.write(line if raw else json.dumps(line, ensure_ascii=False).encode())
                handle.write(b"\n")

    # -- options ---------------------------------------------------------------------------

    def _settle_options(self) -> None:
        pending = self.options.items()
        if not pending:
            return
        lookups = 0
        to_create: dict[tuple[str, str], list[Any]] = {}
        for target_kind, target, item in pending:
            if item.allowed and not self.settings.dry_run:
                to_create.setdefault((target_kind, target), []).append(item)
                continue
            path = self.options.lookup_path(target_kind, target, item.code)
            found = None
            if path is not None and lookups < 500:
                lookups += 1
                found = self.client.get_json_or_none(path)
            if isinstance(found, dict):
                item.resolved = str(found.get("code") or item.code)
            elif item.allowed:
                to_create.setdefault((target_kind, target), []).append(item)
            else:
                self.options.refuse(target_kind, target, item)
        for (target_kind, target), items in to_create.items():
            for start in range(0, len(items), self.settings.batch_size):
                self._create_options(
                    target_kind, target, items[start : start + self.settings.batch_size]
                )

    def _create_options(self, target_kind: str, target: str, items: list[Any]) -> None:
        what = "option" if target_kind == ATTRIBUTE else "record"
        if target_kind == ATTRIBUTE:
            path = f"{API}/attributes/{quote(target, safe='')}/options"
            body = [{"code": i.code, "attribute": target} for i in items]
        else:
            assert target_kind == ENTITY  # noqa: S101 - only these two are creatable
            path = f"{API}/reference-entities/{quote(target, safe='')}/records"
            body = [{"code": i.code} for i in items]
        if self.settings.dry_run:
            self._dry_write(f"options-{target}.ndjson", body)
            for item in items:
                item.resolved = item.code
            self.report.add("options_created", len(items))
            return
        try:
            if target_kind == ATTRIBUTE:
                self._option_limiter.wait()
                results = self.client.patch_collection(path, body)
            else:
                results = self.client.patch_json_array(path, body)
        except AkeneoAuthError:
            raise
        except AkeneoError as exc:
            for item in items:
                item.reason = f"{what} {item.code!r} could not be created: {exc.message}"
            return
        for item, result in zip(items, results, strict=False):
            if result.ok:
                item.resolved = item.code
                if result.status_code == 201:
                    self.report.add("options_created")
            else:
                item.reason = f"{what} {item.code!r} could not be created: {_why(result)}"

    # -- assets ----------------------------------------------------------------------------

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
                if exists:
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
                if not self.settings.dry_run:
                    first = {a.digest: a for a in todo if a.digest not in media}
                    uploads = list(pool.map(self._upload_asset_file, first.values()))
                    media.update(zip(first, uploads, strict=True))
                    self.report.add("media_uploaded", sum(1 for c, _ in uploads if c))
                items = []
                for asset in todo:
                    code: str | None
                    if self.settings.dry_run:
                        code, error = f"<upload of {asset.path.name}>", None
                    else:
                        code, error = media[asset.digest]
                    if code is None:
                        asset.status, asset.reason = "failed", f"asset file upload failed: {error}"
                        continue
                    value = [{"locale": None, "channel": None, "data": code}]
                    items.append((asset, {"code": asset.code, "values": {attribute: value}}))
                self._upsert_assets(family, items)

    def _asset_exists(self, asset: PlannedAsset) -> bool:
        family, code = quote(asset.family, safe=""), quote(asset.code, safe="")
        return (
            self.client.get_json_or_none(f"{API}/asset-families/{family}/assets/{code}") is not None
        )

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
        found = self.client.get_json_or_none(f"{API}/asset-families/{quote(family, safe='')}")
        if not isinstance(found, dict):
            return (f"asset family {family!r} not found in the PIM",)
        attribute = found.get("attribute_as_main_media")
        if not isinstance(attribute, str):
            return (f"asset family {family!r} has no main media attribute",)
        spec = self.client.get_json_or_none(
            f"{API}/asset-families/{quote(family, safe='')}/attributes/{quote(attribute, safe='')}"
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
                    asset.status, asset.reason = "failed", f"asset not created: {_why(result)}"

    # -- fixes (options, assets, prices) ---------------------------------------------------

    def _fix_values(
        self, values: dict[str, list[dict[str, Any]]], prices: dict[Key, list[dict[str, Any]]]
    ) -> list[tuple[str, str]]:
        """Settle a payload's values in place; returns (field, reason) of values left out."""
        dropped: list[tuple[str, str]] = []
        for attribute in list(values):
            kept = []
            for value in values[attribute]:
                key = (attribute, value.get("scope"), value.get("locale"))
                spec = self.key_specs.get(key)
                reason = self._fix_one(spec, value, prices.get(key)) if spec else None
                if reason is None:
                    kept.append(value)
                else:
                    dropped.append((spec.name if spec else attribute, reason))
            if kept:
                values[attribute] = kept
            else:
                del values[attribute]
        return dropped

    def _fix_one(
        self, spec: FieldSpec, value: dict[str, Any], existing: list[dict[str, Any]] | None
    ) -> str | None:
        kind = spec.kind
        if kind in SELECT_KINDS:
            target_kind, target = self.options.target_of(spec)
            codes = value["data"] if isinstance(value["data"], list) else [value["data"]]
            fixed, reasons = [], []
            for code in codes:
                final, reason = self.options.check(target_kind, target, code)
                if final is None:
                    reasons.append(reason or f"unknown option {code!r}")
                else:
                    fixed.append(final)
            if reasons:
                return "; ".join(reasons)
            value["data"] = fixed if isinstance(value["data"], list) else fixed[0]
        elif kind == "assets":
            family = spec.reference_data_name or ""
            for code in value["data"]:
                asset = self.assets.by_code(family, code)
                if asset is not None and asset.status != "ready":
                    return asset.reason or f"asset {code!r} could not be created"
        elif kind == "price" and existing:
            new = value["data"]
            currencies = {p.get("currency") for p in new}
            value["data"] = [p for p in existing if p.get("currency") not in currencies] + new
        return None

    def _existing_prices(
        self, path: str, params: dict[str, Any] | None, key_name: str
    ) -> dict[str, dict[Key, list[dict[str, Any]]]]:
        """Price values of existing products or models: id -> (attribute, scope, locale)."""
        result: dict[str, dict[Key, list[dict[str, Any]]]] = {}
        for item in self.client.iter_items(path, params=params) if params is not None else []:
            ident = item.get(key_name)
            if not isinstance(ident, str):
                continue
            result[ident] = _prices_of(item, self.key_specs)
        return result

    # -- model writes ----------------------------------------------------------------------

    def _push_models(self, level: int, what: str) -> None:
        payloads = self._model_payloads(level)
        if not payloads:
            return
        self.logger.info("%s: %d to write", what, len(payloads))
        size = self.settings.batch_size
        for start in range(0, len(payloads), size):
            chunk = payloads[start : start + size]
            for state, payload in chunk:
                self._fix_model(state, payload)
                self.report.add("values_sent", sum(len(v) for v in payload["values"].values()))
            items = [p for _, p in chunk]
            if self.settings.dry_run:
                self._dry_write(f"product-models-level{level}.ndjson", items)
                results = [self._dry_result(MODELS, p["code"]) for p in items]
            else:
                try:
                    results = self.client.patch_collection(MODELS, items)
                except AkeneoAuthError:
                    raise
                except AkeneoError as exc:
                    results = [
                        LineResult(i + 1, p["code"], exc.status or 0, exc.message, exc.errors)
                        for i, p in enumerate(items)
                    ]
            for (state, _), result in zip(chunk, results, strict=False):
                self._model_result(state, result)

    def _fix_model(self, state: ModelState, payload: dict[str, Any]) -> None:
        prices: dict[Key, list[dict[str, Any]]] = {}
        if any(
            self.key_specs.get(k) and self.key_specs[k].kind == "price"
            for k in state.own.keys() | state.inherited.keys()
        ):
            found = self.client.get_json_or_none(f"{MODELS}/{quote(state.code, safe='')}")
            if isinstance(found, dict):
                prices = _prices_of(found, self.key_specs)
        first = state.rows[0] if state.rows else next(iter(state.contributors), 0)
        for name, reason in self._fix_values(payload["values"], prices):
            self.report.skip(first, state.code, name, reason)

    def _dry_result(self, path: str, code: str) -> LineResult:
        found = self.client.get_json_or_none(f"{path}/{quote(code, safe='')}")
        return LineResult(None, code, 204 if found is not None else 201)

    def _model_result(self, state: ModelState, result: LineResult) -> None:
        if result.ok:
            for index, row in enumerate(state.rows):
                self.report.done(row, created=result.status_code == 201 and index == 0)
            return
        errors = _errors(result)
        for row in state.rows:
            self.report.fail(
                row, state.code, _why(result), status=result.status_code or None, errors=errors
            )
        for row, fields in state.contributors.items():
            for name in fields:
                self.report.skip(
                    row,
                    None,
                    name,
                    f"routed to product model {state.code!r}, which the PIM "
                    f"refused: {_why(result)}",
                )
        state.media.clear()

    # -- product writes --------------------------------------------------------------------

    def _push_products(self, round_no: int) -> None:
        total = self.spool.size(round_no)
        if not total:
            return
        label = "products" if round_no == 0 else f"products (repeat {round_no})"
        progress = Progress(self.logger, label, total)
        queue: deque[Future[_Sent]] = deque()
        limit = max(1, self.settings.max_concurrency) * QUEUE_FACTOR
        with ThreadPoolExecutor(max_workers=self.settings.max_concurrency) as pool:
            for lines in self.spool.batches(round_no, self.settings.batch_size):
                if self.settings.dry_run:
                    self._apply(self._send_products(lines), progress)
                    continue
                queue.append(pool.submit(self._send_products, lines))
                while len(queue) >= limit or (queue and queue[0].done()):
                    self._apply(queue.popleft().result(), progress)
            while queue:
                self._apply(queue.popleft().result(), progress)

    def _send_products(self, lines: list[Line]) -> _Sent:
        """Worker: settle fixes, send one batch (or write it in a dry run), read every line."""
        sent = _Sent(lines)
        priced = [line.ident for line in lines if line.flags & FIX_PRICE]
        prices = self._product_prices(priced) if priced else {}
        bodies: list[bytes] = []
        for line in lines:
            payload = line.payload
            count = line.values
            if line.flags:
                obj = json.loads(payload)
                dropped = self._fix_values(obj["values"], prices.get(line.ident, {}))
                for name, reason in dropped:
                    sent.dropped.append((line.row, line.ident, name, reason))
                count -= len(dropped)
                payload = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
            sent.values += count
            bodies.append(payload)
        if self.settings.dry_run:
            self._dry_write("products.ndjson", bodies, raw=True)
            existing = self._existing_identifiers([line.ident for line in lines])
            sent.results = [
                (line.row, line.ident, "updated" if line.ident in existing else "created", None)
                for line in lines
            ]
            return sent
        sent.results = self._patch_products(lines, bodies)
        return sent

    def _patch_products(
        self, lines: list[Line], bodies: list[bytes]
    ) -> list[tuple[int, str, str | None, dict[str, Any] | None]]:
        # The client's patch_collection takes dicts and serializes them again; the payloads
        # here are already the exact NDJSON lines, so the batch goes through client.request
        # (same auth, retries and concurrency limit) and client's own answer parser.
        try:
            response = self.client.request(
                "PATCH",
                PRODUCTS,
                data=b"\n".join(bodies),
                headers={"Content-Type": COLLECTION_CONTENT_TYPE},
            )
        except AkeneoAuthError:
            raise
        except AkeneoError as exc:
            if exc.status in (413, 403) and len(lines) > 1:
                half = len(lines) // 2
                return self._patch_products(lines[:half], bodies[:half]) + self._patch_products(
                    lines[half:], bodies[half:]
                )
            failure = {"status": exc.status, "message": exc.message, "errors": exc.errors}
            return [(line.row, line.ident, None, failure) for line in lines]
        keys = [{"identifier": line.ident} for line in lines]
        results = parse_ndjson(response.content.decode("utf-8", errors="replace"), keys)
        out: list[tuple[int, str, str | None, dict[str, Any] | None]] = []
        for line, result in zip(lines, results, strict=False):
            if result.ok:
                out.append(
                    (
                        line.row,
                        line.ident,
                        "created" if result.status_code == 201 else "updated",
                        None,
                    )
                )
            else:
                out.append(
                    (
                        line.row,
                        line.ident,
                        None,
                        {
                            "status": result.status_code or None,
                            "message": _why(result),
                            "errors": _errors(result),
                        },
                    )
                )
        return out

    def _product_prices(self, idents: list[str]) -> dict[str, dict[Key, list[dict[str, Any]]]]:
        attributes = sorted({s.attribute for s in self.key_specs.values() if s.kind == "price"})
        found: dict[str, dict[Key, list[dict[str, Any]]]] = {}
        for search in _identifier_searches(idents):
            params = {"search": search, "attributes": ",".join(attributes), "limit": 100}
            found.update(self._existing_prices(PRODUCTS, params, "identifier"))
        return found

    def _existing_identifiers(self, idents: list[str]) -> set[str]:
        found: set[str] = set()
        for search in _identifier_searches(idents):
            params = {"search": search, "limit": 100, "attributes": ""}
            found.update(
                str(item.get("identifier"))
                for item in self.client.iter_items(PRODUCTS, params=params)
            )
        return found

    def _apply(self, sent: _Sent, progress: Progress) -> None:
        """Main thread: record a batch's outcome in the report."""
        self.report.add("values_sent", sent.values)
        for row, ident, name, reason in sent.dropped:
            self.report.skip(row, ident, name, reason)
        for row, ident, outcome, failure in sent.results:
            if outcome is not None:
                self.report.done(row, created=outcome == "created")
            else:
                assert failure is not None  # noqa: S101
                self.report.fail(
                    row,
                    ident,
                    failure["message"],
                    status=failure["status"],
                    errors=_map_errors(failure["errors"], failure["message"]),
                )
        progress.advance(len(sent.lines))

    # -- media -----------------------------------------------------------------------------

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


MAX_SEARCH_CHARS = 4000  # keep GET URLs well under common server limits (8 kB)


def _identifier_searches(idents: list[str]) -> list[str]:
    """``search`` filters for up to 100 identifiers each, each short enough for a URL."""
    searches: list[str] = []
    chunk: list[str] = []
    size = 0
    for ident in idents:
        cost = len(quote(json.dumps(ident))) + 3
        if chunk and (len(chunk) >= 100 or size + cost > MAX_SEARCH_CHARS):
            searches.append(json.dumps({"identifier": [{"operator": "IN", "value": chunk}]}))
            chunk, size = [], 0
        chunk.append(ident)
        size += cost
    if chunk:
        searches.append(json.dumps({"identifier": [{"operator": "IN", "value": chunk}]}))
    return searches


def _prices_of(
    item: dict[str, Any], specs: dict[Key, FieldSpec]
) -> dict[Key, list[dict[str, Any]]]:
    prices: dict[Key, list[dict[str, Any]]] = {}
    for attribute, entries in (item.get("values") or {}).items():
        for value in entries or []:
            key = (attribute, value.get("scope"), value.get("locale"))
            spec = specs.get(key)
            if spec is not None and spec.kind == "price" and isinstance(value.get("data"), list):
                prices[key] = [
                    {"amount": p.get("amount"), "currency": p.get("currency")}
                    for p in value["data"]
                    if isinstance(p, dict)
                ]
    return prices


def _why(result: LineResult) -> str:
    errors = result.errors
    if errors:
        return "; ".join(str(e.get("message")) for e in errors if e.get("message")) or (
            result.message or f"HTTP {result.status_code}"
        )
    return result.message or f"HTTP {result.status_code}"


def _errors(result: LineResult) -> list[dict[str, Any]]:
    return _map_errors(result.errors, result.message or f"HTTP {result.status_code}")


def _map_errors(errors: list[dict[str, Any]] | None, message: str) -> list[dict[str, Any]]:
    mapped = [
        {"attribute": e.get("attribute") or e.get("property"), "message": e.get("message")}
        for e in errors or []
        if isinstance(e, dict)
    ]
    return mapped or [{"attribute": None, "message": message}]
