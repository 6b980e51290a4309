"""OAuth: password and refresh grants, expiry and Akeneo's 401/422 bodies."""

from __future__ import annotations

import base64
import time

import requests
from akeneo_sandbox import Sandbox

from .conftest import Api

TOKEN = "/api/oauth/v1/token"
PASSWORD = {"grant_type": "password", "username": "sandbox", "password": "sandbox"}
CLIENT = ("sandbox-client", "sandbox-secret")


def test_password_grant_answers_akeneo_token_shape(small: Sandbox) -> None:
    response = requests.post(small.url + TOKEN, json=PASSWORD, auth=CLIENT, timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type", "scope", "refresh_token"}
    assert body["expires_in"] == 3600
    assert body["token_type"] == "bearer"
    assert body["scope"] is None
    assert body["access_token"] != body["refresh_token"]


def test_password_grant_accepts_form_body(small: Sandbox) -> None:
    header = base64.b64encode(b"sandbox-client:sandbox-secret").decode()
    response = requests.post(small.url + TOKEN, data=PASSWORD, timeout=5,
                             headers={"Authorization": f"Basic {header}"})
    assert response.status_code == 200
    assert response.json()["access_token"]


def test_bad_client_credentials_give_422(small: Sandbox) -> None:
    for auth in (("sandbox-client", "wrong"), ("other", "sandbox-secret")):
        response = requests.post(small.url + TOKEN, json=PASSWORD, auth=auth, timeout=5)
        assert response.status_code == 422
        assert response.json() == {
            "code": 422,
            "message": 'Parameter "client_id" is missing or does not match any client, or '
                       "secret is invalid"}
    missing = requests.post(small.url + TOKEN, json=PASSWORD, timeout=5)
    assert missing.status_code == 422


def test_bad_user_credentials_give_422(small: Sandbox) -> None:
    response = requests.post(small.url + TOKEN, auth=CLIENT, timeout=5,
                             json={**PASSWORD, "password": "nope"})
    assert response.status_code == 422
    assert response.json()["code"] == 422
    assert "nope" not in response.text


def test_unknown_grant_type_gives_422(small: Sandbox) -> None:
    response = requests.post(small.url + TOKEN, auth=CLIENT, json={"grant_type": "magic"},
                             timeout=5)
    assert response.status_code == 422


def test_missing_token_gives_401(small: Sandbox) -> None:
    response = requests.get(small.url + "/api/rest/v1/channels", timeout=5)
    assert response.status_code == 401
    assert response.json() == {"code": 401, "message": "Authentication is required"}


def test_basic_instead_of_bearer_gives_401(small: Sandbox) -> None:
    response = requests.get(small.url + "/api/rest/v1/channels", auth=CLIENT, timeout=5)
    assert response.status_code == 401
    assert response.json()["code"] == 401


def test_invalid_token_gives_401(small: Sandbox) -> None:
    response = requests.get(small.url + "/api/rest/v1/channels", timeout=5,
                            headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.json()["code"] == 401


def test_expired_token_gives_401_then_refresh_works() -> None:
    with Sandbox(empty=True, token_ttl=1) as pim:
        api = Api(pim)
        assert api.get("/channels").status_code == 200
        time.sleep(1.1)
        expired = api.get("/channels")
        assert expired.status_code == 401
        assert expired.json() == {"code": 401, "message": "The access token provided has expired."}
        token = api.new_token()
        refreshed = requests.post(pim.url + TOKEN, auth=CLIENT, timeout=5, json={
            "grant_type": "refresh_token", "refresh_token": token["refresh_token"]})
        assert refreshed.status_code == 200
        body = refreshed.json()
        assert body["access_token"] != token["access_token"]
        assert body["refresh_token"] != token["refresh_token"]
        ok = requests.get(pim.url + "/api/rest/v1/channels", timeout=5,
                          headers={"Authorization": f"Bearer {body['access_token']}"})
        assert ok.status_code == 200


def test_refresh_token_is_single_use_and_checked(small: Sandbox) -> None:
    token = Api(small).new_token()
    body = {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]}
    assert requests.post(small.url + TOKEN, auth=CLIENT, json=body, timeout=5).status_code == 200
    again = requests.post(small.url + TOKEN, auth=CLIENT, json=body, timeout=5)
    assert again.status_code == 422
    assert again.json()["code"] == 422
    bogus = requests.post(small.url + TOKEN, auth=CLIENT, timeout=5,
                          json={"grant_type": "refresh_token", "refresh_token": "bogus"})
    assert bogus.status_code == 422


def test_refresh_needs_client_credentials(small: Sandbox) -> None:
    token = Api(small).new_token()
    response = requests.post(small.url + TOKEN, auth=("sandbox-client", "x"), timeout=5,
                             json={"grant_type": "refresh_token",
                                   "refresh_token": token["refresh_token"]})
    assert response.status_code == 422


def test_token_ttl_can_be_shortened_at_runtime(small: Sandbox) -> None:
    small.set_faults(token_ttl=7)
    assert Api(small).new_token()["expires_in"] == 7


def test_endpoint_list_needs_no_auth(small: Sandbox) -> None:
    response = requests.get(small.url + "/api/rest/v1", timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert body["host"] == small.url
    assert body["authentication"] == {
        "fos_oauth_server_token": {"route": "/api/oauth/v1/token", "methods": ["POST"]}}
    routes = {r["route"]: set() for r in body["routes"].values()}
    for entry in body["routes"].values():
        routes[entry["route"]].update(entry["methods"])
    assert routes["/api/rest/v1/products-uuid"] >= {"GET", "POST", "PATCH"}
    assert routes["/api/rest/v1/products-uuid/{key}"] >= {"GET", "PATCH", "DELETE"}
    assert routes["/api/rest/v1/attributes/{attribute}/options"] >= {"GET", "PATCH"}
    assert "GET" in routes["/api/rest/v1/measurement-families"]
