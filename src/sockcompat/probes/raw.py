"""Raw sockets: create, bind loopback, send one crafted packet to loopback, receive.

``run`` executes a row in a child interpreter (``isolation.run_in_subprocess``): a raw call has
killed the process on Windows before (rust-lang/socket2#411), and a crash or hang must become an
observation of that row, not the end of the run. ``probe`` is the in-process body, used by the
child and by tests with a fake socket surface.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sockcompat.catalog import raw as catalog
from sockcompat.catalog.addresses import LOOPBACK
from sockcompat.catalog.requirements import requirement_for
from sockcompat.classify import classify
from sockcompat.host.autoload import AutoloadGuard, unguarded
from sockcompat.host.isolation import run_in_subprocess
from sockcompat.host.privilege import Privilege
from sockcompat.observation import Observation
from sockcompat.probes import packets
from sockcompat.probes.context import ProbeContext
from sockcompat.probes.fields import missing, named
from sockcompat.probes.steps import Mismatch, Steps, pair_of

CHILD = "sockcompat.probes.raw:isolated"


def case_fields(case: catalog.RawCase, ctx: ProbeContext) -> dict[str, Any]:
    return named(case.id, catalog.AREA, ctx.surface, ctx.platform, case.family, case.type, case.proto)


########################################################################################
# isolation


def run(case: catalog.RawCase, ctx: ProbeContext) -> list[Observation]:
    """The row, probed in a child interpreter; a crash or overrun is recorded on its first step.
    The child judges as this process does: same platform, privilege and autoload guard. A
    simulated socket module cannot cross into another interpreter (nor crash this one), so a
    simulated row is probed here."""
    if unguarded(ctx.surface) is not socket:
        return probe(case, ctx)
    guard = ctx.surface if isinstance(ctx.surface, AutoloadGuard) else None
    payload = {"case": list(case), "deadline_s": ctx.deadline_s, "platform": ctx.platform,
               "privilege": ctx.privilege.to_json(),
               "autoload_guard": None if guard is None else guard.to_json()}
    budget = ctx.deadline_s * len(case.steps) + 10.0
    try:
        answer = run_in_subprocess(CHILD, payload, budget)
    except Exception as exc:
        failure = classify(exc, privilege=ctx.privilege, platform=ctx.platform)
        first = Observation.failed(case_fields(case, ctx), case.steps[0], failure, context="isolated probe: ")
        rest = [Observation(**case_fields(case, ctx), step=s, outcome="not-reached",
                            detail=f"after {case.steps[0]} failed") for s in case.steps[1:]]
        return [first, *rest]
    return [Observation.from_json(o) for o in answer]


def isolated(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The child's entry point: JSON in, the row's observations as JSON out."""
    case = catalog.RawCase(*payload["case"])
    guard = payload.get("autoload_guard")
    ctx = ProbeContext(platform=str(payload["platform"]), privilege=Privilege.from_json(payload["privilege"]),
                       deadline_s=float(payload["deadline_s"]),
                       surface=socket if guard is None else AutoloadGuard.from_json(socket, guard))
    return [o.to_json() for o in probe(case, ctx)]


########################################################################################
# the probe


def probe(case: catalog.RawCase, ctx: ProbeContext) -> list[Observation]:
    requirement = requirement_for(ctx.platform, case.family, case.type, case.proto)
    steps = Steps(ctx, case_fields(case, ctx), requirement)
    absent = missing(ctx.surface, case.family, case.type, case.proto)
    if absent:
        steps.record("create", "no-constant", f"Python defines no {', '.join(absent)}")
    else:
        try:
            BODIES[case.probe](steps, case)
        finally:
            steps.close_step()
    steps.rest_not_reached(case.steps)
    if case.probe == "ping":
        return with_ping_setting(steps.observations)
    return steps.observations


def raw_socket(steps: Steps, case: catalog.RawCase) -> Any:
    surface = steps.ctx.surface
    return steps.keep(surface.socket(getattr(surface, case.family), getattr(surface, case.type),
                                     getattr(surface, case.proto)))


def udp_receiver(steps: Steps, family: str) -> Any:
    surface = steps.ctx.surface
    sock = steps.keep(surface.socket(getattr(surface, family), surface.SOCK_DGRAM))
    sock.bind((LOOPBACK[family], 0))
    return sock


def loopback(case: catalog.RawCase) -> str:
    return LOOPBACK[case.family]


def marker() -> bytes:
    return b"sockcompat-" + os.urandom(6).hex().encode()


def receive_until(sock: Any, wanted: Callable[[bytes], Any], seconds: float = catalog.REPLY_WAIT_S) -> Any:
    """Receive until ``wanted`` returns something for a packet (other loopback traffic is
    skipped); socket.timeout when nothing matching came within ``seconds``."""
    end = time.monotonic() + seconds
    while True:
        sock.settimeout(max(0.01, end - time.monotonic()))
        found = wanted(sock.recv(65535))
        if found is not None:
            return found


