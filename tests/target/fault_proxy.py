"""A forwarding server on 127.0.0.1 in front of the sandbox that fails chosen requests.

It answers the requests a rule picks with Akeneo's 500 body instead of passing them on, so a
test fails exactly the read it is about (the sandbox's own faults count every request).
"""

from __future__ import annotations

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from tests.target.conftest import run_target, tap_output

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.target.conftest import Workspace

HOP_HEADERS = {"host", "connection", "keep-alive", "transfer-encoding", "content-length"}


class FaultProxy:
    """Forwards every request to the sandbox, except those ``rule`` picks: answered 500."""

    def __init__(self, upstream: str, rule: Callable[[str, str], bool]) -> None:
        self.upstream = urlsplit(upstream)
        self.rule = rule
        self.injected: list[tuple[str, str]] = []
        self.seen: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy.handle(self)

            def do_POST(self) -> None:
                proxy.handle(self)

            def do_PATCH(self) -> None:
                proxy.handle(self)

            def do_DELETE(self) -> None:
                proxy.handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        body = _read_body(request)
        method, path = request.command, unquote(request.path)
        with self._lock:
            self.seen.append((method, path))
            fail = self.rule(method, path)
            if fail:
                self.injected.append((method, path))
        if fail:
            answer = json.dumps({"code": 500, "message": "Internal Server Error"}).encode()
            request.send_response(500)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(answer)))
            request.end_headers()
            request.wfile.write(answer)
            return
        host, port = self.upstream.hostname or "127.0.0.1", self.upstream.port
        conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
            conn.request(method, request.path, body=body or None, headers=headers)
            response = conn.getresponse()
            data = response.read()
            request.send_response(response.status)
            for name, text in response.getheaders():
                if name.lower() not in HOP_HEADERS:
                    request.send_header(name, text)
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        finally:
            conn.close()


def _read_body(request: BaseHTTPRequestHandler) -> bytes:
    if request.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(request.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                request.rfile.readline()
                return b"".join(chunks)
            chunks.append(request.rfile.read(size))
            request.rfile.readline()
    length = int(request.headers.get("Content-Length") or 0)
    return request.rfile.read(length) if length else b""


def push_via(
    proxy: FaultProxy, pim: Any, workspace: Workspace, job_id: str = "j", **settings: Any
) -> dict[str, Any]:
    """Run a push whose every call goes through ``proxy``; returns push-report.json."""
    config = {
        **pim.config(),
        "api_url": proxy.url,
        "workspace": str(workspace.root),
        "job_id": job_id,
        "max_retries": 0,
        **settings,
    }
    run_target(config, tap_output(workspace, job_id))
    return workspace.report(job_id)
