"""Benchmark of the configuration transform on a generated large catalog.

Goal (issue 4): transform CPU time <= 3 s and peak memory <= 500 MB on this machine for
2,000 attributes (30% scopable and/or localizable), 6 channels x 12 locales, 500 select
attributes x 50 options, 20,000 categories and 300 families.

    .venv/bin/python benchmarks/bench_transform.py [--loader]

Each measurement runs in a fresh subprocess: CPU time of `build_project` (time.process_time),
peak RSS of the whole process (resource.getrusage, includes the interpreter and the catalog
read from disk) and the peak of Python allocations during the transform (tracemalloc, in a
separate run because tracing slows it down). `--loader` also times target-sdm-config end to
end on the same catalog sent as Singer messages.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = {
    "attributes": 2000,
    "scopable_localizable_share": 0.3,
    "channels": 6,
    "locales": 12,
    "select_attributes": 500,
    "options_per_select": 50,
    "categories": 20000,
    "families": 300,
    "seed": 7,
}

CHILD = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
import akeneo_sandbox
from sdm_transform.catalog import load_catalog_dir
from sdm_transform.project import build_project

catalog = load_catalog_dir(sys.argv[1], Path(akeneo_sandbox.__file__).parent / "data")
trace = sys.argv[2] == "trace"
if trace:
    tracemalloc.start()
cpu, wall = time.process_time(), time.perf_counter()
project, counts = build_project(catalog, {}, {})
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
peak_traced = tracemalloc.get_traced_memory()[1] if trace else None
text = json.dumps(project, indent=2, ensure_ascii=False)
print(json.dumps({
    "cpu_s": cpu, "wall_s": wall, "counts": counts, "json_bytes": len(text.encode()),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "peak_traced_mb": peak_traced / 2**20 if trace else None,
    "records": {k: len(v) for k, v in catalog.items()},
}))
"""


def measure(folder: Path, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(folder), mode], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def loader_run(folder: Path, work: Path) -> dict:
    import akeneo_sandbox
    from sdm_transform.catalog import CATALOG_STREAMS, load_catalog_dir

    catalog = load_catalog_dir(folder, Path(akeneo_sandbox.__file__).parent / "data")
    messages = work / "input.singer"
    with messages.open("w") as out:
        for stream in CATALOG_STREAMS:  # every stream announced, as tap-akeneo does
            records = catalog.get(stream, [])
            out.write(json.dumps({"type": "SCHEMA", "stream": stream, "key_properties": [],
                                  "schema": {"type": "object", "properties": {}}}) + "\n")
            for record in records:
                out.write(json.dumps({"type": "RECORD", "stream": stream, "record": record})
                          + "\n")
    workspace = work / "workspace"
    config = work / "config.json"
    config.write_text(json.dumps({"workspace": str(workspace)}))
    target = Path(sys.executable).parent / "target-sdm-config"
    start = time.perf_counter()
    with messages.open() as stdin:
        subprocess.run([str(target), "--config", str(config)], stdin=stdin,
                       capture_output=True, check=True)
    wall = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"wall_s": wall, "input_mb": messages.stat().st_size / 2**20, "peak_rss_mb": rss,
            "status": json.loads((workspace / "sync-status.json").read_text())["status"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loader", action="store_true", help="also time target-sdm-config")
    args = parser.parse_args()
    from akeneo_sandbox.generate import generate_catalog

    with tempfile.TemporaryDirectory() as tmp:
        folder = generate_catalog(Path(tmp) / "catalog", **SIZES)
        # the loader runs first: RUSAGE_CHILDREN then holds its peak alone
        loaded = loader_run(folder, Path(tmp)) if args.loader else None
        plain = measure(folder, "plain")
        traced = measure(folder, "trace")
        print("catalog:", ", ".join(f"{n} {k}" for k, n in plain["records"].items()))
        print("project:", ", ".join(f"{n} {k}" for k, n in plain["counts"].items()),
              f"({plain['json_bytes'] / 2**20:.1f} MB of JSON)")
        ok_cpu = "OK" if plain["cpu_s"] <= 3 else "OVER GOAL"
        ok_mem = "OK" if plain["peak_rss_mb"] <= 500 else "OVER GOAL"
        print(f"transform CPU time: {plain['cpu_s']:.2f} s (wall {plain['wall_s']:.2f} s)"
              f"   goal <= 3 s: {ok_cpu}")
        print(f"peak memory (process RSS, catalog loaded + transform): "
              f"{plain['peak_rss_mb']:.0f} MB   goal <= 500 MB: {ok_mem}")
        print(f"peak Python allocations during the transform (tracemalloc): "
              f"{traced['peak_traced_mb']:.0f} MB")
        if loaded:
            print(f"target-sdm-config end to end ({loaded['input_mb']:.0f} MB of Singer "
                  f"messages): {loaded['wall_s']:.2f} s wall, peak RSS "
                  f"{loaded['peak_rss_mb']:.0f} MB, status {loaded['status']}")


if __name__ == "__main__":
    main()
