"""End to end: both Meltano jobs of meltano.yml against the sandbox PIM.

Runs `meltano --environment=test run sync-config` and `... run push-job` exactly as a user
configured for a PIM would (credentials and workspace from environment variables), then reads
the results back: project.json and sync-status.json in the workspace, the push report, and the
pushed product through the PIM's API.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from akeneo_client import AkeneoClient
from akeneo_sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.e2e


def meltano(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "meltano"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )


@pytest.fixture(scope="module")
def pim():
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("e2e") / "workspace"
    shutil.copytree(ROOT / "demo" / "workspace", target)
    return target


@pytest.fixture(scope="module")
def env(pim: Sandbox, workspace: Path) -> dict[str, str]:
    config = pim.config()
    values = dict(os.environ)
    values.update({
        "PATH": f"{BIN}{os.pathsep}{values.get('PATH', '')}",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "AKENEO_API_URL": config["api_url"],
        "AKENEO_CLIENT_ID": config["client_id"],
        "AKENEO_CLIENT_SECRET": config["client_secret"],
        "AKENEO_USERNAME": config["username"],
        "AKENEO_PASSWORD": config["password"],
        "SDM_WORKSPACE": str(workspace),
        "SDM_JOB_ID": "demo-job",
    })
    return values


@pytest.fixture(scope="module")
def synced(env: dict[str, str], workspace: Path) -> dict:
    steps_before = {p.name: p.read_bytes() for p in (workspace / "steps").glob("*.json")}
    result = meltano(["--environment=test", "run", "sync-config"], env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    steps_after = {p.name: p.read_bytes() for p in (workspace / "steps").glob("*.json")}
    assert steps_after == steps_before, "the sync must never touch steps/"
    return json.loads((workspace / "project.json").read_text())


def test_sync_config_writes_the_project(synced: dict, workspace: Path, pim: Sandbox) -> None:
    status = json.loads((workspace / "sync-status.json").read_text())
    assert status["status"] == "done"
    assert status["error"] is None
    assert status["last_success_at"]
    assert status["counts"]["fields"] == len(synced["fields"])

    client = AkeneoClient(**pim.config())
    attributes = {a["code"]: a for a in client.iter_items("/api/rest/v1/attributes",
                                                           params={"limit": 100})}
    assert status["counts"]["attributes"] == len(attributes)
    names = {f["name"] for f in synced["fields"]}
    identifier = next(c for c, a in attributes.items() if a["type"] == "pim_catalog_identifier")
    assert identifier in names
    field = next(f for f in synced["fields"] if f["name"] == identifier)
    assert field["protected"] == "identifier"
    # Every scopable and localizable field is named {attribute}-{channel}-{locale}.
    for f in synced["fields"]:
        attribute = attributes.get(f["attribute"])
        if attribute and attribute["scopable"] and attribute["localizable"] \
                and not f.get("companion"):
            assert f["name"] == f"{f['attribute']}-{f['channel']}-{f['locale']}"
    assert synced["source"]["pim_url"] == pim.url


def test_push_job_pushes_the_demo_job(synced: dict, env: dict[str, str], workspace: Path,
                                      pim: Sandbox) -> None:
    result = meltano(["--environment=test", "run", "push-job"], env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((workspace / "jobs" / "demo-job" / "push-report.json").read_text())
    counts = report["counts"]
    lines = [
        line for line in
        (workspace / "jobs" / "demo-job" / "export.jsonl").read_bytes().splitlines()
        if line.strip()
    ]
    assert counts["rows"] == len(lines)
    assert counts["created"] + counts["updated"] + counts["failed"] == counts["rows"]
    assert counts["created"] > 0
    assert counts["updated"] > 0
    assert counts["failed"] >= 1, "the demo job holds one bad row"
    assert "erp_code" in report["unknown_fields"]

    client = AkeneoClient(**pim.config())
    failed = {f["row"] for f in report["failures"]}
    for number, line in enumerate(lines, 1):
        row = json.loads(line) if line.startswith(b"{") else None
        if not row or number in failed or row.get("_type", "product") != "product":
            continue
        product = client.get_json(f"/api/rest/v1/products/{row['sku']}")
        assert product["identifier"] == row["sku"]
        assert "erp_code" not in product["values"]


def test_schedule_is_weekly(env: dict[str, str]) -> None:
    result = meltano(["schedule", "list", "--format=json"], env)
    assert result.returncode == 0, result.stderr[-2000:]
    schedules = json.loads(result.stdout[result.stdout.index("{"):])
    jobs = {s["name"]: s for s in schedules["schedules"]["job"]}
    assert jobs["weekly-config-sync"]["cron_interval"] == "0 3 * * 1"
