"""Measured limits: largest datagram, socket buffer sizes, listen backlog, ephemeral port range.

One item per row of ``sockcompat.catalog.limits``; each step is an observation with its ``value``.
"""

from __future__ import annotations

import pytest

from sockcompat import LIMITS, LimitCase, Observed, run_context
from sockcompat.probes import limits

pytestmark = pytest.mark.sockcompat  # each test returns its observations


@pytest.mark.parametrize("case", LIMITS, ids=[case.id.partition("/")[2] for case in LIMITS])
def test_limits(case: LimitCase) -> Observed:
    return limits.probe(case, run_context())
