"""The main job on the built-in sandbox PIM: configuration sync, then a product push.

Run by `make demo`. Starts `akeneo-sandbox` with the demo catalog on 127.0.0.1, copies the demo
SDM workspace to demo/.work/workspace, runs the two Meltano jobs (sync-config, push-job), shows
what a user would check after each, and stops the sandbox whatever happens.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from akeneo_client import AkeneoClient

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "demo" / ".work"
WORKSPACE = WORK / "workspace"
JOB_ID = "demo-job"
BIN = Path(sys.executable).parent
CREDENTIALS = {
    "client_id": "sandbox-client",
    "client_secret": "sandbox-secret",
    "username": "sandbox",
    "password": "sandbox",
}


def free_port(preferred: int = 8089) -> int:
    """Use the documented port when it is free, any free loopback port otherwise."""
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise SystemExit("no free port on 127.0.0.1")


def wait_ready(url: str, proc: subprocess.Popen[bytes], seconds: float = 20.0) -> None:
    """Wait until the sandbox answers its endpoint list."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the sandbox PIM exited early (code {proc.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/api/rest/v1", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the sandbox PIM did not answer on {url} within {seconds:.0f} s")


def step(title: str) -> None:
    print(f"\n=== {title}", flush=True)


def run_meltano(job: str, env: dict[str, str], log: Path) -> float:
    """Run one Meltano job; its full log goes to a file, failures print the tail."""
    started = time.monotonic()
    cmd = [str(BIN / "meltano"), "--environment=demo", "run", job]
    with log.open("wb") as out:
        code = subprocess.call(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    elapsed = time.monotonic() - started
    if code != 0:
        tail = log.read_text(errors="replace").splitlines()[-40:]
        print("\n".join(tail))
        raise SystemExit(f"`meltano run {job}` failed (exit {code}); full log: {log}")
    print(f"`meltano --environment=demo run {job}` finished in {elapsed:.1f} s (log: "
          f"{log.relative_to(ROOT)})")
    return elapsed


def show(cmd: list[str], env: dict[str, str]) -> None:
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    print(out.stdout.rstrip())
    if out.returncode != 0:
        print(out.stderr.rstrip())
        raise SystemExit(f"{' '.join(cmd[:2])} failed (exit {out.returncode})")


def print_report(report_path: Path) -> None:
    report = json.loads(report_path.read_text())
    counts = report["counts"]
    print(f"job {report['job']}: {counts['rows']} rows -> {counts['created']} created, "
          f"{counts['updated']} updated, {counts['failed']} failed")
    print(f"values sent {counts['values_sent']}, skipped empty {counts['values_skipped_empty']}, "
          f"skipped unknown {counts['values_skipped_unknown']}; options created "
          f"{counts['options_created']}, media uploaded {counts['media_uploaded']}, "
          f"assets created {counts['assets_created']}")
    if report.get("unknown_fields"):
        names = ", ".join(f"{k} ({v} rows)" for k, v in report["unknown_fields"].items())
        print(f"unknown fields, never written: {names}")
    for item in report.get("skipped_values", []):
        print(f"  skipped  row {item['row']} {item.get('id')}: {item['field']}: {item['reason']}")
    for item in report.get("failures", []):
        reasons = "; ".join(
            f"{e.get('attribute') or e.get('property') or ''}: {e.get('message')}".strip(": ")
            for e in item.get("errors", [])
        )
        print(f"  failed   row {item['row']} {item.get('id')}: {reasons}")
    for item in report.get("warnings", []):
        print(f"  warning  row {item.get('row')}: {item['message']}")
    print(f"full report: {report_path.relative_to(ROOT)}")


def pushed_product(job_dir: Path) -> str:
    """The identifier of the first product row of the job that the push did not fail."""
    report = json.loads((job_dir / "push-report.json").read_text())
    failed = {item["row"] for item in report.get("failures", [])}
    best = ""
    for number, line in enumerate((job_dir / "export.jsonl").read_bytes().splitlines(), 1):
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if not isinstance(row, dict) or row.get("_type", "product") != "product":
            continue
        if number not in failed and row.get("sku"):
            best = row["sku"]
            if row.get("parent"):  # a variant shows the routing best
                return best
    return best


def count_of(client: AkeneoClient, path: str) -> int:
    page = client.get_json(f"/api/rest/v1/{path}", params={"limit": 1, "with_count": "true"})
    return int(page.get("items_count", 0))


def read_back(client: AkeneoClient, identifier: str) -> None:
    product = client.get_json(f"/api/rest/v1/products/{identifier}")
    for key in ("identifier", "family", "parent", "enabled", "categories"):
        print(f"{key:<22} {json.dumps(product.get(key), ensure_ascii=False)}")
    for code, entries in sorted(product.get("values", {}).items()):
        for value in entries:
            where = "/".join(p for p in (value.get("scope"), value.get("locale")) if p)
            label = f"{code}[{where}]" if where else code
            print(f"{label:<22} {json.dumps(value['data'], ensure_ascii=False)}")


def main() -> int:
    started = time.monotonic()
    if WORKSPACE.exists():
        shutil.rmtree(WORKSPACE)
    WORK.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "demo" / "workspace", WORKSPACE)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.update({
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "TAP_AKENEO_API_URL": url,
        "TARGET_AKENEO_API_URL": url,
        "TARGET_SDM_CONFIG_PIM_URL": url,
    })

    step(f"Starting the sandbox PIM (demo catalog) on {url}")
    sandbox_log = (WORK / "sandbox.log").open("wb")
    sandbox = subprocess.Popen(
        [str(BIN / "akeneo-sandbox"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=sandbox_log, stderr=subprocess.STDOUT,
    )
    try:
        wait_ready(url, sandbox)
        client = AkeneoClient(api_url=url, **CREDENTIALS)
        print("serving: " + ", ".join(
            f"{count_of(client, path)} {path.replace('-', ' ')}"
            for path in ("channels", "attributes", "families", "categories",
                         "product-models", "products")
        ))

        step("Configuration sync: meltano run sync-config (tap-akeneo -> target-sdm-config)")
        run_meltano("sync-config", env, WORK / "sync-config.log")
        step("Sync status (as SDM's Connector page shows it)")
        show([str(BIN / "sdm-connector"), "status", "--workspace", str(WORKSPACE)], env)
        step("Attribute configuration (as SDM's Attribute configuration tab shows it)")
        show([str(BIN / "sdm-connector"), "attributes", "--workspace", str(WORKSPACE)], env)

        step(f"Product push: meltano run push-job (tap-sdm-job -> target-akeneo), job {JOB_ID}")
        run_meltano("push-job", env, WORK / "push-job.log")
        step("Push report")
        print_report(WORKSPACE / "jobs" / JOB_ID / "push-report.json")

        identifier = pushed_product(WORKSPACE / "jobs" / JOB_ID)
        step(f"Product {identifier} read back from the sandbox PIM")
        read_back(client, identifier)
    finally:
        sandbox.terminate()
        try:
            sandbox.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sandbox.kill()
        sandbox_log.close()
        print(f"\nSandbox PIM stopped. Demo finished in {time.monotonic() - started:.1f} s.")
    report = json.loads((WORKSPACE / "jobs" / JOB_ID / "push-report.json").read_text())
    counts = report["counts"]
    print(f"Push summary: {counts['rows']} rows -> {counts['created']} created, "
          f"{counts['updated']} updated, {counts['failed']} failed; report in "
          f"{(WORKSPACE / 'jobs' / JOB_ID / 'push-report.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
