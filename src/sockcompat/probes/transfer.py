"""Walk the client-server sequence for one transfer row, one observation per call.

Connection-oriented rows (stream, seqpacket): bind, listen, connect, accept, an HTTP/1.1-style
request and response read until complete, shutdown, close. Datagram rows: both ends bound,
sendto/recvfrom each way. AF_PACKET: one frame on ``lo``. AF_NETLINK: a NOOP request the kernel
acks. Only loopback addresses from ``catalog.addresses`` are ever bound or sent to.
"""

from __future__ import annotations

import os
import struct
import time
from collections.abc import Callable
from typing import Any

from sockcompat.catalog import addresses
from sockcompat.catalog.errnos import canonical_name
from sockcompat.catalog.requirements import requirement_for
from sockcompat.catalog.transfer import TransferCase
from sockcompat.classify import HOST_ERRNO_NAMES
from sockcompat.errors import NotHonoured
from sockcompat.observation import Observation
from sockcompat.probes import exchange
from sockcompat.probes.context import ProbeContext
from sockcompat.probes.fields import of_row
from sockcompat.probes.steps import Mismatch, Steps, pair_of, private_dir

#: netlink(7): struct nlmsghdr, and the message types/flags the NOOP request uses.
NLMSG_HEADER = struct.Struct("=IHHII")
NLMSG_NOOP, NLMSG_ERROR = 1, 2
NLM_F_REQUEST, NLM_F_ACK = 0x1, 0x4
#: linux/can.h: struct can_frame (can_id, len, 3 pad bytes, 8 data bytes).
CAN_FRAME = struct.Struct("=IB3x8s")
CAN_SFF_MASK = 0x7FF


def fields(case: TransferCase, area: str = "transfer") -> dict[str, Any]:
    return of_row(case.id, area, case.family, case.type, case.proto)


def probe(case: TransferCase, ctx: ProbeContext) -> list[Observation]:
    """Every step of the row's sequence, in order."""
    requirement = requirement_for(ctx.platform, case.family.name, case.type.name, case.proto.name)
    steps = Steps(ctx, fields(case), requirement)
    walk = SEQUENCES[case.sequence]
    with private_dir() as workdir:
        try:
            walk(steps, case, workdir)
        finally:
            steps.close_step()
    steps.rest_not_reached(case.steps)
    return steps.observations


def not_applicable(case: TransferCase) -> Observation:
    """A family that creates here but has no loopback address form."""
    return Observation(**fields(case), step="address", outcome="not-applicable",
                       detail=addresses.no_address_reason(case.family.name))


def new_socket(steps: Steps, case: TransferCase) -> Any:
    surface = steps.ctx.surface
    return steps.keep(surface.socket(case.family.number, case.type.number, case.proto_argument))


def address(case: TransferCase, workdir: str, tag: str) -> Any:
    return addresses.local_address(case.family.name, case.variant, workdir, tag)


def bound_name(sock: Any) -> Any:
    """What the sequence reports about a bound address: nothing identifying (no paths, no ports)."""
    name = sock.getsockname()
    if isinstance(name, (bytes, str)):
        return {"kind": "abstract" if name[:1] in (b"\0", "\0") else "path", "length": len(name)}
    return None


########################################################################################
# sequences


def stream(steps: Steps, case: TransferCase, workdir: str) -> None:
    tag = case.id.replace("/", ".")
    server, client = pair_of(steps.run("create", lambda: (new_socket(steps, case), new_socket(steps, case))))
    steps.run("bind", lambda: (server.bind(address(case, workdir, "s")), bound_name(server))[1],
              value=lambda v: v)
    steps.run("listen", lambda: server.listen(1))
    steps.run("connect", lambda: client.connect(server.getsockname()))
    conn = steps.run("accept", lambda: steps.keep(server.accept()[0]))
    request, response = exchange.request(tag), exchange.response(tag)
    steps.run("send", lambda: send_parts(client, request))
    chunk = read_chunk(case)
    steps.run("recv", lambda: receive(conn, request, chunk), value=read_value)
    steps.run("send-reply", lambda: send_parts(conn, response))
    steps.run("recv-reply", lambda: receive(client, response, chunk), value=read_value)
    steps.run("shutdown", lambda: shutdown_seen(steps, client, conn))


