"""Measured limits: largest datagram, socket buffer sizes, listen backlog, ephemeral port range.

One item per row of ``sockcompat.catalog.limits``; each step is an observation with its ``value``.
"""

from __future__ import annotations

import pytest

from sockcompat import LIMITS, LimitCase, ProbeContext, Recorder
from sockcompat.probes import limits


@pytest.mark.parametrize("case", LIMITS, ids=[case.id.partition("/")[2] for case in LIMITS])
def test_limits(case: LimitCase, probe_context: ProbeContext, record: Recorder) -> None:
    record(*limits.probe(case, probe_context))
