"""A probe's calls in order, each its own Observation (same id, its own step).

After the first failed step the remaining ones are recorded ``not-reached``, so a report row says
"creates, binds, but connect is refused". Sockets a probe opens are registered here and closed in
``finish`` whatever happened; AF_UNIX paths live in a private temp dir removed there too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sockcompat.catalog.requirements import Requirement
from sockcompat.classify import Call
from sockcompat.errors import NotHonoured
from sockcompat.observation import JSONValue, Observation, Outcome
from sockcompat.probes.asking import Asking, asking
from sockcompat.probes.context import ProbeContext, run_step


class Mismatch(NotHonoured):
    """The call returned, but not what the probe sent or the flag promises (``unsupported``)."""


class Steps:
    """Runs and records the steps of one probe id."""

    def __init__(self, ctx: ProbeContext, fields: Mapping[str, Any],
                 requirement: Requirement | None = None) -> None:
        self.ctx = ctx
        self.fields = dict(fields)
        self.requirement = requirement
        self.observations: list[Observation] = []
        self.failed_step: str | None = None
        self._sockets: list[Any] = []

    @property
    def ok(self) -> bool:
        return self.failed_step is None

    def run(self, step: str, fn: Callable[[], Any], *,
            value: Callable[[Any], JSONValue] | None = None, detail: str = "", stop: bool = True) -> Any:
        """Run ``fn`` as ``step`` and record it; returns its result, or None once anything failed.
        ``stop=False``: a refusal is the finding (rebinding a stale path), not the end of the run."""
        if self.failed_step is not None:
            self.not_reached(step)
            return None
        call = Call(self.ctx.platform, str(self.fields.get("family")), str(self.fields.get("proto")), step)
        result = run_step(self.ctx, fn, self.requirement, call)
        if result.failure is not None:
            if stop:
                self.failed_step = step
            self.observations.append(
                Observation.failed(self.fields, step, result.failure, duration_s=result.duration_s))
            return None
        self.observations.append(Observation(
            **self.fields, step=step, outcome="supported", detail=detail,
            value=None if value is None else value(result.value), duration_s=result.duration_s,
        ))
        return result.value

    def record(self, step: str, outcome: Outcome, detail: str = "", value: JSONValue = None) -> None:
        """An observation the probe judged itself (a value, not an exception); a non-supported
        outcome stops the sequence like a failed call does."""
        if self.failed_step is not None:
            self.not_reached(step)
            return
        self.observations.append(Observation(**self.fields, step=step, outcome=outcome, detail=detail,
                                             value=value))
        if outcome != "supported":
            self.failed_step = step

    def not_reached(self, step: str) -> None:
        if any(o.step == step for o in self.observations):
            return  # already observed: the step that failed, recorded by ``record``
        self.observations.append(Observation(
            **self.fields, step=step, outcome="not-reached", detail=f"after {self.failed_step} failed",
        ))

    def rest_not_reached(self, steps: tuple[str, ...]) -> None:
        """Record every listed step not yet observed as ``not-reached`` (after a failure)."""
        for step in steps:
            self.not_reached(step)

    def keep(self, sock: Any) -> Any:
        """Register a socket to be closed by ``close_all``; returns it asking first and waiting
        at most the step deadline (``asking``), so an immediate refusal is seen and a blocking
        call ends itself."""
        self._sockets.append(sock.sock if isinstance(sock, Asking) else sock)
        return asking(sock, self.ctx.deadline_s)

    def close_all(self) -> None:
        """Close every registered socket; a close that fails raises (the ``close`` step records it).
        A shutdown first wakes a call still blocked after its deadline (Linux close does not)."""
        errors: list[BaseException] = []
        while self._sockets:
            sock = self._sockets.pop()
            with contextlib.suppress(OSError, AttributeError, ValueError):
                sock.shutdown(2)
            try:
                sock.close()
            except OSError as exc:
                errors.append(exc)
        if errors:
            raise errors[0]

    def close_step(self, step: str = "close") -> None:
        """The ``close`` step: recorded when the sequence got that far, else not-reached;
        the sockets are closed either way."""
        if self.failed_step is None:
            self.run(step, self.close_all)
        else:
            self.not_reached(step)
        with contextlib.suppress(OSError):
            self.close_all()


def pair_of(value: Any) -> tuple[Any, Any]:
    """A step's two results (server and client), or two Nones when the step did not run."""
    return (None, None) if value is None else (value[0], value[1])


@contextlib.contextmanager
def private_dir() -> Iterator[str]:
    """A short private directory for AF_UNIX paths (sun_path is 104 bytes on macOS), removed
    with everything in it."""
    path = tempfile.mkdtemp(prefix="sc", dir=_short_tmp())
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _short_tmp() -> str | None:
    """/tmp when it exists and is short, else the platform default (a long TMPDIR breaks
    AF_UNIX paths: cpython#93852)."""
    if sys.platform != "win32" and os.path.isdir("/tmp") and os.access("/tmp", os.W_OK):
        return "/tmp"
    return None

