"""The pytest plugin: options, the ``probe_context`` and ``record`` fixtures, and the hooks that hand
observations to the collector (``sockcompat.collector``) and keep xdist workers honest."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import pytest

from sockcompat.collector import HOST_FACTS, PROPERTY, Collector, Settings, this_host
from sockcompat.host import environment
from sockcompat.host.isolation import DEFAULT_DEADLINE_S, drain_closes
from sockcompat.observation import Observation
from sockcompat.probes.context import ProbeContext

MODULES_BEFORE = pytest.StashKey["frozenset[str] | None"]()

REPORT_DESC = "write the host report JSON to PATH"
REPORT_DIR_DESC = "write the host report into DIR, named by host identity (a rerun replaces its file)"
NO_AUTOLOAD_DESC = "Linux: skip socket() of families and protocols whose kernel module is not loaded yet"
TIMEOUT_DESC = f"deadline for each probe step in seconds (default {DEFAULT_DEADLINE_S:g})"
BASELINE_DESC = "a stored host report: any outcome or errno that differs from it fails the test item"


def _validate_deadline(value: Any, where: str) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise pytest.UsageError(f"sockcompat timeout {value!r} from {where} is not a number") from None
    if seconds <= 0:
        raise pytest.UsageError(f"sockcompat timeout from {where} must be positive, got {seconds:g}")
    return seconds


def get_settings(config: pytest.Config) -> Settings:
    """Command line > ini > default."""
    deadline = DEFAULT_DEADLINE_S
    if config.getoption("sockcompat_timeout") is not None:
        deadline = _validate_deadline(config.getoption("sockcompat_timeout"), "--sockcompat-timeout")
    elif config.getini("sockcompat_timeout"):
        deadline = _validate_deadline(config.getini("sockcompat_timeout"), "the ini file")
    path = config.getoption("sockcompat_report")
    directory = config.getoption("sockcompat_report_dir")
    return Settings(Path(path) if path else None, Path(directory) if directory else None, deadline)


def avoid_autoload() -> None:
    """Guard the socket module before anything is collected; a kernel without loadable modules
    (no /proc/modules) has nothing to avoid."""
    from sockcompat.host import autoload, surface

    loaded = environment.loaded_modules()
    if loaded is not None:
        surface.avoid_autoload(loaded | autoload.builtin_modules())


def is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


########################################################################################
# hooks


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sockcompat", "sockcompat socket capability probes")
    group.addoption("--sockcompat-report", metavar="PATH", help=REPORT_DESC)
    group.addoption("--sockcompat-report-dir", metavar="DIR", help=REPORT_DIR_DESC)
    group.addoption("--sockcompat-timeout", metavar="SECONDS", help=TIMEOUT_DESC)
    group.addoption("--sockcompat-baseline", metavar="FILE", help=BASELINE_DESC)
    group.addoption("--sockcompat-no-autoload", action="store_true", help=NO_AUTOLOAD_DESC)
    parser.addini("sockcompat_timeout", TIMEOUT_DESC, default="")


def pytest_configure(config: pytest.Config) -> None:
    settings = get_settings(config)
    if config.getoption("sockcompat_no_autoload"):
        avoid_autoload()
    if is_xdist_worker(config):
        config.stash[MODULES_BEFORE] = environment.loaded_modules()
    else:
        config.pluginmanager.register(Collector(config, settings), Collector.NAME)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Every process closes what it handed to ``close_soon`` before it ends; an xdist worker then
    sends the facts of its own host (its Python, perhaps its machine) to the controller."""
    drain_closes()
    config = session.config
    if is_xdist_worker(config):
        workeroutput: dict[str, Any] = config.workeroutput  # type: ignore[attr-defined]
        workeroutput[HOST_FACTS] = this_host(config.stash.get(MODULES_BEFORE, None))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """A popen worker on another interpreter (``--tx popen//python=python3.9``) must keep its own
    sys.path: xdist sends the controller's, which points a 3.9 worker at 3.11's standard library
    (pytest-dev/pytest-xdist#1049, open). xdist reads the list it sends from a module global right
    after this hook, so it is withheld for such nodes only (the worker then keeps its own)."""
    import importlib

    workermanage: Any = importlib.import_module("xdist.workermanage")
    if not hasattr(workermanage, "_sys_path"):
        return  # a future xdist that no longer sends it
    python = getattr(node.gateway.spec, "python", None)
    if python and not same_interpreter(str(python)):
        workermanage._sys_path = None
    else:
        workermanage._sys_path = importlib.import_module("xdist.plugin")._sys_path


def same_interpreter(python: str) -> bool:
    """Does ``python`` (a name or a path) start this very interpreter?"""
    import shutil
    import sys

    found = shutil.which(python)
    return found is not None and os.path.realpath(found) == os.path.realpath(sys.executable)


def pytest_report_header(config: pytest.Config) -> str:
    settings = get_settings(config)
    return f"sockcompat: deadline {settings.deadline_s:g} s per probe step"


########################################################################################
# fixtures


class Recorder(Protocol):
    def __call__(self, *observations: Observation) -> None: ...


@pytest.fixture(scope="session")
def probe_context(pytestconfig: pytest.Config) -> ProbeContext:
    """Platform, privilege evidence and deadline, judged once per process."""
    return ProbeContext.for_this_host(get_settings(pytestconfig).deadline_s)


@pytest.fixture
def record(request: pytest.FixtureRequest) -> Recorder:
    """Store observations for the report and give the test its pytest outcome:
    all supported -> passed; any ``error`` -> failed; otherwise skipped with the reason."""

    def record(*observations: Observation) -> None:
        request.node.user_properties.extend((PROPERTY, o.to_json()) for o in observations)
        check_baseline(request.config, observations)
        apply_outcome(observations)

    return record


def apply_outcome(observations: Iterable[Observation]) -> None:
    observations = list(observations)
    errors = [o for o in observations if o.outcome == "error"]
    if errors:
        pytest.fail("; ".join(f"{o.id} [{o.step}] {o.skip_reason()}" for o in errors), pytrace=False)
    others = [o for o in observations if o.outcome != "supported"]
    if others:
        first = others[0]
        prefix = "" if len(observations) == 1 else f"[{first.step}] "
        # Located at the test item, not here, so -rs points at the suite that probed.
        raise pytest.skip.Exception(prefix + first.skip_reason(), _use_item_location=True)


BASELINE_KEY = pytest.StashKey[Any]()


def check_baseline(config: pytest.Config, observations: Iterable[Observation]) -> None:
    """With ``--sockcompat-baseline``, fail the item naming each capability that changed."""
    path = config.getoption("sockcompat_baseline", None)
    if not path:
        return
    from sockcompat.errors import ReportError
    from sockcompat.report.baseline import Baseline

    if BASELINE_KEY not in config.stash:
        try:
            config.stash[BASELINE_KEY] = Baseline(Path(path))
        except ReportError as exc:
            config.stash[BASELINE_KEY] = f"--sockcompat-baseline: {exc}"
    baseline = config.stash[BASELINE_KEY]
    if isinstance(baseline, str):
        pytest.fail(baseline, pytrace=False)
    changed = baseline.changes(observations)
    if changed:
        pytest.fail("changed against the baseline: " + "; ".join(changed), pytrace=False)
