"""Python's own high-level API as the host lets it work: socket.create_server /
create_connection on loopback, and socket.has_dualstack_ipv6()."""

from __future__ import annotations

from typing import Any

from sockcompat.catalog.addresses import LOOPBACK
from sockcompat.observation import Observation
from sockcompat.probes import exchange
from sockcompat.probes.context import ProbeContext
from sockcompat.probes.fields import named
from sockcompat.probes.steps import Steps

STEPS = ("create_server", "create_connection", "accept", "exchange", "close")


def server_id(family: str) -> str:
    return f"transfer/{family}/SOCK_STREAM/0/create_server"


DUALSTACK_ID = "transfer/AF_INET6/SOCK_STREAM/0/has_dualstack_ipv6"


def create_server(family: str, ctx: ProbeContext) -> list[Observation]:
    """create_server on loopback port 0, create_connection to it, accept, one exchange."""
    surface = ctx.surface
    steps = Steps(ctx, named(server_id(family), "transfer", surface, ctx.platform, family, "SOCK_STREAM"))
    fam = getattr(surface, family, None)
    if fam is None:
        steps.record("create_server", "no-constant", f"Python defines no {family}")
    server = steps.run("create_server", lambda: steps.keep(surface.create_server(
        (LOOPBACK[family], 0), family=fam)))
    client = steps.run("create_connection", lambda: steps.keep(surface.create_connection(
        server.getsockname()[:2], timeout=ctx.deadline_s)))
    conn = steps.run("accept", lambda: steps.keep(server.accept()[0]))
    steps.run("exchange", lambda: round_trip(client, conn, family),
              value=lambda r: {"bytes": len(r.message), "reads": r.reads})
    steps.close_step()
    steps.rest_not_reached(STEPS)
    return steps.observations


def round_trip(client: Any, conn: Any, tag: str) -> exchange.Read:
    parts = exchange.request(tag)
    for part in parts:
        client.sendall(part)
    read = exchange.read_message(conn.recv)
    exchange.check(read.message, parts)
    return read


def has_dualstack(ctx: ProbeContext) -> Observation:
    """What socket.has_dualstack_ipv6() answers (it only tries setsockopt(IPV6_V6ONLY, 0))."""
    fields = named(DUALSTACK_ID, "transfer", ctx.surface, ctx.platform, "AF_INET6", "SOCK_STREAM")
    check = getattr(ctx.surface, "has_dualstack_ipv6", None)
    if check is None:
        return Observation(**fields, step="check", outcome="no-constant",
                           detail="socket.has_dualstack_ipv6 is missing (Python < 3.8)")
    answer = bool(check())
    return Observation(**fields, step="check", outcome="supported" if answer else "unsupported",
                       value=answer, detail="" if answer else "socket.has_dualstack_ipv6() is False")
