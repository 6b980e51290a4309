"""The one field-name grammar shared by the configuration sync and the push (contract §1).

A PIM attribute becomes SDM fields named `{attribute}[-{channel}][-{locale}][-{companion}]`.
Codes hold no `-`, so the separator is safe, but a name alone can still be read two ways
(with a channel coded `unit`, `weight-unit` may be the amount for channel `unit` or the unit
of a non-scopable metric). Names are therefore parsed back through a table of known fields
(`FieldTable`, built from `project.json`) or through the attributes' fixed scopable and
localizable flags (`PimNameResolver`, used for steps), never by splitting the string alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sdm_transform.attribute_types import companion_of_type

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

SEPARATOR = "-"
COMPANION_KINDS = ("unit", "currency")


def is_valid_code(code: object) -> bool:
    """Whether a code can take part in a field name (a non-empty string without `-`)."""
    return isinstance(code, str) and code != "" and SEPARATOR not in code


def field_name(
    attribute: str,
    channel: str | None = None,
    locale: str | None = None,
    companion: str | None = None,
) -> str:
    """Build a field name: attribute, then channel, then locale, then the companion kind.

    Raises ValueError when a part holds the separator (such codes are refused upstream).
    """
    parts = [attribute]
    if channel is not None:
        parts.append(channel)
    if locale is not None:
        parts.append(locale)
    if companion is not None:
        if companion not in COMPANION_KINDS:
            raise ValueError(f"unknown companion kind {companion!r}")
        parts.append(companion)
    for part in parts:
        if not is_valid_code(part):
            raise ValueError(f"code {part!r} cannot be used in a field name (empty or holds '-')")
    return SEPARATOR.join(parts)


@dataclass(frozen=True, slots=True)
class FieldRef:
    """One SDM field: its name and the attribute, channel, locale and companion it stands for."""

    name: str
    attribute: str
    channel: str | None = None
    locale: str | None = None
    companion: str | None = None

    @property
    def amount_name(self) -> str:
        """Name of the amount field a companion belongs to (the field itself otherwise)."""
        return field_name(self.attribute, self.channel, self.locale)


@dataclass(frozen=True)
class Scope:
    """Targeted channels with the activated locales each of them carries (sorted)."""

    channels: Mapping[str, Sequence[str]]
    locales: Sequence[str]

    @classmethod
    def build(
        cls, channels: Mapping[str, Iterable[str]], locales: Iterable[str] | None = None
    ) -> Scope:
        """Scope from channel -> its locales, narrowed to `locales` when given.

        The activated locales are the union of the channels' locales (narrowed).
        """
        allowed = set(locales) if locales is not None else None
        per_channel = {
            code: tuple(sorted(loc for loc in set(locs) if allowed is None or loc in allowed))
            for code, locs in sorted(channels.items())
        }
        activated = sorted({loc for locs in per_channel.values() for loc in locs})
        return cls(per_channel, tuple(activated))


@dataclass(frozen=True)
class AttributeShape:
    """What the grammar needs of an attribute: its flags and companion kind."""

    code: str
    scopable: bool = False
    localizable: bool = False
    available_locales: frozenset[str] | None = None
    companion: str | None = None

    @classmethod
    def from_attribute(cls, attribute: Mapping) -> AttributeShape:
        """Shape of an Akeneo attribute JSON object."""
        available = attribute.get("available_locales") or None
        return cls(
            code=str(attribute["code"]),
            scopable=bool(attribute.get("scopable")),
            localizable=bool(attribute.get("localizable")),
            available_locales=frozenset(available) if available else None,
            companion=companion_of_type(str(attribute.get("type"))),
        )

    def allows_locale(self, locale: str) -> bool:
        """Whether a locale-specific restriction lets this locale through."""
        return self.available_locales is None or locale in self.available_locales


def expand(shape: AttributeShape, scope: Scope) -> list[FieldRef]:
    """The fields of one attribute for the targeted channels and activated locales.

    A locale-specific attribute only exists in its `available_locales`: localizable, it gets
    fields for those locales only; not localizable, it gets its field(s) only when one of those
    locales is activated (for a scopable one: carried by the channel). Ordered by channel code,
    then locale code, each companion right after its field.
    """
    pairs: list[tuple[str | None, str | None]]
    if shape.scopable and shape.localizable:
        pairs = [
            (channel, locale)
            for channel, locales in scope.channels.items()
            for locale in locales
            if shape.allows_locale(locale)
        ]
    elif shape.scopable:
        pairs = [
            (channel, None)
            for channel, locales in scope.channels.items()
            if shape.available_locales is None or shape.available_locales.intersection(locales)
        ]
    elif shape.localizable:
        pairs = [(None, locale) for locale in scope.locales if shape.allows_locale(locale)]
    elif shape.available_locales is None or shape.available_locales.intersection(scope.locales):
        pairs = [(None, None)]
    else:
        pairs = []
    refs: list[FieldRef] = []
    for channel, locale in pairs:
        refs.append(
            FieldRef(field_name(shape.code, channel, locale), shape.code, channel, locale, None)
        )
        if shape.companion:
            refs.append(
                FieldRef(
                    field_name(shape.code, channel, locale, shape.companion),
                    shape.code,
                    channel,
                    locale,
                    shape.companion,
                )
            )
    return refs


@dataclass
class FieldTable:
    """Known field names and what they stand for; the only way names are parsed back."""

    refs: dict[str, FieldRef] = field(default_factory=dict)

    @classmethod
    def from_refs(cls, refs: Iterable[FieldRef]) -> FieldTable:
        """Table of the given fields (a later duplicate name replaces an earlier one)."""
        return cls({ref.name: ref for ref in refs})

    @classmethod
    def from_project(cls, project: Mapping) -> FieldTable:
        """Table of the fields of a `project.json` document (`added_fields` are not PIM fields)."""
        return cls.from_refs(
            FieldRef(
                name=entry["name"],
                attribute=entry["attribute"],
                channel=entry.get("channel"),
                locale=entry.get("locale"),
                companion=entry.get("companion"),
            )
            for entry in project.get("fields") or []
        )

    def resolve(self, name: str) -> FieldRef | None:
        """The field a name stands for, or None when it is not a synced field."""
        return self.refs.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.refs

    def __iter__(self) -> Iterator[FieldRef]:
        return iter(self.refs.values())

    def __len__(self) -> int:
        return len(self.refs)


class PimNameResolver:
    """Parse names against every channel and locale of the PIM (used for `steps/`).

    Steps may name a field of a channel or locale that is not targeted, so resolution cannot
    rely on the synced table alone. The attribute's fixed flags say how many parts follow it
    and what each one is, so this never guesses from the string.
    """

    def __init__(
        self,
        shapes: Iterable[AttributeShape],
        channels: Iterable[str],
        locales: Iterable[str],
    ) -> None:
        self._shapes = {shape.code: shape for shape in shapes}
        self._channels = frozenset(channels)
        self._locales = frozenset(locales)

    def resolve(self, name: str) -> FieldRef | None:
        """The field a name stands for, or None when no attribute/channel/locale fits."""
        if not isinstance(name, str) or not name:
            return None
        parts = name.split(SEPARATOR)
        shape = self._shapes.get(parts[0])
        if shape is None:
            return None
        rest = parts[1:]
        expected = int(shape.scopable) + int(shape.localizable)
        companion: str | None = None
        if len(rest) == expected + 1 and shape.companion and rest[-1] == shape.companion:
            companion = rest.pop()
        if len(rest) != expected:
            return None
        channel = rest.pop(0) if shape.scopable else None
        locale = rest.pop(0) if shape.localizable else None
        if channel is not None and channel not in self._channels:
            return None
        if locale is not None and locale not in self._locales:
            return None
        return FieldRef(name, shape.code, channel, locale, companion)
