"""Converters compiled for one row shape: the hot loop of a push, without its loop.

A job's rows nearly always hold the same fields in the same order (SDM exports every
column of the job). For such a *shape* (the row's keys, in order), the per-row work of the
general loop (look the field's plan up, unpack it, find the attribute's list) is the same on
every row, so it is done once: the converter of that shape is generated as straight-line
Python, one block per field, and compiled with ``exec`` (as ``dataclasses`` builds its
methods). Two cases are inlined: a text value that is present and within its length, and a
value of a field whose converter reads nothing but the value (select, multi-select,
boolean, date, number: the *pure* converters; a metric is pure on its amount and unit),
whose answer is remembered per distinct value (product data repeats: colours, materials,
yes/no, weights). A string is its own key; a boolean, an integer or a list of scalars is
kept with its type (``True == 1`` in Python, and a number field refuses ``True`` but takes
``1``), a list as a tuple. Every other value of the row goes to the
general routine with its plan, so a value is checked, converted, refused or counted exactly
as the general loop does it; a value a pure converter refuses or leaves to the general
handler is never remembered.

Each field's value entry (``{"locale", "scope", "data"}``) is one dict per compiled shape,
whose ``data`` is set row after row, instead of a new dict per value: a simple product's
values are serialized before the next row is converted (``Push._add_product``), so an entry
is never read after its row. The values a compiled shape gives are therefore valid until the
next row of the push is converted; nothing may keep them longer (:meth:`Converter.convert`).

The generated code holds no data but field names, attribute codes, channel and locale codes
(as ``repr`` literals) and length limits (integers).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence



class Plan(NamedTuple):
    """How one field of a simple product is converted, planned once per field name."""

    spec: Any  #: the field's spec; the passed-over marker (reserved, companion); None: unknown
    attribute: str
    convert: Any  #: ``(value, row) -> data`` made for the field, or None (general handler)
    locale: str | None
    scope: str | None
    limit: int  #: a text field's length limit (a string within it is sent as is), else -1
    pure: Any  #: the converter on the value alone (its answers may be remembered), or None
    metric: bool  #: ``pure`` takes ``(amount, unit)``: a metric read with its unit field
    unit_field: str | None  #: a metric's unit field, if the project has one


#: ``general(out, name, value, data, plan)``: one value the inlined path does not take
General = Callable[[Any, str, Any, dict[str, Any], Plan], None]
ShapeConverter = Callable[[Any, dict[str, Any], General], None]

MAX_SHAPES = 64  # shapes compiled per push; rows of other shapes take the general loop
MAX_FIELDS = 2000  # a wider row takes the general loop (the generated function would be huge)
MAX_REMEMBERED = 4096  # distinct values remembered per field
MAX_REMEMBERED_TOTAL = 50_000  # answers remembered per push, all fields together (~10 MB)


class Budget:
    """How many more answers a push may remember, shared by all its fields.

    Without it, a wide job whose fields rarely repeat (hundreds of number fields, each with
    thousands of distinct values) would keep up to ``MAX_REMEMBERED`` answers per field.
    """

    def __init__(self, total: int = MAX_REMEMBERED_TOTAL) -> None:
        self.left = total

    def take(self) -> bool:
        """True when one more answer may be kept (and count it)."""
        if self.left <= 0:
            return False
        self.left -= 1
        return True


def remembering(
    pure: Callable[[Any], Any],
    refused: tuple[type[Exception], ...],
    budget: Budget | None = None,
) -> tuple[dict[str, Any], Callable[[str], Any]]:
    """A per-value memory of a pure converter: ``(answers, fill)``.

    ``fill(value)`` converts a value not yet remembered and keeps its answer; it gives None
    when the converter refuses the value or leaves it to the general handler (never kept).
    Lists are kept as tuples (the same JSON), so no row can change another row's value; a
    metric's ``{amount, unit}`` is shared by the rows that give it (nothing changes the value
    of a simple product once converted: it is serialized at once).
    """
    answers: dict[Any, Any] = {}

    def fill(value: Any, key: Any = _SAME) -> Any:
        try:
            answer = pure(value)
        except refused:
            return None
        if answer is None:
            return None
        if type(answer) is list:
            answer = tuple(answer)
        if len(answers) < MAX_REMEMBERED and (budget is None or budget.take()):
            answers[value if key is _SAME else key] = answer
        return answer

    return answers, fill


_SAME = object()  # ``fill``'s key when it is the value itself
KEYED = frozenset({bool, int, list})  # other inputs a pure converter's answer is kept for


def keyed(answers: dict[Any, Any], fill: Callable[..., Any], value: Any) -> Any:
    """The remembered answer for a boolean, an integer or a list (filled when new).

    The key holds the value's type, so that ``True`` and ``1`` (equal in Python) never share
    an answer; a list is kept as a tuple of its items (a list holding lists or objects is not
    kept: None sends it to the general handler).
    """
    kind = type(value)
    try:
        key = (kind, tuple(value)) if kind is list else (kind, value)
        found = answers.get(key)
    except TypeError:  # unhashable items
        return None
    if found is None:
        found = fill(value, key)
    return found


def shape_source(keys: Sequence[str], plans: Sequence[Plan], passed: object) -> str:
    """Python source of ``convert(out, data, general)`` for rows whose keys are ``keys``.

    ``out.values`` becomes a ``defaultdict(list)`` of attribute -> values, filled in field
    order as the general loop fills it (an attribute only appears once it has a value). An
    attribute that only one field of the shape writes gets its list in one step. ``entry{i}``
    is field ``i``'s value entry and ``alone{i}`` the list holding only it (for an attribute
    no other field writes), both reused row after row (see the module's docstring): no
    handler can add to ``alone{i}``, as only field ``i`` writes that attribute and its
    handler runs only on rows where ``alone{i}`` is not used.
    ``answers{i}`` and ``fill{i}`` are the memory of field ``i``'s pure converter (see
    :func:`remembering`), bound when the source is compiled.
    """
    names = [f"v{i}" for i in range(len(keys))]
    lines = ["def convert(out, data, general):"]
    writers: dict[str, int] = {}  # attribute -> fields of the shape that write it
    for plan in plans:
        if plan.spec is not passed and plan.spec is not None:
            writers[plan.attribute] = writers.get(plan.attribute, 0) + 1
    if len(keys) == 1:
        lines.append(f"    {names[0]}, = data.values()")
    elif keys:
        lines.append(f"    {', '.join(names)} = data.values()")
    lines.append("    values = out.values = new_values()")
    position = {key: names[index] for index, key in enumerate(keys)}
    for index, (key, plan) in enumerate(zip(keys, plans, strict=True)):
        value = names[index]
        if plan.spec is passed:
            continue
        general = f"general(out, {key!r}, {value}, data, plans[{index}])"
        if plan.spec is None or (plan.limit < 0 and plan.pure is None):
            lines.append(f"    {general}")
            continue
        entry = f"entry{index}"
        if writers[plan.attribute] == 1:  # its one-entry list is reused too
            put = f"{entry}['data'] = %s; values[{plan.attribute!r}] = alone{index}"
        else:
            put = f"{entry}['data'] = %s; values[{plan.attribute!r}].append({entry})"
        if plan.limit >= 0:  # text
            lines.append(
                f"    if type({value}) is str and 0 < len({value}) <= {plan.limit} "
                f"and not {value}.isspace():"
            )
            lines.append(f"        {put % value}")
        else:  # a pure converter, remembered per value (a metric: per amount and unit)
            if plan.metric:
                unit = position.get(plan.unit_field, "None") if plan.unit_field else "None"
                guard = (
                    f"(type({value}) is str or type({value}) is int) "
                    f"and ({unit} is None or type({unit}) is str)"
                )
                asked = f"({value}, {unit})"
            else:
                guard, asked = f"type({value}) is str", value
            lines.append(f"    if {guard}:")
            lines.append(f"        x = answers{index}.get({asked})")
            lines.append("        if x is None:")
            lines.append(f"            x = fill{index}({asked})")
            if not plan.metric:  # booleans, integers and lists, keyed with their type
                lines.append(f"    elif type({value}) in KEYED:")
                lines.append(f"        x = keyed(answers{index}, fill{index}, {value})")
            lines.append("    else:")
            lines.append("        x = None")
            lines.append("    if x is not None:")
            lines.append(f"        {put % 'x'}")
        lines.append("    else:")
        lines.append(f"        {general}")
    return "\n".join(lines) + "\n"


def compile_shape(
    keys: Sequence[str],
    plans: Sequence[Plan],
    passed: object,
    refused: tuple[type[Exception], ...] = (),
    budget: Budget | None = None,
) -> ShapeConverter:
    """The converter of one row shape (see :func:`shape_source`)."""
    namespace: dict[str, Any] = {
        "plans": tuple(plans), "new_values": partial(defaultdict, list), "KEYED": KEYED,
        "keyed": keyed,
    }
    for index, plan in enumerate(plans):
        entry = {"locale": plan.locale, "scope": plan.scope, "data": None}
        namespace[f"entry{index}"], namespace[f"alone{index}"] = entry, [entry]
        if plan.pure is not None:
            namespace[f"answers{index}"], namespace[f"fill{index}"] = remembering(
                plan.pure, refused, budget
            )
    code = compile(shape_source(keys, plans, passed), "<target-akeneo row shape>", "exec")
    exec(code, namespace)  # noqa: S102 - source built above from repr literals and integers
    converter: ShapeConverter = namespace["convert"]
    return converter


class Shapes:
    """Compiled converters by row shape, each compiled when its shape is seen a second time."""

    def __init__(
        self, plan_of: Callable[[str], Plan], passed: object, refused: type[Exception]
    ) -> None:
        self._plan_of = plan_of
        self._passed = passed
        self._refused = (refused,)
        self.budget = Budget()  # answers remembered by all shapes of this push
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
        converter = compile_shape(
            keys, [self._plan_of(key) for key in keys], self._passed, self._refused, self.budget
        )
        self._compiled[keys] = converter
        return converter
