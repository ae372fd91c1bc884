"""The pytest plugin: options, the ``sockcompat`` marker (a marked test returns its observations),
the ``sockcompat_probe_context`` and ``sockcompat_record`` fixtures, and the hooks that give each
item its outcome from what it observed, hand observations to the collector
(``sockcompat.collector``) and keep xdist workers honest.

Installed beside any other project it stays silent and inert: no header line, no xdist patch, no
host facts, unless one of its options is given or the ini file says ``sockcompat_suites = true``
(the shipped suites do). ``sockcompat run`` loads it with ``-p sockcompat``, so it also works
with ``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1``."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest

from sockcompat.collector import BASELINE_KEY, HOST_FACTS, PROPERTY, Collector, Settings, this_host
from sockcompat.host import environment
from sockcompat.host.isolation import DEFAULT_DEADLINE_S, drain_closes
from sockcompat.observation import Observation
from sockcompat.probes.context import ProbeContext, run_context, set_run_deadline

if TYPE_CHECKING:
    from sockcompat.report.baseline import Baseline

MODULES_BEFORE = pytest.StashKey["frozenset[str] | None"]()
#: what an item recorded, for its outcome (``pytest_runtest_makereport``)
OBSERVED = pytest.StashKey["list[Observation]"]()
MARKER = "sockcompat"
MARKER_DESC = (f"{MARKER}: the test returns its observations (one or a sequence); the item passes, is "
               "skipped or fails by them, as with sockcompat_record")

#: the deadline from the environment, as pytest-timeout's PYTEST_TIMEOUT (cli > env > ini > default)
TIMEOUT_ENV = "SOCKCOMPAT_TIMEOUT"

REPORT_DESC = "write the host report JSON to PATH"
REPORT_DIR_DESC = "write the host report into DIR, named by host identity (a rerun replaces its file)"
NO_AUTOLOAD_DESC = "Linux: skip socket() of families and protocols whose kernel module is not loaded yet"
TIMEOUT_DESC = (f"deadline for each probe step in seconds (default {DEFAULT_DEADLINE_S:g}; "
                f"also ${TIMEOUT_ENV} or the sockcompat_timeout ini key)")
BASELINE_DESC = "a stored host report of this host identity: a changed outcome or errno fails the test item"
ANY_HOST_DESC = "compare against a baseline of another host identity (OS, machine, Python, privilege)"
FAIL_ON_DESC = "which baseline changes fail: regressions (was supported, is not) or any change (default)"
COMPRESS_DESC = "write the report gzip-compressed (.json.gz)"
SUITES_DESC = "this folder holds sockcompat suites: turn the plugin on (report header, host facts)"

#: the command-line options whose presence means sockcompat is in play in this session
OPTIONS = ("sockcompat_report", "sockcompat_report_dir", "sockcompat_timeout", "sockcompat_baseline",
           "sockcompat_no_autoload", "sockcompat_compress")


def _validate_deadline(value: Any, where: str) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise pytest.UsageError(f"sockcompat timeout {value!r} from {where} is not a number") from None
    if seconds <= 0:
        raise pytest.UsageError(f"sockcompat timeout from {where} must be positive, got {seconds:g}")
    return seconds


def deadline(config: pytest.Config) -> float:
    """Command line > environment > ini > default."""
    if config.getoption("sockcompat_timeout") is not None:
        return _validate_deadline(config.getoption("sockcompat_timeout"), "--sockcompat-timeout")
    if os.environ.get(TIMEOUT_ENV):
        return _validate_deadline(os.environ[TIMEOUT_ENV], f"${TIMEOUT_ENV}")
    if config.getini("sockcompat_timeout"):
        return _validate_deadline(config.getini("sockcompat_timeout"), "the ini file")
    return DEFAULT_DEADLINE_S


def get_settings(config: pytest.Config) -> Settings:
    path = config.getoption("sockcompat_report")
    directory = config.getoption("sockcompat_report_dir")
    return Settings(Path(path) if path else None, Path(directory) if directory else None, deadline(config),
                    compress=bool(config.getoption("sockcompat_compress")),
                    fail_on=config.getoption("sockcompat_fail_on"))


def is_active(config: pytest.Config) -> bool:
    """Is sockcompat in play: one of its options given, or a folder of its suites? Otherwise the
    plugin says nothing and changes nothing (it may be installed beside any other project)."""
    return any(config.getoption(name) for name in OPTIONS) or bool(config.getini("sockcompat_suites"))


def avoid_autoload() -> None:
    """Guard the socket module before anything is collected; a kernel without loadable modules
    (no /proc/modules) has nothing to avoid."""
    from sockcompat.host import autoload, surface

    loaded = environment.loaded_modules()
    if loaded is not None:
        surface.avoid_autoload(loaded | autoload.builtin_modules())


def is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def load_baseline(config: pytest.Config) -> Baseline | None:
    """The ``--sockcompat-baseline`` report, checked before anything runs: a bad one, or one of
    another host identity (unless ``--sockcompat-baseline-any-host``), is a usage error."""
    path = config.getoption("sockcompat_baseline")
    if not path:
        return None
    from sockcompat.errors import ReportError
    from sockcompat.report.baseline import Baseline

    try:
        baseline = Baseline.load(Path(path))
    except ReportError as exc:
        raise pytest.UsageError(f"--sockcompat-baseline: {exc}") from None
    refusal = baseline.refusal(this_host(config, None))
    if refusal and not config.getoption("sockcompat_baseline_any_host"):
        raise pytest.UsageError(f"--sockcompat-baseline: {refusal}")
    return baseline


########################################################################################
# hooks


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from sockcompat import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sockcompat", "sockcompat socket capability probes")
    group.addoption("--sockcompat-report", metavar="PATH", help=REPORT_DESC)
    group.addoption("--sockcompat-report-dir", metavar="DIR", help=REPORT_DIR_DESC)
    group.addoption("--sockcompat-compress", action="store_true", help=COMPRESS_DESC)
    group.addoption("--sockcompat-timeout", metavar="SECONDS", help=TIMEOUT_DESC)
    group.addoption("--sockcompat-baseline", metavar="FILE", help=BASELINE_DESC)
    group.addoption("--sockcompat-baseline-any-host", action="store_true", help=ANY_HOST_DESC)
    group.addoption("--sockcompat-fail-on", choices=("regressions", "changes"), default="changes",
                    help=FAIL_ON_DESC)
    group.addoption("--sockcompat-no-autoload", action="store_true", help=NO_AUTOLOAD_DESC)
    parser.addini("sockcompat_timeout", TIMEOUT_DESC, default="")
    parser.addini("sockcompat_suites", SUITES_DESC, type="bool", default=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_DESC)
    settings = get_settings(config)
    set_run_deadline(settings.deadline_s)
    if not is_active(config):
        if not is_xdist_worker(config):
            config.pluginmanager.register(Collector(config, settings, active=False), Collector.NAME)
        return
    if config.getoption("sockcompat_no_autoload"):
        avoid_autoload()
    config.stash[BASELINE_KEY] = load_baseline(config)
    if is_xdist_worker(config):
        config.stash[MODULES_BEFORE] = environment.loaded_modules()
    else:
        config.pluginmanager.register(Collector(config, settings, active=True), Collector.NAME)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Every process closes what it handed to ``close_soon`` before it ends; an xdist worker then
    sends the facts of its own host (its Python, perhaps its machine) to the controller."""
    drain_closes()
    config = session.config
    if is_xdist_worker(config) and is_active(config):
        workeroutput: dict[str, Any] = config.workeroutput  # type: ignore[attr-defined]
        workeroutput[HOST_FACTS] = this_host(config, config.stash.get(MODULES_BEFORE, None))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """A popen worker on another interpreter (``--tx popen//python=python3.9``) must keep its own
    sys.path: xdist sends the controller's, which points a 3.9 worker at 3.11's standard library
    (pytest-dev/pytest-xdist#1049, open). xdist reads the list it sends from a module global right
    after this hook, so it is withheld for such nodes only (the worker then keeps its own); in a
    session where sockcompat is not in play, xdist is left alone."""
    import importlib

    if not is_active(node.config):
        return
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


