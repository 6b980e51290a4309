"""Creating the options and reference-entity records a job needs (``allow_new_options``).

Codes ``project.json`` does not know are first looked up (they may have been added to the PIM
after the sync); missing ones are created in one batch per attribute or entity, within
Akeneo's limit of 3 option writes per second.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from akeneo_client import AkeneoAuthError, AkeneoError

from target_akeneo.fixes import read_error
from target_akeneo.options import ATTRIBUTE, ENTITY
from target_akeneo.state import (
    API,
    PushState,
    why,
)


class OptionWrites(PushState):
    """Settles the option registry with the PIM."""

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
                try:
                    found = self.client.get_json_or_none(path)
                except AkeneoAuthError:
                    raise
                except AkeneoError as exc:  # only the values needing this code are left out
                    item.reason = self._lookup_failed(target_kind, target, item.code, exc)
                    continue
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

    def _lookup_failed(self, target_kind: str, target: str, code: str, exc: AkeneoError) -> str:
        what = "record" if target_kind == ENTITY else "option"
        attribute = self.options.labels.get((target_kind, target), target)
        return (
            f"{what} {code!r} for attribute {attribute} could not be looked up in the PIM "
            f"({read_error(exc)})"
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
                item.reason = f"{what} {item.code!r} could not be created: {why(result)}"
