"""socket.socketpair() per family and type: create the pair, exchange a message each way, close.

Linux and the BSDs pair only AF_UNIX; CPython on Windows emulates AF_INET/AF_INET6 pairs over
loopback and raises ValueError for anything else. Both are what the row records."""

from __future__ import annotations

from typing import Any

from sockcompat.observation import Observation
from sockcompat.probes.context import ProbeContext
from sockcompat.probes.fields import missing, named
from sockcompat.probes.steps import Mismatch, Steps

STEPS = ("socketpair", "exchange", "close")


def case_id(family: str, type_: str) -> str:
    return f"transfer/{family}/{type_}/0/socketpair"


def probe(family: str, type_: str, ctx: ProbeContext) -> list[Observation]:
    surface = ctx.surface
    steps = Steps(ctx, named(case_id(family, type_), "transfer", surface, ctx.platform, family, type_))
    absent = missing(surface, family, type_)
    if absent:
        steps.record("socketpair", "no-constant", f"Python defines no {', '.join(absent)}")
    else:
        pair = steps.run("socketpair", lambda: tuple(steps.keep(s) for s in surface.socketpair(
            getattr(surface, family), getattr(surface, type_), 0)))
        steps.run("exchange", lambda: both_ways(pair), value=lambda n: {"bytes": n})
    steps.close_step()
    steps.rest_not_reached(STEPS)
    return steps.observations


def both_ways(pair: Any) -> int:
    a, b = pair
    total = 0
    for sender, receiver, message in ((a, b, b"ping"), (b, a, b"pong")):
        sender.sendall(message)
        got = receiver.recv(64)
        if got != message:
            raise Mismatch(f"sent {message!r}, received {got!r}")
        total += len(got)
    return total
