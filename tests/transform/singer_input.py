"""Singer messages built from a catalog dict, as tap-akeneo would send them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

OPEN_SCHEMA = {"type": "object", "properties": {"code": {"type": ["string", "null"]}},
               "additionalProperties": True}


def catalog_lines(catalog: dict, streams: Iterable[str] | None = None) -> list[str]:
    """SCHEMA then RECORD lines per stream, a final STATE line."""
    lines = []
    for stream in streams if streams is not None else catalog:
        lines.append(json.dumps({"type": "SCHEMA", "stream": stream, "schema": OPEN_SCHEMA,
                                 "key_properties": []}))
        lines.extend(json.dumps({"type": "RECORD", "stream": stream, "record": record})
                     for record in catalog.get(stream, []))
    lines.append(json.dumps({"type": "STATE", "value": {}}))
    return lines


def catalog_input(catalog: dict, streams: Iterable[str] | None = None) -> str:
    """The whole input text."""
    return "\n".join(catalog_lines(catalog, streams)) + "\n"
