"""classify: errno tables, Winsock mapping, and the privilege judgement — table-driven."""

from __future__ import annotations

import errno
import socket
from typing import NamedTuple

import pytest

from sockcompat.catalog.errnos import WINSOCK_ERRORS, canonical_name
from sockcompat.catalog.requirements import Requirement, requirement_for
from sockcompat.classify import classify, errno_of
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
    "EPERM as user, nothing documented": Row(oserror("EPERM"), USER, None, "needs-privilege", "EPERM"),
    "ping sysctl as root": Row(oserror("EACCES"), ROOT, PING, "unavailable", "EACCES"),
    "ping sysctl as user": Row(oserror("EACCES"), USER, PING, "unavailable", "EACCES"),
    "deadline": Row(DeadlineExceeded("slow"), ROOT, None, "timeout", "ETIMEDOUT"),
    "socket timeout": Row(socket.timeout("timed out"), ROOT, None, "timeout", "ETIMEDOUT"),
    "python refuses (no errno)": Row(OSError("AF_UNIX path too long"), ROOT, None, "unsupported", None),
    "python refuses arguments": Row(ValueError("bad"), ROOT, None, "unsupported", None),
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
