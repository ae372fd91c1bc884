"""Deadlines and subprocess isolation: a hang or a crash becomes an observation, never a stuck run."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time

import pytest

from sockcompat.errors import ChildCrashed, DeadlineExceeded
from sockcompat.host import isolation
from sockcompat.host.isolation import DeadlineRunner, close_soon, drain_closes, run_in_subprocess


def test_result_and_exceptions_pass_through() -> None:
    runner = DeadlineRunner()
    assert runner.call(lambda: 42, 1.0) == 42
    with pytest.raises(ZeroDivisionError):
        runner.call(lambda: 1 // 0, 1.0)


def test_overrun_raises_and_the_next_call_gets_a_fresh_thread() -> None:
    runner = DeadlineRunner()
    release = threading.Event()
    with pytest.raises(DeadlineExceeded):
        runner.call(lambda: release.wait(5), 0.05)
    assert runner.call(lambda: "next", 1.0) == "next"
    release.set()


def test_subprocess_answers_json() -> None:
    assert run_in_subprocess("json:loads", "[1, 2]", 30) == [1, 2]


def test_subprocess_overrun_is_a_deadline() -> None:
    with pytest.raises(DeadlineExceeded):
        run_in_subprocess("time:sleep", 30, 0.5)


def test_subprocess_death_is_reported() -> None:
    """A segfault in the child (faulthandler's test hook) is reported, not inherited."""
    with pytest.raises(ChildCrashed, match="exited with -"):
        run_in_subprocess("faulthandler:_sigsegv", False, 30)


@pytest.mark.skipif(not os.path.islink("/proc/self"), reason="the child's pid is read from /proc/self")
def test_one_child_serves_many_calls_and_a_new_one_follows_a_crash_or_an_overrun() -> None:
    first = run_in_subprocess("os:readlink", "/proc/self", 30)
    assert run_in_subprocess("os:readlink", "/proc/self", 30) == first != str(os.getpid())
    assert run_in_subprocess("builtins:print", "a probe that prints", 30) is None
    with pytest.raises(ChildCrashed, match="raised JSONDecodeError"):
        run_in_subprocess("json:loads", "not json", 30)
    assert run_in_subprocess("os:readlink", "/proc/self", 30) == first  # an exception is an answer
    with pytest.raises(ChildCrashed):
        run_in_subprocess("faulthandler:_sigsegv", False, 30)
    second = run_in_subprocess("os:readlink", "/proc/self", 30)
    assert second != first
    with pytest.raises(DeadlineExceeded):
        run_in_subprocess("time:sleep", 30, 0.5)
    assert run_in_subprocess("os:readlink", "/proc/self", 30) not in (first, second)


class SlowSocket:
    """Stands in for an AF_PACKET socket whose close() waits for the kernel."""

    class family:  # mimics socket.AddressFamily: only .name is read
        name = "AF_PACKET"

    def __init__(self) -> None:
        self.closed = threading.Event()

    def close(self) -> None:
        time.sleep(0.05)
        self.closed.set()


def test_slow_closes_overlap_and_drain_waits_for_them() -> None:
    sockets = [SlowSocket() for _ in range(16)]
    start = time.perf_counter()
    for sock in sockets:
        close_soon(sock)
    drain_closes()
    assert all(s.closed.is_set() for s in sockets)
    assert time.perf_counter() - start < 16 * 0.05  # the waits overlapped instead of adding up


def test_other_sockets_close_at_once() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    close_soon(sock)
    assert sock.fileno() == -1


def test_the_alarm_interrupts_a_blocked_call_and_is_disarmed_after() -> None:
    if sys.platform == "win32":  # tells type checkers too
        pytest.skip("no SIGALRM on Windows")
    left, right = socket.socketpair()
    with left, right:
        alarm = isolation.AlarmDeadline()
        assert alarm.usable()
        start = time.perf_counter()
        with pytest.raises(DeadlineExceeded):
            alarm.call(lambda: left.recv(1), 0.05)
        assert time.perf_counter() - start < 5
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert alarm.call(lambda: "next", 1.0) == "next"


def test_the_alarm_steps_aside_for_another_handler_and_another_thread() -> None:
    if sys.platform == "win32":  # tells type checkers too
        pytest.skip("no SIGALRM on Windows")
    alarm = isolation.AlarmDeadline()
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: None)
    try:
        assert not alarm.usable()
    finally:
        signal.signal(signal.SIGALRM, previous)
    seen: list[bool] = []
    worker = threading.Thread(target=lambda: seen.append(isolation.AlarmDeadline().usable()))
    worker.start()
    worker.join()
    assert seen == [False]


def test_with_deadline_uses_the_helper_thread_off_the_main_thread() -> None:
    if sys.platform == "win32":  # tells type checkers too
        pytest.skip("no SIGALRM on Windows")
    results: list[object] = []

    def off_main() -> None:
        try:
            isolation.with_deadline(lambda: time.sleep(5), 0.05)
        except DeadlineExceeded as exc:
            results.append(exc)

    worker = threading.Thread(target=off_main)
    worker.start()
    worker.join(10)
    assert len(results) == 1 and isinstance(results[0], DeadlineExceeded)


@pytest.mark.parametrize(("soft", "bound"),
                         [(40, 10), (2, 1), (4096, isolation.MAX_PENDING_CLOSES), (-1, None)])
def test_pending_closes_stay_within_a_quarter_of_the_descriptor_limit(
        monkeypatch: pytest.MonkeyPatch, soft: int, bound: int | None) -> None:
    if sys.platform == "win32":
        pytest.skip("no RLIMIT_NOFILE")
    import resource

    limit = resource.RLIM_INFINITY if soft == -1 else soft
    monkeypatch.setattr(resource, "getrlimit", lambda which: (limit, resource.RLIM_INFINITY))
    assert isolation.pending_closes_bound() == (bound or isolation.MAX_PENDING_CLOSES)
