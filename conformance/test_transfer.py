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
    ProbeContext,
    Recorder,
    TransferCase,
    no_address_candidates,
    transfer_cases,
)
from sockcompat.probes import create, highlevel, ipv6, msgflags, nonblocking, socketpair, transfer

_HOST = ProbeContext.for_this_host()
CASES = transfer_cases(_HOST.surface, _HOST.platform)
NO_ADDRESS = [case for case in no_address_candidates(_HOST.surface, _HOST.platform)
              if create.creates(case, _HOST)]
PAIRS = [(f, t) for f in SOCKETPAIR_FAMILIES for t in SOCKETPAIR_TYPES]


def short_id(case_id: str) -> str:
    return case_id.partition("/")[2]


@pytest.mark.parametrize("case", CASES, ids=[short_id(c.id) for c in CASES])
def test_sequence(case: TransferCase, probe_context: ProbeContext, record: Recorder) -> None:
    record(*transfer.probe(case, probe_context))


@pytest.mark.parametrize("case", NO_ADDRESS, ids=[short_id(c.id) for c in NO_ADDRESS])
def test_no_address(case: TransferCase, record: Recorder) -> None:
    record(transfer.not_applicable(case))


@pytest.mark.parametrize(("family", "type_"), PAIRS, ids=[short_id(socketpair.case_id(*p)) for p in PAIRS])
def test_socketpair(family: str, type_: str, probe_context: ProbeContext, record: Recorder) -> None:
    record(*socketpair.probe(family, type_, probe_context))


@pytest.mark.parametrize("family", PYTHON_API_FAMILIES)
def test_create_server(family: str, probe_context: ProbeContext, record: Recorder) -> None:
    record(*highlevel.create_server(family, probe_context))


def test_has_dualstack_ipv6(probe_context: ProbeContext, record: Recorder) -> None:
    record(highlevel.has_dualstack(probe_context))


def test_v6only_default(probe_context: ProbeContext, record: Recorder) -> None:
    record(*ipv6.v6only_default(probe_context))


def test_dualstack(probe_context: ProbeContext, record: Recorder) -> None:
    record(*ipv6.dualstack(probe_context))


@pytest.mark.parametrize("family", NONBLOCKING_FAMILIES)
def test_nonblocking(family: str, probe_context: ProbeContext, record: Recorder) -> None:
    record(*nonblocking.probe(family, probe_context))


@pytest.mark.parametrize("case", MSG_FLAG_CASES, ids=[short_id(c.id) for c in MSG_FLAG_CASES])
def test_msg_flag(case: FlagCase, probe_context: ProbeContext, record: Recorder) -> None:
    record(*msgflags.probe(case, probe_context))
