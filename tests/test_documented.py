"""The documented expectation tables: well-formed rows with sources, each naming an observation
the suites really produce on that OS (ids built from the catalog over that OS's simulated socket
module), enough rows per OS, and a lookup that honours privilege and documented values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pytest

from sockcompat.catalog import limits, raw, unix
from sockcompat.catalog.create import create_cases
from sockcompat.catalog.documented import EXPECTATIONS, Documented, documented, rows_for
from sockcompat.catalog.errnos import WINSOCK_ERRORS
from sockcompat.catalog.options import option_cases
from sockcompat.catalog.transfer import (
    MSG_FLAG_CASES,
    NONBLOCKING_FAMILIES,
    PYTHON_API_FAMILIES,
    SOCKETPAIR_FAMILIES,
    SOCKETPAIR_TYPES,
    no_address_candidates,
    transfer_cases,
)
from sockcompat.observation import OUTCOMES, Observation
from sockcompat.probes import highlevel, ipv6, msgflags, nonblocking, socketpair
from sockcompat.probes.options import steps_of
from sockcompat.report import host_report

from .surfaces import DARWIN_PYTHON_FAMILIES, WINDOWS_PYTHON_FAMILIES, surface

#: platform -> (families the simulated CPython names, minimum rows: the issue asks 60/40/40).
PLATFORMS: dict[str, tuple[tuple[str, ...] | None, int]] = {
    "win32": (WINDOWS_PYTHON_FAMILIES, 100),
    "darwin": (DARWIN_PYTHON_FAMILIES, 50),
    "freebsd": (None, 50),
    "linux": (None, 6),
}
PRIVILEGES = {"win32": {None, "user", "admin"}, "darwin": {None, "user", "root"},
              "freebsd": {None, "user", "root"}, "linux": {None, "user", "root"}}
ID_PATTERN = re.compile(r"^[a-z0-9-]+(/[A-Za-z0-9_.:-]+)+$")  # report/schema.json's observation id
STEP_PATTERN = re.compile(r"^[a-z0-9_-]+$")
WINE_TEST = re.compile(r"^dlls/ws2_32/tests/sock\.c test_[A-Za-z0-9_]+$")


def _fixed_suites() -> Iterator[tuple[str, str]]:
    """(id, step) of the probes whose ids do not depend on the platform's tables."""
    for family in SOCKETPAIR_FAMILIES:
        for type_ in SOCKETPAIR_TYPES:
            yield from ((socketpair.case_id(family, type_), s) for s in socketpair.STEPS)
    for family in PYTHON_API_FAMILIES:
        yield from ((highlevel.server_id(family), s) for s in highlevel.STEPS)
    yield highlevel.DUALSTACK_ID, "check"
    yield from ((ipv6.V6ONLY_DEFAULT_ID, s) for s in ("create", "get", "close"))
    yield from ((ipv6.DUALSTACK_ID, s) for s in ipv6.DUALSTACK_STEPS)
    for family in NONBLOCKING_FAMILIES:
        yield from ((nonblocking.case_id(family), s) for s in nonblocking.STEPS)
    for flag in MSG_FLAG_CASES:
        yield from ((flag.id, s) for s in ("setup", msgflags.FLAG_STEP[flag.flag], "close"))
    yield unix.LONGEST_PATH_ID, "bind"
    yield from ((unix.UNLINK_ID, s) for s in unix.UNLINK_STEPS)
    for type_ in unix.SCM_RIGHTS_TYPES:
        yield from ((f"unix/AF_UNIX/{type_}/0/SCM_RIGHTS", s) for s in unix.SCM_RIGHTS_STEPS)
    for mechanism in unix.PEER_CREDENTIALS:
        yield from ((mechanism.id, s) for s in unix.PEER_STEPS)
    yield from ((unix.PASSCRED_ID, s) for s in unix.PASSCRED_STEPS)
    for layer in (unix.PYTHON_LAYER_ID, unix.OS_LAYER_ID):
        yield from ((layer, s) for s in unix.LAYER_STEPS)
    for case in raw.RAW_CASES:
        yield from ((case.id, s) for s in case.steps)
    for limit in limits.LIMITS:
        yield from ((limit.id, s) for s in limit.steps)


