"""The demo SDM workspace: steps and the finalized job name real fields of the demo catalog."""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from sdm_transform.fields import (
    AttributeShape,
    FieldRef,
    FieldTable,
    PimNameResolver,
    Scope,
    expand,
)

from tests.catalog.catalog_rules import load_catalog

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "sandbox" / "akeneo_sandbox" / "catalogs" / "demo"
WORKSPACE = ROOT / "demo" / "workspace"
JOB = WORKSPACE / "jobs" / "demo-job"
RESERVED = {"_type", "sku", "code", "family", "family_variant", "parent", "categories", "enabled"}
UNSUPPORTED = {"pim_catalog_product_link"}
MEDIA_TYPES = {"pim_catalog_image", "pim_catalog_file", "pim_catalog_asset_collection"}
SELECT_TYPES = {
    "pim_catalog_simpleselect",
    "pim_catalog_multiselect",
    "pim_reference_data_simpleselect",
}
# Values the job brings on purpose that the catalog does not hold (README explains each).
NEW_OPTIONS = {("material", "bamboo"), ("style_tags", "japandi"), ("energy_class", "a++")}
ESCAPING_PATH = "../outside.png"


@pytest.fixture(scope="module")
def demo() -> dict[str, list[dict[str, Any]]]:
    return load_catalog(DEMO)


@pytest.fixture(scope="module")
def attrs(demo: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {a["code"]: a for a in demo["attributes"]}


@pytest.fixture(scope="module")
def table(demo: dict[str, list[dict[str, Any]]]) -> FieldTable:
    """Every field of the demo catalog, all channels and locales targeted (contract §1)."""
    scope = Scope.build({c["code"]: c["locales"] for c in demo["channels"]})
    refs: list[FieldRef] = []
    for a in demo["attributes"]:
        if a["type"] not in UNSUPPORTED:
            refs += expand(AttributeShape.from_attribute(a), scope)
    return FieldTable.from_refs(refs)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    lines = (JOB / "export.jsonl").read_text(encoding="utf-8").splitlines()
    parsed = [json.loads(line) for line in lines]
    assert all(isinstance(r, dict) for r in parsed)
    return parsed


def _steps() -> list[dict[str, Any]]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((WORKSPACE / "steps").glob("*.json"))
    ]


def test_steps_name_fields_of_the_demo_catalog(
    demo: dict[str, list[dict[str, Any]]], attrs: dict[str, dict[str, Any]]
) -> None:
    resolver = PimNameResolver(
        [AttributeShape.from_attribute(a) for a in demo["attributes"]],
        [c["code"] for c in demo["channels"]],
        {loc for c in demo["channels"] for loc in c["locales"]},
    )
    sources = [s for step in _steps() for s in step.get("sources", [])]
    triggers = [r["when"]["field"] for step in _steps() for r in step.get("rules", [])]
    assert sources and triggers
    for name in sources + triggers:
        assert resolver.resolve(name) is not None, name
    assert any(resolver.resolve(s).channel and resolver.resolve(s).locale for s in sources)
    for name in triggers:
        assert attrs[resolver.resolve(name).attribute]["type"] in SELECT_TYPES


def test_excluded_group_holds_no_protected_attribute(
    demo: dict[str, list[dict[str, Any]]], attrs: dict[str, dict[str, Any]]
) -> None:
    """README recommends `excluded_attribute_groups: [internal]`."""
    readme = (WORKSPACE / "README.md").read_text(encoding="utf-8")
    assert "excluded_attribute_groups: [internal]" in readme
    protected = {c for c, a in attrs.items() if a["type"] == "pim_catalog_identifier"}
    protected |= {
        x for fv in demo["family_variants"] for s in fv["variant_attribute_sets"] for x in s["axes"]
    }
    names = [s for step in _steps() for s in step.get("sources", [])]
    names += [r["when"]["field"] for step in _steps() for r in step.get("rules", [])]
    protected |= {n.split("-")[0] for n in names}
    internal = {c for c, a in attrs.items() if a["group"] == "internal"}
    assert internal and not internal & protected


def test_every_row_key_is_reserved_a_catalog_field_or_the_unknown_one(
    rows: list[dict[str, Any]], table: FieldTable
) -> None:
    unknown = {k for r in rows for k in r if k not in RESERVED and k not in table}
    assert unknown == {"erp_code"}


def test_values_use_existing_codes_except_the_documented_new_options(
    rows: list[dict[str, Any]],
    table: FieldTable,
    demo: dict[str, list[dict[str, Any]]],
    attrs: dict[str, dict[str, Any]],
) -> None:
    options = {(o["attribute"], o["code"]) for o in demo["attribute_options"]}
    records = {r["code"] for r in demo["reference_entity_records"]}
    categories = {c["code"] for c in demo["categories"]}
    found_new = set()
    for r in rows:
        cats = r.get("categories", [])
        for c in cats.split(";") if isinstance(cats, str) else cats:
            assert c in categories, c
        for key, value in r.items():
            ref = table.resolve(key)
            if (
                ref is None
                or value in (None, "", [])
                or (isinstance(value, str) and not value.strip())
            ):
                continue
            a = attrs[ref.attribute]
            values = value.split(";") if isinstance(value, str) else value
            if ref.companion or a["type"] not in SELECT_TYPES | {
                "akeneo_reference_entity_collection"
            }:
                continue
            for v in values if isinstance(values, list) else [values]:
                if a["type"] == "akeneo_reference_entity_collection":
                    assert v in records
                elif (a["code"], v) not in options:
                    found_new.add((a["code"], v))
    assert found_new == NEW_OPTIONS


