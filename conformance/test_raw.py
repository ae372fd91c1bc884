"""Raw sockets per protocol the catalog lists (``sockcompat.catalog.raw``): create, bind to
loopback, send a crafted packet to loopback, receive. Each row runs in a child interpreter.
Unprivileged, the create step records ``needs-privilege``; unprivileged ICMP rows carry
net.ipv4.ping_group_range beside their outcome."""

from __future__ import annotations

import pytest

from sockcompat import RAW_CASES, Observed, RawCase, run_context
from sockcompat.probes import raw

pytestmark = pytest.mark.sockcompat  # each test returns its observations


@pytest.mark.parametrize("case", RAW_CASES, ids=[c.id.partition("/")[2] for c in RAW_CASES])
def test_raw(case: RawCase) -> Observed:
    return raw.run(case, run_context())
