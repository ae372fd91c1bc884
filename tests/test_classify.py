"""classify: errno tables, Winsock mapping, and the privilege judgement — table-driven."""

from __future__ import annotations

import errno
import socket
from typing import NamedTuple

import pytest

from sockcompat.catalog.errnos import WINSOCK_ERRORS, canonical_name
from sockcompat.catalog.requirements import Requirement, requirement_for
from sockcompat.classify import Call, classify, errno_of
from sockcompat.errors import DeadlineExceeded
from sockcompat.host.privilege import Privilege

ROOT = Privilege(superuser=True, label="root", uid=0,
                 capabilities=frozenset({"CAP_NET_RAW", "CAP_NET_ADMIN"}))
ROOT_WITHOUT_NET_RAW = Privilege(superuser=True, label="root", uid=0,
                                 capabilities=frozenset({"CAP_NET_ADMIN"}))
USER = Privilege(superuser=False, label="user", uid=65534, capabilities=frozenset())
ADMIN = Privilege(superuser=True, label="admin")
WINDOWS_USER = Privilege(superuser=False, label="user")

RAW = requirement_for("linux", "AF_INET", "SOCK_RAW", "IPPROTO_ICMP")
PING = requirement_for("linux", "AF_INET", "SOCK_DGRAM", "IPPROTO_ICMP")
WINDOWS_RAW = requirement_for("win32", "AF_INET", "SOCK_RAW", "IPPROTO_TCP")


class WindowsOSError(OSError):
    """OSError as CPython raises it on Windows: errno from PC/errmap.h, winerror the WSA code."""

    def __init__(self, errno_value: int, winerror: int, message: str) -> None:
        super().__init__(errno_value, message)
        self.winerror = winerror


def oserror(name: str) -> OSError:
    number = getattr(errno, name)
    return OSError(number, f"{name} text")


class Row(NamedTuple):
    exc: BaseException
    privilege: Privilege
    requirement: Requirement | None
    outcome: str
    errno: str | None


ROWS = {
    "no family": Row(oserror("EAFNOSUPPORT"), ROOT, None, "unsupported", "EAFNOSUPPORT"),
    "no type": Row(oserror("ESOCKTNOSUPPORT"), ROOT, None, "unsupported", "ESOCKTNOSUPPORT"),
    "no protocol": Row(oserror("EPROTONOSUPPORT"), USER, None, "unsupported", "EPROTONOSUPPORT"),
    "ENOTSUP is EOPNOTSUPP": Row(oserror("ENOTSUP"), ROOT, None, "unsupported", "EOPNOTSUPP"),
    "EINVAL kept": Row(oserror("EINVAL"), ROOT, None, "unsupported", "EINVAL"),
    "no device": Row(oserror("ENODEV"), ROOT, None, "unavailable", "ENODEV"),
    "fd limit": Row(oserror("EMFILE"), USER, None, "unavailable", "EMFILE"),
    "raw as user": Row(oserror("EPERM"), USER, RAW, "needs-privilege", "EPERM"),
    "raw as root": Row(oserror("EPERM"), ROOT, RAW, "blocked", "EPERM"),
    "raw as root lacking CAP_NET_RAW": Row(oserror("EPERM"), ROOT_WITHOUT_NET_RAW, RAW,
                                           "needs-privilege", "EPERM"),
    "EPERM as root, nothing required": Row(oserror("EPERM"), ROOT, None, "blocked", "EPERM"),
    "EPERM as user, nothing documented": Row(oserror("EPERM"), USER, None, "blocked", "EPERM"),
    "EACCES as user, nothing documented": Row(oserror("EACCES"), USER, None, "blocked", "EACCES"),
    "ping sysctl as root": Row(oserror("EACCES"), ROOT, PING, "unavailable", "EACCES"),
    "ping sysctl as user": Row(oserror("EACCES"), USER, PING, "unavailable", "EACCES"),
    "deadline": Row(DeadlineExceeded("slow"), ROOT, None, "timeout", "ETIMEDOUT"),
    "socket timeout": Row(socket.timeout("timed out"), ROOT, None, "timeout", "ETIMEDOUT"),
    "python refuses (no errno)": Row(OSError("AF_UNIX path too long"), ROOT, None, "unsupported", None),
    "python refuses arguments": Row(ValueError("bad"), ROOT, None, "unsupported", None),
    "python refuses a number": Row(OverflowError("too big"), USER, None, "unsupported", None),
    "python refuses a type (a probe bug)": Row(TypeError("an integer is required"), ROOT, None,
                                               "error", None),
    "linux internal ENOTSUPP": Row(OSError(524, "Unknown error 524"), ROOT, None, "unsupported", "ENOTSUPP"),
    "unknown errno": Row(oserror("ENOTBLK"), ROOT, None, "error", "ENOTBLK"),
    "probe bug": Row(KeyError("x"), ROOT, None, "error", None),
    "windows raw as user": Row(WindowsOSError(13, 10013, "access"), WINDOWS_USER, WINDOWS_RAW,
                               "needs-privilege", "EACCES"),
    "windows raw as admin": Row(WindowsOSError(13, 10013, "access"), ADMIN, WINDOWS_RAW, "blocked", "EACCES"),
    "windows no family": Row(WindowsOSError(10047, 10047, "family"), ADMIN, None,
                             "unsupported", "EAFNOSUPPORT"),
    "windows bad type": Row(WindowsOSError(10044, 10044, "type"), ADMIN, None,
                            "unsupported", "ESOCKTNOSUPPORT"),
    "windows raw tcp send": Row(WindowsOSError(22, 10022, "invalid"), ADMIN, None, "unsupported", "EINVAL"),
}


