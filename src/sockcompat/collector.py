"""Gathering observations into host runs on the pytest controller, and writing one report per host.

Observations ride on each test report's ``user_properties``, which pytest-xdist already carries
from workers to the controller, so one collector on the controller sees every observation exactly
once, however many workers ran. Only the controller writes the report.
"""

from __future__ import annotations

import collections
import datetime
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from sockcompat.host import environment
from sockcompat.observation import Observation
from sockcompat.report import host_report

#: the user_properties name an observation travels under, and the workeroutput key of a worker's facts
PROPERTY = "sockcompat.observation"
HOST_FACTS = "sockcompat.host"
#: the baseline the plugin loaded before the run (a ``report.baseline.Baseline``), if any
BASELINE_KEY = pytest.StashKey[Any]()


class Settings(NamedTuple):
    """Where the report goes, how it is written, each probe step's deadline, what fails on a baseline."""

    report_path: Path | None
    report_dir: Path | None
    deadline_s: float
    compress: bool = False
    fail_on: str = "changes"


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

    def __init__(self, config: pytest.Config, settings: Settings, active: bool = True) -> None:
        self.config = config
        self.settings = settings
        self.by_worker: dict[str, list[Observation]] = collections.defaultdict(list)
        self.worker_hosts: dict[str, dict[str, Any]] = {}
        # a session where sockcompat is not in play does not read /proc/modules for nothing
        self.modules_before = environment.loaded_modules() if active else None
        self.started = datetime.datetime.now(datetime.timezone.utc)
        self.t0 = time.perf_counter()
        self.runs: list[HostRun] = []
        self.baseline_changes: list[Any] = []
        self.interrupted = False
        self.modules: set[Path] = set()

    @property
    def written(self) -> list[Path]:
        return [run.written for run in self.runs if run.written is not None]

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        worker = getattr(getattr(report, "node", None), "workerinput", {}).get("workerid", self.LOCAL)
        for name, value in report.user_properties:
            if name == PROPERTY and isinstance(value, str):
                self.by_worker[worker].append(Observation.from_json(json.loads(value)))

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.modules |= {Path(str(item.path)) for item in session.items}

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        """With xdist the controller collects nothing itself: the workers' node ids say which files."""
        self.modules |= {self.config.rootpath / node_id.split("::")[0] for node_id in ids}

    @property
    def suites(self) -> list[str]:
        """The suites this run collected (``test_create.py`` is ``create``)."""
        return sorted({suite_name(m) for m in self.modules})

    def suites_left_out(self) -> list[str]:
        """Suites beside the collected ones that this run did not collect: a subset is partial."""
        folders = {m.parent for m in self.modules}
        beside = {suite_name(m) for folder in folders for m in folder.glob("test_*.py")}
        return sorted(beside - set(self.suites))

    def pytest_keyboard_interrupt(self, excinfo: Any) -> None:
        self.interrupted = True

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        host = getattr(node, "workeroutput", {}).get(HOST_FACTS)
        if isinstance(host, dict):
            self.worker_hosts[node.workerinput["workerid"]] = host

    def target(self, host: dict[str, Any], several: bool, complete: bool) -> Path | None:
        """Where a report goes. In a folder a partial run is named ``<host-id>.partial.json``, beside
        the complete report; a path given exactly is used as given, unless it holds a complete
        report and this run is partial: then the partial one goes beside it. Never over a complete one."""
        suffix = ".json.gz" if self.settings.compress else ".json"
        partial = "" if complete else ".partial"
        if self.settings.report_path is not None:
            path = self.settings.report_path
            if several:
                path = path.with_name(f"{path.name.split('.')[0]}-{host_report.host_id(host)}{suffix}")
            if not complete and holds_complete_report(path):
                path = path.with_name(path.name.split(".")[0] + partial + suffix)
            return path
        if self.settings.report_dir is not None:
            return self.settings.report_dir / (host_report.host_id(host) + partial + suffix)
        return None

    def selection(self) -> dict[str, Any]:
        """What this run was asked to probe: suites, and the pytest options that narrow them."""
        option = self.config.option
        return {
            "suites": self.suites,
            "keyword": getattr(option, "keyword", "") or None,
            "markers": getattr(option, "markexpr", "") or None,
            "node_ids": [redact_paths([a])[0] for a in self.config.args if "::" in a],
            "deselected": list(getattr(option, "deselect", None) or []),
        }

    def incomplete_reasons(self, session: pytest.Session, exitstatus: int) -> list[str]:
        selection = self.selection()
        reasons = []
        if self.interrupted or exitstatus == pytest.ExitCode.INTERRUPTED:
            reasons.append("interrupted")
        if session.shouldstop:
            reasons.append(f"stopped early: {session.shouldstop}")
        missing = self.suites_left_out()
        if missing:
            reasons.append("suites left out: " + ", ".join(missing))
        for key, label in (("keyword", "-k"), ("markers", "-m")):
            if selection[key]:
                reasons.append(f"{label} {selection[key]}")
        if selection["node_ids"]:
            reasons.append("node ids: " + ", ".join(selection["node_ids"]))
        if selection["deselected"]:
            reasons.append("deselected: " + ", ".join(selection["deselected"]))
        return reasons

    def run_facts(self, session: pytest.Session, exitstatus: int) -> dict[str, Any]:
        workers = getattr(self.config.option, "numprocesses", None)
        incomplete = self.incomplete_reasons(session, exitstatus)
        facts = {
            "started": self.started.isoformat(timespec="seconds"),
            "duration_s": round(time.perf_counter() - self.t0, 3),
            "pytest_args": redact_paths(self.config.invocation_params.args),
            "workers": workers if isinstance(workers, int) else 0,
            "deadline_s": self.settings.deadline_s,
            "no_autoload": bool(self.config.getoption("sockcompat_no_autoload")),
            "selection": self.selection(),
            "complete": not incomplete,
        }
        if incomplete:
            facts["incomplete"] = incomplete
        return facts

    @property
    def errors(self) -> int:
        """Observations whose probe broke (outcome ``error``): probing failed, not the host."""
        return sum(o.outcome == "error" for run in self.runs for o in run.observations.values())

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if not any(self.by_worker.values()):
            return
        runs: dict[str, HostRun] = {}
        local: dict[str, Any] | None = None
        for worker, observations in self.by_worker.items():
            host = self.worker_hosts.get(worker)
            if host is None:
                local = local or this_host(self.config, self.modules_before)
                host = local
            name = host_report.host_id(host)
            if name in runs:
                runs[name].add_modules(host)
            else:
                runs[name] = HostRun(host)
            runs[name].add(observations)
        self.runs = [runs[name] for name in sorted(runs)]
        facts = self.run_facts(session, exitstatus)
        for run in self.runs:
            report = host_report.build(run.observations.values(), run.host, facts)
            run.documented = report["documented"]
            path = self.target(run.host, several=len(self.runs) > 1, complete=facts["complete"])
            if path is not None:
                run.written = write(report, path)
        self.compare_with_baseline()

    def compare_with_baseline(self) -> None:
        from sockcompat.report.baseline import Baseline

        baseline = self.baseline
        if isinstance(baseline, Baseline) and len(self.runs) == 1:
            observations = [o.to_json() for o in self.runs[0].observations.values()]
            self.baseline_changes = baseline.changes(observations)

    @property
    def baseline(self) -> Any:
        return self.config.stash.get(BASELINE_KEY, None)

    @property
    def failing_changes(self) -> int:
        """Baseline changes of the kinds ``--sockcompat-fail-on`` counts."""
        from sockcompat.report.baseline import FAIL_ON

        return sum(c.kind in FAIL_ON[self.settings.fail_on] for c in self.baseline_changes)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        from sockcompat.render.terminal import summary_lines

        if not self.runs:
            return
        terminalreporter.write_sep("=", "sockcompat summary")
        for run in self.runs:
            for line in summary_lines(run, named=len(self.runs) > 1):
                terminalreporter.write_line(line)
        if not self.written:
            terminalreporter.write_line(
                "no report written (use --sockcompat-report PATH or --sockcompat-report-dir DIR)")
        if self.baseline is not None and len(self.runs) == 1:
            from sockcompat.report.baseline import summary_lines as baseline_lines

            terminalreporter.write_sep("=", "sockcompat baseline")
            for line in baseline_lines(self.baseline, self.runs[0].host, self.baseline_changes):
                terminalreporter.write_line(line)