def test_job_exercises_what_the_push_must_handle(
    rows: list[dict[str, Any]], table: FieldTable, demo: dict[str, list[dict[str, Any]]]
) -> None:
    existing = {p["identifier"] for p in demo["products"]}
    products = [r for r in rows if r.get("_type", "product") == "product"]
    models = [r for r in rows if r.get("_type") == "product_model"]
    skus = [r["sku"] for r in products]
    assert set(skus) - existing and set(skus) & existing  # new and existing products
    assert len(skus) != len(set(skus))  # one identifier twice: later values win, with a warning
    root = next(m for m in models if m["parent"] is None)
    sub = next(m for m in models if m["parent"] == root["code"])
    variants = [p for p in products if p.get("parent") == sub["code"]]
    assert len(variants) >= 2
    fv = next(f for f in demo["family_variants"] if f["code"] == root["family_variant"])
    levels = [set(s["attributes"]) for s in fv["variant_attribute_sets"]]
    common = set(next(f for f in demo["families"] if f["code"] == root["family"])["attributes"])
    common = common.difference(*levels)
    for v in variants:  # variant rows carry fields of every level, as SDM shows them
        owned = {table.resolve(k).attribute for k in v if table.resolve(k)}
        assert owned & common and owned & levels[0] and owned & levels[1]
    assert any(p.get("parent") in {m["code"] for m in demo["product_models"]} for p in products)
    values = [(k, v) for r in rows for k, v in r.items()]
    assert {"", None} <= {v for _, v in values if not isinstance(v, list | dict)}
    assert any(v == [] for _, v in values)
    assert any(isinstance(v, str) and v and not v.strip() for _, v in values)
    assert any(k.endswith("-unit") for k, _ in values) and any(
        k.endswith("-currency") for k, _ in values
    )
    assert any(k == "weight" for k, _ in values) and any(
        k == "cable_length" for r in rows for k in r if f"{k}-unit" not in r
    )  # default unit
    multi = [
        v for k, v in values if k in {"style_tags", "room", "partner_brands", "certifications"}
    ]
    assert any(isinstance(v, list) and v for v in multi) and any(
        isinstance(v, str) and ";" in v for v in multi
    )
    assert any(isinstance(r.get("categories"), str) for r in rows)
    assert any(
        r.get("family") not in {f["code"] for f in demo["families"]}
        for r in rows
        if r.get("family")
    )
    assert any(
        k == "burn_time_hours" and isinstance(v, str) and not re.match(r"^\d", v) for k, v in values
    )
    assert any(k == "gallery" for k, _ in values)


def test_media_paths_point_to_files_of_the_job(
    rows: list[dict[str, Any]], table: FieldTable, attrs: dict[str, dict[str, Any]]
) -> None:
    paths = []
    for r in rows:
        for key, value in r.items():
            ref = table.resolve(key)
            if ref and attrs[ref.attribute]["type"] in MEDIA_TYPES and value:
                paths += value if isinstance(value, list) else value.split(";")
    assert ESCAPING_PATH in paths
    for p in paths:
        if p != ESCAPING_PATH:
            assert (JOB / p).resolve().is_relative_to(JOB.resolve()) and (JOB / p).is_file(), p
    used = {(JOB / p).resolve() for p in paths if p != ESCAPING_PATH}
    assert used == {f.resolve() for f in (JOB / "assets").iterdir()}
    assert {Path(p).suffix for p in paths} >= {".png", ".jpg", ".pdf"}


def _png_ok(data: bytes) -> bool:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    pos, idat, size = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            return False
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            size = height * (1 + width * 3) if (depth, color) == (8, 2) else None
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    return size is not None and len(zlib.decompress(idat)) == size


def _jpeg_ok(data: bytes) -> bool:
    if not (data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9")):
        return False
    pos, markers = 2, set()
    while pos < len(data) and data[pos] == 0xFF and data[pos + 1] != 0xDA:
        markers.add(data[pos + 1])
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]
    return {0xC0, 0xC4, 0xDB} <= markers and data[pos + 1] == 0xDA


def _pdf_ok(data: bytes) -> bool:
    if not (data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")):
        return False
    xref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    if not data[xref:].startswith(b"xref"):
        return False
    entries = data[xref:].split(b"\n")[2:]
    offsets = [int(e[:10]) for e in entries if e.endswith(b" n ")]
    return bool(offsets) and all(re.match(rb"\d+ 0 obj", data[o : o + 12]) for o in offsets)


@pytest.mark.parametrize("path", sorted((JOB / "assets").iterdir()), ids=lambda p: p.name)
def test_asset_files_are_tiny_and_valid(path: Path) -> None:
    data = path.read_bytes()
    assert 0 < len(data) <= 4096
    check = {".png": _png_ok, ".jpg": _jpeg_ok, ".pdf": _pdf_ok}[path.suffix]
    assert check(data)
