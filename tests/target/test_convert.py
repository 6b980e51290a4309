"""Value conversion per Akeneo type (contract §4), on its own: accepted and refused inputs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from target_akeneo.convert import (
    SkipValueError,
    _plain,
    is_empty,
    parse_decimal,
    split_multi,
    to_boolean,
    to_date,
    to_number,
)
from target_akeneo.rows import _identifier


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    ("12", False, 12), (12, False, 12), ("12.0", False, 12), (Decimal("3.00"), False, 3),
    ("12.50", True, "12.50"), (Decimal("0.1"), True, "0.1"), (7, True, "7"),
    ("-3.5", True, "-3.5"), ("1e3", False, 1000), ("  42 ", False, 42), ("2.5", None, "2.5"),
])
def test_numbers(value, decimals, expected):
    assert to_number(value, decimals) == expected


@pytest.mark.parametrize(("value", "reason"), [
    ("12,5", "use . as the decimal separator"), ("heavy", "not a number"),
    (True, "not a number"), ([1], "not a number"), ("NaN", "not a number"),
    (Decimal("Infinity"), "not a number"),
])
def test_numbers_refused(value, reason):
    with pytest.raises(SkipValueError, match=reason):
        to_number(value, True)


def test_integer_attribute_refuses_decimals():
    with pytest.raises(SkipValueError, match="not an integer"):
        to_number("12.5", False)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4,
                   min_value=-(2**63) + 1, max_value=2**63 - 1))
def test_decimal_strings_keep_their_value(number):
    assert Decimal(to_number(str(number), True)) == number


@pytest.mark.parametrize("value", [2**63, -(2**63), "1e400", "12345678901234567890",
                                   Decimal("1E+19"), "-9223372036854775807.5"])
@pytest.mark.parametrize("decimals", [True, False, None])
def test_numbers_akeneo_cannot_read_are_refused(value, decimals):
    """Sent, a 401-digit integer makes Akeneo refuse the whole line ("Invalid json")."""
    with pytest.raises(SkipValueError, match="number out of range"):
        to_number(value, decimals)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_stay_integers(number):
    assert to_number(str(number), False) == number


@pytest.mark.parametrize(("value", "expected"), [
    (True, True), (False, False), ("yes", True), ("NO", False), (" 1 ", True), ("0", False),
    (1, True), (0, False), ("True", True),
])
def test_booleans(value, expected):
    assert to_boolean(value) is expected


@pytest.mark.parametrize("value", ["maybe", 2, "", None, [True]])
def test_booleans_refused(value):
    with pytest.raises(SkipValueError, match="not a boolean"):
        to_boolean(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-03-01", "2026-03-01"), ("2026-03-01T23:59:59Z", "2026-03-01"),
    (" 2026-12-31 ", "2026-12-31"),
])
def test_dates(value, expected):
    assert to_date(value) == expected


@pytest.mark.parametrize("value", ["31/12/2026", "2026-02-30", 20260301, "tomorrow"])
def test_dates_refused(value):
    with pytest.raises(SkipValueError, match="not a date"):
        to_date(value)


def test_multi_values_and_emptiness():
    assert split_multi("a; b;;a ;") == ["a", "b"]
    assert split_multi(["a", 2, " c ", None]) == ["a", "2", "c"]
    assert all(is_empty(v) for v in (None, "", "  \t", [], {}))
    assert not any(is_empty(v) for v in (0, False, "0", [""], {"a": None}))


@given(st.integers(min_value=-(10**30), max_value=10**30), st.sampled_from([True, False, None]))
def test_json_integers_as_the_decimal_path_gives_them(number, decimals):
    """A JSON integer skips the Decimal parse; it must give what the parse gives."""
    def outcome(value: object) -> object:
        try:
            found = to_number(value, decimals)
        except SkipValueError as exc:
            return str(exc).split(":")[0]
        return (found, type(found))

    assert outcome(number) == outcome(Decimal(number))


@pytest.mark.parametrize(("value", "reason"), [
    ("\u00a0SKU-1", "leading or trailing spaces"), ("SKU-1\u2003", "leading or trailing spaces"),
    ("SKU\n1", "line break"), ("S" * 256, "too long"), (" ", "missing identifier"),
    ("", "missing identifier"), (True, "missing identifier"),
])
def test_identifier_problems(value, reason):
    assert _identifier(value, "sku")[1] is not None
    assert reason in _identifier(value, "sku")[1]


def test_plain_identifiers_pass():
    assert _identifier("SKU-1", "sku") == ("SKU-1", None)
    assert _identifier(42, "sku") == ("42", None)


def _number_the_general_way(text, decimals):
    """to_number's answer for a string, computed without its short paths."""
    try:
        number = parse_decimal(text)
    except SkipValueError:
        return "refused"
    if abs(number) > 2**63 - 1:  # beyond what Akeneo reads
        return "refused"
    if decimals:
        return _plain(number)
    if number != number.to_integral_value():
        if decimals is None:
            return _plain(number)
        return "refused"
    return int(number)


NUMBER_TEXTS = st.one_of(
    st.from_regex(r"\A[+-]?[0-9]{1,22}(\.[0-9]{0,6})?\Z"),
    st.from_regex(r"\A-?\.[0-9]{1,4}\Z"),
    st.from_regex(r"\A-?0[0-9]{1,3}(\.[0-9]+)?\Z"),
    st.sampled_from(["0", "-0", "+0", "-0.0", "0.0", "007", "1e3", " 12 ", "12.", "-12.50"]),
)


@given(NUMBER_TEXTS, st.sampled_from([True, False, None]))
def test_number_texts_as_the_general_path_gives_them(text, decimals):
    """The short paths for plain decimals and integers give the general path's result."""
    expected = _number_the_general_way(text, decimals)
    try:
        got = to_number(text, decimals)
    except SkipValueError:
        got = "refused"
    assert got == expected and type(got) is type(expected)


@given(st.sampled_from(["true", "True", "TRUE", "yes", "Yes", "YES", "1", "false", "False",
                        "FALSE", "no", "No", "NO", "0", " yes ", "yEs", "oui", "", "2"]))
def test_boolean_words_as_the_general_path_gives_them(text):
    word = text.strip().lower()
    expected = True if word in {"true", "1", "yes"} else False if word in {"false", "0", "no"} \
        else "refused"
    try:
        got = to_boolean(text)
    except SkipValueError:
        got = "refused"
    assert got == expected


@pytest.mark.parametrize("text", ["2026-W01-1", "20260301", "2026-3-1", "2026-061"])
def test_dates_are_written_year_month_day(text):
    """Python reads ISO week and compact dates too; the contract's dates are YYYY-MM-DD."""
    with pytest.raises(SkipValueError, match="expected YYYY-MM-DD"):
        to_date(text)
