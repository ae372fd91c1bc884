"""Ask first, then wait: an immediate answer is recorded as the kernel gave it, however long the
step's deadline; waiting still happens after "would block"; netlink acks are read at once."""

from __future__ import annotations

import errno
import socket
import struct
import sys
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

from sockcompat.classify import classify
from sockcompat.errors import NotHonoured
from sockcompat.host.privilege import current
from sockcompat.probes import transfer
from sockcompat.probes.asking import Asking
from sockcompat.probes.context import ProbeContext
from sockcompat.probes.steps import Steps

#: Long on purpose: a probe that waited before asking would time out instead of answering.
LONG_DEADLINE_S = 60.0
SHORT_WAIT_S = 0.2
HAS_UNIX = hasattr(socket, "AF_UNIX") and sys.platform != "win32"


class Immediate(NamedTuple):
    family: str
    type: str
    address: Callable[[str], Any]
    outcome: str
    errno: str


IMMEDIATE = {
    "UDP accept": Immediate("AF_INET", "SOCK_DGRAM", lambda _: ("127.0.0.1", 0), "unsupported", "EOPNOTSUPP"),
}
if HAS_UNIX:
    IMMEDIATE["AF_UNIX datagram accept"] = Immediate(
        "AF_UNIX", "SOCK_DGRAM", lambda workdir: f"{workdir}/d", "unsupported", "EOPNOTSUPP")


@pytest.mark.parametrize("row", IMMEDIATE.values(), ids=list(IMMEDIATE))
def test_an_immediate_refusal_is_not_a_timeout(row: Immediate, tmp_path: Any) -> None:
    ctx = ProbeContext.for_this_host(deadline_s=LONG_DEADLINE_S)
    steps = Steps(ctx, {"id": "test/accept", "area": "test", "family": row.family, "type": row.type,
                        "proto": "0"})
    sock = steps.keep(socket.socket(getattr(socket, row.family), getattr(socket, row.type)))
    sock.bind(row.address(str(tmp_path)))
    steps.run("accept", sock.accept)
    steps.close_all()
    (accept,) = steps.observations
    assert (accept.outcome, accept.errno, accept.layer) == (row.outcome, row.errno, "os")


def socket_pair() -> tuple[socket.socket, socket.socket]:
    if HAS_UNIX:
        return socket.socketpair()
    server = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(server.getsockname())
    conn = server.accept()[0]
    server.close()
    return client, conn


def test_a_call_that_would_block_waits_for_the_answer() -> None:
    writer, reader = socket_pair()
    asking = Asking(reader, LONG_DEADLINE_S)
    later = threading.Timer(SHORT_WAIT_S, writer.sendall, args=(b"late",))
    later.start()
    try:
        assert asking.recv(16) == b"late"
    finally:
        later.join()
        writer.close()
        reader.close()


MODES: dict[str, tuple[float | None, type[BaseException]]] = {
    "a wait that passes is the deadline": (SHORT_WAIT_S, Exception),
    "non-blocking on purpose answers at once": (0.0, BlockingIOError),
}


@pytest.mark.parametrize(("wait", "raised"), MODES.values(), ids=list(MODES))
def test_nothing_to_read(wait: float, raised: type[BaseException]) -> None:
    writer, reader = socket_pair()
    try:
        with pytest.raises(raised) as info:
            Asking(reader, wait).recv(16)
        assert classify(info.value, privilege=current()).outcome == "timeout"
    finally:
        writer.close()
        reader.close()


def test_dontwait_is_not_turned_into_waiting() -> None:
    if not hasattr(socket, "MSG_DONTWAIT"):
        pytest.skip("no MSG_DONTWAIT here")
    writer, reader = socket_pair()
    try:
        with pytest.raises(BlockingIOError):
            Asking(reader, LONG_DEADLINE_S).recv(16, socket.MSG_DONTWAIT)
    finally:
        writer.close()
        reader.close()


def test_connect_completes_and_a_refusal_is_the_kernels() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    client = Asking(socket.socket(), LONG_DEADLINE_S)
    refused = Asking(socket.socket(), LONG_DEADLINE_S)
    try:
        client.connect(("127.0.0.1", port))
        conn, _ = Asking(server, LONG_DEADLINE_S).accept()
        conn.close()
        server.close()  # nothing listens there now
        with pytest.raises(ConnectionRefusedError):
            refused.connect(("127.0.0.1", port))
    finally:
        client.close()
        refused.close()


def ack(seq: int, error: int) -> bytes:
    body = struct.pack("=i", -error) + transfer.NLMSG_HEADER.pack(16, 1, 5, seq, 0)
    return transfer.NLMSG_HEADER.pack(16 + len(body), transfer.NLMSG_ERROR, 0, seq, 0) + body


class QueuedNetlink:
    """A netlink socket with what the kernel queued during sendmsg() (nothing: no ack)."""

    def __init__(self, queued: list[bytes]) -> None:
        self.queued = queued

    def recv(self, size: int, flags: int) -> bytes:
        assert flags == DONTWAIT
        if not self.queued:
            raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
        return self.queued.pop(0)


DONTWAIT = 0x40
ACKS: dict[str, tuple[list[bytes], int | None]] = {
    "acknowledged": ([ack(7, 0)], 0),
    "acked with an errno": ([ack(7, errno.EOPNOTSUPP)], errno.EOPNOTSUPP),
    "another message first": ([ack(6, 0), ack(7, 0)], 0),
    "no ack at all": ([], None),
}


@pytest.mark.parametrize(("queued", "code"), ACKS.values(), ids=list(ACKS))
def test_netlink_ack_is_read_without_waiting(queued: list[bytes], code: int | None) -> None:
    sock = QueuedNetlink(queued)
    if code is None:
        with pytest.raises(NotHonoured, match="no ack"):
            transfer.netlink_ack(sock, 7, DONTWAIT)
    else:
        assert transfer.netlink_ack(sock, 7, DONTWAIT) == code
