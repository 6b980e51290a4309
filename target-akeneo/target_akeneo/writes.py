"""Model and product writes: NDJSON batches, concurrency, every answer line read.

Product payloads come from the spool as the exact lines to send; batches go out up to
``max_concurrency`` at a time, and their outcome is applied to the report in the main thread.
A model line gathers values of several rows: when Akeneo refuses it naming values, those are
left out (reported against their rows) and the model is sent once more without them.
"""

from __future__ import annotations

import json
import re
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from akeneo_client import AkeneoAuthError, AkeneoError, LineResult, encode_line

from target_akeneo.fixes import (
    Fixes,
    categories_of,
    categories_read_reason,
    price_read_reason,
    prices_of,
    read_error,
)
from target_akeneo.report import Progress
from target_akeneo.routing import PriceEntry, Routing
from target_akeneo.spool import FIX_CATEGORIES, FIX_PRICE, Line
from target_akeneo.state import (
    MODELS,
    PRODUCTS,
    map_errors,
    result_errors,
    why,
)

if TYPE_CHECKING:
    from target_akeneo.models import ModelState
    from target_akeneo.rows import Entry, Key


DRY_READ_FAILED = "dry run: the PIM could not be read to tell a creation from an update"
QUEUE_FACTOR = 2  # batches prepared ahead per concurrent slot
_VALUE_PROPERTY = re.compile(r"values\[([A-Za-z0-9_]+)")  # "values[name-en_US-...]" style


@dataclass
class _Refused:
    """A model value Akeneo refused by name, with its message."""

    key: Key
    message: str


@dataclass
class _Sent:
    """Outcome of one product batch, built in a worker thread, applied in the main one."""

    lines: list[Line]
    results: list[tuple[int, str, str | None, dict[str, Any] | None]] = field(default_factory=list)
    dropped: list[tuple[int, str, str, str]] = field(default_factory=list)  # row,id,field,why
    values: int = 0


