"""AF_UNIX on Windows, two layers: ws2_32 by number (a fake Winsock here) and Python's socket
module (a Windows-like surface: no AF_UNIX constant, bind fails "bad family")."""

from __future__ import annotations

import ctypes
import errno
import sys
import types
from typing import Any

import pytest

from sockcompat.catalog import unix as catalog
from sockcompat.host.privilege import Privilege
from sockcompat.probes import unix, unix_windows
from sockcompat.probes.context import ProbeContext

from .surfaces import WINDOWS_PYTHON_FAMILIES, surface

USER = Privilege(superuser=False, label="user")
WSAEINVAL = 10022


class FakeWinsock:
    """ws2_32 with in-memory sockets; ``fail`` maps a call name to the WSA code it fails with."""

    def __init__(self, fail: dict[str, int] | None = None) -> None:
        self.fail = fail or {}
        self.last_error = 0
        self.next_handle = 100
        self.open: set[int] = set()
        self.bound_paths: list[bytes] = []
        self.queue = b""

    def _result(self, name: str, ok: int, failure: int) -> int:
        if name in self.fail:
            self.last_error = self.fail[name]
            return failure
        return ok

    def _handle(self, name: str) -> int:
        return self._result(name, 0, unix_windows.INVALID_SOCKET) or self._new()

    def _new(self) -> int:
        self.next_handle += 1
        self.open.add(self.next_handle)
        return self.next_handle

    def socket(self, af: int, type_: int, protocol: int) -> int:
        assert (af, type_, protocol) == (1, 1, 0)
        return self._handle("socket")

    def bind(self, s: int, addr: Any, namelen: int) -> int:
        address = ctypes.cast(addr, ctypes.POINTER(unix_windows.SockaddrUn)).contents
        assert address.sun_family == 1 and namelen == ctypes.sizeof(unix_windows.SockaddrUn)
        self.bound_paths.append(address.sun_path)
        return self._result("bind", 0, unix_windows.SOCKET_ERROR)

    def listen(self, s: int, backlog: int) -> int:
        return self._result("listen", 0, unix_windows.SOCKET_ERROR)

    def connect(self, s: int, addr: Any, namelen: int) -> int:
        return self._result("connect", 0, unix_windows.SOCKET_ERROR)

    def accept(self, s: int, addr: Any, addrlen: Any) -> int:
        return self._handle("accept")

    def send(self, s: int, buf: bytes, length: int, flags: int) -> int:
        self.queue += buf[:length]
        return self._result("send", length, unix_windows.SOCKET_ERROR)

    def recv(self, s: int, buf: Any, length: int, flags: int) -> int:
        data, self.queue = self.queue[:length], self.queue[length:]
        ctypes.memmove(buf, data, len(data))
        return self._result("recv", len(data), unix_windows.SOCKET_ERROR)

    def closesocket(self, s: int) -> int:
        self.open.discard(s)
        return 0

    def WSAGetLastError(self) -> int:
        return self.last_error


def windows_ctx(fake_surface: Any = None) -> ProbeContext:
    return ProbeContext(platform="win32", privilege=USER, deadline_s=2.0,
                        surface=fake_surface or surface("win32", WINDOWS_PYTHON_FAMILIES))


def test_os_layer_round_trip() -> None:
    api = FakeWinsock()
    observations = unix_windows.os_layer(windows_ctx(), api)
    assert [(o.step, o.outcome) for o in observations] == [(s, "supported") for s in catalog.LAYER_STEPS]
    assert observations[0].family_num == 1 and observations[0].python_constant is False
    assert not api.open, "every handle closed"
    assert api.bound_paths and api.bound_paths[0].endswith(b"w")


@pytest.mark.parametrize(("call", "failed_step"), [("bind", "bind"), ("connect", "connect"),
                                                   ("socket", "create")])
def test_os_layer_refusal_keeps_the_winsock_code(call: str, failed_step: str) -> None:
    api = FakeWinsock({call: WSAEINVAL})
    observations = {o.step: o for o in unix_windows.os_layer(windows_ctx(), api)}
    failed = observations[failed_step]
    assert (failed.outcome, failed.errno, failed.winerror) == ("unsupported", "EINVAL", WSAEINVAL)
    assert observations["close"].outcome == "not-reached"
    assert not api.open


def test_os_layer_is_not_applicable_off_windows() -> None:
    ctx = ProbeContext(platform="linux", privilege=USER, deadline_s=2.0)
    if unix_windows.ws2_32() is not None:
        pytest.skip("this is Windows")
    [observation] = unix_windows.os_layer(ctx)
    assert observation.outcome == "not-applicable"


