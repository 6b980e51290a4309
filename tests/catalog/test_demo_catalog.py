"""The demo catalog: integrity by Akeneo's rules, contract coverage, served by the sandbox."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.catalog.catalog_rules import category_depths, check_catalog, load_catalog

if TYPE_CHECKING:
    from collections.abc import Callable

DEMO = Path(__file__).resolve().parents[2] / "sandbox" / "akeneo_sandbox" / "catalogs" / "demo"

# Every attribute type of sdm-contract.md §4, plus the one unsupported type the demo must hold.
CONTRACT_TYPES = {
    "pim_catalog_identifier",
    "pim_catalog_text",
    "pim_catalog_textarea",
    "pim_catalog_number",
    "pim_catalog_boolean",
    "pim_catalog_date",
    "pim_catalog_simpleselect",
    "pim_catalog_multiselect",
    "pim_catalog_metric",
    "pim_catalog_price_collection",
    "pim_catalog_image",
    "pim_catalog_file",
    "pim_catalog_asset_collection",
    "akeneo_reference_entity",
    "akeneo_reference_entity_collection",
    "pim_catalog_table",
    "pim_reference_data_simpleselect",
    "pim_catalog_product_link",
}


@pytest.fixture(scope="module")
def demo() -> dict[str, list[dict[str, Any]]]:
    return load_catalog(DEMO)


@pytest.fixture(scope="module")
def attrs(demo: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {a["code"]: a for a in demo["attributes"]}


def test_files_are_pretty_json_arrays() -> None:
    files = sorted(DEMO.glob("*.json"))
    assert len(files) >= 15
    for file in files:
        text = file.read_text(encoding="utf-8")
        items = json.loads(text)
        assert isinstance(items, list) and items and all(isinstance(i, dict) for i in items), (
            file.name
        )
        assert text.startswith("[\n  {"), f"{file.name} is not pretty-printed"
        assert all("_links" not in i for i in items)


def test_demo_catalog_has_no_integrity_problem(demo: dict[str, list[dict[str, Any]]]) -> None:
    assert check_catalog(demo) == []


def test_every_contract_type_is_covered(attrs: dict[str, dict[str, Any]]) -> None:
    assert {a["type"] for a in attrs.values()} >= CONTRACT_TYPES
    assert 55 <= len(attrs) <= 70


def test_attribute_variants_the_transform_must_handle(attrs: dict[str, dict[str, Any]]) -> None:
    def codes(pred: Callable[[dict[str, Any]], bool]) -> list[str]:
        return [c for c, a in attrs.items() if pred(a)]

    assert codes(lambda a: a["scopable"] and not a["localizable"])
    assert codes(lambda a: a["localizable"] and not a["scopable"])
    assert codes(lambda a: a["localizable"] and a["scopable"])
    assert codes(lambda a: a["available_locales"])
    assert codes(lambda a: a["unique"] and a["type"] != "pim_catalog_identifier") == ["ean"]
    text = codes(lambda a: a["type"] == "pim_catalog_text")
    assert any(attrs[c]["max_characters"] for c in text)
    assert any(attrs[c]["max_characters"] is None for c in text)
    assert {
        attrs[c]["wysiwyg_enabled"] for c in codes(lambda a: a["type"] == "pim_catalog_textarea")
    } == {True, False}
    assert {
        attrs[c]["decimals_allowed"] for c in codes(lambda a: a["type"] == "pim_catalog_number")
    } == {True, False}
    metrics = codes(lambda a: a["type"] == "pim_catalog_metric")
    assert {attrs[c]["metric_family"] for c in metrics} >= {"Weight", "Length", "Power"}
    assert {
        attrs[c]["scopable"] for c in codes(lambda a: a["type"] == "pim_catalog_price_collection")
    } == {True, False}
    table = attrs["composition"]["table_configuration"]
    assert table[0]["data_type"] == "select" and len(table) >= 3


def test_target_market_shape(demo: dict[str, list[dict[str, Any]]]) -> None:
    channels = demo["channels"]
    assert len(channels) == 3
    sizes = sorted(len(c["locales"]) for c in channels)
    assert sizes[0] < sizes[-1]
    enabled = {loc for c in channels for loc in c["locales"]}
    assert 3 <= len(enabled) <= 4
    assert len({tuple(c["currencies"]) for c in channels}) == 3
    assert len({c["category_tree"] for c in channels}) == 2


def test_structure_sizes(demo: dict[str, list[dict[str, Any]]]) -> None:
    groups = demo["attribute_groups"]
    assert 5 <= len(groups) <= 7
    assert len({g["sort_order"] for g in groups}) == len(groups)
    assert len(demo["families"]) == 8
    assert {len(fv["variant_attribute_sets"]) for fv in demo["family_variants"]} == {1, 2}
    depths = category_depths(demo)
    assert len(depths) == 2 and min(depths.values()) >= 3
    assert demo["association_types"]
    assert len(demo["reference_entities"]) == 1 and 6 <= len(demo["reference_entity_records"]) <= 10
    assert len(demo["asset_families"]) == 1 and demo["assets"]


def test_products_and_models(demo: dict[str, list[dict[str, Any]]]) -> None:
    simple = [p for p in demo["products"] if not p["parent"]]
    assert 20 <= len(simple) <= 30
    roots = [m for m in demo["product_models"] if m["parent"] is None]
    subs = [m for m in demo["product_models"] if m["parent"] is not None]
    assert len(roots) >= 3 and subs
    variants = [p for p in demo["products"] if p["parent"]]
    assert {p["parent"] for p in variants} & {m["code"] for m in subs}
    assert {p["parent"] for p in variants} & {m["code"] for m in roots}


def test_internal_group_holds_no_protected_attribute(
    demo: dict[str, list[dict[str, Any]]], attrs: dict[str, dict[str, Any]]
) -> None:
    """The README tells the lead to exclude `internal`: it must hold no identifier or axis."""
    internal = {c for c, a in attrs.items() if a["group"] == "internal"}
    assert internal
    axes = {
        x for fv in demo["family_variants"] for s in fv["variant_attribute_sets"] for x in s["axes"]
    }
    assert not internal & axes
    assert all(attrs[c]["type"] != "pim_catalog_identifier" for c in internal)


# -- the checker itself must catch broken catalogs (so a clean demo means something) --------


def _product(cat: dict[str, Any], identifier: str) -> dict[str, Any]:
    return next(p for p in cat["products"] if p["identifier"] == identifier)


def _attr(cat: dict[str, Any], code: str) -> dict[str, Any]:
    return next(a for a in cat["attributes"] if a["code"] == code)


def _fv(cat: dict[str, Any], code: str) -> dict[str, Any]:
    return next(f for f in cat["family_variants"] if f["code"] == code)


BREAKAGES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    (
        "unknown option",
        lambda c: _product(c, "KH-MUG-001")["values"]["main_color"][0].update(data="plaid"),
        "unknown option 'plaid'",
    ),
    (
        "scope on non-scopable",
        lambda c: _product(c, "KH-MUG-001")["values"]["ean"][0].update(scope="print"),
        "scope set on a non-scopable attribute",
    ),
    (
        "locale outside channel",
        lambda c: _product(c, "KH-MUG-001")["values"]["description"].append(
            {"locale": "de_DE", "scope": "print", "data": "x"}
        ),
        "locale de_DE not activated on channel print",
    ),
    (
        "locale-specific",
        lambda c: _product(c, "KH-MUG-001")["values"]["fr_legal_notice"][0].update(locale="en_US"),
        "not in available_locales",
    ),
    (
        "integer metric",
        lambda c: _product(c, "KH-PAN-100")["values"]["diameter"][0]["data"].update(amount="26.5"),
        "decimals not allowed",
    ),
    (
        "unknown unit",
        lambda c: _product(c, "KH-PAN-100")["values"]["diameter"][0]["data"].update(unit="GRAM"),
        "unit 'GRAM' not in Length",
    ),
    (
        "scopable price currency",
        lambda c: _product(c, "KH-MUG-001")["values"]["sale_price"][1].update(
            data=[{"amount": "1.00", "currency": "USD"}]
        ),
        "currency USD not allowed",
    ),
    (
        "value on wrong level",
        lambda c: _product(c, "KH-TEE-WHITE-S")["values"].update(
            name=[{"locale": "en_US", "scope": None, "data": "x"}]
        ),
        "attribute name not allowed at this level",
    ),
    (
        "scopable axis",
        lambda c: _attr(c, "main_color").update(scopable=True),
        "axis main_color must be non-scopable",
    ),
    (
        "level attribute outside family",
        lambda c: _fv(c, "lamps_by_color")["variant_attribute_sets"][0]["attributes"].append(
            "fabric_density"
        ),
        "attribute fabric_density not in the family",
    ),
    (
        "label type",
        lambda c: c["families"][0].update(attribute_as_label="weight"),
        "attribute_as_label",
    ),
    ("category order", lambda c: c["categories"].reverse(), "missing or listed after its child"),
    (
        "unknown record",
        lambda c: _product(c, "KH-MUG-001")["values"]["brand"][0].update(data="acme"),
        "unknown record 'acme'",
    ),
    (
        "duplicate unique",
        lambda c: _product(c, "KH-MUG-002")["values"]["ean"][0].update(
            data=_product(c, "KH-MUG-001")["values"]["ean"][0]["data"]
        ),
        "ean value shared",
    ),
    (
        "axis combination",
        lambda c: _product(c, "KH-TEE-WHITE-M")["values"]["size"][0].update(data="s"),
        "used 2 times",
    ),
    (
        "unknown channel currency",
        lambda c: c["channels"][0]["currencies"].append("XXX"),
        "unknown currency XXX",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [(m, e) for _, m, e in BREAKAGES],
    ids=[name for name, _, _ in BREAKAGES],
)
def test_checker_reports_each_breakage(
    demo: dict[str, list[dict[str, Any]]], mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    broken = copy.deepcopy(demo)
    mutate(broken)
    problems = check_catalog(broken)
    assert any(expected in p for p in problems), problems


# -- served by the sandbox PIM ------------------------------------------------------------------


def _sandbox_class() -> Any:
    try:
        from akeneo_sandbox import Sandbox
    except ImportError:
        pytest.skip("akeneo_sandbox.Sandbox is not available yet")
    return Sandbox


@pytest.fixture(scope="module")
def client() -> Any:
    """An Akeneo client on a sandbox PIM serving the demo catalog (loading it validates it)."""
    sandbox = _sandbox_class()
    from akeneo_client import AkeneoClient

    with sandbox(catalog=DEMO) as pim, AkeneoClient(**pim.config()) as akeneo:
        yield akeneo


def _codes(client: Any, path: str, key: str = "code", **params: Any) -> set[str]:
    return {i[key] for i in client.iter_items(path, params=params or None)}


def test_sandbox_serves_the_catalog_structure(
    client: Any, demo: dict[str, list[dict[str, Any]]]
) -> None:
    for path, name in [
        ("attributes", "attributes"),
        ("families", "families"),
        ("categories", "categories"),
        ("channels", "channels"),
        ("attribute-groups", "attribute_groups"),
        ("association-types", "association_types"),
    ]:
        assert _codes(client, f"/api/rest/v1/{path}", limit=100) == {
            i["code"] for i in demo[name]
        }, path
    assert _codes(client, "/api/rest/v1/attributes/main_color/options", limit=100) == {
        o["code"] for o in demo["attribute_options"] if o["attribute"] == "main_color"
    }
    assert _codes(client, "/api/rest/v1/families/tshirts/variants", limit=100) == {
        "tshirts_color_size"
    }
    enabled = _codes(
        client,
        "/api/rest/v1/locales",
        limit=100,
        search=json.dumps({"enabled": [{"operator": "=", "value": True}]}),
    )
    assert enabled == {loc for c in demo["channels"] for loc in c["locales"]}
    label = client.get_json("/api/rest/v1/attributes/fr_legal_notice")
    assert label["available_locales"] == ["fr_FR"]


def test_sandbox_serves_reference_entities_and_assets(
    client: Any, demo: dict[str, list[dict[str, Any]]]
) -> None:
    assert _codes(client, "/api/rest/v1/reference-entities/brand/records") == {
        r["code"] for r in demo["reference_entity_records"]
    }
    assert _codes(client, "/api/rest/v1/asset-families/packshots/assets") == {
        a["code"] for a in demo["assets"]
    }


def test_sandbox_serves_products_and_models(
    client: Any, demo: dict[str, list[dict[str, Any]]]
) -> None:
    assert _codes(client, "/api/rest/v1/product-models", limit=100) == {
        m["code"] for m in demo["product_models"]
    }
    assert _codes(client, "/api/rest/v1/products", key="identifier", limit=100) == {
        p["identifier"] for p in demo["products"]
    }
    mug = client.get_json("/api/rest/v1/products/KH-MUG-001")
    assert mug["values"]["sale_price"] == _product(demo, "KH-MUG-001")["values"]["sale_price"]
    variant = client.get_json("/api/rest/v1/products/KH-TEE-NAVY-XL")
    assert variant["parent"] == "tee_organic_navy"
    assert variant["family"] == "tshirts"
