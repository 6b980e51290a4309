"""Compiled row-shape converters give what the general loop gives, value for value.

Rows of one shape (same keys, same order) with values of every kind and every problem
(empty, too long, wrong type, unknown option, unknown field, ...) are converted twice: by
a converter that compiles shapes and by one that never does. Values and reports must match.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from target_akeneo.media import AssetPlan
from target_akeneo.options import OptionRegistry
from target_akeneo.project import Project
from target_akeneo.report import Report
from target_akeneo.rows import Converter
from target_akeneo.shapes import Budget, Plan, remembering, shape_source

from tests.target.conftest import demo_project, product, value

PROJECT = Project(demo_project())
IDENT = PROJECT.identifier_field


def _fields(kind: str, count: int = 3) -> list[str]:
    names = sorted(s.name for s in PROJECT.specs.values() if s.kind == kind)
    return names[:count]


FIELD_POOL = [
    *_fields("text", 8), *_fields("number"), *_fields("boolean"), *_fields("date"),
    *_fields("select"), *_fields("multiselect"), *_fields("metric"), *_fields("price"),
    *_fields("companion", 4), *_fields("table", 1),
    "family", "categories", "enabled", "not_a_field", "erp_code", "name-xx_XX",
]
OPTION_CODES = sorted({
    code
    for name in FIELD_POOL
    if (spec := PROJECT.specs.get(name)) is not None and spec.options
    for code in list(spec.options.values())[:4]
})
VALUES = st.one_of(
    st.sampled_from(OPTION_CODES),
    st.lists(st.sampled_from(OPTION_CODES), min_size=1, max_size=3).map(";".join),
    st.sampled_from(["", "  ", None, [], {}, "x" * 300, "x" * 70_000, "red", "RED", "Red;blue",
                     "true", "no", "maybe", "2026-03-01", "2026-13-40", "12.50", "1,5", "-0",
                     "007", "KILOGRAM", "gram", "EUR", "usd", "mugs", "nope", ";", "a;;b",
                     "kitchen_tableware_mugs", "unknown_category", [["a"]], [{"a": 1}],
                     ["kitchen_tableware_mugs"], ["kitchen_tableware_mugs", " x "]]),
    st.text(max_size=12),
    st.integers(min_value=-10**20, max_value=10**20),
    st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.lists(st.sampled_from(["red", "blue", "Green", "", 3, None]), max_size=3),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2),
)


def _convert(rows: list[dict[str, Any]], *, compiled: bool) -> tuple[list[Any], dict[str, Any]]:
    report = Report("shapes", dry_run=True)
    converter = Converter(PROJECT, report, Path("/nonexistent-job"), OptionRegistry(), AssetPlan())
    converter.compile_shapes = compiled
    out = []
    for row, data in enumerate(rows, start=1):
        converted = converter.convert(row, data, model=False)
        # compared as JSON: a remembered multi-select answer is a tuple, sent as the same array
        values = json.dumps(converted.values, sort_keys=True, default=str)
        out.append((converted.failure, values, converted.flags,
                    converted.categories, converted.enabled, converted.family))
    document = report.to_dict()
    for key in ("started_at", "finished_at"):
        document.pop(key)
    return out, document


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FIELD_POOL), min_size=1, max_size=14, unique=True),
    st.data(),
)
def test_compiled_shapes_convert_as_the_general_loop(keys, data):
    rows = []
    for index in range(4):  # a shape is compiled at its second row
        row: dict[str, Any] = {IDENT: f"SHAPE-{index}"}
        for key in keys:
            row[key] = data.draw(VALUES)
        rows.append(row)
    assert _convert(rows, compiled=True) == _convert(rows, compiled=False)


def test_repeated_shapes_are_compiled_and_used():
    rows = [{IDENT: f"S-{i}", "name-en_US": f"Mug {i}", "weight": "0.3"} for i in range(3)]
    report = Report("shapes", dry_run=True)
    converter = Converter(PROJECT, report, Path("/nonexistent-job"), OptionRegistry(), AssetPlan())
    values = [dict(converter.convert(i, row, model=False).values) for i, row in enumerate(rows)]
    assert len(converter._shapes._compiled) == 1
    assert values[2]["name"] == [{"locale": "en_US", "scope": None, "data": "Mug 2"}]
    assert values[2]["weight"][0]["data"]["amount"] == "0.3"


def test_generated_source_holds_only_literals():
    """Field names with quotes, backslashes or newlines stay string literals."""
    plan = Plan(object(), "name", None, "en_US", None, 10, None, metric=False, unit_field=None)
    plans = [plan] * 2
    source = shape_source(["a'b\\\"c", "x\ny"], plans, passed=None)
    compile(source, "<test>", "exec")  # valid Python whatever the names
    assert "'a\\'b\\\\\"c'" in source or repr("a'b\\\"c") in source


def _fresh(row: int, data: dict[str, Any]) -> tuple[Any, ...]:
    """One row converted by a converter that has remembered nothing yet."""
    converter = Converter(PROJECT, Report("fresh", dry_run=True), Path("/nonexistent-job"),
                          OptionRegistry(), AssetPlan())
    converted = converter.convert(row, data, model=False)
    return converted.failure, json.dumps(converted.values, sort_keys=True, default=str)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FIELD_POOL), min_size=1, max_size=10, unique=True),
    st.data(),
)
def test_remembered_answers_are_the_answers_of_a_fresh_converter(keys, data):
    """Values repeat across rows (metrics with units, options, dates, categories): what a
    converter remembers from earlier rows never changes a later row's result."""
    pool = {key: data.draw(st.lists(VALUES, min_size=1, max_size=2)) for key in keys}
    rows = []
    for index in range(6):
        row: dict[str, Any] = {IDENT: f"MEM-{index}"}
        for key in keys:
            row[key] = data.draw(st.sampled_from(pool[key]))
        rows.append(row)
    warm = Converter(PROJECT, Report("warm", dry_run=True), Path("/nonexistent-job"),
                     OptionRegistry(), AssetPlan())
    for index, row in enumerate(rows, start=1):
        converted = warm.convert(index, row, model=False)
        got = converted.failure, json.dumps(converted.values, sort_keys=True, default=str)
        assert got == _fresh(index, row)