@cache
def produced(platform: str) -> frozenset[tuple[str, str]]:
    """Every (id, step) the suites record on ``platform``, from the catalog over its simulated surface."""
    families, _ = PLATFORMS[platform]
    fake = surface(platform, families=families)
    keys = set(_fixed_suites())
    keys.update((case.id, "create") for case in create_cases(fake, platform))
    for option_case in option_cases(fake, platform):
        for option in option_case.options:
            keys.update((option_case.option_id(option), s) for s in steps_of(option.spec.access))
    for transfer_case in transfer_cases(fake, platform):
        keys.update((transfer_case.id, s) for s in transfer_case.steps)
    keys.update((case.id, "address") for case in no_address_candidates(fake, platform))
    return frozenset(keys)


@pytest.mark.parametrize("row", EXPECTATIONS,
                         ids=[f"{r.platform}:{r.id}:{r.step}:{r.privilege}" for r in EXPECTATIONS])
def test_row_is_well_formed(row: Documented) -> None:
    assert row.platform in PLATFORMS
    assert row.source.startswith("https://") and " " not in row.source
    assert ID_PATTERN.match(row.id) and STEP_PATTERN.match(row.step)
    assert row.outcome in OUTCOMES and row.outcome not in ("error", "not-reached", "no-constant")
    assert row.privilege in PRIVILEGES[row.platform]
    if row.error is not None:
        assert row.outcome != "supported", "a documented error is a refusal"
        assert re.match(r"^(WSAE|E)[A-Z]+$", row.error)
    if row.error_value is not None:  # a Winsock code: it must be the one Windows gives that name
        assert row.error is not None and row.platform == "win32"
        assert WINSOCK_ERRORS[row.error_value] == row.error.removeprefix("WSA")
    elif row.error is not None:
        assert not row.error.startswith("WSA"), "every WSA error carries its number"
    if row.test is not None:
        assert WINE_TEST.match(row.test) and row.platform == "win32"


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_rows_name_observations_the_suites_produce(platform: str) -> None:
    strays = sorted({(r.id, r.step) for r in rows_for(platform)} - produced(platform))
    assert not strays, f"{platform}: rows for ids or steps no probe records: {strays[:10]}"


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_each_os_has_enough_rows_and_no_duplicates(platform: str) -> None:
    _, minimum = PLATFORMS[platform]
    rows = rows_for(platform)
    keys = [(r.id, r.step, r.privilege) for r in rows]
    assert len(rows) >= minimum
    assert len(set(keys)) == len(keys)


def test_lookup_honours_privilege() -> None:
    probe_id = "create/AF_INET/SOCK_RAW/IPPROTO_ICMP"
    as_user = documented("win32", "user", probe_id, "create")
    as_admin = documented("win32", "admin", probe_id, "create")
    assert as_user is not None and (as_user.outcome, as_user.error, as_user.error_value) == (
        "needs-privilege", "WSAEACCES", 10013)
    assert as_admin is not None and as_admin.outcome == "supported"
    assert documented("win32", "user", probe_id, "bind") is None
    assert documented("haiku", "user", probe_id, "create") is None


@pytest.mark.parametrize(("platform", "value", "agrees"), [
    ("win32", 1, True), ("win32", 0, False), ("darwin", 0, True), ("freebsd", 0, False),
])
def test_documented_value_is_compared(platform: str, value: int, agrees: bool) -> None:
    """IPV6_V6ONLY's default is documented (Windows, FreeBSD: on; macOS: off): the value counts."""
    observed = Observation(id=ipv6.V6ONLY_DEFAULT_ID, area="transfer", step="get", outcome="supported",
                           value=value)
    [row] = host_report.compare_with_documentation([observed], platform, "user")
    assert row["agrees"] is agrees


def test_no_constant_is_not_compared() -> None:
    """Python lacking a name says nothing about the OS: no documented comparison for it."""
    absent = Observation(id="option/AF_INET/SOCK_STREAM/IPPROTO_TCP/IPPROTO_IP.IP_RECVTOS", area="option",
                         step="get", outcome="no-constant")
    assert documented("win32", "user", absent.id, "get") is not None
    assert host_report.compare_with_documentation([absent], "win32", "user") == []


def test_wine_facts_are_cited_with_their_test() -> None:
    probe_id = "option/AF_INET/SOCK_STREAM/IPPROTO_TCP/IPPROTO_IP.IP_HDRINCL"
    observed = Observation(id=probe_id, area="option", step="get", outcome="unsupported", errno="EINVAL",
                           winerror=10022)
    [row] = host_report.compare_with_documentation([observed], "win32", "user")
    assert row["agrees"] and row["source"].endswith("(dlls/ws2_32/tests/sock.c test_sockopt_validity)")
