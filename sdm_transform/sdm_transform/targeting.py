"""Targeting of channels, locales and families (contract §1, §5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdm_transform.fields import Scope, is_valid_code

if TYPE_CHECKING:
    from sdm_transform.notes import Notes
    from sdm_transform.settings import SyncSettings


def valid_channels(channels: list[dict], notes: Notes) -> list[dict]:
    """PIM channels usable in field names; a code holding `-` is refused with a warning."""
    usable = []
    for channel in channels:
        code = channel.get("code")
        if is_valid_code(code):
            usable.append(channel)
        else:
            notes.warn(f"channel {code!r} left out: its code holds '-' or is empty")
    return sorted(usable, key=lambda c: c["code"])


def pim_locales(catalog_locales: list[dict], channels: list[dict]) -> list[str]:
    """Every locale code of the PIM (locales stream and channels' lists), for parsing steps."""
    codes = {str(loc.get("code")) for loc in catalog_locales}
    codes.update(str(code) for channel in channels for code in channel.get("locales") or [])
    return sorted(code for code in codes if is_valid_code(code))


def target_channels(channels: list[dict], settings: SyncSettings, notes: Notes) -> list[dict]:
    """The channels of the `channels` setting, or all channels when it is empty."""
    if not settings.channels:
        return channels
    by_code = {c["code"]: c for c in channels}
    for code in settings.channels:
        if code not in by_code:
            notes.warn(f"channel {code!r} of the setting channels does not exist in the PIM")
    return [by_code[code] for code in sorted(settings.channels) if code in by_code]


def build_scope(targeted: list[dict], settings: SyncSettings, notes: Notes) -> Scope:
    """Targeted channels with their locales, narrowed to the `locales` setting when set."""
    per_channel: dict[str, list[str]] = {}
    for channel in targeted:
        locales = []
        for locale in channel.get("locales") or []:
            if is_valid_code(locale):
                locales.append(locale)
            else:
                notes.warn(
                    f"locale {locale!r} of channel {channel['code']} left out: "
                    "its code holds '-' or is empty"
                )
        per_channel[channel["code"]] = locales
    available = {loc for locs in per_channel.values() for loc in locs}
    for code in settings.locales:
        if code not in available:
            notes.warn(
                f"locale {code!r} of the setting locales is not activated on any targeted channel"
            )
    return Scope.build(per_channel, settings.locales or None)


def target_families(families: list[dict], settings: SyncSettings, notes: Notes) -> list[dict]:
    """The families of the `families` setting (all when empty), sorted by code."""
    ordered = sorted(families, key=lambda f: str(f.get("code")))
    if not settings.families:
        return ordered
    wanted = set(settings.families)
    known = {f.get("code") for f in families}
    for code in settings.families:
        if code not in known:
            notes.warn(f"family {code!r} of the setting families does not exist in the PIM")
    return [f for f in ordered if f.get("code") in wanted]
