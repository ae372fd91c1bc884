"""What every probe needs to know about the run: platform, privilege evidence, deadline, and the
socket-module surface it calls (the real module, or a simulated one in tests)."""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sockcompat.catalog.requirements import Requirement
from sockcompat.classify import Call, Classified, classify
from sockcompat.host import privilege as privilege_module
from sockcompat.host import surface
from sockcompat.host.isolation import DEFAULT_DEADLINE_S, with_deadline
from sockcompat.host.privilege import Privilege

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class ProbeContext:
    platform: str
    privilege: Privilege
    deadline_s: float = DEFAULT_DEADLINE_S
    surface: Any = socket

    @classmethod
    def for_this_host(cls, deadline_s: float = DEFAULT_DEADLINE_S) -> ProbeContext:
        """The context of the current surface: this host's, unless a simulation is active."""
        active = surface.current()
        return cls(platform=active.platform, privilege=active.privilege or privilege_module.current(),
                   deadline_s=deadline_s, surface=active.module)


class _Run:
    """This process's run: the deadline its pytest session chose, and the context judged from it
    with the surface state it was judged under."""

    deadline_s = DEFAULT_DEADLINE_S
    context: ProbeContext | None = None
    surface_state: tuple[object, object] | None = None


def set_run_deadline(seconds: float) -> None:
    """The pytest plugin's choice (``--sockcompat-timeout`` and friends), before any probe runs."""
    _Run.deadline_s, _Run.context = seconds, None


def run_context() -> ProbeContext:
    """The context the suites probe with: judged once per process (not per test item, which
    would cost a fixture lookup each), again only when a simulated surface comes or goes."""
    state = surface.state()
    if _Run.context is None or _Run.surface_state != state:
        _Run.context, _Run.surface_state = ProbeContext.for_this_host(_Run.deadline_s), state
    return _Run.context


@dataclasses.dataclass(frozen=True)
class StepResult:
    """A step's return value, or how it failed, and how long it took."""

    value: Any
    failure: Classified | None
    duration_s: float


def run_step(ctx: ProbeContext, fn: Callable[[], T], requirement: Requirement | None = None,
             call: Call | None = None) -> StepResult:
    """Run one probe step under the deadline and classify whatever it raises (``call`` names the
    step for errnos whose meaning depends on it)."""
    start = time.perf_counter()
    try:
        value = with_deadline(fn, ctx.deadline_s)
    except Exception as exc:
        failure = classify(exc, privilege=ctx.privilege, requirement=requirement, call=call,
                           platform=ctx.platform)
        return StepResult(None, failure, time.perf_counter() - start)
    return StepResult(value, None, time.perf_counter() - start)
