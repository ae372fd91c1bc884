"""Measure the limits ``catalog.limits`` lists: largest datagram, buffer sizes, listen backlog,
ephemeral port range. Loopback only; bounded by the catalog's caps and the step deadline.

A measurement runs as one deadline step. Bisections stop at ``BISECT_BUDGET`` of the deadline and
report what they found so far (``detail`` says so). What a refusal means is judged by ``classify``:
a value is "too big" when the refusal classifies as unsupported or unavailable (EMSGSIZE, ENOBUFS,
EINVAL), and anything else ends the measurement with that outcome.
"""

from __future__ import annotations

import contextlib
import os
import select
import struct
import subprocess
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from sockcompat.catalog.constants import resolve
from sockcompat.catalog.limits import (
    BISECT_BUDGET,
    CONNECT_WAIT_S,
    DATAGRAM_CAP,
    EPHEMERAL_PORT_SOURCES,
    INT_MAX,
    LISTEN_BACKLOG,
    LISTEN_CLIENT_CAP,
    LOOPBACK_ADDRESS,
    LimitCase,
)
from sockcompat.catalog.platforms import FAMILIES, TYPES
from sockcompat.classify import Classified, classify
from sockcompat.observation import Observation
from sockcompat.probes.context import ProbeContext, run_step
from sockcompat.probes.fields import undefined


class Measured(NamedTuple):
    """One step's result: the value and a note on how it was found."""

    value: Any
    detail: str


class Target(NamedTuple):
    """The family and type numbers to pass to socket(): Python's, else the OS headers'."""

    family: int
    type: int


class Refused(Exception):
    """A measurement met a refusal that is not "too big"; carries what classify made of it."""

    def __init__(self, failure: Classified) -> None:
        super().__init__(failure.detail)
        self.failure = failure


def bisect_largest(ok: Callable[[int], bool], lo: int, hi: int,
                   budget_s: float | None = None, clock: Callable[[], float] = time.monotonic,
                   ) -> tuple[int, bool]:
    """The largest n in [lo, hi] with ``ok(n)``, given that ``ok(lo)`` holds and ``ok`` is monotone.
    Returns (n, complete): ``complete`` is False when the budget ran out first (n is then a lower
    bound). ``hi`` itself is tried first, so an unbounded host costs one call."""
    if ok(hi):
        return hi, True
    stop = None if budget_s is None else clock() + budget_s
    while hi - lo > 1:
        if stop is not None and clock() > stop:
            return lo, False
        mid = (lo + hi) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid
    return lo, True


def probe(case: LimitCase, ctx: ProbeContext) -> list[Observation]:
    """The observations of one limit row, one per step."""
    fields = _fields(case, ctx)
    if fields["family_num"] is None or fields["type_num"] is None:
        return [Observation(**fields, step=step, outcome="no-constant",
                            detail=undefined(ctx.platform, [case.family]))
                for step in case.steps]
    observations = []
    for step in case.steps:
        result = run_step(ctx, _step(case, step, ctx, Target(fields["family_num"], fields["type_num"])))
        failure = result.value.failure if isinstance(result.value, Refused) else result.failure
        if failure is not None:
            observations.append(Observation.failed(fields, step, failure, duration_s=result.duration_s))
        else:
            measured: Measured = result.value
            observations.append(Observation(**fields, step=step, outcome="supported", value=measured.value,
                                            detail=measured.detail, duration_s=result.duration_s))
    return observations


def _step(case: LimitCase, step: str, ctx: ProbeContext, target: Target) -> Callable[[], Measured | Refused]:
    measure = _MEASURES[case.quantity]

    def run() -> Measured | Refused:
        try:
            return measure(case, step, ctx, target)
        except Refused as refused:
            return refused

    return run


def _fields(case: LimitCase, ctx: ProbeContext) -> dict[str, Any]:
    family = resolve(ctx.surface, case.family, FAMILIES.get(ctx.platform, {}))
    type_ = resolve(ctx.surface, case.type, TYPES.get(ctx.platform, {}))
    return {
        "id": case.id, "area": "limit", "family": case.family, "family_num": family.number,
        "type": case.type, "type_num": type_.number, "proto": "0", "proto_num": 0,
        "python_constant": family.python_constant and type_.python_constant,
    }


def _too_big(exc: OSError, ctx: ProbeContext) -> Classified:
    """The classified refusal if it means "too big"; otherwise raise it as the step's failure."""
    failure = classify(exc, privilege=ctx.privilege, platform=ctx.platform)
    if failure.outcome in ("unsupported", "unavailable"):
        return failure
    raise exc


def _budget(ctx: ProbeContext) -> float:
    return ctx.deadline_s * BISECT_BUDGET


########################################################################################
# largest datagram