def pytest_report_header(config: pytest.Config) -> str | None:
    if not is_active(config):
        return None
    return f"sockcompat: deadline {deadline(config):g} s per probe step"


def pytest_sockcompat_host_facts(config: pytest.Config) -> dict[str, Any] | None:
    """The GitHub-hosted runner image (its ``ImageOS`` and ``ImageVersion`` environment): a
    changed image explains a changed report."""
    image = {key: os.environ[env] for key, env in (("os", "ImageOS"), ("version", "ImageVersion"))
             if os.environ.get(env)}
    return {"runner_image": image} if image else None


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """A ``sockcompat``-marked test returns its observations: record them. Returning beats a
    ``record`` fixture per item, which pytest would set up and tear down thousands of times."""
    if pyfuncitem.get_closest_marker(MARKER) is None:
        return None
    funcargs = pyfuncitem.funcargs
    returned = pyfuncitem.obj(**{name: funcargs[name] for name in pyfuncitem._fixtureinfo.argnames})
    record_on(pyfuncitem, [returned] if isinstance(returned, Observation) else list(returned))
    return True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """The call phase's outcome follows from what the item recorded: all supported -> passed; any
    ``error`` or baseline change -> failed; otherwise skipped with the first other outcome's reason,
    located at the item (so ``-rs`` points at the suite that probed). Setting the outcome on the
    passed report costs far less than raising ``pytest.skip`` through the runner."""
    report = yield
    observed = item.stash.get(OBSERVED, None)
    if observed and call.when == "call" and report.passed:
        failure = failure_message(item.config, observed)
        if failure:
            report.outcome, report.longrepr = "failed", failure
        else:
            skipped = skip_reason(observed)
            if skipped:
                report.outcome = "skipped"
                report.longrepr = (str(item.path), (item.location[1] or 0) + 1, f"Skipped: {skipped}")
    return report