@pytest.mark.parametrize("row", ROWS.values(), ids=list(ROWS))
def test_classify(row: Row) -> None:
    got = classify(row.exc, privilege=row.privilege, requirement=row.requirement)
    assert (got.outcome, got.errno) == (row.outcome, row.errno), got.detail


class Judged(NamedTuple):
    """Who refused, and the requirement the verdict names (``Observation.layer``/``requirement``)."""

    exc: BaseException
    privilege: Privilege
    requirement: Requirement | None
    layer: str | None
    judged_against: dict[str, str] | None


RAW_RULE = {"kind": "capability", "name": "CAP_NET_RAW", "source": "man7 raw(7); net/ipv4/af_inet.c"}
PING_RULE = {"kind": "sysctl", "name": "net.ipv4.ping_group_range",
             "source": "net/ipv4/ping.c ping_init_sock"}
WINDOWS_RULE = {"kind": "admin", "name": "admin",
                "source": "learn.microsoft.com/windows/win32/winsock/tcp-ip-raw-sockets-2"}
JUDGED = {
    "kernel refusal": Judged(oserror("EAFNOSUPPORT"), ROOT, None, "os", None),
    "a 108-byte AF_UNIX path (Linux takes it)": Judged(OSError("AF_UNIX path too long"), ROOT, None,
                                                       "python", None),
    "Windows CPython's AF_UNIX bind": Judged(OSError("bind(): bad family"), USER, None, "python", None),
    "VSOCK getsockopt with a buffer": Judged(OSError("getsockopt string buffer not allowed"), ROOT, None,
                                             "python", None),
    "argument out of range": Judged(ValueError("negative buffersize in recv"), ROOT, None, "python", None),
    "timeout: nobody refused": Judged(DeadlineExceeded("slow"), ROOT, None, None, None),
    "raw as user": Judged(oserror("EPERM"), USER, RAW, "os", RAW_RULE),
    "raw as root": Judged(oserror("EPERM"), ROOT, RAW, "os", RAW_RULE),
    "ping sysctl": Judged(oserror("EACCES"), USER, PING, "os", PING_RULE),
    "windows raw": Judged(WindowsOSError(13, 10013, "access"), WINDOWS_USER, WINDOWS_RAW, "os", WINDOWS_RULE),
    "no rule consulted": Judged(oserror("EPERM"), USER, None, "os", None),
    "a rule is not named when the errno is not a refusal": Judged(oserror("EINVAL"), USER, RAW, "os", None),
}


@pytest.mark.parametrize("row", JUDGED.values(), ids=list(JUDGED))
def test_layer_and_requirement(row: Judged) -> None:
    got = classify(row.exc, privilege=row.privilege, requirement=row.requirement)
    assert (got.layer, got.requirement) == (row.layer, row.judged_against)


