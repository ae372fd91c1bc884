"""MSG_* flags the platform defines, each tried on a connected loopback pair:
MSG_PEEK (data stays queued), MSG_DONTWAIT (an empty blocking socket says "would block"),
MSG_TRUNC (recv reports the datagram's real length), MSG_NOSIGNAL (send to a closed peer
fails with EPIPE/ECONNRESET instead of a signal; CPython ignores SIGPIPE anyway, so this shows the
flag is accepted), MSG_WAITALL (recv waits for the whole amount across two sends)."""

from __future__ import annotations

import threading
import time
from typing import Any

from sockcompat.catalog import addresses
from sockcompat.catalog.errnos import canonical_name
from sockcompat.catalog.transfer import FlagCase
from sockcompat.classify import HOST_ERRNO_NAMES
from sockcompat.observation import Observation
from sockcompat.probes.context import ProbeContext
from sockcompat.probes.fields import missing, named
from sockcompat.probes.steps import Mismatch, Steps, private_dir

#: Which call each flag is passed to: the step name.
FLAG_STEP = {"MSG_PEEK": "recv", "MSG_DONTWAIT": "recv", "MSG_TRUNC": "recv", "MSG_NOSIGNAL": "send",
             "MSG_WAITALL": "recv"}
TRUNC_SENT, TRUNC_BUFFER = 100, 10
WAITALL_GAP_S = 0.1


def probe(case: FlagCase, ctx: ProbeContext) -> list[Observation]:
    surface = ctx.surface
    steps = Steps(ctx, named(case.id, "transfer", surface, ctx.platform, case.family, case.type))
    step = FLAG_STEP[case.flag]
    absent = missing(surface, case.flag, case.family, case.type)
    if absent:
        steps.record("setup", "no-constant", f"Python defines no {', '.join(absent)}")
    flag = getattr(surface, case.flag, 0)
    with private_dir() as workdir:
        pair = steps.run("setup", lambda: connected_pair(steps, case, workdir))
        steps.run(step, lambda: TRIES[case.flag](steps, pair, flag), value=lambda v: v)
        steps.close_step()
    steps.rest_not_reached(("setup", step, "close"))
    return steps.observations


def connected_pair(steps: Steps, case: FlagCase, workdir: str) -> tuple[Any, Any]:
    """(sender, receiver): accepted stream ends, or two bound datagram sockets connected."""
    surface = steps.ctx.surface
    fam, typ = getattr(surface, case.family), getattr(surface, case.type)
    a = steps.keep(surface.socket(fam, typ))
    b = steps.keep(surface.socket(fam, typ))
    b.bind(addresses.local_address(case.family, "path", workdir, "b"))
    if case.type == "SOCK_STREAM":
        b.listen(1)
        a.connect(b.getsockname())
        return a, steps.keep(b.accept()[0])
    a.bind(addresses.local_address(case.family, "path", workdir, "a"))
    a.connect(b.getsockname())
    return a, b


def peek(steps: Steps, pair: tuple[Any, Any], flag: int) -> dict[str, int]:
    sender, receiver = pair
    sender.send(b"peek-me")
    peeked = receiver.recv(64, flag)
    taken = receiver.recv(64)
    if peeked != b"peek-me" or taken != peeked:
        raise Mismatch(f"peeked {peeked!r}, then read {taken!r}")
    return {"bytes": len(peeked)}


def blocking(sock: Any) -> Any:
    """The socket in plain blocking mode: with a timeout, CPython makes the descriptor
    non-blocking and polls before recv, which would hide what the flag does."""
    sock.settimeout(None)
    return sock


def dontwait(steps: Steps, pair: tuple[Any, Any], flag: int) -> str:
    """A blocking socket with nothing queued: the flag alone must make recv return at once."""
    try:
        blocking(pair[1]).recv(64, flag)
    except BlockingIOError as exc:
        return canonical_name(exc.errno or 0, HOST_ERRNO_NAMES)
    raise Mismatch("recv returned data although nothing was sent")


def trunc(steps: Steps, pair: tuple[Any, Any], flag: int) -> dict[str, int]:
    sender, receiver = pair
    sender.send(b"t" * TRUNC_SENT)
    returned = receiver.recv_into(bytearray(TRUNC_BUFFER), TRUNC_BUFFER, flag)
    if returned != TRUNC_SENT:
        raise Mismatch(f"flag accepted, but recv returned {returned}, not the datagram's {TRUNC_SENT}")
    return {"returned": returned, "buffer": TRUNC_BUFFER}


def nosignal(steps: Steps, pair: tuple[Any, Any], flag: int) -> str:
    """Close the receiver, then send until the OS reports the broken connection."""
    sender, receiver = pair
    receiver.close()
    for _ in range(10):
        try:
            sender.send(b"x" * 1024, flag)
        except (BrokenPipeError, ConnectionResetError) as exc:
            return canonical_name(exc.errno or 0, HOST_ERRNO_NAMES)
        time.sleep(0.02)
    raise Mismatch("ten sends to a closed peer all succeeded")


def waitall(steps: Steps, pair: tuple[Any, Any], flag: int) -> dict[str, int]:
    """Half the message now, half a moment later: recv with the flag must return all of it."""
    sender, receiver = pair
    sender.sendall(b"a" * 32)
    later = threading.Timer(WAITALL_GAP_S, lambda: sender.sendall(b"b" * 32))
    later.start()
    try:
        data = blocking(receiver).recv(64, flag)
    finally:
        later.join()
    if len(data) != 64:
        raise Mismatch(f"returned {len(data)} of 64 bytes: the flag did not wait")
    return {"bytes": len(data)}


TRIES = {"MSG_PEEK": peek, "MSG_DONTWAIT": dontwait, "MSG_TRUNC": trunc, "MSG_NOSIGNAL": nosignal,
         "MSG_WAITALL": waitall}
