"""target-sdm-config run as a process, fed Singer messages on stdin (as from a pipe)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .catalog_data import catalog
from .singer_input import catalog_input, catalog_lines

BIN = Path(sys.executable).parent
TARGET = str(BIN / "target-sdm-config")
CLI = str(BIN / "sdm-connector")

STEP_AI = b'{"name": "ai", "type": "extraction", "sources": ["erp_name", "name-fr_FR"]}\n'
STEP_DEPS = (b'{"name":"deps","type":"dependency","rules":[{"when":{"field":"count",'
             b'"equals":"1"},"then":{"show":["notes"]}}],"other":{"kept":true}}')


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "workspace"
    (ws / "steps").mkdir(parents=True)
    (ws / "steps" / "ai.json").write_bytes(STEP_AI)
    (ws / "steps" / "deps.json").write_bytes(STEP_DEPS)
    (ws / "steps" / "broken.json").write_bytes(b"{not json")
    return ws


def config_file(tmp_path: Path, workspace: Path, **settings) -> Path:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"workspace": str(workspace), **settings}))
    return path


def run_target(config: Path, text: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TARGET, "--config", str(config)], input=text, capture_output=True,
                          text=True, timeout=60, check=False)


def status_of(workspace: Path) -> dict:
    return json.loads((workspace / "sync-status.json").read_text())


def steps_bytes(workspace: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (workspace / "steps").iterdir()}


def full_input(**extra_streams) -> str:
    data = catalog()
    data.update(extra_streams)
    return catalog_input(data)


def test_sync_writes_project_and_status_and_leaves_steps_alone(tmp_path, workspace):
    before = steps_bytes(workspace)
    products = {"products": [{"identifier": "p1", "values": {}}], "product_models": []}
    config = config_file(tmp_path, workspace, pim_url="https://pim.example.com",
                         excluded_attributes=["erp_name", "count", "notes"])
    result = run_target(config, full_input(**products))
    assert result.returncode == 0, result.stderr[-2000:]
    assert steps_bytes(workspace) == before
    project = json.loads((workspace / "project.json").read_text())
    status = status_of(workspace)
    assert status["status"] == "done"
    assert status["error"] is None
    assert status["last_success_at"] == status["finished_at"]
    assert status["counts"]["fields"] == len(project["fields"])
    assert status["counts"]["attributes"] == len(catalog()["attributes"])
    assert status["counts"]["categories"] == 6
    assert project["source"]["pim_url"] == "https://pim.example.com"
    fields = {f["name"]: f for f in project["fields"]}
    assert fields["erp_name"]["protected"] == "ai_source"
    assert fields["name-fr_FR"]["protected"] == "ai_source"
    assert fields["count"]["protected"] == "dependency_trigger"
    assert [e["attribute"] for e in project["excluded"]] == ["notes"]
    messages = [w["message"] for w in project["warnings"]]
    assert any("steps/broken.json is not readable JSON" in m for m in messages)
    assert not (workspace / "project.json.bak").exists()
    assert (workspace / "project.json").stat().st_mode & 0o044 == 0o044
    assert not [p for p in workspace.iterdir() if p.name.endswith(".tmp")]


def test_second_sync_gives_the_same_file_but_synced_at(tmp_path, workspace):
    config = config_file(tmp_path, workspace)
    assert run_target(config, full_input()).returncode == 0
    first = json.loads((workspace / "project.json").read_text())
    time.sleep(1.1)
    assert run_target(config, full_input()).returncode == 0
    second = json.loads((workspace / "project.json").read_text())
    assert first["source"].pop("synced_at") != second["source"].pop("synced_at")
    assert first == second
    assert not (workspace / "project.json.bak").exists()


def test_hand_edited_project_is_backed_up_with_a_warning(tmp_path, workspace):
    config = config_file(tmp_path, workspace)
    assert run_target(config, full_input()).returncode == 0
    project = json.loads((workspace / "project.json").read_text())
    project["fields"][0]["labels"] = {"en_US": "Edited by hand"}
    project["fields"].append({"name": "my_field", "attribute": "my_field"})
    project["locales"] = ["en_US"]
    edited = json.dumps(project).encode()
    (workspace / "project.json").write_bytes(edited)

    result = run_target(config, full_input())
    assert result.returncode == 0, result.stderr[-2000:]
    assert (workspace / "project.json.bak").read_bytes() == edited
    new = json.loads((workspace / "project.json").read_text())
    warning = new["warnings"][0]["message"]
    assert "edited by hand" in warning
    assert "sections: fields, locales" in warning
    assert f"fields changed: {project['fields'][0]['name']}" in warning
    assert "fields added: my_field" in warning
    assert "project.json.bak" in warning
    assert "edited by hand" in result.stderr
    assert "my_field" not in {f["name"] for f in new["fields"]}

    # the next sync sees no edit: the backup stays as it was
    (workspace / "project.json.bak").write_bytes(b"older backup")
    assert run_target(config, full_input()).returncode == 0
    assert (workspace / "project.json.bak").read_bytes() == b"older backup"


def test_project_not_written_by_the_connector_is_backed_up(tmp_path, workspace):
    (workspace / "project.json").write_bytes(b'{"made": "by SDM"}')
    result = run_target(config_file(tmp_path, workspace), full_input())
    assert result.returncode == 0
    assert (workspace / "project.json.bak").read_bytes() == b'{"made": "by SDM"}'
    assert "not written by a recorded sync" in json.loads(
        (workspace / "project.json").read_text())["warnings"][0]["message"]


def _assert_failed_and_untouched(workspace: Path, previous: bytes, last_success: str,
                                 result, reason: str) -> None:
    assert result.returncode != 0
    assert (workspace / "project.json").read_bytes() == previous
    status = status_of(workspace)
    assert status["status"] == "failed"
    assert reason in status["error"]
    assert status["last_success_at"] == last_success
    assert "Traceback" not in result.stderr


@pytest.fixture
def synced_once(tmp_path, workspace):
    config = config_file(tmp_path, workspace)
    assert run_target(config, full_input()).returncode == 0
    return config, (workspace / "project.json").read_bytes(), status_of(workspace)


def test_tap_stopping_early_fails_and_keeps_the_previous_project(workspace, synced_once):
    config, previous, status = synced_once
    data = catalog()
    truncated = catalog_input(data, ["channels", "locales", "currencies", "attributes"])
    result = run_target(config, truncated)
    _assert_failed_and_untouched(workspace, previous, status["last_success_at"], result,
                                 "without the stream(s) measurement_families, attribute_groups, "
                                 "families, categories, reference_entities, asset_families")
    assert status_of(workspace)["counts"] == status["counts"]


def test_tap_stopping_in_the_middle_of_a_stream_fails(workspace, synced_once):
    config, previous, status = synced_once
    lines = catalog_lines(catalog())
    assert json.loads(lines[-1])["type"] == "STATE"
    cut = lines[:-1]  # every stream announced, but the last one never closed by a STATE
    cut = cut[: max(i for i, line in enumerate(cut) if '"RECORD"' in line)]
    result = run_target(config, "\n".join(cut) + "\n")
    _assert_failed_and_untouched(workspace, previous, status["last_success_at"], result,
                                 "ended in the middle of the stream")


def test_empty_input_fails(workspace, synced_once):
    config, previous, status = synced_once
    result = run_target(config, "")
    _assert_failed_and_untouched(workspace, previous, status["last_success_at"], result,
                                 "the tap stopped early")


def test_broken_input_line_fails_and_keeps_the_previous_project(workspace, synced_once):
    config, previous, status = synced_once
    lines = catalog_lines(catalog())
    lines.insert(5, '{"type": "RECORD", "stream": "attributes", "rec')
    result = run_target(config, "\n".join(lines) + "\n")
    _assert_failed_and_untouched(workspace, previous, status["last_success_at"], result, "")
    assert status_of(workspace)["error"]


def test_record_before_its_schema_fails(workspace, synced_once):
    config, previous, status = synced_once
    text = json.dumps({"type": "RECORD", "stream": "attributes", "record": {"code": "x"}})
    result = run_target(config, text + "\n" + full_input())
    _assert_failed_and_untouched(workspace, previous, status["last_success_at"], result, "")


def test_bad_settings_fail_with_a_clear_message(tmp_path, workspace, synced_once):
    _, previous, status = synced_once
    config = config_file(tmp_path, workspace, added_fields="{broken")
    result = run_target(config, full_input())
    _assert_failed_and_untouched(workspace, previous, status["last_success_at"], result,
                                 "invalid settings: '{broken' is not of type")


def test_in_progress_then_interrupted_sync_is_failed_and_keeps_the_project(workspace,
                                                                           synced_once):
    config, previous, status = synced_once
    process = subprocess.Popen([TARGET, "--config", str(config)], stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        lines = catalog_lines(catalog())
        process.stdin.write("\n".join(lines[:20]) + "\n")
        process.stdin.flush()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            running = status_of(workspace)
            if running["status"] == "in_progress":
                break
            time.sleep(0.05)
        assert running["status"] == "in_progress"
        assert running["last_success_at"] == status["last_success_at"]
        assert running["counts"] == status["counts"]
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdin.close()
        process.stderr.close()
    assert process.returncode != 0
    assert (workspace / "project.json").read_bytes() == previous
    final = status_of(workspace)
    assert final["status"] == "failed"
    assert "signal" in final["error"]
    assert final["last_success_at"] == status["last_success_at"]


def test_killed_sync_keeps_the_project_and_shows_as_interrupted(workspace, synced_once):
    config, previous, status = synced_once
    process = subprocess.Popen([TARGET, "--config", str(config)], stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        process.stdin.write("\n".join(catalog_lines(catalog())[:10]) + "\n")
        process.stdin.flush()
        deadline = time.monotonic() + 20
        while status_of(workspace)["status"] != "in_progress" and time.monotonic() < deadline:
            time.sleep(0.05)
        running = subprocess.run([CLI, "status", "--workspace", str(workspace)],
                                 capture_output=True, text=True, check=False)
        assert "Configuration sync: in progress" in running.stdout
        process.kill()
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdin.close()
    assert (workspace / "project.json").read_bytes() == previous
    shown = subprocess.run([CLI, "status", "--workspace", str(workspace)], capture_output=True,
                           text=True, check=False)
    assert "interrupted (the sync process is gone" in shown.stdout
    assert f"last success:  {status['last_success_at']}" in shown.stdout
    as_json = subprocess.run([CLI, "status", "--json", "--workspace", str(workspace)],
                             capture_output=True, text=True, check=False)
    assert json.loads(as_json.stdout)["runner_gone"] is True


def test_unwritable_workspace_fails_without_traceback(tmp_path, workspace, synced_once):
    config, previous, status = synced_once
    # project.json's folder holds a directory where the state copy must go: the write fails
    state = workspace / ".sdm-connector"
    for child in state.iterdir():
        child.unlink()
    state.rmdir()
    state.write_text("not a folder")
    result = run_target(config, full_input())
    _assert_failed_and_untouched(workspace, previous, status["last_success_at"], result, "")


def test_cli_status_and_attributes(tmp_path, workspace):
    def cli(*args):
        return subprocess.run([CLI, *args, "--workspace", str(workspace)], capture_output=True,
                              text=True, timeout=30, check=False)

    never = cli("status")
    assert never.returncode == 0
    assert "never run" in never.stdout
    missing = cli("attributes")
    assert missing.returncode == 1
    assert "no readable project.json" in missing.stderr

    config = config_file(tmp_path, workspace, excluded_attributes=["waterproof"],
                         allow_new_options=["main_color"])
    assert run_target(config, full_input()).returncode == 0
    status = cli("status")
    assert "Configuration sync: done" in status.stdout
    assert "last success:  20" in status.stdout
    assert f"{len(catalog()['attributes'])} attributes" in status.stdout

    text = cli("attributes").stdout
    lines = {line.split()[0]: line for line in text.splitlines() if line.strip()}
    assert "excluded" in lines["waterproof"]
    assert "excluded_attributes" in lines["waterproof"]
    assert "skipped" in lines["related"]
    assert "unsupported_type" in lines["related"]
    assert "protected (identifier" in lines["sku"]
    assert "protected (ai_source" in lines["erp_name"]
    assert "new options allowed" in lines["main_color"]
    assert "fields: weight, weight-unit" in lines["weight"]

    states = json.loads(cli("attributes", "--json").stdout)
    by_code = {s["attribute"]: s for s in states}
    assert len(states) == len(catalog()["attributes"])
    assert by_code["count"]["protected"] == "dependency_trigger"
    assert by_code["waterproof"]["state"] == "excluded"

    assert run_target(config, "").returncode != 0
    failed = cli("status")
    assert "Configuration sync: failed" in failed.stdout
    assert "error:" in failed.stdout
    assert json.loads(cli("status", "--json").stdout)["status"] == "failed"
    nowhere = subprocess.run([CLI, "status", "--workspace", str(tmp_path / "nope")],
                             capture_output=True, text=True, check=False)
    assert nowhere.returncode == 2


def test_target_about_lists_the_settings():
    result = subprocess.run([TARGET, "--about", "--format=json"], capture_output=True,
                            text=True, timeout=60, check=False)
    about = json.loads(result.stdout)
    settings = set(about["settings"]["properties"])
    assert {"workspace", "channels", "locales", "families", "excluded_attributes",
            "excluded_attribute_groups", "allow_new_options", "split_categories",
            "added_fields", "pim_url"} <= settings
    assert os.environ.get("NO_SUCH") is None
