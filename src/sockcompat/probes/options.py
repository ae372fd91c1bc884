"""getsockopt, setsockopt(test value), getsockopt again: every option of one socket of the matrix.

Each option gets a fresh socket (options must not leak into each other: SO_LINGER, TCP_REPAIR,
IPV6_V6ONLY change later calls), closed right after, so nothing on the host is changed. Steps:
``get`` reads the default (its ``value``); ``set`` writes the test value and reads it back (its
``value`` is the read-back, its ``verdict`` echoed / changed / ignored). Read-only options have
only ``get``, write-only ones only ``set``. Errors are classified in ``classify`` with the option's
documented privilege as the requirement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sockcompat.catalog.option_values import buffer_size, decode, encode, same
from sockcompat.catalog.options import (
    INT_ONLY_FAMILIES,
    LOOPBACK_INDEX,
    LOOPBACK_INTERFACE,
    LOOPBACK_NAME,
    TOGGLE,
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


def resolve_test_value(value: Any, default: Any, platform: str, surface: Any) -> Any:
    """Replace the catalog's markers with this host's values."""
    if value == TOGGLE:
        return 0 if isinstance(default, int) and default else 1
    if value in (LOOPBACK_INDEX, LOOPBACK_NAME):
        name = LOOPBACK_INTERFACE.get(platform)
        if name is None:
            raise Unresolvable(f"no loopback interface name known for {platform}")
        if value == LOOPBACK_NAME:
            return name
        try:
            return int(surface.if_nametoindex(name))
        except (OSError, AttributeError) as exc:
            raise Unresolvable(f"no index for loopback interface {name}: {exc}") from None
    if isinstance(value, tuple):
        return tuple(resolve_test_value(v, default, platform, surface) for v in value)
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
    requirement = requirement_for_option(ctx.platform, spec.level, spec.name)
    opened = run_step(ctx, lambda: ctx.surface.socket(
        case.socket.family.number, case.socket.type.number, case.socket.proto_argument))
    if opened.failure is not None:
        return [Observation.failed(fields, step, opened.failure, duration_s=opened.duration_s,
                                   context="socket(): ") for step in steps]
    sock = opened.value
    try:
        return _get_and_set(ctx, sock, option, fields, steps, requirement)
    finally:
        close_soon(sock)


def _reader(ctx: ProbeContext, sock: Any, option: ResolvedOption) -> Callable[[], Any]:
    spec = option.spec
    size = buffer_size(spec.kind, ctx.platform, spec.size)
    level, number = option.level.number, option.option.number

    def read() -> Any:
        raw = sock.getsockopt(level, number) if size is None else sock.getsockopt(level, number, size)
        return decode(spec.kind, raw, ctx.platform)

    return read


def _get_and_set(ctx: ProbeContext, sock: Any, option: ResolvedOption, fields: dict[str, Any],
                 steps: tuple[str, ...], requirement: Requirement | None) -> list[Observation]:
    observations: list[Observation] = []
    read = _reader(ctx, sock, option)
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
        value = resolve_test_value(spec.test, default, ctx.platform, ctx.surface)
    except Unresolvable as exc:
        return Observation(**fields, step="set", outcome="not-applicable", detail=str(exc))
    if spec.after is not None:
        failure = _prepare(ctx, sock, spec.after)
        if failure is not None:
            return Observation(**fields, step="set", outcome="not-reached",
                               detail=f"{spec.after} first: {failure.outcome} {failure.errno or ''}".rstrip())
    level, number = option.level.number, option.option.number
    int_only = fields["family"] in INT_ONLY_FAMILIES

    def write() -> Any:
        encoded = encode(spec.kind, value, ctx.platform, int_only)
        sock.setsockopt(level, number, encoded)
        return decode(spec.kind, encoded, ctx.platform)

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


def _prepare(ctx: ProbeContext, sock: Any, name: str) -> Classified | None:
    """Set a prerequisite option (IP_ADD_MEMBERSHIP before IP_DROP_MEMBERSHIP) to its test value."""
    spec = spec_named(name)
    if spec is None:
        raise LookupError(f"catalog names {name} as a prerequisite but has no row for it")
    option = resolve_option(ctx.surface, ctx.platform, spec)
    if option.missing:
        return Classified("no-constant", None, None, f"{name} is not defined here")

    def write() -> None:
        value = resolve_test_value(spec.test, None, ctx.platform, ctx.surface)
        sock.setsockopt(option.level.number, option.option.number, encode(spec.kind, value, ctx.platform))

    return run_step(ctx, write).failure