def test_remembered_metrics_options_and_dates_repeat_exactly():
    """The same amounts, units, options and dates on many rows: each row as if alone."""
    unit_field = next(s for s in PROJECT.specs.values() if s.kind == "companion"
                      and s.companion_of == "weight")
    units = sorted(unit_field.options.values())[:2] if unit_field.options else []
    select = next(s for s in PROJECT.specs.values() if s.kind == "select" and s.options)
    date = next(s for s in PROJECT.specs.values() if s.kind == "date")
    rows = [
        {
            IDENT: f"REP-{index}",
            "weight": ["12.5", 3, "0.250", "x"][index % 4],
            unit_field.name: [*units, "", None][index % 3],  # a period apart from the amounts
            "capacity": [300, "300", 7][index % 3],
            select.name: sorted(select.options.values())[index % 2],
            date.name: ["2026-03-01", "2026-02-30"][index % 2],
        }
        for index in range(12)
    ]
    warm = Converter(PROJECT, Report("warm", dry_run=True), Path("/nonexistent-job"),
                     OptionRegistry(), AssetPlan())
    for index, row in enumerate(rows, start=1):
        converted = warm.convert(index, row, model=False)
        got = converted.failure, json.dumps(converted.values, sort_keys=True, default=str)
        assert got == _fresh(index, row), row


def test_a_push_remembers_a_bounded_number_of_answers():
    """One budget for all fields: past it, answers are still given, just not kept."""
    budget = Budget(3)
    first_answers, first = remembering(str.upper, (), budget)
    second_answers, second = remembering(str.lower, (), budget)
    assert [first(v) for v in ("a", "b")] == ["A", "B"]
    assert [second(v) for v in ("C", "D", "E")] == ["c", "d", "e"]
    assert len(first_answers) + len(second_answers) == 3
    assert first("z") == "Z" and "z" not in first_answers


def test_rows_of_one_shape_each_land_with_their_own_values(pim, workspace, push, api):
    """Compiled shapes reuse their value entries row after row: every product in the PIM
    must still hold its own row's values (each row is serialized before the next one)."""
    rows = [
        {IDENT: f"OWN-{index}", "family": "mugs", "name-en_US": f"Mug number {index}",
         "main_color": ["white", "black", "navy"][index % 3], "weight": f"0.{300 + index}",
         "weight-unit": ["GRAM", "KILOGRAM"][index % 2], "dishwasher_safe": index % 2 == 0,
         "release_date": f"2026-03-{index + 1:02d}"}
        for index in range(12)
    ]
    workspace.job("own", rows)
    report = push(pim, "own")
    assert report["counts"]["created"] == 12, report
    for index, row in enumerate(rows):
        item = product(api, row[IDENT])
        assert value(item, "name", locale="en_US") == row["name-en_US"]
        assert value(item, "main_color") == row["main_color"]
        assert value(item, "weight") == {"amount": row["weight"], "unit": row["weight-unit"]}
        assert value(item, "dishwasher_safe") is row["dishwasher_safe"]
        assert value(item, "release_date").startswith(row["release_date"]), index


def test_equal_values_of_other_types_never_share_an_answer():
    """True == 1 and False == 0 in Python; a number field refuses True but takes 1."""
    number, boolean = _fields("number", 1)[0], _fields("boolean", 1)[0]
    multi = _fields("multiselect", 1)[0]
    code = next(iter(PROJECT.specs[multi].options.values()))
    values = [(5, True, [code]), (1, 1, [code]), (True, True, [code]), (0, 0, [code, code]),
              (False, False, [code]), (1, True, [[code]]), (True, 1, [code])]
    rows = [{IDENT: f"KEYED-{i}", number: n, boolean: b, multi: m}
            for i, (n, b, m) in enumerate(values)]
    assert _convert(rows, compiled=True) == _convert(rows, compiled=False)
