"""The client-server sequence for every transfer row, one observation per call; plus
socketpair, Python's high-level API, IPv6 specifics, non-blocking connect/accept and MSG_* flags.

Rows come from the catalog (``sockcompat.catalog.transfer``); the file lists none by hand.
"""

from __future__ import annotations

import pytest

from sockcompat import (
    MSG_FLAG_CASES,
    NONBLOCKING_FAMILIES,
    PYTHON_API_FAMILIES,
    SOCKETPAIR_FAMILIES,
    SOCKETPAIR_TYPES,
    FlagCase,
    Observed,
    TransferCase,
    no_address_candidates,
    run_context,
    transfer_cases,
)
from sockcompat.probes import create, highlevel, ipv6, msgflags, nonblocking, socketpair, transfer

pytestmark = pytest.mark.sockcompat  # each test returns its observations

_HOST = run_context()
CASES = transfer_cases(_HOST.surface, _HOST.platform)
NO_ADDRESS = [case for case in no_address_candidates(_HOST.surface, _HOST.platform)
              if create.creates(case, _HOST)]
PAIRS = [(f, t) for f in SOCKETPAIR_FAMILIES for t in SOCKETPAIR_TYPES]


def short_id(case_id: str) -> str:
    return case_id.partition("/")[2]


@pytest.mark.parametrize("case", CASES, ids=[short_id(c.id) for c in CASES])
def test_sequence(case: TransferCase) -> Observed:
    return transfer.probe(case, run_context())


@pytest.mark.parametrize("case", NO_ADDRESS, ids=[short_id(c.id) for c in NO_ADDRESS])
def test_no_address(case: TransferCase) -> Observed:
    return transfer.not_applicable(case)


@pytest.mark.parametrize(("family", "type_"), PAIRS, ids=[short_id(socketpair.case_id(*p)) for p in PAIRS])
def test_socketpair(family: str, type_: str) -> Observed:
    return socketpair.probe(family, type_, run_context())


@pytest.mark.parametrize("family", PYTHON_API_FAMILIES)
def test_create_server(family: str) -> Observed:
    return highlevel.create_server(family, run_context())


def test_has_dualstack_ipv6() -> Observed:
    return highlevel.has_dualstack(run_context())


def test_v6only_default() -> Observed:
    return ipv6.v6only_default(run_context())


def test_dualstack() -> Observed:
    return ipv6.dualstack(run_context())


@pytest.mark.parametrize("family", NONBLOCKING_FAMILIES)
def test_nonblocking(family: str) -> Observed:
    return nonblocking.probe(family, run_context())


@pytest.mark.parametrize("case", MSG_FLAG_CASES, ids=[short_id(c.id) for c in MSG_FLAG_CASES])
def test_msg_flag(case: FlagCase) -> Observed:
    return msgflags.probe(case, run_context())
