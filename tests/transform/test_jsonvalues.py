"""sdm_transform.jsonvalues: msgspec reads what json reads (numbers exact), or refuses."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import simplejson  # a singer-sdk dependency: writes Decimals as JSON numbers
from hypothesis import given
from hypothesis import strategies as st
from sdm_transform.jsonvalues import JSONRefused, is_json_object, read_exact

_NUMBERS = (st.integers(min_value=-(10**30), max_value=10**30)
            | st.decimals(allow_nan=False, allow_infinity=False, places=4)
            | st.decimals(allow_nan=False, allow_infinity=False))
_VALUES = st.recursive(
    st.none() | st.booleans() | _NUMBERS | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=6), _VALUES, max_size=6), st.booleans())
def test_read_exact_reads_what_json_reads(obj, ascii_only):
    line = simplejson.dumps(obj, use_decimal=True, ensure_ascii=ascii_only).encode()
    expected = json.loads(line, parse_float=Decimal)
    found = read_exact(line)
    assert found == expected and repr(found) == repr(expected)  # 1.50 stays Decimal('1.50')
    assert is_json_object(line)


@given(st.dictionaries(st.text(max_size=6), _VALUES, max_size=4), st.data())
def test_is_json_object_agrees_with_read_exact(obj, data):
    """On broken lines too: the quick check says yes exactly when the full read gives an
    object (so a line passed on as written is one the target reads)."""
    line = bytearray(simplejson.dumps(obj, use_decimal=True, ensure_ascii=False).encode())
    for _ in range(data.draw(st.integers(min_value=0, max_value=3))):
        at = data.draw(st.integers(min_value=0, max_value=len(line)))
        if data.draw(st.booleans()) and at < len(line):
            del line[at]
        else:
            line[at:at] = bytes([data.draw(st.sampled_from(b'{}[]",:\\0e.-\xff\xc3\x80 u'))])
    try:
        readable = type(read_exact(bytes(line))) is dict
    except JSONRefused:
        readable = False
    assert is_json_object(bytes(line)) == readable


@pytest.mark.parametrize("line", [
    b'{"a": NaN}', b'{"a": Infinity}', b'{"a": "\\ud800"}', b'{"a": "\xff"}', b"[1]", b"3",
    b'{"a": "x\ny"}', b'{"a": 01}', b'{"a": 1} x', b'{"a": 1,}', b"",
])
def test_refused_lines(line):
    assert not is_json_object(line)
    if line.startswith(b"{"):
        with pytest.raises(JSONRefused):
            read_exact(line)


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@given(st.dictionaries(st.text(max_size=6), _VALUES, max_size=6))
def test_nesting_depth_counts_brackets_outside_strings(obj):
    from sdm_transform.jsonvalues import nesting_depth

    line = simplejson.dumps(obj, use_decimal=True, ensure_ascii=False).encode()
    assert nesting_depth(line, limit=0) == _depth(obj)
    assert nesting_depth(b'{"a": "[[[{{{\\\\\\"]]"}', limit=0) == 1