class Writes(Routing, Fixes):
    """Writes of product models and products."""

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
                results = self._patch_models(items)
            again: list[tuple[ModelState, dict[str, Any], LineResult, list[_Refused]]] = []
            for (state, payload), result in zip(chunk, results, strict=False):
                refused = [] if result.ok else self._refused_values(state, payload, result)
                if refused:
                    again.append((state, payload, result, refused))
                else:
                    self._model_result(state, result)
            if again:
                self._push_models_again(again)

    def _patch_models(self, items: list[dict[str, Any]]) -> list[LineResult]:
        """One batch of models; a failed request becomes a failed line for each model."""
        try:
            return self.client.patch_collection(MODELS, items, split_too_large=True)
        except AkeneoAuthError:
            raise
        except AkeneoError as exc:
            return [
                LineResult(i + 1, p["code"], exc.status or 0, exc.message, exc.errors)
                for i, p in enumerate(items)
            ]

    def _refused_values(
        self, state: ModelState, payload: dict[str, Any], result: LineResult
    ) -> list[_Refused]:
        """Values a 422 names, taken out of ``payload`` (empty: nothing usable, untouched).

        Several rows' values share one model line: the ones Akeneo names are left out so
        that the others can be sent again, each reported against the row it came from.
        """
        if result.status_code != 422 or not result.errors:
            return []
        values = payload["values"]
        refused: list[_Refused] = []
        for error in result.errors:
            attribute = error.get("attribute")
            if not isinstance(attribute, str) or attribute not in values:
                prop = error.get("property")
                match = _VALUE_PROPERTY.match(prop) if isinstance(prop, str) else None
                attribute = prop if prop in values else (match.group(1) if match else None)
                if attribute not in values:
                    continue
            assert isinstance(attribute, str)  # noqa: S101 - it is a key of values
            message = str(error.get("message") or why(result))
            kept = []
            for value in values[attribute]:
                if all(k not in error or error[k] == value.get(k) for k in ("locale", "scope")):
                    key = (attribute, value.get("scope"), value.get("locale"))
                    refused.append(_Refused(key, message))
                else:
                    kept.append(value)
            if kept:
                values[attribute] = kept
            else:
                del values[attribute]
        return refused

    def _push_models_again(
        self, again: list[tuple[ModelState, dict[str, Any], LineResult, list[_Refused]]]
    ) -> None:
        """Send once more the models whose refused values were left out."""
        results = self._patch_models([payload for _, payload, _, _ in again])
        for (state, _, first, refused), result in zip(again, results, strict=False):
            if not result.ok:  # refused again: the model fails with both answers' reasons
                second = result.errors or [{"message": why(result)}]
                errors = list(first.errors) + [e for e in second if e not in first.errors]
                self._model_result(
                    state,
                    LineResult(result.line, result.key, result.status_code, result.message, errors),
                )
                continue
            self.report.add("values_sent", -len(refused))
            for item in refused:
                for entry in self._entries_of(state, item.key):
                    self.report.skip(
                        entry.row,
                        entry.ident,
                        entry.field,
                        f"refused by the PIM for product model {state.code!r}: {item.message} "
                        "(the model's other values were written)",
                    )
            self._model_result(state, result)

    @staticmethod
    def _entries_of(state: ModelState, key: Key) -> list[Entry]:
        """The rows' entries that gave a model's value: the winner and its equal copies."""
        winner = state.own.get(key) or state.inherited.get(key)
        if winner is None:
            return []
        if isinstance(winner, PriceEntry):  # merged per currency: every row that gave one
            rows: dict[tuple[int, str], Entry] = {}
            for entry in winner.sources.values():
                rows.setdefault((entry.row, entry.field), entry)
            return list(rows.values())
        same = [
            e
            for e in state.contributors
            if e is not winner and e.field == winner.field and e.data == winner.data
        ]
        return [winner, *same]

    def _fix_model(self, state: ModelState, payload: dict[str, Any]) -> None:
        prices: dict[Key, list[dict[str, Any]]] = {}
        price_error: str | None = None
        own = payload.get("categories")
        merge = own is not None and bool(self._missing_trees(own))  # split trees left empty
        priced = any(
            self.key_specs.get(k) and self.key_specs[k].kind == "price"
            for k in state.own.keys() | state.inherited.keys()
        )
        if priced or merge:  # one read serves both
            try:
                found = self.client.get_json_or_none(f"{MODELS}/{quote(state.code, safe='')}")
            except AkeneoAuthError:
                raise
            except AkeneoError as exc:  # only what depends on the read is left out
                error = read_error(exc)
                price_error = price_read_reason("product model", error)
                if merge:
                    del payload["categories"]
                    self.report.skip(
                        (state.rows or [0])[-1],
                        state.code,
                        "categories",
                        categories_read_reason("product model", error),
                    )
            else:
                if isinstance(found, dict):  # a new model gets its rows' own list
                    prices = prices_of(found, self.key_specs)
                    if merge and own is not None:
                        payload["categories"] = self._merge_categories(own, categories_of(found))
        for key, name, reason in self._fix_values(payload["values"], prices, price_error):
            entry = state.own.get(key) or state.inherited.get(key)
            row = entry.row if entry is not None else (state.rows or [0])[0]
            ident = entry.ident if entry is not None else state.code
            self.report.skip(row, ident, name, reason)

    def _dry_result(self, path: str, code: str) -> LineResult:
        """A dry run's outcome for one model: would it be created or updated?"""
        try:
            found = self.client.get_json_or_none(f"{path}/{quote(code, safe='')}")
        except AkeneoAuthError:
            raise
        except AkeneoError as exc:  # that model's rows fail; the dry run goes on
            return LineResult(None, code, 0, f"{DRY_READ_FAILED} ({read_error(exc)})")
        return LineResult(None, code, 204 if found is not None else 201)

    def _model_result(self, state: ModelState, result: LineResult) -> None:
        if result.ok:
            for index, row in enumerate(state.rows):
                self.report.done(row, created=result.status_code == 201 and index == 0)
            return
        errors = result_errors(result)
        for row in state.rows:
            self.report.fail(
                row, state.code, why(result), status=result.status_code or None, errors=errors
            )
        for entry in state.contributors:
            self.report.skip(
                entry.row,
                entry.ident,
                entry.field,
                f"routed to product model {state.code!r}, which the PIM refused: {why(result)}",
            )
        for ident, item in state.media:
            self.report.skip(
                item.row,
                ident,
                item.field,
                f"not uploaded: product model {state.code!r} was not written",
            )
        state.media.clear()

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
        priced = False
        reads: list[str] = []  # products whose current prices or categories are needed
        for line in lines:
            if line.flags & (FIX_PRICE | FIX_CATEGORIES):
                reads.append(line.ident)
                priced = priced or bool(line.flags & FIX_PRICE)
        current, errors = self._current_products(reads, prices=priced) if reads else ({}, {})
        bodies: list[bytes] = []
        for line in lines:
            payload = line.payload
            count = line.values
            if line.flags:
                obj = json.loads(payload)
                error = errors.get(line.ident)
                prices, categories = current.get(line.ident, ({}, None))
                dropped = self._fix_values(
                    obj["values"],
                    prices,
                    price_read_reason("product", error) if error is not None else None,
                )
                for _, name, reason in dropped:
                    sent.dropped.append((line.row, line.ident, name, reason))
                count -= len(dropped)
                if line.flags & FIX_CATEGORIES and "categories" in obj:
                    if error is not None:
                        del obj["categories"]
                        reason = categories_read_reason("product", error)
                        sent.dropped.append((line.row, line.ident, "categories", reason))
                    elif categories is not None:  # a new product gets the row's own list
                        obj["categories"] = self._merge_categories(obj["categories"], categories)
                payload = encode_line(obj)
            sent.values += count
            bodies.append(payload)
        if self.settings.dry_run:
            self._dry_write("products.ndjson", bodies, raw=True)
            existing, failed = self._existing_identifiers([line.ident for line in lines])
            # a product this dry run would already have created (an earlier row of the job)
            existing.update(i for i in (line.ident for line in lines) if i in self._dry_created)
            for line in lines:
                if line.ident in failed:  # its row fails; the dry run goes on
                    failure = {"status": None, "errors": None,
                               "message": f"{DRY_READ_FAILED} ({failed[line.ident]})"}
                    sent.results.append((line.row, line.ident, None, failure))
                    continue
                outcome = "updated" if line.ident in existing else "created"
                sent.results.append((line.row, line.ident, outcome, None))
                self._dry_created.add(line.ident)
            return sent
        sent.results = self._patch_products(lines, bodies)
        return sent

    def _patch_products(
        self, lines: list[Line], bodies: list[bytes]
    ) -> list[tuple[int, str, str | None, dict[str, Any] | None]]:
        # The payloads are already the exact NDJSON lines: no second serialization. A batch
        # refused as too large is split by the client down to the line that is too large.
        try:
            results = self.client.patch_collection_lines(PRODUCTS, bodies, split_too_large=True)
        except AkeneoAuthError:
            raise
        except AkeneoError as exc:
            failure = {"status": exc.status, "message": exc.message, "errors": exc.errors}
            return [(line.row, line.ident, None, failure) for line in lines]
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
                            "message": why(result),
                            "errors": result_errors(result),
                        },
                    )
                )
        return out

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
                    errors=map_errors(failure["errors"], failure["message"]),
                )
        progress.advance(len(sent.lines))
