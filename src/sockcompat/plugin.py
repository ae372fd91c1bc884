"""The pytest plugin: options, the ``probe_context`` and ``record`` fixtures, observation collection
(with or without pytest-xdist), report writing and the terminal summary.

Observations ride on each test report's ``user_properties``, which pytest-xdist already carries
from workers to the controller, so one collector on the controller sees every observation exactly
once, however many workers ran. Only the controller writes the report.
"""

from __future__ import annotations

import collections
import datetime
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import pytest

from sockcompat import environment
from sockcompat.isolation import DEFAULT_DEADLINE_S, drain_closes
from sockcompat.observation import OUTCOMES, Observation
from sockcompat.probes.context import ProbeContext
from sockcompat.report import host_report

PROPERTY = "sockcompat.observation"
HOST_FACTS = "sockcompat.host"
MODULES_BEFORE = pytest.StashKey["frozenset[str] | None"]()

REPORT_DESC = "write the host report JSON to PATH"
REPORT_DIR_DESC = "write the host report into DIR, named by host identity (a rerun replaces its file)"
NO_AUTOLOAD_DESC = "Linux: skip socket() of families and protocols whose kernel module is not loaded yet"
TIMEOUT_DESC = f"deadline for each probe step in seconds (default {DEFAULT_DEADLINE_S:g})"
BASELINE_DESC = "a stored host report: any outcome or errno that differs from it fails the test item"


class Settings(NamedTuple):
    report_path: Path | None
    report_dir: Path | None
    deadline_s: float


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
    from sockcompat import autoload, surface

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
    from sockcompat.report.baseline import Baseline
    from sockcompat.report.validate import ReportError

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


########################################################################################
# the controller's collector


class HostRun:
    """The observations of one host identity, and the facts about that host."""

    def __init__(self, host: dict[str, Any]) -> None:
        self.host = host
        self.observations: dict[tuple[str, str], Observation] = {}
        self.duplicates: list[tuple[str, str]] = []
        self.documented: list[dict[str, Any]] = []
        self.written: Path | None = None

    def add_modules(self, host: dict[str, Any]) -> None:
        """Another worker of the same host: the modules it saw loaded count too."""
        mine = self.host["kernel_modules"].get("loaded_during_run")
        theirs = host["kernel_modules"].get("loaded_during_run")
        if mine is not None and theirs is not None:
            self.host["kernel_modules"]["loaded_during_run"] = sorted(set(mine) | set(theirs))

    def add(self, observations: Iterable[Observation]) -> None:
        for observation in observations:
            if observation.key in self.observations:
                self.duplicates.append(observation.key)
            self.observations[observation.key] = observation


