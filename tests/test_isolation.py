"""Deadlines and subprocess isolation: a hang or a crash becomes an observation, never a stuck run."""

from __future__ import annotations

import threading

import pytest

from sockcompat.classify import DeadlineExceeded
from sockcompat.isolation import ChildCrashed, DeadlineRunner, run_in_subprocess


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
