"""Sandbox-only endpoints under ``/_sandbox/`` (no auth, not counted): stats, log, faults."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from .http import json_response

if TYPE_CHECKING:
    from .server import App


def handle(app: App, req: Request) -> Response:
    """Answer ``/_sandbox/{stats,requests,reset,faults}``."""
    path = req.path.rstrip("/")
    if path == "/_sandbox/stats" and req.method == "GET":
        return json_response(app.faults.stats())
    if path == "/_sandbox/requests" and req.method == "GET":
        return json_response(app.faults.requests())
    if path == "/_sandbox/reset" and req.method == "POST":
        app.faults.reset()
        return Response(b"", status=204)
    if path == "/_sandbox/faults":
        if req.method == "GET":
            return json_response(app.faults.settings())
        if req.method in ("POST", "PATCH"):
            try:
                changes = json.loads(req.get_data() or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("the body must be a JSON object of fault settings")
                return json_response(app.faults.set(**changes))
            except ValueError as exc:
                return json_response({"code": 400, "message": str(exc)}, 400)
    return json_response({"code": 404, "message": f"No sandbox route {req.method} {path}"}, 404)