def send_parts(sock: Any, parts: tuple[bytes, bytes]) -> None:
    for part in parts:
        sock.sendall(part)


def read_chunk(case: TransferCase) -> int:
    """Small reads on a byte stream; whole records on seqpacket (a short read drops the rest)."""
    return exchange.READ_CHUNK if case.type.name == "SOCK_STREAM" else exchange.RECORD_CHUNK


def read_value(read: exchange.Read) -> dict[str, int]:
    return {"bytes": len(read.message), "reads": read.reads}


def receive(sock: Any, parts: tuple[bytes, bytes], chunk: int) -> exchange.Read:
    read = exchange.read_message(sock.recv, chunk)
    exchange.check(read.message, parts)
    return read


def shutdown_seen(steps: Steps, client: Any, conn: Any) -> None:
    """shutdown(SHUT_WR) on the client; the server must then read end-of-file."""
    client.shutdown(steps.ctx.surface.SHUT_WR)
    rest = conn.recv(exchange.READ_CHUNK)
    if rest:
        raise Mismatch(f"{len(rest)} unexpected bytes instead of end-of-file")


def datagram(steps: Steps, case: TransferCase, workdir: str) -> None:
    tag = case.id.replace("/", ".")
    server, client = pair_of(steps.run("create", lambda: (new_socket(steps, case), new_socket(steps, case))))
    steps.run("bind", lambda: (server.bind(address(case, workdir, "s")), bound_name(server))[1],
              value=lambda v: v)
    steps.run("bind-peer", lambda: (client.bind(address(case, workdir, "c")), bound_name(client))[1],
              value=lambda v: v)
    message, reply = f"request {tag}".encode(), f"reply {tag}".encode()
    steps.run("sendto", lambda: client.sendto(message, server.getsockname()), value=lambda n: n)
    peer = steps.run("recvfrom", lambda: expect_datagram(server, message))
    steps.run("sendto-reply", lambda: server.sendto(reply, peer), value=lambda n: n)
    steps.run("recvfrom-reply", lambda: expect_datagram(client, reply))


def expect_datagram(sock: Any, message: bytes) -> Any:
    """recvfrom one datagram; it must be ``message``. Returns the sender's address."""
    data, peer = sock.recvfrom(len(message) + 64)
    if data != message:
        raise Mismatch(f"received {len(data)} bytes that are not the datagram sent")
    return peer


def packet(steps: Steps, case: TransferCase, workdir: str) -> None:
    """One frame of the local experimental EtherType on ``lo``, seen by the same socket."""
    del workdir
    sock = steps.run("create", lambda: new_socket(steps, case))
    steps.run("bind", lambda: sock.bind(addresses.local_address("AF_PACKET")))
    marker = os.urandom(8) + case.type.name.encode()
    if case.type.name == "SOCK_RAW":
        frame = bytes(12) + struct.pack("!H", addresses.LOCAL_ETHERTYPE) + marker
        steps.run("sendto", lambda: sock.sendto(frame, ("lo", 0)), value=lambda n: n)
    else:
        # No link-layer address: PyPy wants it as str where CPython wants bytes, and lo needs none.
        destination = ("lo", addresses.LOCAL_ETHERTYPE, 0, 0)
        steps.run("sendto", lambda: sock.sendto(marker, destination), value=lambda n: n)
    steps.run("recvfrom", lambda: wait_for(sock, lambda data: marker in data, steps.ctx.deadline_s),
              value=lambda n: {"bytes": n})


