"""Workspace files: atomic writes, edit descriptions, status transitions."""

from __future__ import annotations

import json

import pytest
from sdm_transform.workspace import Workspace, atomic_write, describe_edit, dump_json


def test_atomic_write_replaces_whole_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "project.json"
    path.write_bytes(b"old")
    path.chmod(0o640)
    atomic_write(path, b"new content")
    assert path.read_bytes() == b"new content"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["project.json"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "project.json"
    path.write_bytes(b"old")

    def boom(self, target):
        raise OSError("disk full")

    monkeypatch.setattr(type(path), "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["project.json"]


def test_describe_edit_names_sections_and_fields():
    written = {"locales": ["en_US"], "fields": [{"name": "a", "type": "string"},
                                                {"name": "b", "type": "string"}]}
    current = {"locales": ["en_US"], "fields": [{"name": "a", "type": "html"},
                                                {"name": "c", "type": "string"}]}
    text = describe_edit(written, json.dumps(current).encode())
    assert text == ("sections: fields; fields changed: a; fields added: c; "
                    "fields removed: b")
    assert describe_edit(written, json.dumps(written, indent=4).encode()) == "formatting only"
    assert describe_edit(written, b"{oops") == "the file is no longer valid JSON"
    many = {"fields": [{"name": f"f{i}"} for i in range(15)]}
    assert "and 5 more" in describe_edit({"fields": []}, json.dumps(many).encode())


def test_status_transitions_keep_last_success(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    assert workspace.read_status() == {}
    workspace.begin()
    assert workspace.read_status()["status"] == "in_progress"
    assert workspace.read_status()["last_success_at"] is None
    project = {"fields": [], "warnings": []}
    assert workspace.commit(project, {"fields": 0}) is None
    done = workspace.read_status()
    assert done["status"] == "done"
    assert (tmp_path / "ws" / "project.json").read_bytes() == dump_json(project)
    workspace.begin()
    running = workspace.read_status()
    assert running["last_success_at"] == done["last_success_at"]
    assert running["counts"] == {"fields": 0}
    workspace.fail("boom")
    failed = workspace.read_status()
    assert (failed["status"], failed["error"]) == ("failed", "boom")
    assert failed["last_success_at"] == done["last_success_at"]
    (tmp_path / "ws" / "sync-status.json").write_text("not json")
    assert workspace.read_status() == {}
