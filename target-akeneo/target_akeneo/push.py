"""Orchestration of one push: rows in, PIM writes in the contract's order, report out.

Order (contract §7): new options and records, assets, root product models, sub models,
products (one round per repeat of an identifier), then media files. Product and model writes
are NDJSON batches of up to ``batch_size`` with up to ``max_concurrency`` in flight; every
answer line is read, and a failed line or batch never stops the others.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from akeneo_client import AkeneoAuthError, AkeneoError
from sdm_transform.jsonvalues import blank_line

from target_akeneo.media import AssetPlan
from target_akeneo.models import ModelInfo, ModelState
from target_akeneo.option_writes import OptionWrites
from target_akeneo.options import OptionRegistry, RateLimiter
from target_akeneo.report import Report
from target_akeneo.rows import Converted, Converter, Key, Media
from target_akeneo.spool import Spool
from target_akeneo.state import PRODUCTS
from target_akeneo.uploads import Uploads
from target_akeneo.writes import Writes

if TYPE_CHECKING:
    from collections.abc import Callable

    from akeneo_client import AkeneoClient

    from target_akeneo.project import FieldSpec, Project
    from target_akeneo.state import (
        PushSettings,
    )

READ_LOG_EVERY = 10_000  # rows between two "read N rows" log lines


class Push(OptionWrites, Uploads, Writes):
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
        self._client_lock = threading.Lock()
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
        self._model_errors: dict[str, str] = {}
        # rows of products that may be variants without a parent (by identifier, in file
        # order), and the parents the job's rows give
        self._held: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._job_parents: dict[str, str] = {}
        self._variant_families = frozenset(v.family for v in project.variants.values())
        self._key_field = project.identifier_field or ""
        self.models: dict[str, ModelState] = {}
        self.deferred: list[tuple[Converted, dict[str, Any]]] = []
        self.media: list[tuple[str, Media]] = []  # (identifier, media) of products
        self.ingesting = True
        self._option_limiter = RateLimiter()
        self._cpu_start = time.process_time()
        self.stopped: str | None = None  # why the push stopped before the end, if it did
        self._read = 0
        self._read_start = time.monotonic()
        # Sign in while the rows are read: a bad credential is reported at once, and the
        # writes do not wait for a token.
        self._warm_error: AkeneoError | None = None
        self._warm = threading.Thread(target=self._warm_up, name="akeneo-sign-in", daemon=True)
        self._warm.start()
        self._dry_dir = settings.job_dir / "dry-run"
        self._dry_created: set[str] = set()  # identifiers a dry run counted as written
        self._dry_seq = 0

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
            # codes as the converter reads them: text, stripped (anything else fails the row)
            variant, parent = data.get("family_variant"), data.get("parent")
            variant = variant.strip() if isinstance(variant, str) else None
            parent = parent.strip() if isinstance(parent, str) else None
            if info is None:
                self.model_infos[code] = ModelInfo(code, variant or None, parent or None, True)
            else:  # a repeated model row: later non-empty values win
                info.family_variant = variant or info.family_variant
                info.parent = parent or info.parent

    def _add_product(self, row: int, data: dict[str, Any]) -> None:
        if self.ingesting and (self._held or self._variant_families):
            ident = data.get(self._key_field)
            if type(ident) is str:
                held = self._held.get(ident)
                if held is not None:  # its product waits for a parent: keep the file's order
                    held.append((row, data))
                    return
                if self._may_be_variant(data):
                    parent = self._job_parents.get(ident)
                    if parent is None:  # looked up once the whole job is read
                        self._held[ident] = [(row, data)]
                        return
                    data = {**data, "parent": parent}
        converted = self.converter.convert(row, data, model=False)
        if converted.failure is not None:
            self.report.fail(
                row, converted.ident, converted.failure, attribute=converted.failure_attribute
            )
            if converted.ident is not None:
                self.spool.ids.occurrence(row, converted.ident)
            return
        self._route_product(converted, data)

    def _may_be_variant(self, data: dict[str, Any]) -> bool:
        """A row without ``parent`` whose family has variants: it may update a variant product.

        Sent as a simple product, its model-level values would make Akeneo refuse the whole
        row, so its parent is taken from an earlier row of the job, else from the PIM.
        """
        if _given(data.get("parent")):
            return False
        family = data.get("family")
        return type(family) is str and family.strip() in self._variant_families

    def _resolve_parentless(self) -> None:
        """Take in the rows held by :meth:`_add_product`, in file order, with their parent.

        The parent is the one a row of the job gives the product, else the PIM's (one search
        per 100 identifiers); a product the PIM does not hold as a variant stays simple.
        """
        groups, self._held = self._held, {}
        if not groups:
            return
        given: dict[str, str] = {}
        for ident, rows in groups.items():
            for _, data in rows:
                if _given(data.get("parent")):
                    given.setdefault(ident, data["parent"])
            if ident not in given and ident in self._job_parents:
                given[ident] = self._job_parents[ident]
        for converted, _ in self.deferred:  # rows whose parent model comes later in the job
            if converted.ident in groups and converted.parent is not None:
                given.setdefault(converted.ident, converted.parent)
        wanted = sorted(ident for ident in groups if ident not in given)
        found, failed = self._pim_parents(wanted) if wanted else ({}, {})
        held = sorted((row, ident, data) for ident, rows in groups.items() for row, data in rows)
        for row, ident, row_data in held:
            parent = given.get(ident) or found.get(ident)
            if ident in failed:
                self.report.warn(
                    row,
                    f"could not read whether {ident!r} is a variant product "
                    f"({failed[ident]}); it is sent as a simple product",
                )
            takes = parent and not _given(row_data.get("parent"))
            self._add_product(row, {**row_data, "parent": parent} if takes else row_data)

    def run(self) -> dict[str, Any]:
        """Push everything in order and write ``push-report.json``; returns the report."""
        started = time.monotonic()
        self._cpu_run = time.process_time()
        try:
            self._warm.join()
            if self._warm_error is not None:
                raise self._warm_error
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

    def _warm_up(self) -> None:
        """One small authenticated read (products are read by the push anyway)."""
        try:
            self.client.get_json(PRODUCTS, params={"limit": 1})
        except AkeneoAuthError as exc:
            self._warm_error = exc
            self.logger.error("cannot sign in to the PIM: %s (the job is still read)", exc)
        except AkeneoError as exc:  # anything else shows again, with context, when it matters
            self.logger.warning("first call to the PIM failed: %s", exc)
        except Exception:  # never let a sign-in problem kill the reading thread's caller
            self.logger.exception("first call to the PIM failed")

    def _stop(self, reason: str) -> None:
        self.stopped = reason
        self.report.warn(None, reason)
        for row in self.report.pending_rows():
            self.report.fail(row, None, reason)

    def _missing_lines(self) -> bool:
        """Fail every line of the job file that never reached the push; False to stop.

        A tap that stopped part-way (or a job file it could not read) must not leave a report
        that looks complete. Counting the file's lines is quick; the lines themselves are only
        read back when some row is missing (blank lines are no rows).
        """
        path = self.settings.job_dir / "export.jsonl"
        if not path.is_file():
            if self._read:
                return True  # rows from another source: nothing to compare with
            self._stop(f"job file {path} not found: no row was read, nothing is pushed")
            return False
        lines, last = 0, b""
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                at = chunk.find(b"\n")  # memchr jumps: half the CPU of bytes.count
                while at >= 0:
                    lines += 1
                    at = chunk.find(b"\n", at + 1)
                last = chunk[-1:]
        if last and last != b"\n":
            lines += 1  # a last line without its newline
        missing = set(self.report.unreceived(lines))
        if not missing:
            return True
        with path.open("rb") as handle:
            for row, full in enumerate(handle, start=1):
                if row not in missing:
                    continue
                if blank_line(row, full):
                    continue  # no row (as tap-sdm-job reads the file)
                self.report.received(row)
                self.report.fail(
                    row,
                    None,
                    "this line never reached the push: tap-sdm-job stopped before it "
                    "(see its log)",
                )
        return True

    def _run(self) -> None:
        self.ingesting = False
        if not self._missing_lines():
            return
        self._resolve_parentless()
        deferred, self.deferred = self.deferred, []
        for converted, data in deferred:  # variant rows whose parent was not known yet
            self._route_product(converted, data)
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


def _given(code: Any) -> bool:
    """A reserved code the row gives (text, not blank)."""
    return type(code) is str and bool(code.strip())
