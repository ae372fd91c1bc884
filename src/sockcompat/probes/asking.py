"""Ask the kernel first, then wait: a socket whose calls are tried at once and wait for readiness
only after the OS said "would block".

A socket with a timeout makes CPython poll for readiness *before* accept()/recv(), so a kernel
that refuses at once (UDP accept(), SCTP one-to-many accept(): EOPNOTSUPP) is recorded as a
timeout. ``Asking`` keeps the descriptor non-blocking, makes each call immediately, and waits
(poll; select on Windows) only after EAGAIN/EWOULDBLOCK/EINPROGRESS, at most its
``wait_s``; the step deadline stays the guard above it. ``settimeout``/``setblocking`` behave as
on a plain socket, so a probe may still ask for blocking or non-blocking semantics on purpose.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sockcompat.catalog.option_values import int_result
from sockcompat.errors import DeadlineExceeded

T = TypeVar("T")

#: The answers that mean "not yet" (Windows: WSAEWOULDBLOCK, WSAEINPROGRESS, WSAEALREADY).
WOULD_BLOCK = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EINPROGRESS, errno.EALREADY,
                         10035, 10036, 10037})
#: MSG_DONTWAIT where the OS has it (not Windows).
DONTWAIT: int = getattr(socket, "MSG_DONTWAIT", 0)
#: Between two connect() attempts to a full AF_UNIX backlog (nothing to poll for).
RETRY_PAUSE_S = 0.01


class Asking:
    """A socket (or anything with its methods) whose I/O calls ask first and wait after."""

    def __init__(self, sock: Any, wait_s: float) -> None:
        self.sock = sock
        self.wait_s: float | None = None
        self.settimeout(wait_s)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)

    def settimeout(self, value: float | None) -> None:
        """None: blocking; 0: non-blocking, no waiting; more: ask first, then wait that long."""
        self.wait_s = value
        self.sock.setblocking(value is None)

    def setblocking(self, flag: bool) -> None:
        self.settimeout(None if flag else 0.0)

    def gettimeout(self) -> float | None:
        return self.wait_s

    def accept(self) -> Any:
        return self._ask("accept", self.sock.accept, writing=False)

    def recv(self, size: int, flags: int = 0) -> Any:
        return self._ask("recv", lambda: self.sock.recv(size, flags), writing=False, flags=flags)

    def recv_into(self, buffer: Any, size: int = 0, flags: int = 0) -> Any:
        return self._ask("recv_into", lambda: self.sock.recv_into(buffer, size, flags), writing=False,
                         flags=flags)

    def recvfrom(self, size: int, flags: int = 0) -> Any:
        return self._ask("recvfrom", lambda: self.sock.recvfrom(size, flags), writing=False, flags=flags)

    def recvmsg(self, *args: Any) -> Any:
        return self._ask("recvmsg", lambda: self.sock.recvmsg(*args), writing=False)

    def send(self, data: Any, flags: int = 0) -> Any:
        return self._ask("send", lambda: self.sock.send(data, flags), writing=True, flags=flags)

    def sendto(self, data: Any, *args: Any) -> Any:
        return self._ask("sendto", lambda: self.sock.sendto(data, *args), writing=True)

    def sendmsg(self, *args: Any) -> Any:
        return self._ask("sendmsg", lambda: self.sock.sendmsg(*args), writing=True)

    def sendall(self, data: Any, flags: int = 0) -> None:
        view = memoryview(data).cast("B")
        while view:
            view = view[self.send(view, flags):]

    def connect(self, address: Any) -> None:
        """connect(2) at once; "in progress" waits for writability and reads SO_ERROR (its result).
        Linux AF_UNIX says EAGAIN when the listener's backlog is full: that is asked again."""
        if not self._waits():
            self.sock.connect(address)
            return
        end = time.monotonic() + (self.wait_s or 0.0)
        code = self.sock.connect_ex(address)
        while code == errno.EAGAIN:
            if time.monotonic() >= end:
                raise DeadlineExceeded("connect: the listener's queue stayed full")
            time.sleep(RETRY_PAUSE_S)
            code = self.sock.connect_ex(address)
        if code in WOULD_BLOCK:
            wait_until(self.sock, True, end, "connect")
            raw = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            code = int_result(raw, getattr(self.sock.family, "name", ""))
        if code not in (0, errno.EISCONN):
            raise OSError(code, os.strerror(code))

    def _waits(self) -> bool:
        return self.wait_s is not None and self.wait_s > 0

    def _ask(self, name: str, call: Callable[[], T], *, writing: bool, flags: int = 0) -> T:
        """``call`` at once; after "would block", wait and ask again until ``wait_s`` is spent.
        A call that asked not to wait (MSG_DONTWAIT in ``flags``) gets the kernel's first answer."""
        if not self._waits() or flags & DONTWAIT:
            return call()
        end = time.monotonic() + (self.wait_s or 0.0)
        while True:
            try:
                return call()
            except OSError as exc:
                if exc.errno not in WOULD_BLOCK:
                    raise
            wait_until(self.sock, writing, end, name)


def wait_until(sock: Any, writing: bool, end: float, what: str) -> None:
    """Wait until ``sock`` is ready (or in error); DeadlineExceeded when the monotonic time ``end``
    passes first. poll() but on Windows: select() cannot watch a descriptor past FD_SETSIZE."""
    remaining = end - time.monotonic()
    if remaining > 0:
        if sys.platform == "win32":
            watched = [sock]
            ready = any(select.select([] if writing else watched, watched if writing else [], watched,
                                      remaining))
        else:
            poller = select.poll()
            poller.register(sock, select.POLLOUT if writing else select.POLLIN)
            ready = bool(poller.poll(remaining * 1000))
        if ready:
            return
    raise DeadlineExceeded(f"{what}: would block, and no answer came within the wait")


def asking(sock: Any, wait_s: float) -> Any:
    """A real socket behind ``Asking`` with ``wait_s``; an ``Asking`` gets ``wait_s``. Anything
    else (a simulated socket, which cannot block) just gets ``wait_s`` as its timeout."""
    if isinstance(sock, socket.socket):
        return Asking(sock, wait_s)
    with contextlib.suppress(OSError, AttributeError):
        sock.settimeout(wait_s)
    return sock
