"""The WSGI application: routing, auth, faults, counters and Akeneo's error answers."""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import time
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import admin_api, catalog_api, entity_api, media_api, product_api
from .auth import Credentials, TokenStore
from .errors import ApiError
from .gc_policy import GcPolicy
from .http import dumps, json_response

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .faults import Faults
    from .routing import Route
    from .store import Store

log = logging.getLogger("akeneo_sandbox")

TOKEN_PATH = "/api/oauth/v1/token"  # noqa: S105 - a route, not a secret
ROOT_PATH = "/api/rest/v1"
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def all_routes() -> list[Route]:
    """Every Akeneo route the sandbox answers."""
    return (catalog_api.ROUTES + product_api.ROUTES + entity_api.ROUTES + media_api.ROUTES)


class App:
    """The sandbox PIM as a WSGI callable; state lives in ``store``, ``tokens`` and ``faults``."""

    def __init__(self, store: Store, credentials: Credentials, faults: Faults,
                 edition: str = "ee", gc_policy: GcPolicy | None = None) -> None:
        if edition not in ("ee", "ce"):
            raise ValueError(f"edition must be 'ee' or 'ce', got {edition!r}")
        self.store = store
        self.gc_policy = gc_policy or GcPolicy(enabled=False)
        self.credentials = credentials
        self.faults = faults
        self.tokens = TokenStore(credentials, token_ttl=faults.config.token_ttl)
        self.edition = edition
        self.routes = {r.name: r for r in all_routes()}
        self.url_map = Map(
            [Rule(r.rule, endpoint=r.name, methods=list(r.methods)) for r in self.routes.values()]
            + [Rule(ROOT_PATH, endpoint="__root", methods=["GET"]),
               Rule(TOKEN_PATH, endpoint="__token", methods=["POST"])],
            strict_slashes=False,
        )

    def __repr__(self) -> str:
        return f"App(edition={self.edition!r}, routes={len(self.routes)})"

    @staticmethod
    def base_url(req: Request) -> str:
        """The absolute base of links (scheme and host as the client called us)."""
        return req.host_url.rstrip("/")

    # -- WSGI -------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Answer one request (WSGI)."""
        # populate_request=False: no request <-> environ cycle left for the collector.
        req = Request(environ, populate_request=False)
        if req.path.startswith("/_sandbox"):
            return admin_api.handle(self, req)(environ, start_response)
        write = req.method != "GET"
        paused = self.gc_policy.pause() if write else False
        try:
            response = self._answer(req, environ)
        finally:
            if write:
                self.gc_policy.settle(self.store)
            if paused:
                self.gc_policy.resume()
        return response(environ, start_response)

    def _answer(self, req: Request, environ: dict[str, Any]) -> Response:
        """Dispatch, turn errors into Akeneo's answers, count and log the request."""
        started = time.perf_counter()
        cpu_started = time.thread_time()
        response: Response
        self.faults.enter()
        try:
            response = self._dispatch(req, environ)
        except ApiError as exc:
            response = json_response(exc.body(), exc.status, exc.headers)
        except Exception:
            log.exception("sandbox: unexpected error on %s %s", req.method, req.path)
            response = json_response({"code": 500, "message": "Internal Server Error"}, 500)
        finally:
            self.faults.leave()
        dropped = bool(environ.get("sandbox.dropped"))
        if dropped:
            response = Response(b"", status=500)
        duration = (time.perf_counter() - started) * 1000
        cpu = (time.thread_time() - cpu_started) * 1000
        body_len = response.calculate_content_length() or 0
        path = req.full_path.rstrip("?")
        self.faults.record(method=req.method, path=path,
                           route=environ.get("sandbox.route", "unknown"),
                           status=None if dropped else response.status_code,
                           bytes_in=req.content_length or 0,
                           bytes_out=body_len, lines=environ.get("sandbox.lines"),
                           duration_ms=duration, cpu_ms=cpu)
        return response

    def _dispatch(self, req: Request, environ: dict[str, Any]) -> Response:
        adapter = self.url_map.bind_to_environ(environ)
        try:
            endpoint, kwargs = adapter.match()
        except NotFound:
            raise ApiError(404, f'No route found for "{req.method} {req.path}"') from None
        except MethodNotAllowed as exc:
            allowed = ", ".join(sorted(exc.valid_methods or []))
            raise ApiError(405, f'No route found for "{req.method} {req.path}": Method Not '
                           f"Allowed (Allow: {allowed})") from None
        route = self.routes.get(str(endpoint))
        if route is not None and route.edition == "ee" and self.edition == "ce":
            raise ApiError(404, f'No route found for "{req.method} {req.path}"')
        rule_text = route.rule if route else (TOKEN_PATH if endpoint == "__token" else ROOT_PATH)
        environ["sandbox.route"] = rule_text
        cfg = self.faults.config
        if cfg.latency_ms:
            time.sleep(cfg.latency_ms / 1000)
        fault = self.faults.next_fault()
        if fault == "drop":
            self.faults.count("faults_drop")
            _drop(environ)
            return Response(b"", status=500)
        if fault == "5xx":
            self.faults.count("faults_5xx")
            raise ApiError(500, "Internal Server Error (sandbox fault injection)")
        if fault == "429":
            self.faults.count("faults_429")
            raise ApiError(429, "Too Many Requests",
                           headers={"Retry-After": str(cfg.retry_after)})
        if endpoint == "__token":
            return self._token(req)
        if endpoint == "__root":
            return json_response(self._endpoint_list(req))
        self.tokens.check(req.headers.get("Authorization"))
        if req.method == "GET" and not (route and route.binary):
            _check_accept(req)
        assert route is not None  # noqa: S101 - every other endpoint is a Route
        return route.handler(self, req, **kwargs)

    def _token(self, req: Request) -> Response:
        self.tokens.token_ttl = self.faults.config.token_ttl
        try:
            grant, body = self.tokens.grant(req.headers.get("Authorization"),
                                            req.headers.get("Content-Type") or "",
                                            req.get_data())
        except ApiError:
            self.faults.count_auth("failed")
            raise
        self.faults.count_auth(grant)
        return json_response(body)

    def _endpoint_list(self, req: Request) -> dict[str, Any]:
        routes: dict[str, Any] = {}
        for route in self.routes.values():
            if route.edition == "ee" and self.edition == "ce":
                continue
            routes[route.name] = {"route": _PARAM.sub(r"{\1}", route.rule),
                                  "methods": list(route.methods)}
        return {"host": self.base_url(req),
                "authentication": {"fos_oauth_server_token": {"route": TOKEN_PATH,
                                                              "methods": ["POST"]}},
                "routes": routes}


def _check_accept(req: Request) -> None:
    accept = req.headers.get("Accept")
    if not accept:
        return
    types = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    if any(t in ("application/json", "*/*", "application/*") for t in types):
        return
    raise ApiError(406, f'"{accept}" in "Accept" header is not valid. Only "application/json" is '
                   "allowed.")


def _drop(environ: dict[str, Any]) -> None:
    """Close the client's socket without an answer (a dropped connection)."""
    environ["sandbox.dropped"] = True
    sock = environ.get("werkzeug.socket")
    if sock is None:
        return
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


__all__ = ["App", "all_routes", "dumps"]
