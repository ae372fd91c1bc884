"""Simulated socket-module surfaces of other platforms, built from the catalog's header tables.

Only attribute presence and values matter to the catalog; the ``socket`` callable is supplied per
test when a probe runs against the surface.
"""

from __future__ import annotations

import errno
import types
from collections.abc import Callable, Iterable
from typing import Any

from sockcompat.catalog.platforms import FAMILIES, IP_PROTOCOLS, TYPES

#: Families CPython names on Windows (no AF_UNIX: python/cpython#77589).
WINDOWS_PYTHON_FAMILIES = ("AF_UNSPEC", "AF_INET", "AF_INET6", "AF_APPLETALK", "AF_DECnet", "AF_IPX",
                           "AF_IRDA", "AF_SNA", "AF_LINK", "AF_BLUETOOTH", "AF_HYPERV")
#: macOS CPython: no SOCK_SEQPACKET support in the kernel, but the constant exists.
DARWIN_PYTHON_FAMILIES = ("AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_INET6", "AF_APPLETALK", "AF_DECnet",
                          "AF_IPX", "AF_ROUTE", "AF_LINK", "AF_SNA", "AF_SYSTEM")


def surface(
    platform: str,
    families: Iterable[str] | None = None,
    extra: dict[str, int] | None = None,
    socket_factory: Callable[..., Any] | None = None,
) -> types.SimpleNamespace:
    """A fake socket module for ``platform`` naming ``families`` (default: every family in its
    table), every type and IPPROTO_* in its tables, plus ``extra`` names."""
    family_table = FAMILIES[platform]
    names: dict[str, Any] = {n: family_table[n] for n in (families or family_table)}
    names.update(TYPES[platform])
    names.update(IP_PROTOCOLS[platform])
    names.update({"SOL_SOCKET": 1 if platform == "linux" else 0xFFFF,
                  "SO_TYPE": 3 if platform == "linux" else 0x1008})
    names.update(extra or {})
    if socket_factory is not None:
        names["socket"] = socket_factory
    return types.SimpleNamespace(**names)


class WindowsOSError(OSError):
    def __init__(self, errno_value: int, winerror: int) -> None:
        super().__init__(errno_value, "simulated Winsock error")
        self.winerror = winerror


class FakeSocket:
    def __init__(self, so_type: int) -> None:
        self.so_type = so_type
        self.closed = False

    def getsockopt(self, level: int, option: int) -> int:
        return self.so_type

    def close(self) -> None:
        self.closed = True


def factory(answer: Callable[[int, int, int], BaseException | None]) -> Callable[..., Any]:
    def make(family: int, type_: int, proto: int) -> FakeSocket:
        error = answer(family, type_, proto)
        if error is not None:
            raise error
        return FakeSocket(type_)
    return make


def windows(family: int, type_: int, proto: int) -> BaseException | None:
    """Winsock: raw needs admin (WSAEACCES at socket()); AF_UNIX stream only (1803+)."""
    if family == 1 and type_ != 1:
        return WindowsOSError(10044, 10044)
    if family not in (1, 2, 23):
        return WindowsOSError(10047, 10047)
    if type_ == 3:
        return WindowsOSError(13, 10013)
    if type_ == 2 and proto in (1, 58):  # no ICMP datagram sockets
        return WindowsOSError(10043, 10043)
    if (type_, proto) in ((1, 17), (2, 6)):  # UDP is no stream protocol, TCP no datagram one
        return WindowsOSError(10043, 10043)
    return None


def darwin(family: int, type_: int, proto: int) -> BaseException | None:
    """xnu: AF_UNIX has no SOCK_SEQPACKET protosw (EPROTONOSUPPORT, where Linux says ESOCKTNOSUPPORT)."""
    if family == 1 and type_ == 5:
        return OSError(errno.EPROTONOSUPPORT, "Protocol not supported")
    if family not in (1, 2, 30):
        return OSError(errno.EAFNOSUPPORT, "Address family not supported")
    if type_ == 4:  # no domain has a SOCK_RDM protosw
        return OSError(errno.EPROTONOSUPPORT, "Protocol not supported")
    if family != 1 and (type_, proto) in ((1, 17), (2, 6)):  # the protocol exists, for another type
        return OSError(errno.EPROTOTYPE, "Protocol wrong type for socket")
    if type_ == 3:  # raw IP: rip_attach wants the superuser; the simulated user is not
        return OSError(errno.EPERM, "Operation not permitted")
    return None


def freebsd(family: int, type_: int, proto: int) -> BaseException | None:
    """FreeBSD: unknown types are EPROTOTYPE; no unprivileged ICMP datagram sockets (EPROTONOSUPPORT)."""
    if family not in (1, 2, 28):
        return OSError(errno.EAFNOSUPPORT, "Address family not supported by protocol family")
    if type_ == 4:
        return OSError(errno.EPROTOTYPE, "Protocol wrong type for socket")
    if (type_ == 2 and proto in (1, 58)) or (family != 1 and (type_, proto) in ((1, 17), (2, 6))):
        return OSError(errno.EPROTONOSUPPORT, "Protocol not supported")
    if type_ == 3:  # raw IP for the superuser only; the simulated user is not
        return OSError(errno.EPERM, "Operation not permitted")
    return None