def _max_datagram(case: LimitCase, step: str, ctx: ProbeContext, target: Target) -> Measured:
    s = ctx.surface
    family = target.family
    cap = DATAGRAM_CAP[case.family]
    payload = memoryview(bytearray(cap))
    refusals: list[Classified] = []
    with contextlib.ExitStack() as opened:
        # Every socket is closed on the way out, also when bind (or the second socket()) refuses.
        if case.family in LOOPBACK_ADDRESS:
            rx = _closed_later(opened, s.socket(family, target.type))
            tx = _closed_later(opened, s.socket(family, target.type))
            rx.bind((LOOPBACK_ADDRESS[case.family], 0))
            address = rx.getsockname()
        else:
            tx, rx = (_closed_later(opened, sock) for sock in s.socketpair(family, target.type))
            address = None
        rx.setblocking(False)
        tx.settimeout(ctx.deadline_s)

        def send(n: int) -> None:
            if address is None:
                tx.send(payload[:n])
            else:
                tx.sendto(payload[:n], address)

        def ok(n: int) -> bool:
            try:
                send(n)
            except OSError as exc:
                refusals.append(_too_big(exc, ctx))
                return False
            _drain(rx, payload)
            return True

        best, complete = bisect_largest(ok, 1, cap, _budget(ctx))
        _drain(rx, payload)
        send(best)
        rx.settimeout(ctx.deadline_s)
        arrived = len(rx.recv(cap))
    notes = [f"{best + 1} refused: {refusals[-1].errno}" if refusals and complete and best < cap
             else f"at least {best} (the probe's cap)" if best == cap else f"at least {best} (deadline)"]
    if arrived != best:
        notes.append(f"but {arrived} bytes arrived")
    return Measured(best, "; ".join(notes))


def _closed_later(opened: contextlib.ExitStack, sock: Any) -> Any:
    opened.callback(sock.close)
    return sock


def _drain(sock: Any, buffer: memoryview) -> None:
    while True:
        try:
            sock.recv_into(buffer)
        except (BlockingIOError, InterruptedError):
            return


########################################################################################
# buffer sizes


def _buffer(case: LimitCase, step: str, ctx: ProbeContext, target: Target) -> Measured:
    s = ctx.surface
    option = getattr(s, case.quantity)
    sock = s.socket(target.family, target.type)
    try:
        default = int(sock.getsockopt(s.SOL_SOCKET, option))
        if step == "default":
            return Measured(default, "")
        refusals: list[Classified] = []

        def ok(n: int) -> bool:
            try:
                sock.setsockopt(s.SOL_SOCKET, option, n)
            except OSError as exc:
                refusals.append(_too_big(exc, ctx))
                return False
            return True

        largest, complete = bisect_largest(ok, max(default, 1), INT_MAX, _budget(ctx))
        sock.setsockopt(s.SOL_SOCKET, option, largest)
        read_back = int(sock.getsockopt(s.SOL_SOCKET, option))
    finally:
        sock.close()
    how = f"set {largest} accepted, read back {read_back}"
    if refusals and complete:
        how += f"; {largest + 1} refused: {refusals[-1].errno}"
    elif not complete:
        how += " (deadline: a lower bound)"
    return Measured(read_back, how)


########################################################################################
# listen backlog

#: struct tcp_info (include/uapi/linux/tcp.h): eight u8 fields, then u32 rto, ato, snd_mss,
#: rcv_mss, unacked, sacked: the two that matter start at byte 24.
TCP_INFO_QUEUE_OFFSET = 24
TCP_INFO_PREFIX = 32


def _listen(case: LimitCase, step: str, ctx: ProbeContext, target: Target) -> Measured:
    s = ctx.surface
    family = target.family
    address = (LOOPBACK_ADDRESS[case.family], 0)
    if step == "max-accepted":
        def ok(n: int) -> bool:
            probe_sock = s.socket(family, s.SOCK_STREAM)
            try:
                probe_sock.bind(address)
                probe_sock.listen(n)
            except OSError as exc:
                _too_big(exc, ctx)
                return False
            finally:
                probe_sock.close()
            return True

        largest, complete = bisect_largest(ok, 0, INT_MAX, _budget(ctx))
        return Measured(largest, "" if complete else "deadline: a lower bound")
    return _queue(ctx, family, address)


