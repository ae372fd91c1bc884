"""Non-blocking accept and connect: accept with nothing pending must say "would block", connect
returns at once (EINPROGRESS or done), completes when writable, then accept takes it."""

from __future__ import annotations

import os
import select
import socket
from typing import Any

from sockcompat.catalog import addresses
from sockcompat.catalog.errnos import canonical_name
from sockcompat.classify import HOST_ERRNO_NAMES
from sockcompat.observation import Observation
from sockcompat.probes.context import ProbeContext
from sockcompat.probes.fields import missing, named
from sockcompat.probes.steps import Mismatch, Steps, pair_of, private_dir

STEPS = ("create", "bind", "listen", "accept-empty", "connect", "connect-complete", "accept", "close")


def case_id(family: str) -> str:
    return f"transfer/{family}/SOCK_STREAM/0/nonblocking"


def errno_name(code: int) -> str:
    return "0" if code == 0 else canonical_name(code, HOST_ERRNO_NAMES)


def probe(family: str, ctx: ProbeContext) -> list[Observation]:
    surface = ctx.surface
    steps = Steps(ctx, named(case_id(family), "transfer", surface, ctx.platform, family, "SOCK_STREAM"))
    if missing(surface, family):
        steps.record("create", "no-constant", f"Python defines no {family}")
    with private_dir() as workdir:
        server, client = pair_of(steps.run("create", lambda: (
            nonblocking(steps, surface.socket(getattr(surface, family), surface.SOCK_STREAM)),
            nonblocking(steps, surface.socket(getattr(surface, family), surface.SOCK_STREAM)),
        )))
        steps.run("bind", lambda: server.bind(addresses.local_address(family, "path", workdir, "s")))
        steps.run("listen", lambda: server.listen(1))
        steps.run("accept-empty", lambda: would_block(server), value=lambda v: v)
        steps.run("connect", lambda: errno_name(client.connect_ex(server.getsockname())), value=lambda v: v)
        steps.run("connect-complete", lambda: completed(steps, client))
        steps.run("accept", lambda: accept_ready(steps, server))
        steps.close_step()
    steps.rest_not_reached(STEPS)
    return steps.observations


def nonblocking(steps: Steps, sock: Any) -> Any:
    steps.keep(sock)
    sock.setblocking(False)
    return sock


def would_block(server: Any) -> str:
    """accept() with nothing pending must raise BlockingIOError; its errno name is the value."""
    try:
        conn, _ = server.accept()
    except BlockingIOError as exc:
        return errno_name(exc.errno or 0)
    conn.close()
    raise Mismatch("accept returned a connection although none was pending")


def completed(steps: Steps, client: Any) -> None:
    """Wait until writable; SO_ERROR is then the connect's own result (0, or raised)."""
    seconds = steps.ctx.deadline_s
    _, writable, _ = select.select([], [client], [], seconds)
    if not writable:
        raise socket.timeout(f"not writable within {seconds:g} s")
    surface = steps.ctx.surface
    code = client.getsockopt(surface.SOL_SOCKET, surface.SO_ERROR)
    if code:
        raise OSError(code, os.strerror(code))


def accept_ready(steps: Steps, server: Any) -> None:
    seconds = steps.ctx.deadline_s
    readable, _, _ = select.select([server], [], [], seconds)
    if not readable:
        raise socket.timeout(f"no pending connection within {seconds:g} s")
    steps.keep(server.accept()[0])
