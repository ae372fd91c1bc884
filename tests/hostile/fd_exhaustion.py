"""A pytest plugin that puts the run at its RLIMIT_NOFILE: every free descriptor is taken before
the probes run and given back before the report is written. Loaded with ``-p fd_exhaustion``."""

from __future__ import annotations

import errno
import os

import pytest

_held: list[int] = []


def pytest_collection_finish(session: pytest.Session) -> None:
    while True:
        try:
            _held.append(os.open(os.devnull, os.O_RDONLY))
        except OSError as exc:
            if exc.errno == errno.EMFILE:
                return
            raise


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    while _held:
        os.close(_held.pop())
