"""``Sandbox``: start the sandbox PIM on a free loopback port in a background thread."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .auth import Credentials
from .catalog import DEMO_CATALOG, load_catalog, load_empty
from .faults import FaultConfig, Faults
from .gc_policy import GcPolicy
from .server import App
from .store import Store

if TYPE_CHECKING:
    from types import TracebackType


class _QuietHandler(WSGIRequestHandler):
    """Request handler that tracks its socket (closed on stop) and logs nothing."""

    def setup(self) -> None:
        super().setup()
        self.server.open_sockets.add(self.connection)  # type: ignore[attr-defined]

    def finish(self) -> None:
        self.server.open_sockets.discard(self.connection)  # type: ignore[attr-defined]
        super().finish()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Stay quiet: tests and benchmarks read the request log instead."""

    def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 - base signature
        """Stay quiet (connection drops are injected on purpose)."""


class Sandbox:
    """A running sandbox PIM. Use as a context manager, or call ``start()`` / ``stop()``.

    Without ``catalog`` it serves the demo catalog; ``empty=True`` serves a near-empty PIM.
    ``freeze_gc`` keeps the garbage collector off a large store (see ``gc_policy``).
    """

    def __init__(
        self,
        catalog: str | Path | None = None,
        *,
        empty: bool = False,
        port: int = 0,
        latency_ms: float = 0,
        token_ttl: float = 3600,
        fault_429_every: int = 0,
        fault_5xx_every: int = 0,
        fault_drop_every: int = 0,
        retry_after: int = 1,
        option_rate_limit: int = 0,
        edition: str = "ee",
        freeze_gc: bool = True,
        host: str = "127.0.0.1",
        client_id: str = "sandbox-client",
        client_secret: str = "sandbox-secret",  # noqa: S107 - documented sandbox default
        username: str = "sandbox",
        password: str = "sandbox",  # noqa: S107 - documented sandbox default
    ) -> None:
        if catalog is not None and empty:
            raise ValueError("give either catalog or empty=True, not both")
        self.host = host
        self.port = port
        self.catalog = Path(catalog) if catalog is not None else (None if empty else DEMO_CATALOG)
        self.credentials = Credentials(client_id, client_secret, username, password)
        self.faults = Faults(FaultConfig(
            latency_ms=latency_ms, fault_429_every=fault_429_every,
            fault_5xx_every=fault_5xx_every, fault_drop_every=fault_drop_every,
            retry_after=retry_after, option_rate_limit=option_rate_limit, token_ttl=token_ttl))
        self.store = Store()
        if self.catalog is None:
            load_empty(self.store)
        else:
            load_catalog(self.store, self.catalog)
        self.gc_policy = GcPolicy(enabled=freeze_gc)
        self.app = App(self.store, self.credentials, self.faults, edition=edition,
                       gc_policy=self.gc_policy)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        state = self.url if self._server else "stopped"
        return f"Sandbox({state}, catalog={str(self.catalog) if self.catalog else 'empty'})"

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> Sandbox:
        """Listen on ``host:port`` (port 0 = a free one) and serve in a daemon thread."""
        if self._server is not None:
            return self
        server = make_server(self.host, self.port, self.app, threaded=True,
                             request_handler=_QuietHandler)
        server.open_sockets = set()  # type: ignore[attr-defined]
        server.daemon_threads = True  # type: ignore[attr-defined]
        self.port = server.server_port
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name=f"akeneo-sandbox-{self.port}", daemon=True)
        self._thread.start()
        self.gc_policy.settle(self.store)  # a large catalog is frozen from the start
        return self

    def stop(self) -> None:
        """Stop serving, close open client connections and free the port."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        for sock in list(server.open_sockets):  # type: ignore[attr-defined]
            try:
                sock.shutdown(2)
                sock.close()
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.gc_policy.release()

    def serve_forever(self) -> None:
        """Run in the foreground until interrupted (used by the CLI)."""
        self.start()
        assert self._thread is not None  # noqa: S101 - set by start()
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- information and control --------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL of the PIM (without ``/api/rest/v1``)."""
        return f"http://{self.host}:{self.port}"

    def config(self) -> dict[str, str]:
        """Connection settings for a client or the tap/target."""
        return {"api_url": self.url, "client_id": self.credentials.client_id,
                "client_secret": self.credentials.client_secret,
                "username": self.credentials.username, "password": self.credentials.password}

    def stats(self) -> dict[str, Any]:
        """Counters, as ``GET /_sandbox/stats`` returns them."""
        return self.faults.stats()

    def request_log(self) -> list[dict[str, Any]]:
        """The request log, as ``GET /_sandbox/requests`` returns it."""
        return self.faults.requests()

    def reset_stats(self) -> None:
        """Zero counters and the log, as ``POST /_sandbox/reset``."""
        self.faults.reset()

    def set_faults(self, **settings: Any) -> dict[str, Any]:
        """Change faults (latency_ms, fault_429_every, ...), as ``POST /_sandbox/faults``."""
        return self.faults.set(**settings)
