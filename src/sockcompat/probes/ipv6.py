"""IPv6 specifics: this host's IPV6_V6ONLY default, and dual-stack (IPV6_V6ONLY=0 taking an IPv4
connection as a v4-mapped peer). The server binds the v4-mapped loopback address, never ``::``.
A host with IPv6 disabled shows up here and in the AF_INET6 transfer rows (::1 bind refused)."""

from __future__ import annotations

from typing import Any

from sockcompat.catalog.addresses import LOOPBACK, V4_MAPPED_LOOPBACK
from sockcompat.observation import Observation
from sockcompat.probes.context import ProbeContext
from sockcompat.probes.fields import missing, named
from sockcompat.probes.steps import Steps

V6ONLY_DEFAULT_ID = "transfer/AF_INET6/SOCK_STREAM/0/v6only-default"
DUALSTACK_ID = "transfer/AF_INET6/SOCK_STREAM/0/dualstack"
DUALSTACK_STEPS = ("create", "set-v6only-0", "bind", "listen", "connect", "accept", "close")


def _opened(case_id: str, ctx: ProbeContext) -> tuple[Steps, Any]:
    """The row's steps and its IPv6 stream socket (None once ``create`` failed or a name is missing)."""
    steps = Steps(ctx, named(case_id, "transfer", ctx.surface, ctx.platform, "AF_INET6", "SOCK_STREAM"))
    surface = ctx.surface
    absent = missing(surface, "AF_INET6", "IPPROTO_IPV6", "IPV6_V6ONLY")
    if absent:
        steps.record("create", "no-constant", f"Python defines no {', '.join(absent)}")
    sock = steps.run("create", lambda: steps.keep(surface.socket(surface.AF_INET6, surface.SOCK_STREAM)))
    return steps, sock


def v6only_default(ctx: ProbeContext) -> list[Observation]:
    """getsockopt(IPV6_V6ONLY) on a fresh socket: 0 on Linux/macOS by default, 1 on Windows/FreeBSD."""
    steps, sock = _opened(V6ONLY_DEFAULT_ID, ctx)
    surface = ctx.surface
    steps.run("get", lambda: int(sock.getsockopt(surface.IPPROTO_IPV6, surface.IPV6_V6ONLY)),
              value=lambda v: v)
    steps.close_step()
    steps.rest_not_reached(("create", "get", "close"))
    return steps.observations


def dualstack(ctx: ProbeContext) -> list[Observation]:
    """An IPv6 listener with IPV6_V6ONLY=0 on ::ffff:127.0.0.1 accepts an IPv4 client."""
    steps, server = _opened(DUALSTACK_ID, ctx)
    surface = ctx.surface
    steps.run("set-v6only-0", lambda: server.setsockopt(surface.IPPROTO_IPV6, surface.IPV6_V6ONLY, 0))
    steps.run("bind", lambda: server.bind((V4_MAPPED_LOOPBACK, 0)))
    steps.run("listen", lambda: server.listen(1))
    steps.run("connect", lambda: connect_v4(steps, server.getsockname()[1]))
    steps.run("accept", lambda: mapped_peer(steps, server), value=lambda v: v)
    steps.close_step()
    steps.rest_not_reached(DUALSTACK_STEPS)
    return steps.observations


def connect_v4(steps: Steps, port: int) -> None:
    surface = steps.ctx.surface
    client = steps.keep(surface.socket(surface.AF_INET, surface.SOCK_STREAM))
    client.connect((LOOPBACK["AF_INET"], port))


def mapped_peer(steps: Steps, server: Any) -> dict[str, bool]:
    """Accept; report whether the IPv4 peer appears as a v4-mapped IPv6 address."""
    conn, peer = server.accept()
    steps.keep(conn)
    return {"v4_mapped_peer": str(peer[0]).lower().startswith("::ffff:")}
