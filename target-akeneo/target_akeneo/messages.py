"""Reading Singer messages fast, with exactly the values singer-sdk's own reader gives.

singer-sdk parses each input line with ``json.loads(line, parse_float=Decimal)``. A job of
100,000 rows spends much of its CPU there, so lines are parsed with
:func:`sdm_transform.jsonvalues.read_exact` instead (``msgspec``, numbers with a fraction as
``Decimal``, exactly as written: the same values in one pass, about half the CPU of the
SDK's). Anything it refuses (bad JSON, ``NaN``, an escaped lone surrogate, ...) goes to the
SDK's reader, which accepts or reports it as it always does.

Standard input is read as bytes (UTF-8 is parsed directly, with no text decoding and line
splitting of its own); the SDK's loop over lines is kept step for step, with fewer calls
per line.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from typing import IO, TYPE_CHECKING, Any

from sdm_transform.jsonvalues import JSONRefused, read_exact
from singer_sdk.singerlib.encoding import SimpleSingerReader
from singer_sdk.singerlib.exceptions import InvalidInputLine

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["FastSingerReader"]


class FastSingerReader(SimpleSingerReader):
    """``SimpleSingerReader`` parsing with msgspec (same values: see the module's docstring)."""

    def deserialize_json(self, line: str | bytes) -> dict[Any, Any]:
        """Parse one message line; lines ``read_exact`` refuses take the SDK's own path."""
        try:
            message = read_exact(line)
        except JSONRefused:
            message = None
        if type(message) is not dict:
            text = line if isinstance(line, str) else line.decode("utf-8", errors="replace")
            try:
                return super().deserialize_json(text)
            except RecursionError:  # json's own limit: the same answer as any bad line
                msg = f"Unable to parse (nested too deeply): {text[:200]}"
                raise InvalidInputLine(msg) from None
        return message

    def process_lines(
        self,
        file_input: IO[str] | IO[bytes] | None,
        callbacks: dict[str, Callable[[dict[Any, Any]], None]],
    ) -> Counter[str]:
        """The SDK's line loop (same checks, same callbacks, same counts), bytes in."""
        stats: defaultdict[str, int] = defaultdict(int)
        lines: Iterable[str | bytes] = (
            file_input if file_input is not None else getattr(sys.stdin, "buffer", sys.stdin)
        )
        deserialize = self.deserialize_json
        for line in lines:
            self._current_message = line  # type: ignore[assignment]
            message = deserialize(line)
            if "type" not in message:
                self.assert_line_requires(message, requires={"type"})  # raises, as the SDK
            kind = message["type"]
            callback = callbacks.get(kind)
            if callback is not None:
                callback(message)
            else:
                self._process_unknown_message(message)
            stats[kind] += 1
        return Counter(**stats)
