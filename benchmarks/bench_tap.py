"""tap-akeneo: requests made versus the minimum, wall time and records/s.

Runs a full sync (every stream) against the sandbox PIM serving (1) the demo catalog and (2) a
generated large catalog (2,000 attributes, 500 select attributes with 50 options each, 20,000
categories), and prints, per catalog, the HTTP requests the sandbox answered next to the minimum
(one per page as the PIM pages them, plus authentication), the wall time and the records/s.

    .venv/bin/python benchmarks/bench_tap.py [--latency-ms N] [--max-concurrency N]
                                             [--skip-large] [--products N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests
from akeneo_sandbox import Sandbox
from akeneo_sandbox.catalog import DEMO_CATALOG
from akeneo_sandbox.generate import generate_catalog
from tap_akeneo.tap import TapAkeneo

PAGE = 100
SELECTS = ("pim_catalog_simpleselect", "pim_catalog_multiselect")
# How each top-level stream pages: "offset" (a full last page costs one more, empty, request),
# "search_after" (next link only while more remain), "plain" (one JSON array).
TOP = {
    "channels": "offset", "locales": "offset", "currencies": "offset",
    "measurement_families": "plain", "attribute_groups": "offset", "attributes": "offset",
    "families": "offset", "categories": "offset", "association_types": "offset",
    "reference_entities": "search_after", "asset_families": "search_after",
    "products": "search_after", "product_models": "search_after",
}


class _Sink(io.TextIOBase):
    """Collects RECORD messages by stream without keeping the raw text."""

    def __init__(self) -> None:
        self.records: dict[str, list[dict]] = defaultdict(list)
        self._partial = ""

    def write(self, text: str) -> int:
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        for line in lines:
            if line.startswith('{"type":"RECORD"') or '"type": "RECORD"' in line[:30]:
                message = json.loads(line)
                self.records[message["stream"]].append(message["record"])
        return len(text)


def pages(count: int, kind: str) -> int:
    if kind == "plain" or count == 0:
        return 1
    return math.ceil(count / PAGE) + (1 if kind == "offset" and count % PAGE == 0 else 0)


def minimum_requests(records: dict[str, list[dict]]) -> int:
    """Token request + one request per page of every endpoint the tap must read."""
    total = 1 + sum(pages(len(records.get(name, [])), kind) for name, kind in TOP.items())
    by_attribute = Counter(o["attribute"] for o in records.get("attribute_options", []))
    total += sum(pages(by_attribute[a["code"]], "offset")
                 for a in records.get("attributes", []) if a.get("type") in SELECTS)
    by_family = Counter(v["family"] for v in records.get("family_variants", []))
    total += sum(pages(by_family[f["code"]], "offset") for f in records.get("families", []))
    records_by_entity = Counter(r["reference_entity"]
                                for r in records.get("reference_entity_records", []))
    for entity in records.get("reference_entities", []):
        total += 1  # attributes: one plain array
        total += pages(records_by_entity[entity["code"]], "search_after")
    return total


def run(label: str, catalog: Path, latency_ms: float, concurrency: int) -> None:
    started = time.perf_counter()
    with Sandbox(catalog=catalog, latency_ms=latency_ms) as pim:
        load_s = time.perf_counter() - started
        config = {**pim.config(), "page_size": PAGE, "max_concurrency": concurrency}
        tap = TapAkeneo(config=config, parse_env_config=False)
        sink = _Sink()
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(sink):
            tap.sync_all()
        wall = time.perf_counter() - t0
        stats = requests.get(pim.url + "/_sandbox/stats", timeout=30).json()
    total_records = sum(len(rows) for rows in sink.records.values())
    minimum = minimum_requests(sink.records)
    made = stats["requests"]
    print(f"\n== {label} (sandbox load {load_s:.1f} s, latency {latency_ms:g} ms/request, "
          f"max_concurrency {concurrency})")
    print("  records: " + ", ".join(f"{k}={len(v)}" for k, v in sorted(sink.records.items())))
    print(f"  requests made: {made}   minimum: {minimum}   extra: {made - minimum}"
          f"   (token grants: {stats['auth']['password']} password, "
          f"{stats['auth']['refresh_token']} refresh)")
    print(f"  wall time: {wall:.2f} s   records: {total_records}   "
          f"records/s: {total_records / wall:,.0f}   requests/s: {made / wall:,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="sandbox latency added to every request (default 0)")
    parser.add_argument("--max-concurrency", type=int, default=4,
                        help="tap max_concurrency (child endpoints read ahead; default 4)")
    parser.add_argument("--skip-large", action="store_true", help="only the demo catalog")
    parser.add_argument("--products", type=int, default=0,
                        help="products in the generated catalog (default 0)")
    args = parser.parse_args()
    run("demo catalog", DEMO_CATALOG, args.latency_ms, args.max_concurrency)
    if args.skip_large:
        return
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        folder = generate_catalog(Path(tmp) / "large", attributes=2000, select_attributes=500,
                                  options_per_select=50, categories=20000,
                                  products=args.products)
        print(f"\n(generated the large catalog in {time.perf_counter() - t0:.1f} s)")
        run("large catalog: 2,000 attributes, 500 selects x 50 options, 20,000 categories",
            folder, args.latency_ms, args.max_concurrency)


if __name__ == "__main__":
    main()
