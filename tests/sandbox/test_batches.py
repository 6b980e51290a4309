"""Batch requests run whole, one at a time, but a slow client never holds up the others."""

from __future__ import annotations

import json
import socket
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conftest import Api


def test_a_batch_whose_body_is_still_arriving_does_not_block_other_requests(api: Api) -> None:
    body = json.dumps({"identifier": "slow-1", "family": "shoes"}).encode()
    head = (f"PATCH /api/rest/v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {api.token}\r\n"
            "Content-Type: application/vnd.akeneo.collection+json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", api.pim.port), timeout=10) as slow:
        slow.sendall(head + body[:10])
        time.sleep(0.2)  # the server is now reading the rest of the body
        started = time.monotonic()
        assert api.get("/products/boot-1").status_code == 200
        assert api.batch_lines("/products", [{"identifier": "fast-1"}])[0]["status_code"] == 201
        assert time.monotonic() - started < 2
        slow.sendall(body[10:])
        answer = b""
        while chunk := slow.recv(65536):
            answer += chunk
    status, _, rest = answer.partition(b"\r\n")
    assert b" 200 " in status
    assert json.loads(rest.split(b"\r\n\r\n", 1)[1]) == {
        "line": 1, "identifier": "slow-1", "status_code": 201}


def test_a_line_is_too_long_above_a_million_bytes(api: Api) -> None:
    """Akeneo reads at most 1,000,000 bytes per line; its line feed does not count."""
    def line(identifier: str, size: int) -> bytes:
        start = b'{"identifier": "' + identifier.encode() + b'"'
        return start + b" " * (size - len(start) - 1) + b"}"

    body = b"\n".join([line("long-1", 1_000_000), line("long-2", 1_000_001),
                       line("long-3", 10)]) + b"\n"
    response = api.session.patch(api.url("/products"), data=body, timeout=30,
                                 headers={"Content-Type": "application/vnd.akeneo.collection+json"})
    assert [json.loads(a) for a in response.content.split(b"\n")] == [
        {"line": 1, "identifier": "long-1", "status_code": 201},
        {"line": 2, "status_code": 413, "message": "Line is too long."},
        {"line": 3, "identifier": "long-3", "status_code": 201},
    ]
