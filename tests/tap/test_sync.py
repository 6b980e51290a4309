"""tap-akeneo against the sandbox PIM: paging, token expiry, faults, 404 editions, minimal
request count, the shared client and secrets."""

from __future__ import annotations

import logging
import math

from tests.conftest import demo_catalog

from .conftest import run_tap, sandbox_stats, tap_config, write_catalog

STRUCTURE = [
    "channels", "locales", "currencies", "measurement_families", "attribute_groups", "attributes",
    "attribute_options", "families", "family_variants", "categories", "association_types",
]


PAGING = {  # how each top-level endpoint pages
    "channels": "offset", "locales": "offset", "currencies": "offset",
    "measurement_families": "plain", "attribute_groups": "offset", "attributes": "offset",
    "families": "offset", "categories": "offset", "association_types": "offset",
}
EE_AND_PRODUCTS = {
    "reference_entities": "search_after", "asset_families": "search_after",
    "products": "search_after", "product_models": "search_after",
}
ALL_STREAMS = [*STRUCTURE, "reference_entities", "reference_entity_attributes",
               "reference_entity_records", "asset_families", "products", "product_models"]


def _categories(count: int) -> list[dict]:
    root = {"code": "master", "parent": None, "labels": {"en_US": "Master"}}
    return [root] + [{"code": f"c{i:05d}", "parent": "master"} for i in range(1, count)]


def test_pages_over_more_than_100_items(sandbox_factory, tmp_path):
    pim = sandbox_factory(catalog=write_catalog(tmp_path / "cat", categories=_categories(230)))
    result = run_tap(tap_config(pim), streams=["categories"])
    codes = [r["code"] for r in result.records["categories"]]
    assert len(codes) == len(set(codes)) == 230
    assert "_links" not in result.records["categories"][0]
    stats = sandbox_stats(pim)
    assert stats["by_route"]["GET /api/rest/v1/categories"] == 3
    assert stats["requests"] == 4  # 3 pages + the token


def test_page_size_setting_is_used(sandbox_factory, tmp_path):
    pim = sandbox_factory(catalog=write_catalog(tmp_path / "cat", categories=_categories(45)))
    result = run_tap(tap_config(pim, page_size=20), streams=["categories"])
    assert len(result.records["categories"]) == 45
    paths = [e["path"] for e in pim.request_log() if e["method"] == "GET"]
    assert paths[0] == "/api/rest/v1/categories?limit=20"
    assert len(paths) == 3


def test_one_token_shared_by_all_streams(pim):
    result = run_tap(tap_config(pim), streams=STRUCTURE)
    assert all(result.records[name] for name in STRUCTURE)
    assert sandbox_stats(pim)["auth"] == {"password": 1, "refresh_token": 0, "failed": 0}


# Akeneo: options exist for simple and multi selects and the legacy reference-data selects.
OPTION_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect",
                "pim_reference_data_simpleselect", "pim_reference_data_multiselect")


def _minimum_requests(result, paging: dict[str, str], limit: int = 100) -> int:
    """One request per page as the PIM pages them, plus one token request."""

    def pages(count: int, kind: str) -> int:
        if count == 0 or kind == "plain":
            return 1  # plain JSON arrays come whole
        # a full offset page carries a next link, so a full last page costs one more (empty)
        # request; search_after links only point at pages that have items
        full_last = kind == "offset" and count % limit == 0
        return math.ceil(count / limit) + (1 if full_last else 0)

    records = result.records
    total = 1
    for name, kind in paging.items():
        total += pages(len(records[name]), kind)
    for attribute in records["attributes"]:
        if attribute["type"] in OPTION_TYPES:
            options = [o for o in records["attribute_options"]
                       if o["attribute"] == attribute["code"]]
            total += pages(len(options), "offset")
    for family in records["families"]:
        variants = [v for v in records["family_variants"] if v["family"] == family["code"]]
        total += pages(len(variants), "offset")
    for entity in records.get("reference_entities", []):
        entity_records = [r for r in records["reference_entity_records"]
                          if r["reference_entity"] == entity["code"]]
        total += 1 + pages(len(entity_records), "search_after")  # attributes: a plain array
    return total


def test_request_count_is_the_minimum(pim):
    result = run_tap(tap_config(pim), streams=ALL_STREAMS)
    assert all(result.records[name] for name in ALL_STREAMS)
    expected = _minimum_requests(result, {**PAGING, **EE_AND_PRODUCTS})
    stats = sandbox_stats(pim)
    assert stats["requests"] == expected
    assert stats["by_status"] == {"200": expected}
    assert result.tap.client.stats.requests == expected