def _queue(ctx: ProbeContext, family: int, address: tuple[str, int]) -> Measured:
    """Connect clients one at a time until one is not completed within CONNECT_WAIT_S."""
    s = ctx.surface
    listener = s.socket(family, s.SOCK_STREAM)
    clients: list[Any] = []
    try:
        listener.bind(address)
        listener.listen(LISTEN_BACKLOG)
        target = listener.getsockname()
        stop = "the probe's cap"
        while len(clients) < LISTEN_CLIENT_CAP:
            client = s.socket(family, s.SOCK_STREAM)
            clients.append(client)
            client.setblocking(False)
            client.connect_ex(target)
            _, writable, _ = select.select([], [client], [], 0)
            if not writable and ctx.platform == "linux" and _accept_queue_full(s, listener):
                clients.pop().close()
                stop = "the next SYN was dropped: the accept queue was full"
                break
            if not writable:
                _, writable, _ = select.select([], [client], [], CONNECT_WAIT_S)
            error = client.getsockopt(s.SOL_SOCKET, s.SO_ERROR) if writable else 0
            if not writable or error:
                clients.pop().close()
                stop = (f"the next was refused: {_errno_name(error, ctx)}" if error
                        else f"the next got no answer within {CONNECT_WAIT_S:g} s")
                break
    finally:
        for client in clients:
            client.close()
        listener.close()
    return Measured(len(clients), f"listen({LISTEN_BACKLOG}) completed {len(clients)} connections; {stop}")


def _accept_queue_full(s: Any, listener: Any) -> bool:
    """Linux: is the listener's accept queue over its backlog? For a listening socket tcp_info's
    ``tcpi_unacked`` is the queue's length and ``tcpi_sacked`` the backlog (net/ipv4/tcp.c,
    tcp_get_info), and a SYN that finds the queue full is dropped (tcp_conn_request): the kernel has
    answered, so there is nothing to wait for."""
    option = getattr(s, "TCP_INFO", None)
    try:
        raw = listener.getsockopt(s.IPPROTO_TCP, option, TCP_INFO_PREFIX) if option is not None else b""
    except OSError:
        return False
    if len(raw) < TCP_INFO_PREFIX:
        return False
    queued, backlog = struct.unpack_from("=II", raw, TCP_INFO_QUEUE_OFFSET)
    return bool(queued > backlog)


def _errno_name(number: int, ctx: ProbeContext) -> str | None:
    return classify(OSError(number, os.strerror(number)), privilege=ctx.privilege).errno


########################################################################################
# ephemeral port range


def parse_pair(text: str) -> tuple[int, int]:
    """Two integers, whitespace-separated (the Linux file; two sysctl -n lines)."""
    first, last = (int(word) for word in text.split()[:2])
    return first, last


def parse_netsh(text: str) -> tuple[int, int]:
    """``netsh int ipv4 show dynamicport tcp``: "Start Port : N" then "Number of Ports : M"
    (labels are localized, so only the order of the numbers is relied on)."""
    numbers = [int(line.rpartition(":")[2]) for line in text.splitlines()
               if ":" in line and line.rpartition(":")[2].strip().isdigit()]
    if len(numbers) < 2:  # Wine's netsh prints nothing at all
        shown = " ".join(text.split())[:60] or "nothing"
        raise ValueError(f"netsh printed no start port and count ({shown})")
    start, count = numbers[:2]
    return start, start + count - 1


def read_port_range(platform: str, family: str, type_: str, timeout_s: float) -> tuple[int, int] | None:
    """The range this OS exposes, or None where it exposes none."""
    source = EPHEMERAL_PORT_SOURCES.get(platform)
    if source is None:
        return None
    if source[0] == "file":
        with open(source[1], encoding="ascii") as handle:
            return parse_pair(handle.read())
    if source[0] == "sysctl":
        done = subprocess.run(["sysctl", "-n", *source[1:]], capture_output=True, text=True,
                              timeout=timeout_s, check=True)
        return parse_pair(done.stdout)
    version = "ipv6" if family == "AF_INET6" else "ipv4"
    protocol = "udp" if type_ == "SOCK_DGRAM" else "tcp"
    done = subprocess.run(["netsh", "int", version, "show", "dynamicport", protocol], capture_output=True,
                          text=True, timeout=timeout_s, check=True)
    return parse_netsh(done.stdout)


def _ephemeral(case: LimitCase, step: str, ctx: ProbeContext, target: Target) -> Measured:
    s = ctx.surface
    try:
        found = read_port_range(ctx.platform, case.family, case.type, ctx.deadline_s)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        raise Refused(Classified("unavailable", None, None, f"cannot read the port range: {exc}")) from None
    if found is None:
        raise Refused(Classified("unavailable", None, None, f"{ctx.platform} exposes no port range we read"))
    first, last = found
    sock = s.socket(target.family, target.type)
    try:
        sock.bind((LOOPBACK_ADDRESS[case.family], 0))
        port = int(sock.getsockname()[1])
    finally:
        sock.close()
    inside = "inside" if first <= port <= last else "OUTSIDE"
    return Measured({"first": first, "last": last},
                    f"a loopback bind to port 0 got {port}, {inside} the range")


_MEASURES: dict[str, Callable[[LimitCase, str, ProbeContext, Target], Measured]] = {
    "max-datagram": _max_datagram,
    "SO_RCVBUF": _buffer,
    "SO_SNDBUF": _buffer,
    "listen-backlog": _listen,
    "ephemeral-ports": _ephemeral,
}
