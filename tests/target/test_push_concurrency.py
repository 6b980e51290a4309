"""The push never has more batch calls in flight than max_concurrency (Akeneo: 4 per
connection), and it does use them: seen by the PIM, which counts requests answered at once."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("concurrency", [4, 2])
def test_calls_in_flight_stay_within_max_concurrency(sandbox_factory, workspace, push,
                                                     concurrency):
    pim = sandbox_factory(latency_ms=40)
    rows = [{"sku": f"FLIGHT-{i:04d}", "family": "mugs", "name-en_US": f"Mug {i}"}
            for i in range(1200)]
    workspace.job("flight", rows)
    pim.reset_stats()
    report = push(pim, "flight", max_concurrency=concurrency)
    assert report["counts"]["created"] == 1200
    stats = pim.stats()
    assert stats["by_route"]["PATCH /api/rest/v1/products"] == 12  # 100 a batch
    assert 2 <= stats["max_in_flight"] <= concurrency  # never more, and calls do overlap
