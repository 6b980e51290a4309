"""The tap-akeneo command: --about documents every setting; failures are clear and secret-free."""

from __future__ import annotations

import json
import subprocess
import sys

SETTINGS = ["api_url", "client_id", "client_secret", "username", "password", "access_token",
            "start_date", "page_size", "request_timeout", "max_retries", "max_concurrency",
            "verify_ssl"]


def _tap(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tap_akeneo", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_about_markdown_documents_all_settings():
    out = _tap("--about", "--format=markdown")
    assert out.returncode == 0, out.stderr
    rows = {line.split("|")[1].strip() for line in out.stdout.splitlines()
            if line.startswith("| ")}
    assert set(SETTINGS) <= rows


def test_about_json_marks_secrets_and_defaults():
    about = json.loads(_tap("--about", "--format=json").stdout)
    props = about["settings"]["properties"]
    secret = {name for name, spec in props.items() if spec.get("secret")}
    assert {"client_secret", "password", "access_token"} <= secret
    assert props["page_size"]["default"] == 100 and props["page_size"]["maximum"] == 100
    assert props["verify_ssl"]["default"] is True
    assert about["settings"]["required"] == ["api_url"]
    streams = {"channels", "locales", "currencies", "measurement_families", "attribute_groups",
               "attributes", "attribute_options", "families", "family_variants", "categories",
               "association_types", "reference_entities", "reference_entity_attributes",
               "reference_entity_records", "asset_families", "products", "product_models"}
    assert streams <= {s["tap_stream_id"] for s in json.loads(_tap("--discover").stdout)
                       ["streams"]}


def test_discover_schemas_are_precise():
    catalog = json.loads(_tap("--discover").stdout)
    for entry in catalog["streams"]:
        props = entry["schema"]["properties"]
        assert len(props) >= 2, entry["tap_stream_id"]
        assert entry["key_properties"], entry["tap_stream_id"]
        assert all(name in props for name in entry["key_properties"])


def test_bad_credentials_fail_with_a_clear_secret_free_error(pim, tmp_path):
    config = {**pim.config(), "password": "Wr0ng-pass-value"}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    out = _tap("--config", str(path))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert "POST /api/oauth/v1/token failed (HTTP 422)" in out.stderr
    assert "No user found for the given username and password" in out.stderr
    assert "Wr0ng-pass-value" not in out.stderr + out.stdout
    assert "sandbox-secret" not in out.stderr + out.stdout


def test_incomplete_credentials_are_a_config_error(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"api_url": "http://127.0.0.1:9", "client_id": "x"}))
    out = _tap("--config", str(path))
    assert out.returncode == 1
    assert "missing: client_secret, username, password" in out.stderr
    assert "Traceback" not in out.stderr


def test_page_size_over_100_is_a_config_error(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"api_url": "http://127.0.0.1:9", "access_token": "t",
                                "page_size": 500}))
    out = _tap("--config", str(path))
    assert out.returncode == 1
    assert "page_size" in out.stderr and "Traceback" not in out.stderr


def test_unreachable_pim_fails_with_a_clear_error_and_no_traceback(tmp_path):
    import socket

    with socket.socket() as sock:  # a loopback port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"api_url": f"http://127.0.0.1:{port}", "client_id": "c",
                                "client_secret": "s3cret-value", "username": "u",
                                "password": "p4ss-value", "max_retries": 1}))
    out = _tap("--config", str(path))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert "POST /api/oauth/v1/token failed (no response)" in out.stderr
    assert "s3cret-value" not in out.stderr and "p4ss-value" not in out.stderr