def wait_for(sock: Any, wanted: Callable[[bytes], bool], seconds: float) -> int:
    """Receive until a packet ``wanted`` accepts arrives (other loopback traffic is skipped);
    returns its length. socket.timeout when none came within ``seconds``."""
    end = time.monotonic() + seconds
    while True:
        sock.settimeout(max(0.01, end - time.monotonic()))
        data = sock.recv(65535)
        if wanted(data):
            return len(data)


def netlink(steps: Steps, case: TransferCase, workdir: str) -> None:
    del workdir
    sock = steps.run("create", lambda: new_socket(steps, case))
    steps.run("bind", lambda: sock.bind(addresses.NETLINK_KERNEL))
    seq = int.from_bytes(os.urandom(4), "little")
    request = NLMSG_HEADER.pack(NLMSG_HEADER.size, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, seq, 0)
    steps.run("sendto", lambda: sock.sendto(request, addresses.NETLINK_KERNEL), value=lambda n: n)
    steps.run("recvfrom", lambda: netlink_ack(sock, seq, steps.ctx.surface.MSG_DONTWAIT), value=ack_value)


def ack_value(code: int) -> dict[str, str]:
    """The kernel's answer to the NOOP: acknowledged, or the errno it acked with."""
    return {"ack": "ok" if code == 0 else canonical_name(code, HOST_ERRNO_NAMES)}


def netlink_ack(sock: Any, seq: int, dontwait: int) -> int:
    """The error code of the kernel's NLMSG_ERROR ack to our NOOP (0: acknowledged). The kernel
    handles a netlink request inside sendmsg(), so its ack is queued before sendto returns:
    read without waiting (MSG_DONTWAIT); nothing queued means this protocol sent no ack."""
    while True:
        try:
            data = sock.recv(65535, dontwait)
        except BlockingIOError:
            raise NotHonoured("no ack: the kernel socket of this protocol ignores NOOP requests") from None
        code = parse_ack(data, seq)
        if code is not None:
            return code


def parse_ack(data: bytes, seq: int) -> int | None:
    """The (positive) errno in an NLMSG_ERROR message answering ``seq``, or None."""
    offset = 0
    while offset + NLMSG_HEADER.size <= len(data):
        length, kind, _flags, msg_seq, _pid = NLMSG_HEADER.unpack_from(data, offset)
        if kind == NLMSG_ERROR and msg_seq == seq and length >= NLMSG_HEADER.size + 4:
            (error,) = struct.unpack_from("=i", data, offset + NLMSG_HEADER.size)
            return -int(error)
        if length < NLMSG_HEADER.size:
            return None
        offset += (length + 3) & ~3
    return None


def can(steps: Steps, case: TransferCase, workdir: str) -> None:
    """One standard CAN frame from one raw socket to another, both bound to the virtual interface
    (a CAN_RAW socket does not receive its own frames; others on the interface do)."""
    del workdir
    both = steps.run("create", lambda: (new_socket(steps, case), new_socket(steps, case)))
    receiver, sender = pair_of(both)
    steps.run("bind", lambda: receiver.bind(addresses.local_address("AF_CAN")))
    steps.run("bind-peer", lambda: sender.bind(addresses.local_address("AF_CAN")))
    if os.path.exists(f"/sys/class/net/{addresses.CAN_INTERFACE}/device"):
        # Safety: frames go only to a virtual interface; one backed by hardware is a real bus.
        steps.record("send", "not-applicable", detail=f"{addresses.CAN_INTERFACE} is a hardware interface")
        return
    can_id = int.from_bytes(os.urandom(2), "little") & CAN_SFF_MASK
    data = os.urandom(8)
    frame = CAN_FRAME.pack(can_id, len(data), data)
    steps.run("send", lambda: sender.send(frame), value=lambda n: n)
    steps.run("recv", lambda: wait_for(receiver, lambda got: got == frame, steps.ctx.deadline_s),
              value=lambda n: {"bytes": n})


SEQUENCES = {"stream": stream, "datagram": datagram, "packet": packet, "netlink": netlink, "can": can}
