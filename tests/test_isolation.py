"""Deadlines and subprocess isolation: a hang or a crash becomes an observation, never a stuck run."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from sockcompat.errors import ChildCrashed, DeadlineExceeded
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