def this_host(config: pytest.Config, modules_before: frozenset[str] | None) -> dict[str, Any]:
    """The facts of the process running the probes (a simulated surface's privilege if active),
    with what ``pytest_sockcompat_host_facts`` implementations add under ``extra``."""
    from sockcompat.host import privilege, surface

    host = environment.collect(surface.current().privilege or privilege.current(), modules_before)
    extra: dict[str, Any] = {}
    for facts in reversed(config.hook.pytest_sockcompat_host_facts(config=config)):
        extra.update(facts)
    if extra:
        host["extra"] = json.loads(json.dumps(extra, default=str))  # JSON-able, whatever was given
    return host


def holds_complete_report(path: Path) -> bool:
    """Does ``path`` hold a report of a complete run (one written before ``run.complete`` existed
    counts as complete)? Anything unreadable is not a report to protect."""
    from sockcompat.report.validate import read_text

    try:
        run = json.loads(read_text(path)).get("run", {})
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(run, dict) and run.get("complete", True) is not False


def suite_name(module: Path) -> str:
    """``test_create.py`` -> ``create``."""
    return module.stem.removeprefix("test_")


def write(report: dict[str, Any], path: Path) -> Path:
    """Plain JSON, or gzip for a ``.gz`` path (``host_report.write`` keeps it reproducible)."""
    return host_report.write(report, path, compress=path.name.endswith(".gz"))


def redact_paths(args: Iterable[str]) -> list[str]:
    """Command-line arguments with absolute paths (also in ``--opt=PATH``) cut to their last
    part: reports carry no user names or home folders."""

    def redact(arg: str) -> str:
        option, equals, value = arg.partition("=") if arg.startswith("-") else ("", "", arg)
        if os.path.isabs(value):
            value = f"…{os.sep}{Path(value).name}"
        return option + equals + value

    return [redact(str(arg)) for arg in args]
