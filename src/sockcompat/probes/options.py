"""getsockopt, setsockopt(test value), getsockopt again: every option of one socket of the matrix.

Each option gets a fresh socket (options must not leak into each other: SO_LINGER, TCP_REPAIR,
IPV6_V6ONLY change later calls), closed right after, so nothing on the host is changed. The socket
is put in the state the option needs first (its prerequisite options set, or connected to a
loopback peer); when that fails, the steps are ``not-reached`` naming the call. Steps:
``get`` reads the default (its ``value``); ``set`` writes the test value and reads it back (its
``value`` is the read-back, its ``verdict`` echoed / changed / ignored). Read-only options have
only ``get``, write-only ones only ``set``. Errors are classified in ``classify`` with the option's
documented privilege as the requirement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sockcompat.catalog.option_table import (
    AS_READ,
    LOOPBACK_INDEX,
    LOOPBACK_INTERFACE,
    LOOPBACK_NAME,
    LOOPBACK_PEER,
    STATES,
    TOGGLE,
)
from sockcompat.catalog.option_values import INT_ONLY_FAMILIES, buffer_size, decode, encode, same
from sockcompat.catalog.options import (
    OptionCase,
    ResolvedOption,
    requirement_for_option,
    resolve_option,
    spec_named,
)
from sockcompat.catalog.requirements import Requirement
from sockcompat.classify import Classified
from sockcompat.host.isolation import close_soon
from sockcompat.observation import Observation, Verdict
from sockcompat.probes.context import ProbeContext, run_step
from sockcompat.probes.fields import of_row, undefined


class Unresolvable(Exception):
    """A test value marker that cannot be resolved on this host (no loopback interface index)."""


def probe(case: OptionCase, ctx: ProbeContext) -> list[Observation]:
    """Every option observation for one socket, in catalog order."""
    observations: list[Observation] = []
    for option in case.options:
        observations.extend(probe_option(case, option, ctx))
    return observations


def steps_of(access: str) -> tuple[str, ...]:
    return {"ro": ("get",), "wo": ("set",)}.get(access, ("get", "set"))


def judge(kind: str, expected: Any, default: Any, read_back: Any) -> tuple[Verdict, str]:
    """Echoed, ignored (still the default) or changed, and a note saying how."""
    if same(kind, read_back, expected):
        if default is not None and same(kind, default, expected):
            return "echoed", "the test value equals the default: echoed and ignored look alike"
        return "echoed", ""
    if default is not None and same(kind, read_back, default):
        return "ignored", f"set {expected!r}, read back the default {read_back!r}"
    if isinstance(expected, int) and isinstance(read_back, int) and expected and read_back == 2 * expected:
        return "changed", f"set {expected}, read back {read_back}: doubled"
    return "changed", f"set {expected!r}, read back {read_back!r}"


#: The loopback address a socket of each IP family talks to.
LOOPBACK_ADDRESS = {"AF_INET": "127.0.0.1", "AF_INET6": "::1"}


def loopback_interface(platform: str, surface: Any) -> tuple[int, str]:
    """(index, name) of the loopback interface, looked up among this host's interfaces by the OS's
    naming pattern: the name is not fixed everywhere (Windows ``loopback_0``, Wine ``loopback_1``)."""
    pattern = LOOPBACK_INTERFACE.get(platform)
    if pattern is None:
        raise Unresolvable(f"no loopback interface name known for {platform}")
    try:
        interfaces = list(surface.if_nameindex())
    except (OSError, AttributeError) as exc:
        raise Unresolvable(f"cannot list interfaces to find the loopback ({pattern}): {exc}") from None
    found = sorted((index, name) for index, name in interfaces if re.fullmatch(pattern, name))
    if not found:
        raise Unresolvable(f"no interface named like {pattern} among {len(interfaces)}")
    return int(found[0][0]), str(found[0][1])


def resolve_test_value(value: Any, default: Any, platform: str, surface: Any, family: str = "AF_INET") -> Any:
    """Replace the catalog's markers with this host's values."""
    if value == TOGGLE:
        return 0 if isinstance(default, int) and default else 1
    if value == AS_READ:
        if default is None:
            raise Unresolvable("no default was read to write back")
        return default
    if value == LOOPBACK_PEER:
        if family not in LOOPBACK_ADDRESS:
            raise Unresolvable(f"no loopback peer address for {family}")
        return LOOPBACK_ADDRESS[family]
    if value in (LOOPBACK_INDEX, LOOPBACK_NAME):
        index, name = loopback_interface(platform, surface)
        return name if value == LOOPBACK_NAME else index
    if isinstance(value, tuple):
        return tuple(resolve_test_value(v, default, platform, surface, family) for v in value)
    return value


########################################################################################
# one option


def _fields(case: OptionCase, option: ResolvedOption) -> dict[str, Any]:
    sock = case.socket
    return of_row(case.option_id(option), "option", sock.family, sock.type, sock.proto, option.level,
                  option.option)


def probe_option(case: OptionCase, option: ResolvedOption, ctx: ProbeContext) -> list[Observation]:
    """The ``get`` and/or ``set`` observations of one option on a fresh socket."""
    spec = option.spec
    fields = _fields(case, option)
    steps = steps_of(spec.access)
    if option.missing:
        detail = undefined(ctx.platform, option.missing)
        return [Observation(**fields, step=step, outcome="no-constant", detail=detail) for step in steps]
    unreachable = spec.not_probed or _state_out_of_reach(case, spec.needs)
    if unreachable:
        return [Observation(**fields, step=step, outcome="not-applicable", detail=unreachable)
                for step in steps]
    requirement = requirement_for_option(ctx.platform, spec.level, spec.name)
    opened = run_step(ctx, lambda: _new_socket(ctx, case))
    if opened.failure is not None:
        return [Observation.failed(fields, step, opened.failure, duration_s=opened.duration_s,
                                   context="socket(): ") for step in steps]
    sock = opened.value
    peers: list[Any] = []
    try:
        blocked = _enter_state(ctx, case, option, sock, peers)
        if blocked is not None:
            return [Observation(**fields, step=step, outcome="not-reached", detail=blocked) for step in steps]
        return _get_and_set(ctx, sock, option, fields, steps, requirement)
    finally:
        for each in (sock, *peers):
            close_soon(each)


def _new_socket(ctx: ProbeContext, case: OptionCase) -> Any:
    sock = case.socket
    return ctx.surface.socket(sock.family.number, sock.type.number, sock.proto_argument)


def _state_out_of_reach(case: OptionCase, needs: str) -> str:
    """Why the state an option needs cannot be set up here (empty when it can or none is needed)."""
    if not needs:
        return ""
    if needs not in STATES:
        return f"needs {needs}: not set up by this suite"
    if case.socket.family.name not in LOOPBACK_ADDRESS:
        return f"needs a {needs} socket: this suite connects only IP sockets (to loopback)"
    return ""


def _enter_state(ctx: ProbeContext, case: OptionCase, option: ResolvedOption, sock: Any,
                 peers: list[Any]) -> str | None:
    """Set the option's prerequisites and connect it if it needs that; the failed call, or None."""
    for name in option.spec.after:
        failure = _prepare(ctx, sock, option.spec.level, name)
        if failure is not None:
            return f"{name} first: {failure.outcome} {failure.errno or ''}".rstrip()
    if option.spec.needs == "connected":
        connected = run_step(ctx, lambda: _connect_to_loopback(ctx, case, sock, peers))
        if connected.failure is not None:
            failure = connected.failure
            return f"connect() to a loopback peer: {failure.outcome} {failure.errno or ''}".rstrip()
    return None


