"""Integration: tap-akeneo piped into target-sdm-config against the sandbox demo PIM.

Expected values are read from the PIM's own API (through akeneo_client) and computed here
from the contract's rules, independently of sdm_transform's code.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from akeneo_client import AkeneoClient

from .pipe import run_sync

if TYPE_CHECKING:
    from pathlib import Path

API = "/api/rest/v1"

SDM_TYPES = {
    "pim_catalog_identifier": ("string", False),
    "pim_catalog_text": ("string", False),
    "pim_catalog_textarea": ("string", False),
    "pim_catalog_number": ("number", False),
    "pim_catalog_boolean": ("boolean", False),
    "pim_catalog_date": ("date", False),
    "pim_catalog_simpleselect": ("select", False),
    "pim_catalog_multiselect": ("select", True),
    "pim_catalog_metric": ("number", False),
    "pim_catalog_price_collection": ("number", False),
    "pim_catalog_image": ("media", False),
    "pim_catalog_file": ("media", False),
    "pim_catalog_asset_collection": ("media", True),
    "akeneo_reference_entity": ("select", False),
    "akeneo_reference_entity_collection": ("select", True),
    "pim_catalog_table": ("table", False),
    "pim_reference_data_simpleselect": ("select", False),
    "pim_reference_data_multiselect": ("select", True),
}


@pytest.fixture(scope="module")
def pim_data(demo_pim):
    client = AkeneoClient(**demo_pim.config())
    attributes = list(client.iter_items(f"{API}/attributes", params={"limit": 100}))
    families = list(client.iter_items(f"{API}/families", params={"limit": 100}))
    variants = {
        f["code"]: list(client.iter_items(f"{API}/families/{f['code']}/variants",
                                          params={"limit": 100}))
        for f in families
    }
    options = {
        a["code"]: [o["code"] for o in client.iter_items(
            f"{API}/attributes/{a['code']}/options", params={"limit": 100})]
        for a in attributes
        if a["type"] in {"pim_catalog_simpleselect", "pim_catalog_multiselect"}
    }
    entities = {a["reference_data_name"] for a in attributes
                if a["type"].startswith("akeneo_reference_entity")}
    records = {
        entity: sorted(r["code"] for r in client.iter_items(
            f"{API}/reference-entities/{entity}/records"))
        for entity in entities
    }
    return {
        "records": records,
        "channels": list(client.iter_items(f"{API}/channels", params={"limit": 100})),
        "attributes": attributes,
        "families": families,
        "variants": variants,
        "options": options,
        "categories": list(client.iter_items(f"{API}/categories", params={"limit": 100})),
    }


def expected_names(attribute: dict, channels: list[dict]) -> set[str]:
    """Field names of the contract §1 table, written out here on their own."""
    code = attribute["code"]
    available = set(attribute.get("available_locales") or [])
    locales = sorted({loc for c in channels for loc in c["locales"]})
    if available:
        locales = [loc for loc in locales if loc in available]
    if attribute["scopable"] and attribute["localizable"]:
        names = {f"{code}-{c['code']}-{loc}" for c in channels for loc in c["locales"]
                 if not available or loc in available}
    elif attribute["scopable"]:
        names = {f"{code}-{c['code']}" for c in channels
                 if not available or available & set(c["locales"])}
    elif attribute["localizable"] or available:
        names = {f"{code}-{loc}" for loc in locales} if attribute["localizable"] else (
            {code} if locales else set())
    else:
        names = {code}
    companion = {"pim_catalog_metric": "unit", "pim_catalog_price_collection": "currency"}.get(
        attribute["type"])
    if companion:
        names |= {f"{name}-{companion}" for name in names}
    return names


def steps_bytes(workspace: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((workspace / "steps").iterdir())}


def load(workspace: Path, name: str) -> dict:
    return json.loads((workspace / name).read_text())


def test_full_sync_of_the_demo_catalog(demo_pim, pim_data, demo_workspace, tmp_path):
    before = steps_bytes(demo_workspace)
    result = run_sync(demo_pim.config(), demo_workspace, tmp_path, pim_url=demo_pim.url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert steps_bytes(demo_workspace) == before

    project = load(demo_workspace, "project.json")
    status = load(demo_workspace, "sync-status.json")
    assert status["status"] == "done"
    assert status["error"] is None
    assert status["last_success_at"] == status["finished_at"]
    assert status["counts"]["attributes"] == len(pim_data["attributes"])
    assert status["counts"]["fields"] == len(project["fields"])
    assert status["counts"]["categories"] == len(pim_data["categories"])
    assert status["counts"]["families"] == len(pim_data["families"])
    assert project["source"]["pim_url"] == demo_pim.url

    by_attribute: dict[str, dict[str, dict]] = {}
    for field in project["fields"]:
        by_attribute.setdefault(field["attribute"], {})[field["name"]] = field
    skipped = {s["attribute"]: s for s in project["skipped"]}
    supported = [a for a in pim_data["attributes"] if a["type"] in SDM_TYPES]
    unsupported = [a for a in pim_data["attributes"] if a["type"] not in SDM_TYPES]
    assert unsupported, "the demo catalog holds an unsupported type"
    for attribute in unsupported:
        assert skipped[attribute["code"]]["reason"] == "unsupported_type"
        assert attribute["code"] not in by_attribute
    for attribute in supported:
        fields = by_attribute[attribute["code"]]
        assert set(fields) == expected_names(attribute, pim_data["channels"]), attribute["code"]
        sdm_type, multiple = SDM_TYPES[attribute["type"]]
        if attribute["type"] == "pim_catalog_textarea" and attribute.get("wysiwyg_enabled"):
            sdm_type = "html"
        for field in fields.values():
            if field["companion"]:
                assert (field["type"], field["options_collection"]) == ("select", field["name"])
            else:
                assert (field["type"], field["multiple"]) == (sdm_type, multiple), field["name"]

    # select options are the PIM's
    for code, option_codes in pim_data["options"].items():
        assert [o["code"] for o in project["options_collections"][code]] == option_codes

    # reference entity attributes offer the entity's records
    entity_attributes = [a for a in supported if a["type"].startswith("akeneo_reference_entity")]
    assert entity_attributes
    for attribute in entity_attributes:
        collection = project["options_collections"][attribute["code"]]
        assert [o["code"] for o in collection] == pim_data["records"][
            attribute["reference_data_name"]]
        assert collection, attribute["code"]

    # protected: identifier, variant axes, AI sources and dependency triggers of steps/
    identifier = next(a["code"] for a in pim_data["attributes"]
                      if a["type"] == "pim_catalog_identifier")
    assert {f["protected"] for f in by_attribute[identifier].values()} == {"identifier"}
    axes = {axis for variants in pim_data["variants"].values() for v in variants
            for level in v["variant_attribute_sets"] for axis in level["axes"]}
    assert axes
    for axis in axes:
        assert {f["protected"] for f in by_attribute[axis].values()} == {"variant_axis"}
    steps = {p.name: json.loads(p.read_bytes()) for p in (demo_workspace / "steps").iterdir()}
    sources = steps["ai-extraction.json"]["sources"]
    for name in sources:
        field = next(f for fields in by_attribute.values() for f in fields.values()
                     if f["name"] == name)
        assert field["protected"] in {"identifier", "variant_axis", "ai_source"}
    triggers = [r["when"]["field"] for r in steps["dependencies.json"]["rules"]]
    for name in triggers:
        field = next(f for fields in by_attribute.values() for f in fields.values()
                     if f["name"] == name)
        assert field["protected"] in {"identifier", "variant_axis", "ai_source",
                                      "dependency_trigger"}
    assert project["excluded"] == []

    # hierarchies
    assert sorted(f["code"] for f in project["hierarchies"]["families"]) == sorted(
        f["code"] for f in pim_data["families"])
    codes = [c["code"] for c in project["hierarchies"]["categories"]]
    assert sorted(codes) == sorted(c["code"] for c in pim_data["categories"])
    for index, category in enumerate(project["hierarchies"]["categories"]):
        if category["parent"]:
            assert codes.index(category["parent"]) < index


def test_settings_protection_warnings_and_split_categories(demo_pim, pim_data, demo_workspace,
                                                           tmp_path):
    steps = {p.name: json.loads(p.read_bytes()) for p in (demo_workspace / "steps").iterdir()}
    ai_attribute = "supplier_reference"
    assert ai_attribute in steps["ai-extraction.json"]["sources"]
    print_only = next(s for s in steps["ai-extraction.json"]["sources"] if s.endswith("-print"))
    print_attribute = print_only.rsplit("-", 1)[0]
    plain = next(a["code"] for a in pim_data["attributes"]
                 if a["type"] == "pim_catalog_boolean" and not a["scopable"])
    text = next(a["code"] for a in pim_data["attributes"] if a["type"] == "pim_catalog_text")
    select = next(iter(pim_data["options"]))
    result = run_sync(
        demo_pim.config(), demo_workspace, tmp_path,
        channels=["ecommerce"],
        excluded_attributes=[ai_attribute, plain, print_attribute],
        allow_new_options=[select, text],
        split_categories=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    project = load(demo_workspace, "project.json")
    fields = {f["name"]: f for f in project["fields"]}
    warnings = "\n".join(w["message"] for w in project["warnings"])

    assert project["source"]["channels"] == ["ecommerce"]
    assert not any(f["channel"] not in (None, "ecommerce") for f in project["fields"])
    assert fields[ai_attribute]["protected"] == "ai_source"
    # an AI source on a channel that is not targeted still protects its attribute
    assert {f["protected"] for f in project["fields"] if f["attribute"] == print_attribute} \
        == {"ai_source"}
    assert f"attribute {ai_attribute} cannot be excluded" in warnings
    assert [e["attribute"] for e in project["excluded"]] == [plain]
    assert all(f["allow_new_options"] for f in project["fields"] if f["attribute"] == select)
    assert f"allow_new_options refused for attribute {text}" in warnings
    trees = [name for name in project["hierarchies"] if name.startswith("categories-")]
    roots = sorted(c["code"] for c in pim_data["categories"] if c["parent"] is None)
    assert sorted(trees) == [f"categories-{root}" for root in roots]


def test_hand_edit_backup_then_failing_sync_keeps_the_config(demo_pim, demo_workspace,
                                                             tmp_path):
    assert run_sync(demo_pim.config(), demo_workspace, tmp_path).returncode == 0
    project_path = demo_workspace / "project.json"
    project = json.loads(project_path.read_text())
    project["fields"][0]["labels"]["en_US"] = "Renamed in SDM"
    edited = json.dumps(project, indent=1).encode()
    project_path.write_bytes(edited)

    result = run_sync(demo_pim.config(), demo_workspace, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (demo_workspace / "project.json.bak").read_bytes() == edited
    rewritten = json.loads(project_path.read_text())
    assert "edited by hand" in rewritten["warnings"][0]["message"]
    assert project["fields"][0]["name"] in rewritten["warnings"][0]["message"]
    assert rewritten["fields"][0]["labels"]["en_US"] != "Renamed in SDM"
    good = project_path.read_bytes()
    last_success = load(demo_workspace, "sync-status.json")["last_success_at"]

    # the tap cannot authenticate: it fails, the loader sees an incomplete input
    bad = {**demo_pim.config(), "password": "wrong-password"}
    failed = run_sync(bad, demo_workspace, tmp_path)
    assert failed.returncode != 0
    assert project_path.read_bytes() == good
    status = load(demo_workspace, "sync-status.json")
    assert status["status"] == "failed"
    assert "the tap stopped early" in status["error"]
    assert status["last_success_at"] == last_success
    assert "wrong-password" not in failed.stderr
