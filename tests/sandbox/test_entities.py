"""Reference entities and Asset Manager (EE), and their absence on Community Edition."""

from __future__ import annotations

import json
from typing import Any

import pytest
from akeneo_sandbox import Sandbox

from .conftest import SMALL, Api

RE = "/reference-entities"
AF = "/asset-families"


def _json_array(api: Api, path: str, items: list[Any]) -> Any:
    return api.session.patch(api.url(path), data=json.dumps(items),
                             headers={"Content-Type": "application/json"}, timeout=5)


def test_reference_entity_reads(api: Api) -> None:
    body = api.get(RE).json()
    assert "current_page" not in body
    assert [i["code"] for i in body["_embedded"]["items"]] == ["brand"]
    assert body["_embedded"]["items"][0]["_links"]["self"]["href"].endswith(f"{RE}/brand")
    attrs = api.get(f"{RE}/brand/attributes").json()
    assert isinstance(attrs, list)
    assert {a["code"] for a in attrs} >= {"label", "image"}
    record = api.get(f"{RE}/brand/records/acme").json()
    assert record["code"] == "acme"
    assert record["values"]["label"] == [{"locale": "en_US", "channel": None, "data": "Acme"}]
    assert api.get(f"{RE}/brand/records/nope").status_code == 404
    assert api.get(f"{RE}/nope").status_code == 404


def test_reference_entity_writes(api: Api) -> None:
    created = api.patch(f"{RE}/designer", {"labels": {"en_US": "Designer"}})
    assert created.status_code == 201
    assert created.headers["Location"].endswith(f"{RE}/designer")
    attr = api.patch(f"{RE}/designer/attributes/country", {"type": "single_option",
                                                           "labels": {"en_US": "Country"},
                                                           "value_per_locale": False,
                                                           "value_per_channel": False})
    assert attr.status_code == 201
    assert api.patch(f"{RE}/designer/attributes/country/options/fr",
                     {"labels": {"en_US": "France"}}).status_code == 201
    assert api.get(f"{RE}/designer/attributes/country/options").json() == [
        {"code": "fr", "labels": {"en_US": "France"}}]
    no_options = api.patch(f"{RE}/designer/attributes/label/options/x", {})
    assert no_options.status_code == 422
    immutable = api.patch(f"{RE}/designer/attributes/country", {"type": "text"})
    assert immutable.status_code == 422


def test_records_json_array_batch_and_validation(api: Api) -> None:
    response = _json_array(api, f"{RE}/brand/records", [
        {"code": "initech", "values": {"label": [{"locale": "en_US", "channel": None,
                                                  "data": "Initech"}]}},
        {"code": "acme", "values": {"label": [{"locale": "fr_FR", "channel": None,
                                               "data": "Acmé"}]}},
        {"code": "broken", "values": {"label": [{"locale": None, "channel": None,
                                                 "data": "x"}]}},
        {"code": "ghost", "values": {"nope": [{"locale": None, "channel": None, "data": 1}]}},
    ])
    assert response.status_code == 200
    lines = response.json()
    assert lines[0] == {"code": "initech", "status_code": 201}
    assert lines[1] == {"code": "acme", "status_code": 204}
    assert lines[2]["status_code"] == 422
    assert lines[2]["errors"][0]["property"] == "values.label"
    assert lines[3]["status_code"] == 422
    acme = api.get(f"{RE}/brand/records/acme").json()
    assert {v["locale"] for v in acme["values"]["label"]} == {"en_US", "fr_FR"}
    ndjson = api.batch(f"{RE}/brand/records", [{"code": "x"}])
    assert ndjson.status_code == 415
    too_many = _json_array(api, f"{RE}/brand/records", [{"code": f"r{i}"} for i in range(101)])
    assert too_many.status_code == 413


def test_single_record_patch(api: Api) -> None:
    created = api.patch(f"{RE}/brand/records/umbrella", {"values": {}})
    assert created.status_code == 201
    assert created.headers["Location"].endswith(f"{RE}/brand/records/umbrella")
    records = api.get(f"{RE}/brand/records").json()["_embedded"]["items"]
    assert "umbrella" in {r["code"] for r in records}


