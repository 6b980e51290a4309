"""The large-catalog generator: valid by Akeneo's rules, sized as asked, deterministic."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from akeneo_sandbox.generate import generate_catalog, main

from tests.catalog.catalog_rules import category_depths, check_catalog, load_catalog

if TYPE_CHECKING:
    from pathlib import Path

SMALL: dict[str, Any] = {
    "attributes": 60,
    "scopable_localizable_share": 0.3,
    "channels": 3,
    "locales": 4,
    "select_attributes": 15,
    "options_per_select": 5,
    "categories": 200,
    "families": 10,
    "products": 30,
}


def _files(path: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(path.glob("*.json"))}


def test_small_catalog_is_valid_and_sized_as_asked(tmp_path: Path) -> None:
    out = generate_catalog(tmp_path / "cat", **SMALL, seed=1)
    assert check_catalog(out) == []
    cat = load_catalog(out)
    attrs = cat["attributes"]
    assert len(attrs) == 60
    assert (
        sum(a["type"] in {"pim_catalog_simpleselect", "pim_catalog_multiselect"} for a in attrs)
        == 15
    )
    assert len(cat["attribute_options"]) == 15 * 5
    assert len(cat["categories"]) == 200
    assert len(cat["families"]) == 10
    assert len(cat["products"]) == 30
    assert len(cat["channels"]) == 3
    assert len({loc for c in cat["channels"] for loc in c["locales"]}) == 4
    varying = [a for a in attrs[3:] if a["scopable"] or a["localizable"]]
    assert len(varying) == round(0.3 * 57)
    assert any(a["scopable"] and a["localizable"] for a in varying)
    assert {len(fv["variant_attribute_sets"]) for fv in cat["family_variants"]} <= {1, 2}
    assert cat["family_variants"]
    assert min(category_depths(out).values()) >= 2


def test_same_seed_same_bytes_other_seed_other_catalog(tmp_path: Path) -> None:
    a = _files(generate_catalog(tmp_path / "a", **SMALL, seed=7))
    b = _files(generate_catalog(tmp_path / "b", **SMALL, seed=7))
    c = _files(generate_catalog(tmp_path / "c", **SMALL, seed=8))
    assert a == b
    assert a != c


def test_benchmark_sizes_are_valid(tmp_path: Path) -> None:
    """The defaults are the benchmarks' sizes (2,000 attributes, 500 x 50 options...)."""
    out = generate_catalog(tmp_path / "big")
    cat = load_catalog(out)
    assert len(cat["attributes"]) == 2000
    assert len(cat["attribute_options"]) == 500 * 50
    assert len(cat["categories"]) == 20000
    assert len(cat["families"]) == 300
    assert len({loc for c in cat["channels"] for loc in c["locales"]}) == 12
    assert len(cat["channels"]) == 6
    assert check_catalog(cat) == []


def test_no_variation_share_gives_plain_attributes(tmp_path: Path) -> None:
    out = generate_catalog(tmp_path / "plain", **{**SMALL, "scopable_localizable_share": 0.0})
    attrs = load_catalog(out)["attributes"]
    assert [a["code"] for a in attrs if a["scopable"] or a["localizable"]] == ["name"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"locales": 0}, "locales must be between"),
        ({"attributes": 10, "select_attributes": 20}, "leave room for the select"),
        ({"options_per_select": 0}, "options_per_select"),
        ({"scopable_localizable_share": 1.5}, "between 0 and 1"),
        ({"channels": 0}, "channels"),
    ],
)
def test_bad_sizes_are_refused(tmp_path: Path, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_catalog(tmp_path / "x", **{**SMALL, **kwargs})


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [str(tmp_path / "cli"), "--attributes", "40", "--select-attributes", "10",
            "--options-per-select", "3", "--categories", "50", "--families", "4", "--channels", "2",
            "--locales", "3", "--seed", "3"]  # fmt: skip
    assert main(args) == 0
    assert "40 attributes" in capsys.readouterr().out
    assert len(json.loads((tmp_path / "cli" / "attributes.json").read_text())) == 40
    assert main([str(tmp_path / "bad"), "--locales", "0"]) == 2
    assert "error: locales must be between" in capsys.readouterr().err


def test_sandbox_loads_and_serves_a_generated_catalog(tmp_path: Path) -> None:
    try:
        from akeneo_sandbox import Sandbox
    except ImportError:
        pytest.skip("akeneo_sandbox.Sandbox is not available yet")
    from akeneo_client import AkeneoClient

    out = generate_catalog(tmp_path / "served", **{**SMALL, "products": 0}, seed=2)
    cat = load_catalog(out)
    with Sandbox(catalog=out) as pim, AkeneoClient(**pim.config()) as client:
        served = {a["code"] for a in client.iter_items("/api/rest/v1/attributes", {"limit": 100})}
        assert served == {a["code"] for a in cat["attributes"]}
        categories = list(client.iter_items("/api/rest/v1/categories", {"limit": 100}))
        assert len(categories) == 200
        select = next(
            a["code"] for a in cat["attributes"] if a["type"] == "pim_catalog_simpleselect"
        )
        options = list(
            client.iter_items(f"/api/rest/v1/attributes/{select}/options", {"limit": 100})
        )
        assert len(options) == 5
