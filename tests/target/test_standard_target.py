"""singer-sdk's standard target test suite, run against target-akeneo.

Every standard test feeds generic streams (``test_array_data``, ``TestCamelcase``, ...) that
are not job streams: target-akeneo must take them without error and never send them to the
PIM. The config points at a sandbox PIM whose request log proves that nothing was sent.
All 16 tests of the default suite run; none is left out.
"""

from __future__ import annotations

import socket
import tempfile
from typing import TYPE_CHECKING

import pytest
from akeneo_sandbox import Sandbox
from singer_sdk.testing import get_target_test_class
from target_akeneo.target import TargetAkeneo

from tests.conftest import demo_catalog

if TYPE_CHECKING:
    from collections.abc import Iterator


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PORT = _free_port()

TestTargetAkeneoStandard = get_target_test_class(
    TargetAkeneo,
    config={
        "api_url": f"http://127.0.0.1:{PORT}",
        "workspace": tempfile.gettempdir(),
        "job_id": "standard-tests",
    },
)


@pytest.fixture(scope="module", autouse=True)
def sandbox_pim() -> Iterator[Sandbox]:
    """The PIM the config points at; at the end, it must have received no write at all."""
    with Sandbox(catalog=demo_catalog(), port=PORT) as pim:
        yield pim
        assert pim.request_log() == [], "generic streams reached the PIM"
