"""getsockopt/setsockopt/getsockopt for every option on every socket this host can create.

One item per (family, type, protocol), one observation per option and step; the catalog decides
the sockets and the options (``sockcompat.catalog.options``). Sockets the host cannot create are
left to the create suite, which records why.
"""

from __future__ import annotations

import pytest

from sockcompat import Observed, OptionCase, option_cases, run_context
from sockcompat.probes import create, options

pytestmark = pytest.mark.sockcompat  # each test returns its observations

_HOST = run_context()
CASES = [case for case in option_cases(_HOST.surface, _HOST.platform)
         if create.creates(case.socket, _HOST)]


@pytest.mark.parametrize("case", CASES, ids=[case.id.partition("/")[2] for case in CASES])
def test_options(case: OptionCase) -> Observed:
    return options.probe(case, run_context())