def _connect_to_loopback(ctx: ProbeContext, case: OptionCase, sock: Any, peers: list[Any]) -> None:
    """Connect ``sock`` to a loopback peer: a listener of the same kind for connection-oriented
    types (never accepted: the backlog holds the connection), else just the address."""
    address = LOOPBACK_ADDRESS[case.socket.family.name]
    if case.socket.type.name in ("SOCK_STREAM", "SOCK_SEQPACKET"):
        listener = _new_socket(ctx, case)
        peers.append(listener)
        listener.bind((address, 0))
        listener.listen(1)
        sock.connect(listener.getsockname()[:2])
    else:
        sock.connect((address, 9))  # the discard port: a datagram or raw connect sends nothing


def _reader(ctx: ProbeContext, sock: Any, option: ResolvedOption, family: str) -> Callable[[], Any]:
    spec = option.spec
    size = buffer_size(spec.kind, ctx.platform, spec.size, family)
    level, number = option.level.number, option.option.number

    int_only = family in INT_ONLY_FAMILIES

    def read() -> Any:
        raw = sock.getsockopt(level, number) if size is None else sock.getsockopt(level, number, size)
        return decode(spec.kind, raw, ctx.platform, int_only)

    return read


def _get_and_set(ctx: ProbeContext, sock: Any, option: ResolvedOption, fields: dict[str, Any],
                 steps: tuple[str, ...], requirement: Requirement | None) -> list[Observation]:
    observations: list[Observation] = []
    read = _reader(ctx, sock, option, fields["family"])
    default: Any = None
    if "get" in steps:
        got = run_step(ctx, read, requirement)
        if got.failure is not None:
            observations.append(Observation.failed(fields, "get", got.failure, duration_s=got.duration_s))
        else:
            default = got.value
            observations.append(Observation(**fields, step="get", outcome="supported", value=default,
                                            detail=_by_number(option), duration_s=got.duration_s))
    if "set" in steps:
        observations.append(_set(ctx, sock, option, fields, default, read, requirement))
    return observations


