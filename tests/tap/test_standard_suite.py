"""singer-sdk's standard tap tests, run against the sandbox PIM serving the demo catalog.

The suite's class is built at import time with a config dict; the sandbox starts in a
class-scoped autouse fixture (before the suite's class-scoped ``runner`` sync) and fills in that
same dict with its URL and credentials.

No standard test is left out: the tap, stream and stream-attribute suites all run, on every
stream (the demo catalog has records for each, including the Enterprise Edition ones).
"""

from __future__ import annotations

import pytest
from akeneo_sandbox import Sandbox
from singer_sdk.testing import SuiteConfig, get_tap_test_class
from tap_akeneo.tap import TapAkeneo

from tests.conftest import demo_catalog

CONFIG = {
    "api_url": "http://127.0.0.1:9",  # replaced by the sandbox's URL before the sync
    "client_id": "-",
    "client_secret": "-",
    "username": "-",
    "password": "-",
}

_StandardTests = get_tap_test_class(
    TapAkeneo,
    config=CONFIG,
    parse_env_config=False,
    suite_config=SuiteConfig(max_records_limit=1000),
)


class TestTapAkeneoStandard(_StandardTests):  # type: ignore[misc,valid-type]
    """All standard tap, stream and stream-attribute tests."""

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def _sandbox(cls):
        with Sandbox(catalog=demo_catalog()) as pim:
            CONFIG.update(pim.config())
            yield pim