def _without(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {name: rows for name, rows in records.items() if rows}


def test_faults_give_identical_records(pim):
    clean = run_tap(tap_config(pim), streams=STRUCTURE)
    pim.reset_stats()
    pim.set_faults(fault_429_every=5, fault_5xx_every=9, fault_drop_every=13, retry_after=0)
    faulty = run_tap(tap_config(pim), streams=STRUCTURE)
    assert _without(faulty.records) == _without(clean.records)
    faults = sandbox_stats(pim)["faults"]
    assert faults["injected_429"] > 0 and faults["injected_5xx"] > 0 and faults["dropped"] > 0
    retries = faulty.tap.client.stats.retries
    assert retries["429"] == faults["injected_429"]
    assert retries["5xx"] == faults["injected_5xx"]
    assert retries["connection"] == faults["dropped"]


def test_token_expiry_mid_run(pim):
    clean = run_tap(tap_config(pim), streams=STRUCTURE)
    pim.reset_stats()
    # >= 30 sequential requests of >= 40 ms each outlast a 0.3 s token several times
    pim.set_faults(token_ttl=0.3, latency_ms=40)
    result = run_tap(tap_config(pim, max_concurrency=1), streams=STRUCTURE)
    assert _without(result.records) == _without(clean.records)
    stats = sandbox_stats(pim)
    assert stats["auth"]["password"] == 1
    assert stats["auth"]["refresh_token"] >= 1
    assert stats["auth"]["failed"] == 0


def test_prefetched_children_match_sequential_reads(pim):
    """Child streams read ahead on 4 connections give the same records, in the same order."""
    sequential = run_tap(tap_config(pim, max_concurrency=1), streams=STRUCTURE)
    pim.reset_stats()
    parallel = run_tap(tap_config(pim, max_concurrency=4, page_size=7), streams=STRUCTURE)
    assert parallel.records == sequential.records
    assert parallel.records["attribute_options"] and parallel.records["family_variants"]
    # every endpoint read exactly once: the minimum for pages of 7
    assert sandbox_stats(pim)["requests"] == _minimum_requests(parallel, PAGING, limit=7)


def test_community_edition_skips_missing_endpoints(sandbox_factory, caplog):
    caplog.set_level(logging.INFO)
    pim = sandbox_factory(edition="ce")
    result = run_tap(tap_config(pim), streams=[*STRUCTURE, "reference_entities",
                                               "reference_entity_attributes",
                                               "reference_entity_records", "asset_families"])
    for name in ("reference_entities", "reference_entity_attributes",
                 "reference_entity_records", "asset_families"):
        assert not result.records.get(name)
    skipped = [r.getMessage() for r in caplog.records if "answered 404" in r.getMessage()]
    assert len(skipped) == 2
    assert any(m.startswith("Skipping stream reference_entities: GET /api/rest/v1/reference-"
                            "entities answered 404") for m in skipped)
    assert any(m.startswith("Skipping stream asset_families") for m in skipped)
    assert result.records["attributes"]  # the rest of the catalog is read as usual


def test_secrets_never_logged(sandbox_factory, caplog):
    caplog.set_level(logging.DEBUG)
    secret, password = "tap-Secret-value-91", "tap-Passw0rd-value-17"
    pim = sandbox_factory(client_secret=secret, password=password, token_ttl=0.3,
                          latency_ms=10)
    run_tap(tap_config(pim), streams=["locales", "attributes", "attribute_options"])
    tokens = list(pim.app.tokens.access) + list(pim.app.tokens.refresh)
    assert len(tokens) >= 2
    for value in (secret, password, *tokens):
        assert value not in caplog.text


def test_demo_catalog_is_read_completely(pim):
    """Counts match the catalog files the sandbox serves."""
    import json

    result = run_tap(tap_config(pim), streams=STRUCTURE)
    folder = demo_catalog()
    for stream, file in (("attributes", "attributes"), ("families", "families"),
                         ("categories", "categories"), ("family_variants", "family_variants"),
                         ("attribute_groups", "attribute_groups"),
                         ("association_types", "association_types")):
        path = folder / f"{file}.json"
        if path.exists():
            assert len(result.records[stream]) == len(json.loads(path.read_text())), stream
    variants = result.records["family_variants"]
    assert all("family" in v for v in variants)


def test_settings_reach_the_shared_client(pim):
    tap = run_tap(tap_config(pim, request_timeout=7, max_retries=2, max_concurrency=3,
                             verify_ssl=False), streams=["channels"]).tap
    client = tap.client
    assert (client.timeout, client.max_retries, client.max_concurrency, client.verify) == (
        7.0, 2, 3, False)
    default = run_tap(tap_config(pim), streams=["channels"]).tap.client
    assert (default.timeout, default.max_retries, default.max_concurrency, default.verify) == (
        60.0, 5, 4, True)


def test_options_of_reference_data_selects_are_read(pim):
    result = run_tap(tap_config(pim), streams=["attributes", "attribute_options"])
    legacy = [a["code"] for a in result.records["attributes"]
              if a["type"] in ("pim_reference_data_simpleselect", "pim_reference_data_multiselect")]
    assert legacy, "the demo catalog holds a legacy reference-data select"
    with_options = {o["attribute"] for o in result.records["attribute_options"]}
    assert set(legacy) <= with_options


def test_table_select_columns_come_with_their_options(pim):
    result = run_tap(tap_config(pim), streams=["attributes"])
    tables = [a for a in result.records["attributes"] if a["type"] == "pim_catalog_table"]
    assert tables, "the demo catalog holds a table attribute"
    for table in tables:
        first = table["table_configuration"][0]
        assert first["data_type"] == "select"
        assert first["options"], f"{table['code']}: select column options missing"
