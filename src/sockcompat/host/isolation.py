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

import atexit
import collections
import importlib
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
#: Closing them on helper threads lets those waits overlap: concurrent closes share a grace period
#: (here 256 closes took 460 ms on 8 threads, 45 ms on 64; serially, 15 ms each).
SLOW_CLOSE_FAMILIES = frozenset({"AF_PACKET"})
SLOW_CLOSE_TYPES = frozenset({10})  # SOCK_PACKET (Linux include/linux/net.h), which Python does not name
CLOSERS = 64
MAX_PENDING_CLOSES = 256


def pending_closes_bound() -> int:
    """How many sockets may wait for a closer: at most a quarter of the soft descriptor limit, so
    a run near its limit never piles sockets up."""
    if sys.platform == "win32":  # no RLIMIT_NOFILE, and no AF_PACKET to close slowly
        return MAX_PENDING_CLOSES
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_PENDING_CLOSES
    return max(1, min(MAX_PENDING_CLOSES, soft // 4))


def slow_to_close(sock: Any) -> bool:
    family = getattr(getattr(sock, "family", None), "name", None)
    kind = getattr(sock, "type", None)
    return family in SLOW_CLOSE_FAMILIES or (isinstance(kind, int) and int(kind) in SLOW_CLOSE_TYPES)


class _Closer:
    """Closes slow-to-close sockets on a few daemon threads; ``drain`` waits until all are closed."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._pending = threading.BoundedSemaphore(pending_closes_bound())
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
        self._pending.acquire()  # bounded (pending_closes_bound)
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


class _Child:
    """One running child interpreter: its process, the answers its stdout gave, its stderr's tail."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from sockcompat.host.isolation import serve; serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.answers: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.stderr: collections.deque[str] = collections.deque(maxlen=5)
        threading.Thread(target=self._pump, daemon=True, name="sockcompat-child-out").start()
        threading.Thread(target=self._keep_tail, daemon=True, name="sockcompat-child-err").start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.answers.put(line)
        self.answers.put(None)  # the child is gone

    def _keep_tail(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line.rstrip())

    def ask(self, request: str, seconds: float) -> str | None:
        """Send one request line; its answer line, or None when the child died first."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(request + "\n")
            self.process.stdin.flush()
        except OSError:
            return None
        try:
            return self.answers.get(timeout=seconds)
        except queue.Empty:
            self.process.kill()
            self.process.wait()
            raise DeadlineExceeded(f"isolated probe gave no answer within {seconds:g} s") from None

    def stop(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()  # the child's loop ends at end of input
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class _Isolation:
    """The child interpreter of this process, started on first use and again after a crash or an
    overrun: starting one per probe cost more than the probes themselves (~60-100 ms each)."""

    def __init__(self) -> None:
        self._child: _Child | None = None

    def call(self, target: str, payload: Any, seconds: float) -> Any:
        if self._child is None or self._child.process.poll() is not None:
            self._child = _Child()
        child = self._child
        try:
            line = child.ask(json.dumps({"target": target, "payload": payload}), seconds)
        except DeadlineExceeded:
            self._child = None
            raise
        if line is None:
            code = child.process.wait()
            self._child = None
            tail = child.stderr[-1] if child.stderr else ""
            raise ChildCrashed(f"isolated probe exited with {code}: {tail}")
        answer = json.loads(line)
        if "raised" in answer:
            raise ChildCrashed(f"isolated probe raised {answer['raised']}")
        return answer["value"]

    def stop(self) -> None:
        if self._child is not None:
            self._child.stop()
            self._child = None


_isolation = _Isolation()
atexit.register(_isolation.stop)


def run_in_subprocess(target: str, payload: Any, seconds: float) -> Any:
    """Call ``module:function(payload)`` in this process's child interpreter; JSON in, JSON out.

    Raises DeadlineExceeded when the child overruns (it is killed) and ChildCrashed when it dies
    without an answer or the call raises there, so a hang or a crash becomes an observation of the
    probe that caused it. The next call starts a fresh child when this one is gone.
    """
    return _isolation.call(target, payload, seconds)


def serve() -> None:
    """The child's loop: one JSON request per line in, one JSON answer per line out."""
    answers, sys.stdout = sys.stdout, sys.stderr  # a probe that prints must not break the protocol
    for line in sys.stdin:
        request = json.loads(line)
        module, _, function = request["target"].partition(":")
        try:
            answer = {"value": getattr(importlib.import_module(module), function)(request["payload"])}
        except Exception as exc:  # reported to the parent, which records it
            answer = {"raised": f"{type(exc).__name__}: {exc}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
