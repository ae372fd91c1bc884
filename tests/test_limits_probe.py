"""Limits: the bisection, the port-range parsers, and measurements against fake sockets."""

from __future__ import annotations

import errno
import itertools
import os
import socket
import subprocess
import sys
import types
from typing import Any

import pytest

from sockcompat.catalog.limits import INT_MAX, LIMITS, LimitCase
from sockcompat.host.privilege import Privilege
from sockcompat.probes import limits
from sockcompat.probes.context import ProbeContext

ROOT = Privilege(superuser=True, label="root", uid=0, capabilities=frozenset())

BISECTIONS = [
    # (largest accepted, lo, hi, expected)
    (65507, 1, 1 << 17, 65507),
    (1 << 17, 1, 1 << 17, 1 << 17),  # the cap itself is accepted: one call
    (1, 1, 1 << 17, 1),
    (INT_MAX - 1, 0, INT_MAX, INT_MAX - 1),
]


@pytest.mark.parametrize(("limit", "lo", "hi", "expected"), BISECTIONS)
def test_bisect_largest(limit: int, lo: int, hi: int, expected: int) -> None:
    calls: list[int] = []

    def ok(n: int) -> bool:
        calls.append(n)
        return n <= limit

    assert limits.bisect_largest(ok, lo, hi) == (expected, True)
    assert calls[0] == hi
    assert len(calls) <= (hi - lo).bit_length() + 1


def test_bisect_stops_at_its_budget_with_a_lower_bound() -> None:
    ticks = itertools.count()
    found, complete = limits.bisect_largest(lambda n: n <= 1000, 1, 1 << 20, budget_s=3,
                                            clock=lambda: float(next(ticks)))
    assert not complete and 1 <= found <= 1000


PAIRS = [("32768\t60999\n", (32768, 60999)), ("49152\n65535\n", (49152, 65535))]


@pytest.mark.parametrize(("text", "expected"), PAIRS)
def test_parse_pair(text: str, expected: tuple[int, int]) -> None:
    assert limits.parse_pair(text) == expected


NETSH = """
Protocol tcp Dynamic Port Range
---------------------------------
Start Port      : 49152
Number of Ports : 16384
"""
NETSH_GERMAN = ("Protokoll tcp Dynamischer Portbereich\n-----\n"
                "Startport       : 1025\nAnzahl Ports    : 3976\n")


@pytest.mark.parametrize(("text", "expected"), [(NETSH, (49152, 65535)), (NETSH_GERMAN, (1025, 5000))])
def test_parse_netsh(text: str, expected: tuple[int, int]) -> None:
    assert limits.parse_netsh(text) == expected


class BsdBufferSocket:
    """SO_RCVBUF as a BSD kernel keeps it: refused with ENOBUFS above a ceiling, stored as set."""

    CEILING = 2_097_152

    def __init__(self, *args: int) -> None:
        self.value = 65536

    def getsockopt(self, level: int, option: int) -> int:
        return self.value

    def setsockopt(self, level: int, option: int, value: int) -> None:
        if value > self.CEILING:
            raise OSError(errno.ENOBUFS, "No buffer space available")
        self.value = value

    def close(self) -> None:
        pass


def fake_context(**names: Any) -> ProbeContext:
    module = types.SimpleNamespace(AF_INET=2, SOCK_STREAM=1, SOL_SOCKET=0xFFFF, SO_RCVBUF=0x1002, **names)
    return ProbeContext(platform="freebsd", privilege=ROOT, surface=module)


def test_buffer_maximum_bisects_where_the_os_refuses() -> None:
    ctx = fake_context(socket=BsdBufferSocket)
    found = limits.probe(LimitCase("AF_INET", "SOCK_STREAM", "SO_RCVBUF", ("default", "max")), ctx)
    default, maximum = found
    assert (default.outcome, default.value) == ("supported", 65536)
    assert (maximum.outcome, maximum.value) == ("supported", BsdBufferSocket.CEILING)
    assert f"{BsdBufferSocket.CEILING + 1} refused: ENOBUFS" in maximum.detail


def test_other_refusals_end_the_measurement_with_their_outcome() -> None:
    class Denied(BsdBufferSocket):
        def setsockopt(self, level: int, option: int, value: int) -> None:
            raise OSError(errno.EPERM, "Operation not permitted")

    case = LimitCase("AF_INET", "SOCK_STREAM", "SO_RCVBUF", ("max",))
    maximum = limits.probe(case, fake_context(socket=Denied))[0]
    assert (maximum.outcome, maximum.errno) == ("blocked", "EPERM")