class AtStep(NamedTuple):
    call: Call
    errno: str
    outcome: str
    sysctl: str | None


AT_STEP = {
    "netlink protocol without a kernel listener": AtStep(
        Call("linux", "AF_NETLINK", "NETLINK_FIB_LOOKUP", "sendto"), "ECONNREFUSED", "unavailable", None),
    "TCP connect refused stays unsupported": AtStep(
        Call("linux", "AF_INET", "IPPROTO_TCP", "connect"), "ECONNREFUSED", "unsupported", None),
    "MPTCP switched off": AtStep(Call("linux", "AF_INET", "IPPROTO_MPTCP", "create"), "ENOPROTOOPT",
                                 "unavailable", "net.mptcp.enabled"),
    "ENOPROTOOPT elsewhere": AtStep(
        Call("linux", "AF_INET", "IPPROTO_TCP", "set"), "ENOPROTOOPT", "unsupported", None),
}


@pytest.mark.parametrize("row", AT_STEP.values(), ids=list(AT_STEP))
def test_errno_meaning_depends_on_the_step(row: AtStep) -> None:
    got = classify(oserror(row.errno), privilege=USER, call=row.call)
    assert (got.outcome, got.errno) == (row.outcome, row.errno)
    assert got.requirement == (None if row.sysctl is None else {
        "kind": "sysctl", "name": row.sysctl, "source": "net/mptcp/protocol.c mptcp_init_sock"})


def test_winerror_is_kept() -> None:
    got = classify(WindowsOSError(13, 10013, "access"), privilege=ADMIN, requirement=WINDOWS_RAW)
    assert got.winerror == 10013


def test_privilege_detail_names_the_requirement() -> None:
    got = classify(oserror("EPERM"), privilege=USER, requirement=RAW)
    assert "CAP_NET_RAW" in got.detail


def test_windows_errno_names_resolve_without_winerror() -> None:
    """On Windows the errno module spells EAFNOSUPPORT as 10047 (and WSAEAFNOSUPPORT too)."""
    windows_names = {"EAFNOSUPPORT": 10047, "WSAEAFNOSUPPORT": 10047, "ENOTSUP": 129, "EOPNOTSUPP": 10045}
    assert errno_of(OSError(10047, "x"), windows_names) == ("EAFNOSUPPORT", None)


@pytest.mark.parametrize(
    ("names", "number", "expected"),
    [
        ({"ENOTSUP": 95, "EOPNOTSUPP": 95}, 95, "EOPNOTSUPP"),
        ({"EWOULDBLOCK": 11, "EAGAIN": 11}, 11, "EAGAIN"),
        ({"EDEADLOCK": 35, "EDEADLK": 35}, 35, "EDEADLK"),
        ({"WSAEACCES": 10013}, 10013, "WSAEACCES"),
        ({}, 777, "errno777"),
    ],
)
def test_canonical_name(names: dict[str, int], number: int, expected: str) -> None:
    assert canonical_name(number, names) == expected


def test_every_winsock_name_is_posix_or_wsa() -> None:
    assert all(name.startswith(("E", "WSA")) for name in WINSOCK_ERRORS.values())
    assert WINSOCK_ERRORS[10045] == "EOPNOTSUPP"


#: A refusal no documented requirement explains: what might refuse, in the OS's own words.
POLICY_REFUSALS = [
    ("win32", ADMIN, WindowsOSError(13, 10013, "access"), "firewall or security software", "seccomp"),
    ("linux", ROOT, OSError(errno.EPERM, "denied"), "policy (seccomp, LSM, sandbox)", "firewall"),
    ("freebsd", Privilege(superuser=True, label="root", uid=0), OSError(errno.EACCES, "denied"), "jail",
     "seccomp"),
]


@pytest.mark.parametrize(("platform", "who", "error", "said", "not_said"), POLICY_REFUSALS)
def test_policy_refusals_are_explained_in_the_platforms_words(platform: str, who: Privilege, error: OSError,
                                                              said: str, not_said: str) -> None:
    got = classify(error, privilege=who, platform=platform)
    assert got.outcome == "blocked"
    assert said in got.detail and not_said not in got.detail
