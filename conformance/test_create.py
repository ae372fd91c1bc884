"""socket() for every (family, type, protocol) the catalog lists for this host.

One item per combination; the catalog decides the set (``sockcompat.catalog.create``).
"""

from __future__ import annotations

import pytest

from sockcompat import CreateCase, Observed, create_cases, run_context
from sockcompat.probes import create

pytestmark = pytest.mark.sockcompat  # each test returns its observations

_HOST = run_context()
CASES = create_cases(_HOST.surface, _HOST.platform)


@pytest.mark.parametrize("case", CASES, ids=[case.id.partition("/")[2] for case in CASES])
def test_create(case: CreateCase) -> Observed:
    return create.probe(case, run_context())