def _by_number(option: ResolvedOption) -> str:
    missing = [c.name for c in (option.level, option.option) if not c.python_constant]
    return f"by number: Python has no constant {', '.join(missing)}" if missing else ""


def _set(ctx: ProbeContext, sock: Any, option: ResolvedOption, fields: dict[str, Any], default: Any,
         read: Callable[[], Any], requirement: Requirement | None) -> Observation:
    spec = option.spec
    if spec.test is None:
        return Observation(**fields, step="set", outcome="not-applicable",
                           detail=f"no safe test value: {spec.note}".rstrip(": "))
    try:
        value = resolve_test_value(spec.test, default, ctx.platform, ctx.surface, fields["family"])
    except Unresolvable as exc:
        return Observation(**fields, step="set", outcome="not-applicable", detail=str(exc))
    level, number = option.level.number, option.option.number
    int_only = fields["family"] in INT_ONLY_FAMILIES

    def write() -> Any:
        encoded = encode(spec.kind, value, ctx.platform, int_only)
        sock.setsockopt(level, number, encoded)
        return decode(spec.kind, encoded, ctx.platform, int_only)

    written = run_step(ctx, write, requirement)
    if written.failure is not None:
        return Observation.failed(fields, "set", written.failure, duration_s=written.duration_s)
    duration = written.duration_s
    if spec.access == "wo":
        return Observation(**fields, step="set", outcome="supported", duration_s=duration,
                           detail="; ".join(filter(None, ["write-only: no read-back", _by_number(option)])))
    again = run_step(ctx, read, requirement)
    duration += again.duration_s
    if again.failure is not None:
        return Observation(**fields, step="set", outcome="supported", duration_s=duration,
                           detail=f"set; read-back failed: {again.failure.errno} {again.failure.detail}")
    verdict, note = judge(spec.kind, written.value, default, again.value)
    return Observation(**fields, step="set", outcome="supported", value=again.value, verdict=verdict,
                       detail="; ".join(filter(None, [note, _by_number(option)])), duration_s=duration)


def _prepare(ctx: ProbeContext, sock: Any, level: str, name: str) -> Classified | None:
    """Set a prerequisite option (IP_ADD_MEMBERSHIP before IP_DROP_MEMBERSHIP) to its test value."""
    spec = spec_named(ctx.platform, level, name)
    if spec is None:
        raise LookupError(f"catalog names {level}.{name} as a prerequisite but has no row for it")
    option = resolve_option(ctx.surface, ctx.platform, spec)
    if option.missing:
        return Classified("no-constant", None, None, f"{name} is not defined here")

    def write() -> None:
        value = resolve_test_value(spec.test, None, ctx.platform, ctx.surface)
        sock.setsockopt(option.level.number, option.option.number, encode(spec.kind, value, ctx.platform))

    return run_step(ctx, write, requirement_for_option(ctx.platform, level, name)).failure
