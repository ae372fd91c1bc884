"""The OS layer of AF_UNIX on Windows: ws2_32 called by number through ctypes, beside Python's
socket module (``unix.python_layer``), so a report tells "Windows refuses" from "CPython cannot
say it". Windows 10 1803+ has AF_UNIX SOCK_STREAM; released CPython has no AF_UNIX constant and
its bind() has no AF_UNIX address conversion (python/cpython#77589).

The ws2_32 calls sit behind ``Winsock``, a small interface a fake can stand in for, so the
sequence logic is tested on any OS; only ``ws2_32()`` touches Windows.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from typing import Any, Protocol

from sockcompat.catalog import unix as catalog
from sockcompat.observation import Observation
from sockcompat.probes.context import ProbeContext
from sockcompat.probes.fields import named
from sockcompat.probes.steps import Mismatch, Steps, pair_of, private_dir

AF_UNIX_NUMBER = 1  # ws2def.h / afunix.h
SOCK_STREAM_NUMBER = 1
INVALID_SOCKET = ~0 & 0xFFFFFFFFFFFFFFFF
SOCKET_ERROR = -1
SUN_PATH = catalog.SUN_PATH["win32"]


class SockaddrUn(ctypes.Structure):
    """afunix.h: struct sockaddr_un { ADDRESS_FAMILY sun_family; char sun_path[108]; }."""

    _fields_ = (("sun_family", ctypes.c_ushort), ("sun_path", ctypes.c_char * SUN_PATH))


class Winsock(Protocol):
    """The ws2_32 functions the sequence needs (their C signatures, SOCKET as int)."""

    def socket(self, af: int, type_: int, protocol: int) -> int: ...
    def bind(self, s: int, addr: Any, namelen: int) -> int: ...
    def listen(self, s: int, backlog: int) -> int: ...
    def connect(self, s: int, addr: Any, namelen: int) -> int: ...
    def accept(self, s: int, addr: Any, addrlen: Any) -> int: ...
    def send(self, s: int, buf: bytes, length: int, flags: int) -> int: ...
    def recv(self, s: int, buf: Any, length: int, flags: int) -> int: ...
    def closesocket(self, s: int) -> int: ...
    def WSAGetLastError(self) -> int: ...


class WinsockError(OSError):
    """A ws2_32 call failed; ``winerror`` carries the WSA code classify names."""

    def __init__(self, call: str, code: int) -> None:
        super().__init__(None, f"{call}: Winsock error {code}")
        self.winerror = code


def ws2_32() -> Winsock | None:
    """The real ws2_32 (Python's socket module has already called WSAStartup), or None off Windows."""
    if sys.platform == "win32":
        dll: Any = ctypes.WinDLL("ws2_32")
        dll.socket.restype = ctypes.c_size_t
        dll.accept.restype = ctypes.c_size_t
        for name in ("bind", "listen", "connect", "accept", "send", "recv", "closesocket"):
            getattr(dll, name).argtypes = None
        return dll  # type: ignore[no-any-return]
    return None


def sockaddr(path: str) -> SockaddrUn:
    encoded = os.fsencode(path)
    if len(encoded) >= SUN_PATH:
        raise ValueError(f"path of {len(encoded)} bytes does not fit sun_path[{SUN_PATH}]")
    return SockaddrUn(AF_UNIX_NUMBER, encoded)


class Calls:
    """ws2_32 calls that raise WinsockError instead of returning an error value."""

    def __init__(self, api: Winsock) -> None:
        self.api = api
        self.opened: list[int] = []

    def check(self, call: str, result: int, failure: int) -> int:
        if result == failure:
            raise WinsockError(call, self.api.WSAGetLastError())
        return result

    def socket(self) -> int:
        handle = self.check("socket", self.api.socket(AF_UNIX_NUMBER, SOCK_STREAM_NUMBER, 0), INVALID_SOCKET)
        self.opened.append(handle)
        return handle

    def bind(self, handle: int, path: str) -> None:
        address = sockaddr(path)
        self.check("bind", self.api.bind(handle, ctypes.byref(address), ctypes.sizeof(address)), SOCKET_ERROR)

    def listen(self, handle: int) -> None:
        self.check("listen", self.api.listen(handle, 1), SOCKET_ERROR)

    def connect(self, handle: int, path: str) -> None:
        address = sockaddr(path)
        self.check("connect", self.api.connect(handle, ctypes.byref(address), ctypes.sizeof(address)),
                   SOCKET_ERROR)

    def accept(self, handle: int) -> int:
        conn = self.check("accept", self.api.accept(handle, None, None), INVALID_SOCKET)
        self.opened.append(conn)
        return conn

    def send(self, handle: int, data: bytes) -> int:
        return self.check("send", self.api.send(handle, data, len(data), 0), SOCKET_ERROR)

    def recv(self, handle: int, size: int) -> bytes:
        buffer = ctypes.create_string_buffer(size)
        count = self.check("recv", self.api.recv(handle, buffer, size, 0), SOCKET_ERROR)
        return buffer.raw[:count]

    def close_all(self) -> None:
        while self.opened:
            self.check("closesocket", self.api.closesocket(self.opened.pop()), SOCKET_ERROR)


def os_layer(ctx: ProbeContext, api: Winsock | None = None) -> list[Observation]:
    """The AF_UNIX stream sequence straight against ws2_32; off Windows, not applicable."""
    fields = named(catalog.OS_LAYER_ID, catalog.AREA, ctx.surface, ctx.platform, "AF_UNIX", "SOCK_STREAM")
    fields.update(family_num=AF_UNIX_NUMBER, type_num=SOCK_STREAM_NUMBER)
    api = api if api is not None else ws2_32()
    if api is None:
        return [Observation(**fields, step="create", outcome="not-applicable",
                            detail="Python's socket module calls the OS directly here: "
                                   "the transfer/AF_UNIX rows are the OS's answer")]
    steps = Steps(ctx, fields)
    calls = Calls(api)
    with private_dir() as workdir:
        path = os.path.join(workdir, "w")
        try:
            server, client = pair_of(steps.run("create", lambda: (calls.socket(), calls.socket())))
            steps.run("bind", lambda: calls.bind(server, path))
            steps.run("listen", lambda: calls.listen(server))
            steps.run("connect", lambda: calls.connect(client, path))
            conn = steps.run("accept", lambda: calls.accept(server))
            steps.run("send", lambda: calls.send(client, b"layer"), value=lambda n: n)
            steps.run("recv", lambda: expect(calls.recv(conn, 16)))
        finally:
            if steps.ok:
                steps.run("close", calls.close_all)
            else:
                steps.not_reached("close")
                with contextlib.suppress(OSError):
                    calls.close_all()
    steps.rest_not_reached(catalog.LAYER_STEPS)
    return steps.observations


def expect(got: bytes) -> None:
    if got != b"layer":
        raise Mismatch(f"received {got!r}")
