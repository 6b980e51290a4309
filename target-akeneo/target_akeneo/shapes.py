"""Converters compiled for one row shape: the hot loop of a push, without its loop.

A job's rows nearly always hold the same fields in the same order (SDM exports every
column of the job). For such a *shape* (the row's keys, in order), the per-row work of the
general loop (look the field's plan up, unpack it, find the attribute's list) is the same on
every row, so it is done once: the converter of that shape is generated as straight-line
Python, one block per field, and compiled with ``exec`` (as ``dataclasses`` builds its
methods). Only the commonest case is inlined: a text value that is present and within its
length. Every other value of the row goes to the general routine with its plan, so a value
is checked, converted, refused or counted exactly as the general loop does it.

The generated code holds no data but field names, attribute codes, channel and locale codes
(as ``repr`` literals) and length limits (integers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

#: ``(spec or PASS or None, attribute, converter, locale, scope, text length limit or -1)``
Plan = tuple[Any, str, Any, str | None, str | None, int]
#: ``general(out, name, value, data, plan)``: one value the inlined path does not take
General = Callable[[Any, str, Any, dict[str, Any], Plan], None]
ShapeConverter = Callable[[Any, dict[str, Any], General], None]

MAX_SHAPES = 64  # shapes compiled per push; rows of other shapes take the general loop
MAX_FIELDS = 2000  # a wider row takes the general loop (the generated function would be huge)


def shape_source(keys: Sequence[str], plans: Sequence[Plan], passed: object) -> str:
    """Python source of ``convert(out, data, general)`` for rows whose keys are ``keys``.

    ``out.values`` becomes a dict of attribute -> value list; attributes left without a
    value are removed at the end.
    """
    names = [f"v{i}" for i in range(len(keys))]
    lines = ["def convert(out, data, general):"]
    attributes: dict[str, str] = {}
    for plan in plans:
        if plan[0] is not passed and plan[0] is not None:
            attributes.setdefault(plan[1], f"a{len(attributes)}")
    if len(keys) == 1:
        lines.append(f"    {names[0]}, = data.values()")
    elif keys:
        lines.append(f"    {', '.join(names)} = data.values()")
    lines.append(
        "    values = out.values = {"
        + ", ".join(f"{attribute!r}: []" for attribute in attributes)
        + "}"
    )
    for attribute, local in attributes.items():
        lines.append(f"    {local} = values[{attribute!r}]")
    for index, (key, plan) in enumerate(zip(keys, plans, strict=True)):
        spec, attribute, _, locale, scope, limit = plan
        value = names[index]
        if spec is passed:
            continue
        general = f"general(out, {key!r}, {value}, data, plans[{index}])"
        if spec is None or limit < 0:
            lines.append(f"    {general}")
            continue
        lines.append(
            f"    if type({value}) is str and 0 < len({value}) <= {limit} "
            f"and not {value}.isspace():"
        )
        lines.append(
            f"        {attributes[attribute]}.append("
            f"{{'locale': {locale!r}, 'scope': {scope!r}, 'data': {value}}})"
        )
        lines.append("    else:")
        lines.append(f"        {general}")
    for attribute, local in attributes.items():
        lines.append(f"    if not {local}:")
        lines.append(f"        del values[{attribute!r}]")
    return "\n".join(lines) + "\n"


def compile_shape(
    keys: Sequence[str], plans: Sequence[Plan], passed: object
) -> ShapeConverter:
    """The converter of one row shape (see :func:`shape_source`)."""
    namespace: dict[str, Any] = {"plans": tuple(plans)}
    code = compile(shape_source(keys, plans, passed), "<target-akeneo row shape>", "exec")
    exec(code, namespace)  # noqa: S102 - source built above from repr literals and integers
    converter: ShapeConverter = namespace["convert"]
    return converter


class Shapes:
    """Compiled converters by row shape, each compiled when its shape is seen a second time."""

    def __init__(self, plan_of: Callable[[str], Plan], passed: object) -> None:
        self._plan_of = plan_of
        self._passed = passed
        self._compiled: dict[tuple[str, ...], ShapeConverter] = {}
        self._seen: set[int] = set()  # hashes of shapes seen once (bounded)

    def get(self, keys: tuple[str, ...]) -> ShapeConverter | None:
        """The shape's converter, or None (rows of this shape take the general loop)."""
        found = self._compiled.get(keys)
        if found is not None or len(self._compiled) >= MAX_SHAPES or len(keys) > MAX_FIELDS:
            return found
        mark = hash(keys)
        if mark not in self._seen:  # first sighting: a one-off shape is not worth compiling
            if len(self._seen) < 16 * MAX_SHAPES:
                self._seen.add(mark)
            return None
        if len(set(keys)) != len(keys):  # never, for a dict's keys; cheap to be sure
            return None
        converter = compile_shape(keys, [self._plan_of(key) for key in keys], self._passed)
        self._compiled[keys] = converter
        return converter
