"""The create probe against simulated platforms: what each OS's socket() answers becomes a verdict."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sockcompat.catalog.create import create_cases
from sockcompat.host.privilege import Privilege
from sockcompat.probes import create
from sockcompat.probes.context import ProbeContext

from .surfaces import (
    DARWIN_PYTHON_FAMILIES,
    WINDOWS_PYTHON_FAMILIES,
    FakeSocket,
    darwin,
    factory,
    surface,
    windows,
)

USER = Privilege(superuser=False, label="user")
ADMIN = Privilege(superuser=True, label="admin")


def run(platform: str, families: tuple[str, ...], privilege: Privilege,
        answer: Callable[[int, int, int], BaseException | None]) -> dict[str, Any]:
    fake = surface(platform, families=families, socket_factory=factory(answer))
    ctx = ProbeContext(platform=platform, privilege=privilege, deadline_s=2.0, surface=fake)
    return {case.id: create.probe(case, ctx) for case in create_cases(fake, platform)}


@pytest.mark.parametrize(
    ("privilege", "case_id", "outcome", "errno_name", "winerror"),
    [
        (USER, "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "needs-privilege", "EACCES", 10013),
        (ADMIN, "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "blocked", "EACCES", 10013),
        (USER, "create/AF_UNIX/SOCK_STREAM/0", "supported", None, None),
        (USER, "create/AF_UNIX/SOCK_DGRAM/0", "unsupported", "ESOCKTNOSUPPORT", 10044),
        (USER, "create/AF_IRDA/SOCK_STREAM/0", "unsupported", "EAFNOSUPPORT", 10047),
        (USER, "create/AF_NETLINK/SOCK_RAW/0", "no-constant", None, None),
    ],
)
def test_simulated_windows(privilege: Privilege, case_id: str, outcome: str, errno_name: str | None,
                           winerror: int | None) -> None:
    observation = run("win32", WINDOWS_PYTHON_FAMILIES, privilege, windows)[case_id]
    assert (observation.outcome, observation.errno, observation.winerror) == (outcome, errno_name, winerror)


def test_simulated_windows_af_unix_is_marked_by_number() -> None:
    observation = run("win32", WINDOWS_PYTHON_FAMILIES, USER, windows)["create/AF_UNIX/SOCK_STREAM/0"]
    assert not observation.python_constant
    assert "Python has no constant" in observation.detail


def test_simulated_darwin_seqpacket() -> None:
    observations = run("darwin", DARWIN_PYTHON_FAMILIES, USER, darwin)
    seqpacket = observations["create/AF_UNIX/SOCK_SEQPACKET/0"]
    assert (seqpacket.outcome, seqpacket.errno) == ("unsupported", "EPROTONOSUPPORT")
    assert observations["create/AF_UNIX/SOCK_STREAM/0"].outcome == "supported"


def test_type_rewritten_by_the_os_is_noted() -> None:
    """Linux turns AF_UNIX SOCK_RAW into SOCK_DGRAM; the probe says so instead of hiding it."""
    def rewrite(family: int, type_: int, proto: int) -> FakeSocket:
        return FakeSocket(2 if type_ == 3 else type_)

    fake = surface("linux", socket_factory=rewrite)
    ctx = ProbeContext(platform="linux", privilege=USER, surface=fake)
    case = next(c for c in create_cases(fake, "linux") if c.id == "create/AF_UNIX/SOCK_RAW/0")
    observation = create.probe(case, ctx)
    assert (observation.outcome, observation.value) == ("supported", 2)
    assert "SO_TYPE 2" in observation.detail


def test_a_hanging_socket_call_is_a_timeout() -> None:
    import threading

    release = threading.Event()

    def hang(family: int, type_: int, proto: int) -> FakeSocket:
        release.wait(5)
        return FakeSocket(type_)

    fake = surface("linux", socket_factory=hang)
    ctx = ProbeContext(platform="linux", privilege=USER, deadline_s=0.05, surface=fake)
    case = next(c for c in create_cases(fake, "linux") if not c.missing)
    try:
        observation = create.probe(case, ctx)
    finally:
        release.set()
    assert observation.outcome == "timeout"


def test_an_unexpected_exception_is_an_error_not_a_crash() -> None:
    def broken(family: int, type_: int, proto: int) -> FakeSocket:
        raise RuntimeError("probe bug")

    fake = surface("linux", socket_factory=broken)
    ctx = ProbeContext(platform="linux", privilege=USER, surface=fake)
    case = next(c for c in create_cases(fake, "linux") if not c.missing)
    observation = create.probe(case, ctx)
    assert observation.outcome == "error"
    assert "RuntimeError" in observation.detail