class Collector:
    """Gathers observations from every test report and writes one report per host identity.

    Without xdist, or with workers on this interpreter, that is one report. With
    ``--dist each --tx popen//python=...`` each worker is its own host (another Python, another
    machine): its facts arrive in ``workeroutput`` and its observations go to its own report.
    """

    NAME = "sockcompat-collector"
    LOCAL = "local"

    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self.by_worker: dict[str, list[Observation]] = collections.defaultdict(list)
        self.worker_hosts: dict[str, dict[str, Any]] = {}
        self.modules_before = environment.loaded_modules()
        self.started = datetime.datetime.now(datetime.timezone.utc)
        self.t0 = time.perf_counter()
        self.runs: list[HostRun] = []

    @property
    def written(self) -> list[Path]:
        return [run.written for run in self.runs if run.written is not None]

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        worker = getattr(getattr(report, "node", None), "workerinput", {}).get("workerid", self.LOCAL)
        for name, value in report.user_properties:
            if name == PROPERTY and isinstance(value, dict):
                self.by_worker[worker].append(Observation.from_json(value))

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        host = getattr(node, "workeroutput", {}).get(HOST_FACTS)
        if isinstance(host, dict):
            self.worker_hosts[node.workerinput["workerid"]] = host

    def target(self, host: dict[str, Any], several: bool) -> Path | None:
        name = f"{host_report.host_id(host)}.json"
        if self.settings.report_path is not None:
            path = self.settings.report_path
            return path.with_name(f"{path.stem}-{name}") if several else path
        if self.settings.report_dir is not None:
            return self.settings.report_dir / name
        return None

    def run_facts(self) -> dict[str, Any]:
        workers = getattr(self.config.option, "numprocesses", None)
        return {
            "started": self.started.isoformat(timespec="seconds"),
            "duration_s": round(time.perf_counter() - self.t0, 3),
            "pytest_args": redact_paths(self.config.invocation_params.args),
            "workers": workers if isinstance(workers, int) else 0,
            "deadline_s": self.settings.deadline_s,
            "no_autoload": bool(self.config.getoption("sockcompat_no_autoload")),
        }

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not any(self.by_worker.values()):
            return
        runs: dict[str, HostRun] = {}
        local: dict[str, Any] | None = None
        for worker, observations in self.by_worker.items():
            host = self.worker_hosts.get(worker)
            if host is None:
                local = local or this_host(self.modules_before)
                host = local
            name = host_report.host_id(host)
            if name in runs:
                runs[name].add_modules(host)
            else:
                runs[name] = HostRun(host)
            runs[name].add(observations)
        self.runs = [runs[name] for name in sorted(runs)]
        facts = self.run_facts()
        for run in self.runs:
            report = host_report.build(run.observations.values(), run.host, facts)
            run.documented = report["documented"]
            path = self.target(run.host, several=len(self.runs) > 1)
            if path is not None:
                run.written = host_report.write(report, path)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.runs:
            return
        tr = terminalreporter
        tr.write_sep("=", "sockcompat summary")
        for run in self.runs:
            summarize(tr, run, named=len(self.runs) > 1)
        if not self.written:
            tr.write_line("no report written (use --sockcompat-report PATH or --sockcompat-report-dir DIR)")


def this_host(modules_before: frozenset[str] | None) -> dict[str, Any]:
    """The facts of the process running the probes (a simulated surface's privilege if active)."""
    from sockcompat import privilege, surface

    return environment.collect(surface.current().privilege or privilege.current(), modules_before)


def summarize(tr: Any, run: HostRun, named: bool) -> None:
    """Counts per outcome, disagreements with the documentation, and where the report went."""
    if named:
        tr.write_line(f"host {host_report.host_id(run.host)}:")
    counts = collections.Counter(o.outcome for o in run.observations.values())
    tr.write_line(f"{len(run.observations)} observations")
    for outcome in OUTCOMES:
        if counts[outcome]:
            tr.write_line(f"  {outcome:<16}{counts[outcome]:>6}")
    if run.duplicates:
        first = run.duplicates[0]
        tr.write_line(f"warning: {len(run.duplicates)} observations reported twice, e.g. {first}")
    differs = [d for d in run.documented if not d["agrees"]]
    if run.documented:
        checked = len(run.documented)
        tr.write_line(f"documented outcomes: {checked} checked, {len(differs)} observed otherwise")
    for d in differs:
        tr.write_line(f"  {d['id']} [{d['step']}]: observed {d['observed']}, documented {d['documented']}"
                      f" ({d['source']})")
    if run.written is not None:
        tr.write_line(f"report: {run.written}")


def redact_paths(args: Iterable[str]) -> list[str]:
    """Command-line arguments with absolute paths (also in ``--opt=PATH``) cut to their last
    part: reports carry no user names or home folders."""

    def redact(arg: str) -> str:
        option, equals, value = arg.partition("=") if arg.startswith("-") else ("", "", arg)
        if os.path.isabs(value):
            value = f"…{os.sep}{Path(value).name}"
        return option + equals + value

    return [redact(str(arg)) for arg in args]
