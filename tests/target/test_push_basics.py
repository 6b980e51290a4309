"""Push rules of contract §7 against the sandbox PIM, read back through the API."""

from __future__ import annotations

from tests.target.conftest import product, value


def test_update_and_create(pim, workspace, push, api):
    workspace.job("j1", [
        {"sku": "KH-MUG-001", "name-en_US": "Fjord mug (new name)", "name-fr_FR": "",
         "erp_code": "X-1", "typo_field": "zzz"},
        {"sku": "NEW-001", "family": "mugs", "name-en_US": "Brand new mug",
         "weight": "0.5", "categories": ["kitchen_tableware_mugs"]},
    ])
    report = push(pim, "j1")
    assert report["counts"]["rows"] == 2
    assert report["counts"]["updated"] == 1
    assert report["counts"]["created"] == 1
    assert report["counts"]["failed"] == 0, report["failures"]
    assert report["unknown_fields"] == {"erp_code": 1, "typo_field": 1}
    mug = product(api, "KH-MUG-001")
    assert value(mug, "name", locale="en_US") == "Fjord mug (new name)"
    assert value(mug, "name", locale="fr_FR") == "Mug en grès Fjord"  # empty never erases
    assert "erp_code" not in mug["values"] and "typo_field" not in mug["values"]
    new = product(api, "NEW-001")
    assert new["family"] == "mugs"
    assert value(new, "weight") == {"amount": "0.5", "unit": "KILOGRAM"}