def test_sockaddr_refuses_a_path_that_does_not_fit() -> None:
    with pytest.raises(ValueError, match="sun_path"):
        unix_windows.sockaddr("p" * 108)
    assert unix_windows.sockaddr("p" * 107).sun_path == b"p" * 107


class BadFamilySocket:
    """CPython on Windows: socket(1, SOCK_STREAM) constructs; bind() has no AF_UNIX conversion."""

    def settimeout(self, seconds: float) -> None:
        pass

    def bind(self, address: Any) -> None:
        raise OSError("bind(): bad family")

    def close(self) -> None:
        pass

    def shutdown(self, how: int) -> None:
        pass


def test_python_layer_on_windows_cpython() -> None:
    fake = surface("win32", WINDOWS_PYTHON_FAMILIES, socket_factory=lambda *a: BadFamilySocket())
    observations = {o.step: o for o in unix.python_layer(windows_ctx(fake))}
    assert observations["create"].outcome == "supported"
    assert observations["create"].python_constant is False
    bind = observations["bind"]
    assert (bind.outcome, bind.errno, bind.layer, bind.detail) == (
        "unsupported", None, "python", "bind(): bad family")
    assert observations["accept"].outcome == "not-reached"


def test_longest_path_search_finds_the_limit() -> None:
    limit = 90

    class Limited:
        def __init__(self, *args: int) -> None:
            pass

        def bind(self, path: str) -> None:
            if len(path.encode()) > limit:
                raise OSError("AF_UNIX path too long")

        def close(self) -> None:
            pass

    fake = types.SimpleNamespace(AF_UNIX=1, SOCK_STREAM=1, socket=Limited)
    ctx = ProbeContext(platform="linux", privilege=USER, deadline_s=2.0, surface=fake)
    observation = unix.longest_path(ctx)
    assert (observation.step, observation.outcome, observation.value) == ("bind", "supported", limit)
    assert observation.detail == f"{limit + 1} bytes: python refused: AF_UNIX path too long"


def test_longest_path_when_nothing_binds_is_the_refusal() -> None:
    class Refusing:
        def __init__(self, *args: int) -> None:
            pass

        def bind(self, path: str) -> None:
            raise PermissionError(errno.EACCES, "Permission denied")

        def close(self) -> None:
            pass

    fake = types.SimpleNamespace(AF_UNIX=1, SOCK_STREAM=1, socket=Refusing)
    ctx = ProbeContext(platform="linux", privilege=Privilege(superuser=True, label="root", uid=0),
                       deadline_s=2.0, surface=fake)
    observation = unix.longest_path(ctx)
    assert (observation.outcome, observation.errno, observation.value) == ("blocked", "EACCES", None)


def test_scm_rights_without_send_fds_is_no_constant() -> None:
    observations = unix.scm_rights("SOCK_STREAM", windows_ctx())
    assert (observations[0].step, observations[0].outcome) == ("socketpair", "no-constant")
    assert [o.step for o in observations] == list(catalog.SCM_RIGHTS_STEPS)


@pytest.mark.parametrize(("mechanism", "platform", "says"), [
    ("LOCAL_PEERCRED", "linux", "neither Python nor the linux headers define LOCAL_PEERCRED"),
    ("SO_PEERCRED", "darwin", "neither Python nor the darwin headers define SO_PEERCRED"),
])
def test_peer_credentials_not_offered(mechanism: str, platform: str, says: str) -> None:
    row = next(m for m in catalog.PEER_CREDENTIALS if m.name == mechanism)
    fake = types.SimpleNamespace(**vars(surface(platform)), socketpair=lambda *a: None)
    ctx = ProbeContext(platform=platform, privilege=USER, deadline_s=2.0, surface=fake)
    observations = unix.peer_credentials(row, ctx)
    assert (observations[0].outcome, observations[0].detail) == ("no-constant", says)


def test_credentials_are_compared_not_recorded() -> None:
    import os
    import struct

    raw = struct.pack("3i", os.getpid(), *unix.own_ids())
    assert unix.ucred_matches(raw) == {"pid_matches": True, "uid_matches": True, "gid_matches": True}
    assert unix.ucred_matches(struct.pack("3i", 1, 12345, 12345))["pid_matches"] is (os.getpid() == 1)


@pytest.mark.skipif(sys.platform != "linux", reason="Linux takes a 108-byte sun_path, CPython 107")
def test_longest_path_is_the_kernels_and_names_pythons_limit() -> None:
    observation = unix.longest_path(ProbeContext.for_this_host())
    assert (observation.outcome, observation.value) == ("supported", catalog.SUN_PATH["linux"])
    assert observation.detail.startswith(f"{catalog.SUN_PATH['linux'] + 1} bytes: ")
