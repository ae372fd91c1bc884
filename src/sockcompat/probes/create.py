"""socket() then close(), for one (family, type, protocol) row of the create matrix."""

from __future__ import annotations

from typing import Any, Protocol

from sockcompat.catalog.constants import Constant
from sockcompat.catalog.create import CreateCase
from sockcompat.catalog.option_values import int_result
from sockcompat.catalog.requirements import requirement_for
from sockcompat.classify import Call
from sockcompat.host.isolation import close_soon
from sockcompat.observation import Observation
from sockcompat.probes.context import ProbeContext, run_step
from sockcompat.probes.fields import of_row, undefined


def _fields(case: CreateCase) -> dict[str, Any]:
    return of_row(case.id, "create", case.family, case.type, case.proto)


def _create_and_close(ctx: ProbeContext, case: CreateCase) -> int | None:
    """Create and close the socket; return the SO_TYPE the OS reports (None if it won't say)."""
    sock = ctx.surface.socket(case.family.number, case.type.number, case.proto_argument)
    try:
        try:
            so_type = int(sock.getsockopt(ctx.surface.SOL_SOCKET, ctx.surface.SO_TYPE))
            return int_result(so_type, case.family.name)  # AF_VSOCK reads it into 8 bytes
        except (OSError, AttributeError):
            return None
    finally:
        close_soon(sock)


class Row(Protocol):
    """Any catalog row that names a socket to create (create, transfer and option rows do)."""

    @property
    def family(self) -> Constant: ...
    @property
    def type(self) -> Constant: ...
    @property
    def proto_argument(self) -> int: ...


def creates(row: Row, ctx: ProbeContext) -> bool:
    """A collection-time check, recorded nowhere: does socket() give this row a socket here?
    Suites that only make sense on sockets that exist (options, address-less rows) ask it."""

    def make() -> None:
        close_soon(ctx.surface.socket(row.family.number or 0, row.type.number or 0, row.proto_argument))

    return run_step(ctx, make).failure is None


def probe(case: CreateCase, ctx: ProbeContext) -> Observation:
    """One create observation: supported only when socket() returned a socket."""
    fields = _fields(case)
    if case.missing:
        return Observation(**fields, step="create", outcome="no-constant",
                           detail=undefined(ctx.platform, case.missing))
    requirement = requirement_for(ctx.platform, case.family.name, case.type.name, case.proto.name)
    call = Call(ctx.platform, case.family.name, case.proto.name, "create")
    result = run_step(ctx, lambda: _create_and_close(ctx, case), requirement, call)
    if result.failure is not None:
        return Observation.failed(fields, "create", result.failure, duration_s=result.duration_s)
    so_type = result.value
    detail = "" if so_type in (None, case.type.number) else f"created with SO_TYPE {so_type}"
    if not case.proto.python_constant or not case.family.python_constant or not case.type.python_constant:
        detail = "; ".join(filter(None, ["by number: Python has no constant", detail]))
    return Observation(**fields, step="create", outcome="supported", value=so_type, detail=detail,
                       duration_s=result.duration_s)
