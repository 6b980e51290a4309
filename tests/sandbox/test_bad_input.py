"""Malformed bodies get a 4xx with Akeneo's error shape, never a 500."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .conftest import Api

BODIES: list[Any] = [
    None, 1, "x", [], {}, {"values": 1}, {"values": []}, {"values": {"name": 1}},
    {"values": {"name": [1]}}, {"values": {"name": [{"data": {}}]}},
    {"values": {"name": [{"locale": ["en_US"], "scope": None, "data": "x"}]}},
    {"values": {"name": [{"locale": {"a": 1}, "scope": None, "data": "x"}]}},
    {"values": {"weight": [{"locale": None, "scope": None, "data": {"amount": [], "unit": 1}}]}},
    {"values": {"price": [{"locale": None, "scope": "ecommerce", "data": [1, {"amount": {}}]}]}},
    {"values": {"sizes_table": [{"locale": None, "scope": None, "data": [{"region": []}]}]}},
    {"values": {"release_date": [{"locale": None, "scope": "ecommerce", "data": "2026-13-45"}]}},
    {"values": {"quantity": [{"locale": None, "scope": None, "data": "NaN"}]}},
    {"values": {"quantity": [{"locale": None, "scope": None, "data": "1e400"}]}},
    {"categories": "boots"}, {"categories": [1]}, {"enabled": "yes"}, {"family": 3},
    {"parent": []}, {"associations": []}, {"associations": {"X_SELL": []}},
    {"associations": {"X_SELL": {"products": "boot-2"}}},
    {"associations": {"X_SELL": {"colours": []}}},
    {"quantified_associations": {"X_SELL": {}}}, {"labels": None}, {"code": 5},
    {"family_variant": 1}, {"variant_attribute_sets": [1]}, {"variant_attribute_sets": "x"},
    {"attributes": "sku"}, {"attribute_requirements": {"ecommerce": "sku"}},
    {"type": 1}, {"table_configuration": [1, 2]}, {"units": {"X": 1}}, {"sort_order": "1"},
    {"locales": "en_US"}, {"category_tree": None}, {"parent": 7}, {"image": 1},
]
PATHS = ["/products/boot-1", "/products/new-bad", "/product-models/runner", "/product-models/m9",
         "/channels/ecommerce", "/attributes/name", "/attributes/newattr",
         "/attribute-groups/general", "/families/shoes", "/families/shoes/variants/v9",
         "/families/shoes/variants/shoes_color_size", "/categories/shoes",
         "/association-types/X_SELL", "/attributes/color/options/red",
         "/reference-entities/brand", "/reference-entities/brand/records/acme",
         "/reference-entities/brand/attributes/label", "/asset-families/packshots",
         "/asset-families/packshots/assets/shoe_front"]


@pytest.mark.parametrize("path", PATHS)
def test_no_body_gives_a_server_error(api: Api, path: str) -> None:
    for body in BODIES:
        response = api.session.patch(api.url(path), data=json.dumps(body),
                                     headers={"Content-Type": "application/json"}, timeout=5)
        assert response.status_code < 500, (path, body, response.text)
        if response.status_code >= 400:
            error = response.json()
            assert error["code"] == response.status_code
            assert error["message"]


@pytest.mark.parametrize("path", ["/products", "/product-models", "/attributes", "/families",
                                  "/categories", "/channels", "/attributes/color/options"])
def test_no_batch_line_gives_a_server_error(api: Api, path: str) -> None:
    key = "identifier" if path == "/products" else "code"
    lines = [json.dumps({key: f"k{i}", **body}) if isinstance(body, dict) else json.dumps(body)
             for i, body in enumerate(BODIES)]
    answers = api.batch_lines(path, lines)
    assert len(answers) == len(lines)
    assert all(a["status_code"] < 500 for a in answers), answers


def test_bad_search_values_give_422(api: Api) -> None:
    for search in ({"updated": [{"operator": "BETWEEN", "value": "x"}]},
                   {"family": [{"operator": "IN", "value": "shoes"}]},
                   {"categories": [{"operator": "IN", "value": "boots"}]},
                   {"enabled": [{"operator": "=", "value": "yes"}]},
                   {"identifier": [{"value": ["a"]}]}, {"family": "shoes"}):
        response = api.search("/products", search)
        assert response.status_code in (400, 422), (search, response.text)
        assert response.json()["code"] == response.status_code


def test_json_is_parsed_as_strictly_as_akeneo(api: Api) -> None:
    """NaN, Infinity and lone surrogates are not JSON: 400 for that line, the others pass."""
    lines = ['{"identifier": "nan-1", "values": {"quantity": [{"locale": null, "scope": null, '
             '"data": NaN}]}}',
             '{"identifier": "inf-1", "values": {"quantity": [{"locale": null, "scope": null, '
             '"data": Infinity}]}}',
             '{"identifier": "surrogate-1", "values": {"name": [{"locale": "en_US", '
             '"scope": null, "data": "\\ud800"}]}}',
             json.dumps({"identifier": "fine-1", "family": "shoes"})]
    answers = api.batch_lines("/products", lines)
    assert [a["status_code"] for a in answers] == [400, 400, 400, 201]
    assert answers[0]["message"] == "Invalid json message received"
    single = api.session.patch(api.url("/products/nan-2"), data='{"enabled": NaN}',
                               headers={"Content-Type": "application/json"}, timeout=5)
    assert single.status_code == 400
    assert single.json() == {"code": 400, "message": "Invalid json message received"}


def test_a_huge_integral_number_is_stored_and_read_back(api: Api) -> None:
    """"1e30" is an integer for a no-decimals attribute; answers must still be JSON."""
    response = api.patch("/products/huge-1", {"values": {"quantity": [
        {"locale": None, "scope": None, "data": "1e30"}]}})
    assert response.status_code == 201, response.text
    got = api.get("/products/huge-1")
    assert got.status_code == 200
    assert got.json()["values"]["quantity"][0]["data"] == 10**30


def test_batch_lines_are_bytes_cut_at_line_feeds(api: Api) -> None:
    """As Akeneo reads a batch: LF ends a line (blank lines still count), a line that is not
    UTF-8 is unreadable JSON (400, the others pass), CRLF endings are whitespace."""
    body = b"\n".join([
        json.dumps({"identifier": "bytes-1"}).encode() + b"\r",
        b"",
        b"  \t",
        b'{"identifier": "bytes-2", "values": {"name": [{"locale": "en_US", "scope": null, '
        b'"data": "caf\xe9"}]}}',
        json.dumps({"identifier": "bytes-3", "values": {"name": [
            {"locale": "en_US", "scope": None, "data": "café"}]}}, ensure_ascii=False).encode(),
    ])
    response = api.session.patch(api.url("/products"), data=body, timeout=10,
                                 headers={"Content-Type": "application/vnd.akeneo.collection+json"})
    assert response.status_code == 200
    answers = [json.loads(line) for line in response.content.split(b"\n")]
    assert answers == [
        {"line": 1, "identifier": "bytes-1", "status_code": 201},
        {"line": 4, "status_code": 400, "message": "Invalid json message received"},
        {"line": 5, "identifier": "bytes-3", "status_code": 201},
    ]
    assert api.get("/products/bytes-2").status_code == 404
    assert api.get("/products/bytes-3").json()["values"]["name"][0]["data"] == "café"
