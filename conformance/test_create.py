"""socket() for every (family, type, protocol) the catalog lists for this host.

One item per combination; the catalog decides the set (``sockcompat.catalog.create``).
"""

from __future__ import annotations

import pytest

from sockcompat.catalog.create import CreateCase, create_cases
from sockcompat.plugin import Recorder
from sockcompat.probes import create
from sockcompat.probes.context import ProbeContext

CASES = create_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.id.partition("/")[2] for case in CASES])
def test_create(case: CreateCase, probe_context: ProbeContext, record: Recorder) -> None:
    record(create.probe(case, probe_context))
