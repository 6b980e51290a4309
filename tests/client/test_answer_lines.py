"""Reading a batch answer line by line: orjson's fast path gives what ``json`` gives.

The answer parser reads lines with orjson and falls back to ``json`` for what orjson refuses or
would read differently (NaN, Infinity, integers beyond 64 bits, lone surrogates, invalid UTF-8),
so that every ``LineResult`` is the one ``json.loads`` of the line would give.
"""

from __future__ import annotations

import json
import math
from typing import ClassVar

import pytest
from akeneo_client import AkeneoClient
from akeneo_client.batch import LazyItems, LineResult, _complete, _result, parse_ndjson
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.stub_peer import JsonPeer, serve

PRODUCTS = "/api/rest/v1/products"
COLLECTION = "application/vnd.akeneo.collection+json"


class _AnswerPeer(JsonPeer):
    """Answers every batch PATCH with the bytes in ``body``."""

    body: ClassVar[bytes] = b""

    def do_PATCH(self) -> None:
        self.read_body()
        self.answer(200, self.body, content_type=COLLECTION)


def _send(body: bytes, count: int) -> list:
    handler = type("Peer", (_AnswerPeer,), {"body": body})
    lines = [json.dumps({"identifier": f"p{i}"}).encode() for i in range(1, count + 1)]
    with serve(handler) as url, AkeneoClient(url, "id", "secret", "user", "pass") as client:
        return client.patch_collection_lines(PRODUCTS, lines)


def test_lines_orjson_refuses_or_misreads_parse_as_json_does():
    huge = 123456789012345678901234567890
    body = b"\n".join([
        b'{"line":1,"identifier":"p1","status_code":201,"score":NaN}',
        b'{"line":2,"identifier":%d,"status_code":204}' % huge,
        b'{"line":3,"identifier":"p3","status_code":422,"message":"bad \\ud800 text"}',
        b'{"line":4,"identifier":"p4","status_code":422,"message":"caf\xe9"}',
        b'{"line":5,"identifier":"p5","status_code":201,"big":1e400,"neg":-Infinity}',
    ])
    results = _send(body, 5)
    assert [(r.line, r.key, r.status_code) for r in results] == [
        (1, "p1", 201), (2, str(huge), 204), (3, "p3", 422), (4, "p4", 422), (5, "p5", 201)]
    assert math.isnan(results[0].raw["score"])
    assert results[1].raw["identifier"] == huge and isinstance(results[1].raw["identifier"], int)
    assert results[2].message == "bad \ud800 text"
    assert results[3].message == "caf\ufffd"
    assert results[4].raw["big"] == math.inf and results[4].raw["neg"] == -math.inf


def test_a_huge_integer_anywhere_in_the_answer_keeps_its_exact_value():
    body = (b'{"line":1,"identifier":"p1","status_code":201}\n'
            b'{"line":2,"identifier":"p2","status_code":201,"version":18446744073709551616}')
    results = _send(body, 2)
    assert results[1].raw["version"] == 2**64


def test_line_breaks_blank_lines_and_unicode_separators():
    body = ('{"line":1,"identifier":"p1","status_code":201}\r\n'
            "\r\n"
            "\u00a0\u2003\n"
            '{"line":2,"identifier":"p2","status_code":422,"message":"a\u2028b\u0085c"}\n'
            "not json\n").encode()
    results = _send(body, 3)
    assert [(r.line, r.key, r.status_code) for r in results] == [
        (1, "p1", 201), (2, "p2", 422), (3, "p3", 0)]
    assert results[1].message == "a\u2028b\u0085c"  # one line: only \n and \r end a line
    assert results[2].message == "unreadable answer line: not json"
    assert results[2].raw == {"_unparsed": "not json"}


def _reference(body: bytes, items: LazyItems) -> list[LineResult]:
    """The parser as it was before orjson: ``json.loads`` of each line of the decoded text."""
    results: list[LineResult] = []
    text = body.decode("utf-8", errors="replace")
    for position, line in enumerate((ln for ln in text.splitlines() if ln.strip()), start=1):
        try:
            obj = json.loads(line)
        except ValueError:
            results.append(LineResult(position, "sent" if position <= len(items) else None, 0,
                                      f"unreadable answer line: {line[:200]}",
                                      raw={"_unparsed": line[:1000]}))
            continue
        results.append(_result(obj, position, items))
    return _complete(results, items)


# No character that str.splitlines() takes for a line break: the old parser split on them.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_text = st.text(st.characters(blacklist_characters=_BREAKS, blacklist_categories=["Cs"]),
                max_size=8)
_scalars = (st.none() | st.booleans() | _text
            | st.integers(min_value=-(10**30), max_value=10**30)
            | st.floats(allow_nan=True, allow_infinity=True))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(_text, inner, max_size=3), max_leaves=8)
_fields = st.sampled_from(["line", "identifier", "code", "status_code", "message", "errors", "x"])
_lines = (st.dictionaries(_fields, _values, max_size=5).map(
              lambda o: json.dumps(o, ensure_ascii=False).encode())
          | st.dictionaries(_fields, _values, max_size=5).map(lambda o: json.dumps(o).encode())
          | _text.map(str.encode)
          | st.binary(max_size=12).filter(
              lambda b: not any(c in _BREAKS for c in b.decode("utf-8", errors="replace"))))


@settings(max_examples=300, deadline=None)
@given(st.lists(_lines, max_size=6), st.integers(min_value=0, max_value=6))
def test_results_equal_those_of_json_loads_per_line(lines, sent):
    body = b"\n".join(lines)
    items = LazyItems([b'{"identifier":"sent"}'] * sent)
    # repr tells 1 from 1.0 and -0.0 from 0, and shows NaN (which is unequal to itself)
    assert repr(parse_ndjson(body, items)) == repr(_reference(body, items))


@pytest.mark.parametrize("body", [b"", b"\n\n", b" \r\n"])
def test_an_empty_answer_gives_one_no_answer_result_per_line(body):
    results = parse_ndjson(body, LazyItems([b'{"code":"a"}', b'{"code":"b"}']))
    assert [(r.line, r.key, r.status_code) for r in results] == [(1, "a", 0), (2, "b", 0)]


def test_answer_fields_of_unexpected_types_give_results_not_exceptions():
    body = (b'{"line":"\xc2\xb2","identifier":"p1","status_code":201,"errors":true}\n'
            b'{"line":"2","identifier":"p2","status_code":"%s","errors":"oops"}' % (b"9" * 5000))
    results = _send(body, 2)
    assert [(r.line, r.key, r.status_code, r.errors) for r in results] == [
        (1, "p1", 201, []), (2, "p2", 0, [])]
    assert results[1].message == "answer line has no status_code"


def test_encode_line_writes_the_json_encoders_line():
    """orjson writes the line; what it refuses goes to json; the bytes are json's."""
    from akeneo_client import encode_line

    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    for item in ({"identifier": "a\tb\n\"c\" é \u2028", "values": {"n": [1, None, True]}},
                 {"big": 2**70, "k": "v"}, {1: "non-string key"}):
        assert encode_line(item) == encoder.encode(item).encode()
