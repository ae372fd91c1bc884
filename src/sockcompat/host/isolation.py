"""Deadlines for probe steps, and a subprocess for probes that can hang or kill the interpreter.

On the main thread of a POSIX process a step's deadline is a one-shot interval timer: SIGALRM's
handler raises inside the blocked call (PEP 475 retries a call only when the handler returns), so a
step costs two setitimer() calls, not a thread hand-off. Elsewhere (Windows, another thread, a
SIGALRM handler or timer someone else owns) a blocking socket call cannot be interrupted portably,
so the step runs on a helper thread and the caller waits at most its deadline; a step that overruns
leaves its thread behind (a daemon, so the interpreter can still exit) and the next step gets a
fresh thread. Probes that could crash the process (Windows raw TCP bind has; see socket2#411) go
through ``run_in_subprocess``.
"""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sockcompat.errors import ChildCrashed, DeadlineExceeded

T = TypeVar("T")

DEFAULT_DEADLINE_S = 5.0


class _Job:
    __slots__ = ("done", "error", "fn", "result")

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None


class DeadlineRunner:
    """Runs calls on a reusable daemon thread, waiting at most a deadline for each."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job] | None = None

    def _worker(self, jobs: queue.SimpleQueue[_Job]) -> None:
        while True:
            job = jobs.get()
            try:
                job.result = job.fn()
            except BaseException as exc:  # handed to the caller, which classifies it
                job.error = exc
            job.done.set()

    def call(self, fn: Callable[[], T], seconds: float) -> T:
        """``fn()``'s result, or DeadlineExceeded after ``seconds``; exceptions pass through."""
        if self._jobs is None:
            self._jobs = queue.SimpleQueue()
            threading.Thread(target=self._worker, args=(self._jobs,), daemon=True,
                             name="sockcompat-deadline").start()
        job = _Job(fn)
        self._jobs.put(job)
        if not job.done.wait(seconds):
            self._jobs = None  # abandon the stuck thread; the next call starts a fresh one
            raise DeadlineExceeded(f"no answer within {seconds:g} s")
        if job.error is not None:
            raise job.error
        result: T = job.result
        return result


_runner = DeadlineRunner()


class AlarmDeadline:
    """A deadline as SIGALRM on the main thread; ``usable()`` says when it may be used."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.armed = False

    def _on_alarm(self, signum: int, frame: object) -> None:
        if self.armed:
            self.armed = False
            raise DeadlineExceeded(f"no answer within {self.seconds:g} s")

    def usable(self) -> bool:
        """Only on the main thread, with SIGALRM's handler ours or the default, and no timer running
        (pytest-timeout's signal method, for one, owns both while it is active)."""
        if sys.platform == "win32" or threading.current_thread() is not threading.main_thread():
            return False
        handler = signal.getsignal(signal.SIGALRM)
        if handler == self._on_alarm:
            return True
        ours = isinstance(getattr(handler, "__self__", None), AlarmDeadline)
        if not ours and (handler not in (signal.SIG_DFL, None) or signal.getitimer(signal.ITIMER_REAL)[0]):
            return False
        signal.signal(signal.SIGALRM, self._on_alarm)
        return True

    def call(self, fn: Callable[[], T], seconds: float) -> T:
        """``fn()``'s result, or DeadlineExceeded raised inside it after ``seconds``."""
        if sys.platform == "win32":  # never usable there; the branch tells type checkers so
            return fn()
        self.seconds, self.armed = seconds, True
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return fn()
        finally:
            self.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)


_alarm = AlarmDeadline()


def with_deadline(fn: Callable[[], T], seconds: float = DEFAULT_DEADLINE_S) -> T:
    """Run ``fn`` with a deadline: an alarm where one is usable, else the helper thread."""
    if _alarm.usable():
        return _alarm.call(fn, seconds)
    return _runner.call(fn, seconds)


#: Sockets whose close() waits for the kernel (AF_PACKET: packet_release -> synchronize_net(), an
#: RCU grace period of ~10-16 ms each; Linux turns AF_INET + SOCK_PACKET into a packet socket too).
#: Closing them on helper threads lets those waits overlap.
SLOW_CLOSE_FAMILIES = frozenset({"AF_PACKET"})
SLOW_CLOSE_TYPES = frozenset({10})  # SOCK_PACKET (Linux include/linux/net.h), which Python does not name
CLOSERS = 8
MAX_PENDING_CLOSES = 64


def slow_to_close(sock: Any) -> bool:
    family = getattr(getattr(sock, "family", None), "name", None)
    kind = getattr(sock, "type", None)
    return family in SLOW_CLOSE_FAMILIES or (isinstance(kind, int) and int(kind) in SLOW_CLOSE_TYPES)


class _Closer:
    """Closes slow-to-close sockets on a few daemon threads; ``drain`` waits until all are closed."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._pending = threading.BoundedSemaphore(MAX_PENDING_CLOSES)
        self._idle = threading.Condition()
        self._in_flight = 0
        self._started = False

    def _work(self) -> None:
        while True:
            sock = self._queue.get()
            try:
                sock.close()
            except OSError:
                pass  # nothing to record: the probe's observation was made before close
            finally:
                self._pending.release()
                with self._idle:
                    self._in_flight -= 1
                    self._idle.notify_all()

    def close(self, sock: Any) -> None:
        if not slow_to_close(sock):
            sock.close()
            return
        self._pending.acquire()  # bounded: a run near its fd limit never piles sockets up
        with self._idle:
            if not self._started:
                for _ in range(CLOSERS):
                    threading.Thread(target=self._work, daemon=True, name="sockcompat-closer").start()
                self._started = True
            self._in_flight += 1
        self._queue.put(sock)

    def drain(self) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0)


_closer = _Closer()


def close_soon(sock: Any) -> None:
    """Close ``sock``: now, or on a closer thread when its family's close() is slow."""
    _closer.close(sock)


def drain_closes() -> None:
    """Wait until every socket handed to ``close_soon`` is closed (before a run ends)."""
    _closer.drain()


def run_in_subprocess(target: str, payload: Any, seconds: float) -> Any:
    """Call ``module:function(payload)`` in a fresh interpreter; JSON in, JSON out.

    Raises DeadlineExceeded when the child overruns (it is killed) and ChildCrashed when it dies
    without an answer, so a hang or a crash becomes an observation of the probe that caused it.
    """
    module, _, function = target.partition(":")
    script = (
        "import json, sys, importlib\n"
        f"fn = getattr(importlib.import_module({module!r}), {function!r})\n"
        "json.dump(fn(json.load(sys.stdin)), sys.stdout)\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script], input=json.dumps(payload), capture_output=True,
            text=True, timeout=seconds, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise DeadlineExceeded(f"isolated probe gave no answer within {seconds:g} s") from exc
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or [""]
        raise ChildCrashed(f"isolated probe exited with {done.returncode}: {tail[0]}")
    return json.loads(done.stdout)
