"""Settings of the configuration sync (contract §5), read from the loader's config."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping


class SettingsError(ValueError):
    """A setting with the wrong shape (names the setting and the reason)."""


_LIST_SETTINGS = (
    "channels",
    "locales",
    "families",
    "excluded_attributes",
    "excluded_attribute_groups",
    "allow_new_options",
)


def _code_list(name: str, value: Any) -> tuple[str, ...]:
    """A list of codes; also accepts a JSON array or comma-separated string (env vars)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise SettingsError(f"setting {name}: not a JSON array ({exc.msg})") from exc
        else:
            value = [part.strip() for part in text.split(",") if part.strip()]
    if not isinstance(value, list | tuple):
        raise SettingsError(f"setting {name}: expected a list of codes, got {type(value).__name__}")
    codes: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise SettingsError(f"setting {name}[{index}]: expected a code, got {item!r}")
        if item.strip() not in codes:
            codes.append(item.strip())
    return tuple(codes)


def _bool(name: str, value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in {"true", "1", "yes", "false", "0", "no"}:
        return value.strip().lower() in {"true", "1", "yes"}
    raise SettingsError(f"setting {name}: expected true or false, got {value!r}")


def _added_fields(value: Any) -> tuple[Any, ...]:
    """Raw added_fields entries; each is checked (and refused with a warning) by the transform."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise SettingsError(f"setting added_fields: not a JSON array ({exc.msg})") from exc
    if not isinstance(value, list | tuple):
        raise SettingsError("setting added_fields: expected a list of field names or objects")
    return tuple(value)


@dataclass(frozen=True)
class SyncSettings:
    """Targeting, exclusions, new options, category split, added fields and the PIM URL."""

    channels: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    excluded_attributes: tuple[str, ...] = ()
    excluded_attribute_groups: tuple[str, ...] = ()
    allow_new_options: tuple[str, ...] = ()
    split_categories: bool = False
    added_fields: tuple[Any, ...] = ()
    pim_url: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SyncSettings:
        """Read the settings from a config mapping; unknown keys are ignored."""
        lists = {name: _code_list(name, config.get(name)) for name in _LIST_SETTINGS}
        pim_url = config.get("pim_url")
        if pim_url is not None and not isinstance(pim_url, str):
            raise SettingsError(f"setting pim_url: expected a URL string, got {pim_url!r}")
        return cls(
            **lists,
            split_categories=_bool("split_categories", config.get("split_categories")),
            added_fields=_added_fields(config.get("added_fields")),
            pim_url=pim_url or None,
        )
