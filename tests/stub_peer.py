"""Tiny scripted HTTP peers on 127.0.0.1, for what the sandbox PIM cannot produce.

Third-party style answers (relative links, plain arrays), unreadable batch lines, a PIM without
/products-uuid: each test module describes its answers in a `JsonPeer` subclass.
"""

from __future__ import annotations

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import ssl
    from collections.abc import Iterator


def start_peer(
    handler: type[BaseHTTPRequestHandler], wrap: ssl.SSLContext | None = None
) -> ThreadingHTTPServer:
    """Serve ``handler`` on a free loopback port in a daemon thread (stop with ``shutdown``).

    ``wrap`` serves HTTPS with that server-side TLS context.
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if wrap is not None:
        server.socket = wrap.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server


@contextlib.contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` while the block runs; yields its base URL."""
    server = start_peer(handler)
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class JsonPeer(BaseHTTPRequestHandler):
    """A quiet handler that answers JSON and grants a token on any POST."""

    token_body: ClassVar[dict[str, Any]] = {"access_token": "peer-token", "expires_in": 3600}

    def log_message(self, *args: object) -> None:
        pass

    def answer(self, status: int, body: Any, headers: dict[str, str] | None = None,
               content_type: str = "application/json") -> None:
        """Send ``body`` (bytes as they are, anything else as JSON) with its length."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for name, value in {"Content-Type": content_type, **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self) -> bytes:
        """The request body (read whole, so the connection stays usable)."""
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def do_POST(self) -> None:
        self.read_body()
        self.answer(200, self.token_body)
