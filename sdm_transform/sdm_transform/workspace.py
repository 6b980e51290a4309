"""The SDM workspace folder as the configuration sync sees it (contract §2).

The sync writes `project.json` (whole, atomically), `sync-status.json`, and, when the project
file was edited by hand since the last sync, `project.json.bak`. It reads `steps/*.json` and
never writes there. To tell what a hand edit changed, it keeps a copy of what it last wrote in
`.sdm-connector/project.synced.json` (its own bookkeeping; SDM ignores it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import tempfile
from pathlib import Path
from typing import Any

from sdm_transform.project import utc_now
from sdm_transform.steps import read_steps_dir

PROJECT_FILE = "project.json"
STATUS_FILE = "sync-status.json"
BACKUP_FILE = "project.json.bak"
STEPS_DIR = "steps"
STATE_DIR = ".sdm-connector"
SYNCED_COPY = "project.synced.json"

IN_PROGRESS = "in_progress"
DONE = "done"
FAILED = "failed"

_MAX_NAMED = 10


def _umask_mode() -> int:
    """Mode of a new regular file under the process umask (mkstemp alone gives 0600)."""
    current = os.umask(0)
    os.umask(current)
    return 0o666 & ~current


_DEFAULT_MODE = _umask_mode()


def dump_json(document: Any) -> bytes:
    """The bytes the sync writes for a JSON document (stable, readable, UTF-8)."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file through a temporary file in the same folder and a rename.

    Readers see either the old file or the new one, never a partial write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = _DEFAULT_MODE
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp_name).unlink()
        raise


def _describe_list(label: str, names: list[str]) -> str:
    shown = ", ".join(names[:_MAX_NAMED])
    more = f" and {len(names) - _MAX_NAMED} more" if len(names) > _MAX_NAMED else ""
    return f"{label}: {shown}{more}"


def describe_edit(written: Any, current: bytes) -> str:
    """What differs between the project the sync last wrote and the file found now."""
    try:
        found = json.loads(current)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "the file is no longer valid JSON"
    if not isinstance(written, dict):
        return "no copy of the last synced file to compare with"
    if not isinstance(found, dict):
        return "the file no longer holds a JSON object"
    parts = []
    sections = sorted(k for k in set(written) | set(found) if written.get(k) != found.get(k))
    if sections:
        parts.append(_describe_list("sections", sections))
    if "fields" in sections and isinstance(found.get("fields"), list):
        before = {f.get("name"): f for f in written.get("fields") or [] if isinstance(f, dict)}
        after = {f.get("name"): f for f in found["fields"] if isinstance(f, dict)}
        changed = sorted(str(n) for n in before.keys() & after.keys() if before[n] != after[n])
        added = sorted(str(n) for n in after.keys() - before.keys())
        removed = sorted(str(n) for n in before.keys() - after.keys())
        for label, names in (
            ("fields changed", changed),
            ("fields added", added),
            ("fields removed", removed),
        ):
            if names:
                parts.append(_describe_list(label, names))
    return "; ".join(parts) if parts else "formatting only"


class Workspace:
    """Reads and writes the files of one SDM workspace folder."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.project_path = self.path / PROJECT_FILE
        self.status_path = self.path / STATUS_FILE
        self.backup_path = self.path / BACKUP_FILE
        self.steps_path = self.path / STEPS_DIR
        self.synced_copy_path = self.path / STATE_DIR / SYNCED_COPY

    def read_status(self) -> dict:
        """The current sync status, or `{}` when there is none (or it is unreadable)."""
        try:
            status = json.loads(self.status_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return {}
        return status if isinstance(status, dict) else {}

    def runner_gone(self, status: dict) -> bool:
        """Whether an `in_progress` status belongs to a process of this host that no longer runs.

        A sync killed outright (SIGKILL, power loss) cannot record its failure; this tells it.
        """
        runner = status.get("runner") or {}
        if status.get("status") != IN_PROGRESS or runner.get("host") != socket.gethostname():
            return False
        pid = runner.get("pid")
        if not isinstance(pid, int) or pid <= 0:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def read_project(self) -> dict | None:
        """The current project.json, or None when missing or unreadable."""
        try:
            project = json.loads(self.project_path.read_bytes())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None
        return project if isinstance(project, dict) else None

    def read_steps(self) -> tuple[dict[str, Any], list[str]]:
        """Parsed step files by name, and a problem message per unreadable file."""
        return read_steps_dir(self.steps_path)

    def _write_status(self, status: dict) -> None:
        atomic_write(self.status_path, dump_json(status))

    def begin(self) -> dict:
        """Mark a sync as running; the last success and its counts stay readable."""
        previous = self.read_status()
        status = {
            "status": IN_PROGRESS,
            "started_at": utc_now(),
            "finished_at": None,
            "last_success_at": previous.get("last_success_at"),
            "error": None,
            "counts": previous.get("counts") or {},
            "project_sha256": previous.get("project_sha256"),
            "runner": {"host": socket.gethostname(), "pid": os.getpid()},
        }
        self._write_status(status)
        return status

    def fail(self, error: str) -> None:
        """Mark the running sync failed; project.json is left as it is."""
        status = self.read_status() or {"last_success_at": None, "counts": {}}
        status.update(
            {
                "status": FAILED,
                "finished_at": utc_now(),
                "error": error,
                "started_at": status.get("started_at") or utc_now(),
            }
        )
        self._write_status(status)

    def hand_edit(self) -> str | None:
        """A message saying how project.json was changed by hand since the last sync, or None."""
        try:
            current = self.project_path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            written_bytes: bytes | None = self.synced_copy_path.read_bytes()
        except OSError:
            written_bytes = None
        recorded = self.read_status().get("project_sha256")
        if current == written_bytes or (recorded and sha256(current) == recorded):
            return None
        if written_bytes is None and not recorded:
            return (
                "project.json was not written by a recorded sync of this connector; "
                f"it is kept as {BACKUP_FILE} and replaced"
            )
        written: Any = None
        if written_bytes is not None:
            with contextlib.suppress(UnicodeDecodeError, json.JSONDecodeError):
                written = json.loads(written_bytes)
        return (
            "project.json was edited by hand since the last sync "
            f"({describe_edit(written, current)}); "
            f"manual edits are overridden by the sync: the edited file is kept as {BACKUP_FILE}"
        )

    def commit(self, project: dict, counts: dict) -> str | None:
        """Write the new project (backing up a hand-edited one) and mark the sync done.

        Returns the hand-edit warning, if the previous file was edited by hand.
        """
        edit = self.hand_edit()
        if edit is not None:
            project["warnings"].insert(0, {"attribute": None, "message": edit})
            counts["warnings"] = len(project["warnings"])
            atomic_write(self.backup_path, self.project_path.read_bytes())
        data = dump_json(project)
        atomic_write(self.synced_copy_path, data)
        atomic_write(self.project_path, data)
        finished = utc_now()
        status = self.read_status()
        status.update(
            {
                "status": DONE,
                "started_at": status.get("started_at") or finished,
                "finished_at": finished,
                "last_success_at": finished,
                "error": None,
                "counts": counts,
                "project_sha256": sha256(data),
            }
        )
        self._write_status(status)
        return edit