def test_a_family_python_cannot_name_is_no_constant() -> None:
    ctx = ProbeContext(platform="plan9", privilege=ROOT, surface=types.SimpleNamespace(SOCK_DGRAM=2))
    found = limits.probe(LimitCase("AF_UNIX", "SOCK_DGRAM", "max-datagram", ("send",)), ctx)
    assert [o.outcome for o in found] == ["no-constant"]


def test_an_os_without_a_port_range_setting_is_unavailable() -> None:
    ctx = ProbeContext(platform="plan9", privilege=ROOT, surface=socket)
    found = limits.probe(LimitCase("AF_INET", "SOCK_STREAM", "ephemeral-ports", ("range",)), ctx)
    assert (found[0].outcome, found[0].value) == ("unavailable", None)


@pytest.mark.parametrize("printed", ["", "\r\n", "The following command was not found: int ipv4.\n"])
def test_netsh_printing_no_range_is_unavailable_and_says_so(printed: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows (simulated): netsh answered but printed no range, as Wine's does."""
    def netsh(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        assert argv[0] == "netsh"
        return subprocess.CompletedProcess(argv, 0, stdout=printed, stderr="")

    monkeypatch.setattr(subprocess, "run", netsh)
    ctx = ProbeContext(platform="win32", privilege=ROOT, surface=socket)
    found = limits.probe(LimitCase("AF_INET", "SOCK_STREAM", "ephemeral-ports", ("range",)), ctx)[0]
    assert (found.outcome, found.value) == ("unavailable", None)
    assert "netsh printed no start port and count" in found.detail
    assert "unpack" not in found.detail


def test_catalog_rows_are_unique_and_measurable() -> None:
    keys = [(case.id, step) for case in LIMITS for step in case.steps]
    assert len(keys) == len(set(keys))
    assert {case.quantity for case in LIMITS} == set(limits._MEASURES)


@pytest.mark.skipif(not hasattr(socket, "AF_INET"), reason="needs IPv4")
def test_udp_over_ipv4_loopback_is_measured_here() -> None:
    ctx = ProbeContext.for_this_host()
    found = limits.probe(LimitCase("AF_INET", "SOCK_DGRAM", "max-datagram", ("send",)), ctx)[0]
    assert found.outcome == "supported"
    assert isinstance(found.value, int) and 512 <= found.value <= 65535
    assert "arrived" not in found.detail  # the largest accepted datagram was delivered whole


@pytest.mark.skipif(sys.platform != "linux", reason="the accept queue is read from Linux's tcp_info")
def test_the_backlog_count_stops_when_the_kernel_drops_the_syn() -> None:
    """A full accept queue drops the next SYN at once: the count ends without waiting for it."""
    case = next(c for c in LIMITS if c.id == "limit/AF_INET/SOCK_STREAM/0/listen-backlog")
    [_, queue] = limits.probe(case, ProbeContext.for_this_host())
    assert queue.outcome == "supported"
    assert queue.value > 0
    assert "the accept queue was full" in queue.detail, queue.detail


class RefusedBind(socket.socket):
    """A real socket whose bind the OS refuses (as a host without the address would)."""

    def bind(self, address: Any) -> None:
        raise OSError(errno.EADDRNOTAVAIL, "Cannot assign requested address")


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


LEAK_CASES = {
    "largest UDP datagram": LimitCase("AF_INET", "SOCK_DGRAM", "max-datagram", ("send",)),
    "listen queue": LimitCase("AF_INET", "SOCK_STREAM", "listen-backlog", ("queue",)),
}


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc/self/fd")
@pytest.mark.parametrize("case", LEAK_CASES.values(), ids=list(LEAK_CASES))
def test_a_refused_bind_leaves_no_socket_open(case: LimitCase) -> None:
    fake = types.SimpleNamespace(**{n: getattr(socket, n) for n in dir(socket) if n.isupper()},
                                 socket=RefusedBind)
    ctx = ProbeContext(platform=sys.platform, privilege=ROOT, deadline_s=2.0, surface=fake)
    before = open_descriptors()
    found = limits.probe(case, ctx)
    assert {o.errno for o in found} == {"EADDRNOTAVAIL"}
    assert open_descriptors() == before
