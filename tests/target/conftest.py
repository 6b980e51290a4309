"""Fixtures of the push tests: a workspace synced from the demo catalog and a push runner.

``project.json`` is made by sdm_transform's own ``build_project`` from the demo catalog (the
catalog the sandbox PIM serves), never hand-written. Pushes run tap-sdm-job and
target-akeneo in-process, wired as Meltano wires them: the tap's Singer output is the
target's input.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import akeneo_sandbox
import pytest
from akeneo_client import AkeneoClient
from sdm_transform.catalog import load_catalog_dir
from sdm_transform.job_tap.tap import TapSdmJob
from sdm_transform.project import build_project
from target_akeneo.target import TargetAkeneo

from tests.conftest import demo_catalog

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SETTINGS = {
    "allow_new_options": ["collection", "style_tags", "room", "certifications", "brand",
                          "partner_brands"],
    "added_fields": ["erp_code"],
}


def demo_project() -> dict[str, Any]:
    """project.json of the demo catalog, made by the configuration sync's own code."""
    base = Path(akeneo_sandbox.__file__).parent / "data"
    catalog = load_catalog_dir(demo_catalog(), base)
    project, _ = build_project(catalog, SETTINGS, {}, synced_at="2026-11-29T08:00:00Z")
    return project


@pytest.fixture(scope="session")
def project_doc() -> dict[str, Any]:
    """project.json of the demo catalog (built once per test session)."""
    return demo_project()


class Workspace:
    """An SDM workspace folder with one project.json and jobs written by the tests."""

    def __init__(self, root: Path, project: dict[str, Any]) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "project.json").write_text(json.dumps(project), encoding="utf-8")

    def job(
        self, job_id: str, rows: list[Any] | bytes, files: dict[str, bytes] | None = None
    ) -> Path:
        """Write ``jobs/<job_id>/export.jsonl`` (objects, raw lines as str/bytes) and files."""
        folder = self.root / "jobs" / job_id
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(rows, bytes):
            data = rows
        else:
            lines = []
            for row in rows:
                if isinstance(row, bytes):
                    lines.append(row)
                elif isinstance(row, str):
                    lines.append(row.encode())
                else:
                    lines.append(json.dumps(row).encode())
            data = b"\n".join(lines) + b"\n"
        (folder / "export.jsonl").write_bytes(data)
        for name, content in (files or {}).items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        return folder

    def report(self, job_id: str) -> dict[str, Any]:
        """The push report of a job."""
        return json.loads((self.root / "jobs" / job_id / "push-report.json").read_text())


@pytest.fixture
def workspace(tmp_path: Path, project_doc: dict[str, Any]) -> Workspace:
    """A fresh workspace holding the demo project.json."""
    return Workspace(tmp_path / "ws", project_doc)


def tap_output(workspace: Workspace, job_id: str) -> str:
    """tap-sdm-job's Singer messages for a job."""
    tap = TapSdmJob(config={"workspace": str(workspace.root), "job_id": job_id},
                    parse_env_config=False)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        tap.sync_all()
    return buffer.getvalue()


def run_target(config: dict[str, Any], messages: str) -> None:
    """target-akeneo over Singer messages, in-process."""
    target = TargetAkeneo(config=config, parse_env_config=False)
    target.listen(io.StringIO(messages))


@pytest.fixture
def push(workspace: Workspace) -> Callable[..., dict[str, Any]]:
    """Run a push of a job against a PIM; returns push-report.json."""

    def run(pim: Any, job_id: str, **settings: Any) -> dict[str, Any]:
        config = {**pim.config(), "workspace": str(workspace.root), "job_id": job_id, **settings}
        run_target(config, tap_output(workspace, job_id))
        return workspace.report(job_id)

    return run


def client_for(pim: Any) -> AkeneoClient:
    """A client reading a PIM's state back through the API."""
    config = pim.config()
    return AkeneoClient(config.pop("api_url"), **config)


@pytest.fixture
def api(pim: Any) -> Iterator[AkeneoClient]:
    """A client reading the ``pim`` fixture's state back through the API."""
    with client_for(pim) as client:
        yield client


def product(client: AkeneoClient, identifier: str) -> dict[str, Any] | None:
    """A product read back through the API (None when it does not exist)."""
    return client.get_json_or_none(f"/api/rest/v1/products/{identifier}")


def value(item: dict[str, Any], attribute: str, scope: str | None = None,
          locale: str | None = None) -> Any:
    """The data of one value of a product or model (None when absent)."""
    for entry in (item.get("values") or {}).get(attribute, []):
        if entry.get("scope") == scope and entry.get("locale") == locale:
            return entry.get("data")
    return None


@pytest.fixture
def faulty(pim: Any) -> Iterator[Callable[[Callable[[str, str], bool]], Any]]:
    """Start a FaultProxy (``fault_proxy``) in front of ``pim`` with a rule; stopped at teardown."""
    from tests.target.fault_proxy import FaultProxy  # it imports this module's helpers

    started: list[FaultProxy] = []

    def make(rule: Callable[[str, str], bool]) -> FaultProxy:
        proxy = FaultProxy(pim.url, rule).__enter__()
        started.append(proxy)
        return proxy

    yield make
    for proxy in started:
        proxy.__exit__(None, None, None)
