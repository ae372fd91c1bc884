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