def echo(steps: Steps, case: catalog.RawCase) -> None:
    """ICMP(v6) echo request to loopback; the reply with our id, sequence and payload must come.
    Ping sockets may rewrite the id (Linux uses the socket's port), so only they skip that check."""
    sock = steps.run("create", lambda: raw_socket(steps, case))
    v6 = case.family == "AF_INET6"
    destination = (loopback(case), 0)
    steps.run("bind", lambda: sock.bind(destination))
    ident, seq, payload = int.from_bytes(os.urandom(2), "big"), 1, marker()
    request = packets.icmp_echo(ident, seq, payload, v6=v6)
    steps.run("sendto", lambda: sock.sendto(request, destination), value=lambda n: n)
    reply_type = packets.ICMPV6_ECHO_REPLY if v6 else packets.ICMP_ECHO_REPLY
    check_ident = case.probe != "ping"

    def is_reply(data: bytes) -> Any:
        message = packets.parse_echo(data if v6 else packets.strip_ipv4_header(data))
        if (message is not None and message.type == reply_type and message.seq == seq
                and message.payload == payload and (message.ident == ident or not check_ident)):
            return {"bytes": len(data)}
        return None

    steps.run("recv", lambda: receive_until(sock, is_reply), value=lambda v: v)


def datagram(steps: Steps, case: catalog.RawCase) -> None:
    """A UDP datagram we build ourselves (header and checksum) reaches a UDP socket."""
    sock, receiver = pair_of(steps.run("create", lambda: (
        raw_socket(steps, case), udp_receiver(steps, case.family))))
    address = loopback(case)
    steps.run("bind", lambda: sock.bind((address, 0)))
    payload = marker()
    steps.run("sendto", lambda: sock.sendto(
        packets.udp(address, address, random_port(), receiver.getsockname()[1], payload), (address, 0)),
        value=lambda n: n)
    steps.run("recv", lambda: expect(receiver, payload), value=lambda v: v)


def random_port() -> int:
    """A source port for a crafted packet: nobody listens there, so nothing answers it."""
    return 40000 + int.from_bytes(os.urandom(2), "big") % 20000


def expect(receiver: Any, payload: bytes) -> dict[str, int]:
    receiver.settimeout(catalog.REPLY_WAIT_S)
    data = receiver.recv(65535)
    if data != payload:
        raise Mismatch(f"the UDP socket received {len(data)} other bytes")
    return {"bytes": len(data)}


def segment(steps: Steps, case: catalog.RawCase) -> None:
    """A SYN carrying data to a closed loopback port; the raw socket must see the RST answer."""
    surface = steps.ctx.surface
    sock, closed = pair_of(steps.run("create", lambda: (
        raw_socket(steps, case), steps.keep(surface.socket(surface.AF_INET, surface.SOCK_STREAM)))
    ))
    address = loopback(case)
    steps.run("bind", lambda: (sock.bind((address, 0)), closed.bind((address, 0))))
    sport = random_port()
    dport = closed.getsockname()[1] if closed is not None and steps.ok else 0
    syn = packets.tcp(address, address, sport, dport, packets.TCP_SYN, int.from_bytes(os.urandom(4), "big"),
                      marker())
    steps.run("sendto", lambda: sock.sendto(syn, (address, 0)), value=lambda n: n)

    def is_reset(data: bytes) -> Any:
        fields = packets.tcp_ports_flags(packets.strip_ipv4_header(data))
        if fields is not None and fields[:2] == (dport, sport) and fields[2] & packets.TCP_RST:
            return {"reply_flags": fields[2]}
        return None

    steps.run("recv", lambda: receive_until(sock, is_reset), value=lambda v: v)


def hdrincl(steps: Steps, case: catalog.RawCase) -> None:
    """We write the IPv4 header too (IP_HDRINCL); the UDP datagram inside must arrive. The
    ``nonlocal-source`` row puts a source address that is not this host's in that header."""
    surface = steps.ctx.surface
    sock, receiver = pair_of(steps.run("create", lambda: (
        raw_socket(steps, case), udp_receiver(steps, case.family))))
    address = loopback(case)
    source = catalog.NON_LOCAL_SOURCE if case.probe == "nonlocal-source" else address
    steps.run("bind", lambda: sock.bind((address, 0)))
    steps.run("set-hdrincl", lambda: sock.setsockopt(surface.IPPROTO_IP, surface.IP_HDRINCL, 1))
    payload = marker()
    steps.run("sendto", lambda: sock.sendto(packets.ipv4(
        source, address, packets.PROTO_UDP,
        packets.udp(source, address, random_port(), receiver.getsockname()[1], payload)),
        (address, 0)), value=lambda n: n)
    steps.run("recv", lambda: expect(receiver, payload), value=lambda v: v)


BODIES: dict[str, Callable[[Steps, catalog.RawCase], None]] = {
    "echo": echo, "ping": echo, "datagram": datagram, "segment": segment, "hdrincl": hdrincl,
    "nonlocal-source": hdrincl,
}


########################################################################################
# net.ipv4.ping_group_range beside the ping rows


def ping_setting() -> str | None:
    """The sysctl's value on Linux ("1 0" means nobody may), None elsewhere or unreadable."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        text = Path("/proc/sys/" + catalog.PING_SYSCTL.replace(".", "/")).read_text(encoding="ascii")
    except OSError:
        return None
    return " ".join(text.split())


def with_ping_setting(observations: list[Observation], setting: str | None = None) -> list[Observation]:
    """Put the sysctl in the create step's value (and its detail when create was refused)."""
    setting = ping_setting() if setting is None else setting
    if setting is None:
        return observations
    result = []
    for o in observations:
        if o.step == "create":
            detail = o.detail if o.outcome == "supported" else f"{o.detail}; {catalog.PING_SYSCTL}={setting}"
            o = dataclasses.replace(o, value={catalog.PING_SYSCTL: setting}, detail=detail)
        result.append(o)
    return result