def test_records_filter_by_code(api: Api) -> None:
    body = api.search(f"{RE}/brand/records", {"code": [{"operator": "IN",
                                                        "value": ["globex"]}]}).json()
    assert [r["code"] for r in body["_embedded"]["items"]] == ["globex"]


def test_asset_family_reads_and_writes(api: Api) -> None:
    assert [i["code"] for i in api.get(AF).json()["_embedded"]["items"]] == ["packshots"]
    created = api.patch(f"{AF}/manuals", {"labels": {"en_US": "Manuals"}})
    assert created.status_code == 201
    family = api.get(f"{AF}/manuals").json()
    assert family["attribute_as_main_media"] == "media"
    attrs = {a["code"]: a for a in api.get(f"{AF}/manuals/attributes").json()}
    assert attrs["media"]["type"] == "media_file"
    attr = api.patch(f"{AF}/manuals/attributes/language", {"type": "single_option",
                                                           "labels": {"en_US": "Language"}})
    assert attr.status_code == 201
    assert api.patch(f"{AF}/manuals/attributes/language/options/en", {}).status_code == 201
    bad_main = api.patch(f"{AF}/manuals", {"attribute_as_main_media": "language"})
    assert bad_main.status_code == 422


def test_assets_batch_single_and_delete(api: Api) -> None:
    response = _json_array(api, f"{AF}/packshots/assets", [
        {"code": "shoe_side", "values": {"label": [{"locale": "en_US", "channel": None,
                                                    "data": "Side"}]}},
        {"code": "shoe_front", "values": {}},
        {"code": "bad", "values": {"media": [{"locale": None, "channel": None,
                                              "data": "not/uploaded.jpg"}]}},
    ])
    lines = response.json()
    assert [line["status_code"] for line in lines] == [201, 204, 422]
    asset = api.get(f"{AF}/packshots/assets/shoe_side").json()
    assert asset["code"] == "shoe_side"
    assert asset["_links"]["self"]["href"].endswith(f"{AF}/packshots/assets/shoe_side")
    assert api.patch(f"{AF}/packshots/assets/loose", {"values": {}}).status_code == 201
    assert api.session.delete(api.url(f"{AF}/packshots/assets/loose"), timeout=5
                              ).status_code == 204
    assert api.get(f"{AF}/packshots/assets/loose").status_code == 404
    listed = api.get(f"{AF}/packshots/assets").json()
    assert "current_page" not in listed
    assert {a["code"] for a in listed["_embedded"]["items"]} == {"shoe_front", "shoe_back",
                                                                 "shoe_side"}


def test_search_after_only_lists_page_by_100(api: Api) -> None:
    items = [{"code": f"a{i:03d}", "values": {}} for i in range(100)]
    assert _json_array(api, f"{AF}/packshots/assets", items).status_code == 200
    first = api.get(f"{AF}/packshots/assets").json()
    assert len(first["_embedded"]["items"]) == 100
    nxt = first["_links"]["next"]["href"]
    assert "search_after=" in nxt
    rest = api.session.get(nxt, timeout=5).json()
    assert len(rest["_embedded"]["items"]) == 2
    assert "next" not in rest["_links"]


@pytest.mark.parametrize("path", [RE, f"{RE}/brand", f"{RE}/brand/attributes",
                                  f"{RE}/brand/records", AF, f"{AF}/packshots/assets"])
def test_community_edition_has_no_entities_or_assets(path: str) -> None:
    with Sandbox(catalog=SMALL, edition="ce") as pim:
        api = Api(pim)
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == 404
        assert api.get("/products").status_code == 200
        routes = api.session.get(f"{pim.url}/api/rest/v1", timeout=5).json()["routes"]
        assert not any("asset" in name or "reference_entit" in name for name in routes)


def test_edition_must_be_known() -> None:
    with pytest.raises(ValueError, match="edition"):
        Sandbox(catalog=SMALL, edition="xx")
