"""Benchmark of akeneo_client's CPU per batch write request.

Prints figures, asserts nothing. A sandbox PIM serving the demo catalog runs in its own process
(``akeneo-sandbox serve``), so this process's CPU (``time.process_time``) is the client's alone.
100 batches of 100 product lines (~2.5 kB each, new identifiers each run) are sent with
``AkeneoClient.patch_collection_lines`` from 4 threads, as target-akeneo sends them. Figures:

1. client CPU per batch request, net of a baseline (the same thread pool doing no request);
2. of which reading the 100-line answer (``parse_ndjson`` on a recorded answer).

Run: .venv/bin/python benchmarks/bench_client.py [--batches 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from akeneo_client import AkeneoClient
from akeneo_client.batch import LazyItems, parse_ndjson

BIN = Path(sys.executable).parent
PRODUCTS = "/api/rest/v1/products"
LOCALES = ("en_US", "fr_FR", "de_DE", "nl_NL")
CREDENTIALS = {"client_id": "sandbox-client", "client_secret": "sandbox-secret",
               "username": "sandbox", "password": "sandbox"}


def _value(data: object, locale: str | None = None, scope: str | None = None) -> dict:
    return {"locale": locale, "scope": scope, "data": data}


def product_line(ident: str, i: int) -> bytes:
    """One mug with 30 values, serialized as target-akeneo sends it (compact, UTF-8)."""
    values: dict[str, list[dict]] = {
        "name": [_value(f"Bench mug {i} ({loc})", loc) for loc in LOCALES],
        "short_description": [
            _value(f"A sturdy mug, number {i}, for every day. " * 2, loc) for loc in LOCALES
        ],
        "care_instructions": [
            _value("Dishwasher safe. Do not microwave.", loc) for loc in LOCALES
        ],
        "keywords": [_value(f"mug, stoneware, bench{i % 97}", loc) for loc in LOCALES[:3]],
        "description": [
            _value(f"<p>Mug {i}, made to be used every day.</p>", "en_US", "ecommerce"),
            _value(f"<p>Mug {i}, pour tous les jours.</p>", "fr_FR", "ecommerce"),
        ],
        "seo_title": [_value(f"Mug {i}", "en_US", "ecommerce")],
        "marketing_claim": [_value("Made to last", None, "ecommerce")],
        "is_featured": [_value(i % 2 == 0, None, "ecommerce")],
        "main_color": [_value(("white", "black", "navy", "sage")[i % 4])],
        "secondary_color": [_value(("white", "gold", "grey")[i % 3])],
        "style_tags": [_value(["scandinavian", "minimalist"])],
        "room": [_value(["kitchen", "living_room"])],
        "collection": [_value("essentials")],
        "material": [_value("stoneware")],
        "weight": [_value({"amount": f"0.{300 + i % 500}", "unit": "KILOGRAM"})],
        "capacity": [_value({"amount": 250 + i % 200, "unit": "MILLILITER"})],
        "dishwasher_safe": [_value(True)],
        "release_date": [_value("2026-03-01T00:00:00+00:00")],
    }
    item = {"identifier": ident, "family": "mugs", "categories": ["kitchen_tableware_mugs"],
            "enabled": True, "values": values}
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def make_batches(prefix: str, batches: int, size: int = 100) -> list[list[bytes]]:
    return [[product_line(f"{prefix}-{b:03d}-{j:03d}", b * size + j) for j in range(size)]
            for b in range(batches)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_sandbox(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [str(BIN / "akeneo-sandbox"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"sandbox exited: {err}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("sandbox did not start within 30 s")


def send_all(client: AkeneoClient, batches: list[list[bytes]]
             ) -> tuple[float, float, float, list]:
    """Send every batch from 4 threads; (CPU s, of which system s, wall s, results)."""
    cpu, system, wall = time.process_time(), os.times().system, time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(
            lambda lines: client.patch_collection_lines(PRODUCTS, lines, split_too_large=True),
            batches))
    return (time.process_time() - cpu, os.times().system - system, time.monotonic() - wall,
            results)


def baseline(batches: list[list[bytes]]) -> float:
    """CPU of the same thread pool handing out the batches without sending them."""
    cpu = time.process_time()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(len, batches))
    return time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5, help="runs (the least CPU counts)")
    args = parser.parse_args()

    port = free_port()
    proc = start_sandbox(port)
    try:
        client = AkeneoClient(f"http://127.0.0.1:{port}", **CREDENTIALS, max_concurrency=4)
        run = uuid.uuid4().hex[:8]
        # warm-up: token, pooled connections, imports
        send_all(client, make_batches(f"W{run}", 4))
        runs = []
        for r in range(args.repeat):
            batches = make_batches(f"B{run}{r}", args.batches)
            base = min(baseline(batches) for _ in range(3))
            cpu, system, wall, results = send_all(client, batches)
            created = sum(res.status_code == 201 for batch in results for res in batch)
            runs.append((cpu - base, cpu, system, base, wall, created))
        size = sum(map(len, batches[0])) / 1000
        print(f"{args.batches} batches of 100 product lines ({size:.0f} kB per batch), "
              "4 threads, sandbox in its own process")
        for net, cpu, system, base, wall, created in runs:
            print(f"  run: client CPU {cpu * 1000:.0f} ms (system {system * 1000:.0f} ms) - "
                  f"baseline {base * 1000:.1f} ms = {net * 1000 / args.batches:.2f} ms per "
                  f"request; wall {wall:.2f} s; {created} created")
        best = min(runs)
        print(f"client CPU per batch request (least of {args.repeat}): "
              f"{best[0] * 1000 / args.batches:.2f} ms")
        print(f"client stats: {client.stats.as_dict()}")

        # the answer reading alone, on a real answer of 100 lines
        lines = make_batches(f"P{run}", 1)[0]
        answer = requests.patch(
            f"http://127.0.0.1:{port}{PRODUCTS}", data=b"\n".join(lines), timeout=30,
            headers={"Authorization": f"Bearer {client._tokens.token()}",
                     "Content-Type": "application/vnd.akeneo.collection+json"}).content
        loops = 500
        cpu = time.process_time()
        for _ in range(loops):
            parse_ndjson(answer, LazyItems(lines))
        parse_ms = (time.process_time() - cpu) * 1000 / loops
        print(f"  of which reading the 100-line answer ({len(answer)} bytes): "
              f"{parse_ms:.3f} ms")
        client.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