########################################################################################
# fixtures


class Recorder(Protocol):
    def __call__(self, *observations: Observation) -> None: ...


@pytest.fixture(scope="session")
def sockcompat_probe_context() -> ProbeContext:
    """Platform, privilege evidence and deadline, judged once per process (``run_context``)."""
    return run_context()


@pytest.fixture
def sockcompat_record(request: pytest.FixtureRequest) -> Recorder:
    """Store observations for the report; the item's outcome follows from all it recorded (see
    ``pytest_runtest_makereport``). A ``sockcompat``-marked test may return them instead."""

    def record(*observations: Observation) -> None:
        record_on(request.node, observations)

    return record


def record_on(item: pytest.Item, observations: Sequence[Observation]) -> None:
    """Keep the observations on the item: as JSON text in ``user_properties`` for the report (JUnit
    XML writes a property with str(), and a repr is not data), as objects for its outcome."""
    item.user_properties.extend((PROPERTY, json.dumps(o.to_json(), sort_keys=True)) for o in observations)
    item.stash.setdefault(OBSERVED, []).extend(observations)


def failure_message(config: pytest.Config, observations: Sequence[Observation]) -> str | None:
    """Why the item fails: an ``error`` outcome, or (with ``--sockcompat-baseline``) each change
    ``--sockcompat-fail-on`` counts; None when it does not."""
    errors = [o for o in observations if o.outcome == "error"]
    if errors:
        return "; ".join(f"{o.id} [{o.step}] {o.skip_reason()}" for o in errors)
    baseline = config.stash.get(BASELINE_KEY, None)
    if baseline is None:
        return None
    changed = baseline.failures([o.to_json() for o in observations], config.getoption("sockcompat_fail_on"))
    return "changed against the baseline: " + "; ".join(changed) if changed else None


def skip_reason(observations: Sequence[Observation]) -> str | None:
    """The first outcome other than supported, as the skip reason (its step named when the item
    recorded more than one observation)."""
    for observation in observations:
        if observation.outcome != "supported":
            prefix = "" if len(observations) == 1 else f"[{observation.step}] "
            return prefix + observation.skip_reason()
    return None
