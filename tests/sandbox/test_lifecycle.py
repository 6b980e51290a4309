"""Starting and stopping the sandbox, the CLI, catalogs and the fixtures others use."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
import requests
from akeneo_sandbox import CatalogError, Sandbox
from akeneo_sandbox.catalog import DEMO_CATALOG

from .conftest import SMALL, Api

if TYPE_CHECKING:
    from pathlib import Path


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_start_on_free_port_and_stop_frees_it() -> None:
    pim = Sandbox(catalog=SMALL).start()
    try:
        assert pim.url.startswith("http://127.0.0.1:")
        assert pim.port > 0
        assert requests.get(f"{pim.url}/api/rest/v1", timeout=5).status_code == 200
    finally:
        pim.stop()
    assert _port_free(pim.port)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{pim.url}/api/rest/v1", timeout=2)


def test_config_gives_documented_default_credentials() -> None:
    with Sandbox(empty=True) as pim:
        assert pim.config() == {"api_url": pim.url, "client_id": "sandbox-client",
                                "client_secret": "sandbox-secret", "username": "sandbox",
                                "password": "sandbox"}
        assert "sandbox-secret" not in repr(pim)


def test_custom_credentials() -> None:
    with Sandbox(empty=True, client_id="c", client_secret="s", username="u",
                 password="p") as pim:
        response = requests.post(f"{pim.url}/api/oauth/v1/token", auth=("c", "s"), timeout=5,
                                 json={"grant_type": "password", "username": "u",
                                       "password": "p"})
        assert response.status_code == 200


def test_empty_pim_has_sku_and_base_data() -> None:
    with Sandbox(empty=True) as pim:
        api = Api(pim)
        attributes = api.get("/attributes").json()["_embedded"]["items"]
        assert [a["code"] for a in attributes] == ["sku"]
        assert attributes[0]["type"] == "pim_catalog_identifier"
        assert api.get("/families").json()["_embedded"]["items"] == []
        locales = api.get("/locales", limit=100, with_count="true").json()
        assert locales["items_count"] > 100
        enabled = [loc["code"] for loc in api.all_items("/locales", limit=100)
                   if loc["enabled"]]
        assert enabled == ["en_US"]
        usd = api.get("/currencies/USD").json()
        assert usd["enabled"] is True
        assert api.get("/currencies/EUR").json()["enabled"] is False
        families = api.get("/measurement-families").json()
        codes = {f["code"] for f in families}
        assert {"Weight", "Length", "Volume", "Temperature", "Area"} <= codes


def test_catalog_and_empty_are_exclusive() -> None:
    with pytest.raises(ValueError, match="either"):
        Sandbox(catalog=SMALL, empty=True)


def test_bad_catalog_names_the_file_and_item(tmp_path: Path) -> None:
    (tmp_path / "attribute_groups.json").write_text(json.dumps([{"code": "g"}]))
    (tmp_path / "attributes.json").write_text(json.dumps(
        [{"code": "sku", "type": "pim_catalog_identifier", "group": "g"},
         {"code": "weight", "type": "pim_catalog_metric", "group": "g",
          "metric_family": "Nope", "default_metric_unit": "GRAM"}]))
    with pytest.raises(CatalogError, match=r"attributes.json: item 'weight'.*metric_family"):
        Sandbox(catalog=tmp_path)


def test_missing_catalog_folder(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="not found"):
        Sandbox(catalog=tmp_path / "nope")


def test_demo_catalog_loads_and_serves(pim: Sandbox) -> None:
    api = Api(pim)
    assert api.get("/products", with_count="true").json()["items_count"] > 0
    assert api.get("/channels").json()["_embedded"]["items"]


def test_demo_catalog_is_the_default() -> None:
    if not DEMO_CATALOG.is_dir():
        pytest.skip("demo catalog not written yet")
    sandbox = Sandbox()
    assert sandbox.catalog == DEMO_CATALOG
    assert sandbox.store.products


def test_sandbox_factory_passes_options(sandbox_factory) -> None:
    pim = sandbox_factory(empty=True, edition="ce", token_ttl=5)
    api = Api(pim)
    assert api.new_token()["expires_in"] == 5
    assert api.get("/reference-entities").status_code == 404


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_cli_serves_and_stops_cleanly(stop_signal: int) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "akeneo_sandbox.cli", "serve", "--port", str(port),
         "--catalog", str(SMALL), "--token-ttl", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert f"http://127.0.0.1:{port}" in line
        assert "sandbox-secret" not in line
        deadline = time.monotonic() + 10
        while True:
            try:
                response = requests.post(
                    f"http://127.0.0.1:{port}/api/oauth/v1/token", timeout=2,
                    auth=("sandbox-client", "sandbox-secret"),
                    json={"grant_type": "password", "username": "sandbox",
                          "password": "sandbox"})
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert response.json()["expires_in"] == 60
    finally:
        proc.send_signal(stop_signal)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "stopped" in out


def test_cli_refuses_non_loopback_and_bad_catalog(tmp_path: Path) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "akeneo_sandbox.cli", "serve", "--host", "0.0.0.0"],  # noqa: S104
        capture_output=True, text=True, timeout=30, check=False)
    assert refused.returncode == 2
    assert "loopback" in refused.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "akeneo_sandbox.cli", "serve", "--catalog", str(tmp_path / "x")],
        capture_output=True, text=True, timeout=30, check=False)
    assert missing.returncode == 2
    assert "not found" in missing.stderr
    assert "Traceback" not in missing.stderr
