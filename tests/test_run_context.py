"""The context the shipped suites probe with: judged once per process, again when the deadline or
the surface changes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sockcompat.host import surface as surfaces
from sockcompat.host.isolation import DEFAULT_DEADLINE_S
from sockcompat.host.privilege import Privilege
from sockcompat.probes.context import run_context, set_run_deadline

from .surfaces import surface


@pytest.fixture(autouse=True)
def default_deadline() -> Iterator[None]:
    yield
    set_run_deadline(DEFAULT_DEADLINE_S)


def test_the_context_is_judged_once_and_again_after_a_new_deadline() -> None:
    first = run_context()
    assert run_context() is first
    set_run_deadline(1.5)
    assert run_context().deadline_s == 1.5 and run_context() is not first


def test_a_simulated_surface_gets_its_own_context_and_the_host_comes_back() -> None:
    host = run_context()
    fake = surface("win32")
    with surfaces.simulate(fake, "win32", Privilege(superuser=False, label="user")):
        simulated = run_context()
        assert (simulated.platform, simulated.surface, simulated.privilege.label) == ("win32", fake, "user")
    assert run_context().surface is host.surface and run_context().platform == host.platform
