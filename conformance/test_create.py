"""socket() for every (family, type, protocol) the catalog lists for this host.

One item per combination; the catalog decides the set (``sockcompat.catalog.create``).
"""

from __future__ import annotations

import pytest

from sockcompat import CreateCase, ProbeContext, Recorder, create_cases
from sockcompat.probes import create

_HOST = ProbeContext.for_this_host()
CASES = create_cases(_HOST.surface, _HOST.platform)


@pytest.mark.parametrize("case", CASES, ids=[case.id.partition("/")[2] for case in CASES])
def test_create(case: CreateCase, probe_context: ProbeContext, record: Recorder) -> None:
    record(create.probe(case, probe_context))
