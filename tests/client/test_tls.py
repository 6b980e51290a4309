"""TLS: certificates are verified by default; a failure is reported at once, not retried."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest
from akeneo_client import AkeneoClient, AkeneoError
from urllib3.exceptions import InsecureRequestWarning

from tests.stub_peer import start_peer

from .conftest import _ScriptedPeer


@pytest.fixture
def https_peer(tmp_path):
    """The scripted peer behind TLS with a self-signed certificate for 127.0.0.1."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    handler = type("Peer", (_ScriptedPeer,), {"script": [], "seen": []})
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = start_peer(handler, wrap=context)
    yield f"https://127.0.0.1:{server.server_port}", handler.seen, cert
    server.shutdown()
    server.server_close()


def test_self_signed_certificate_is_refused_by_default(https_peer):
    url, seen, _ = https_peer
    client = AkeneoClient(url, "id", "secret", "user", "pass", backoff_base=0.01)
    with pytest.raises(AkeneoError, match=r"TLS failure \(certificate verify failed") as info:
        client.get_json("/api/rest/v1/channels")
    assert "POST /api/oauth/v1/token" in str(info.value)
    assert client.stats.requests == 1  # not retried
    assert seen == []


def test_verification_can_use_a_ca_bundle_or_be_turned_off(https_peer):
    url, seen, cert = https_peer
    assert AkeneoClient(url, "id", "secret", "user", "pass", verify=str(cert)).get_json("/x")
    with pytest.warns(InsecureRequestWarning):  # turning verification off is never silent
        assert AkeneoClient(url, "id", "secret", "user", "pass", verify=False).get_json("/x")
    assert seen == ["GET /x", "GET /x"]


def test_a_ca_bundle_from_the_environment_is_used(https_peer, monkeypatch):
    url, seen, cert = https_peer
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    client = AkeneoClient(url, "id", "secret", "user", "pass")
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")  # read at construction, not on each call
    assert client.get_json("/x")
    assert seen == ["GET /x"]


def test_batch_calls_verify_certificates_too(https_peer, monkeypatch):
    """PATCH calls take the adapter's own pool: the same verification and CA bundles."""
    url, seen, cert = https_peer
    client = AkeneoClient(url, access_token="app", backoff_base=0.01)
    with pytest.raises(AkeneoError, match=r"TLS failure \(certificate verify failed") as info:
        client.patch_collection_lines("/api/rest/v1/products", [b'{"identifier":"a"}'])
    assert "PATCH /api/rest/v1/products" in str(info.value)
    assert client.stats.requests == 1 and seen == []  # refused at once, not retried
    trusted = AkeneoClient(url, access_token="app", verify=str(cert))
    trusted.patch_collection_lines("/api/rest/v1/products", [b'{"identifier":"a"}'])
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    from_env = AkeneoClient(url, access_token="app")
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    from_env.patch_collection_lines("/api/rest/v1/products", [b'{"identifier":"b"}'])
    assert seen == ["PATCH /api/rest/v1/products"] * 2
