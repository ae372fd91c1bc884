"""Gathering observations into host runs on the pytest controller, and writing one report per host.

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
from typing import Any, NamedTuple

import pytest

from sockcompat.host import environment
from sockcompat.observation import Observation
from sockcompat.report import host_report

#: the user_properties name an observation travels under, and the workeroutput key of a worker's facts
PROPERTY = "sockcompat.observation"
HOST_FACTS = "sockcompat.host"


class Settings(NamedTuple):
    """Where the report goes, and each probe step's deadline."""

    report_path: Path | None
    report_dir: Path | None
    deadline_s: float


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


def this_host(modules_before: frozenset[str] | None) -> dict[str, Any]:
    """The facts of the process running the probes (a simulated surface's privilege if active)."""
    from sockcompat.host import privilege, surface

    return environment.collect(surface.current().privilege or privilege.current(), modules_before)


def redact_paths(args: Iterable[str]) -> list[str]:
    """Command-line arguments with absolute paths (also in ``--opt=PATH``) cut to their last
    part: reports carry no user names or home folders."""

    def redact(arg: str) -> str:
        option, equals, value = arg.partition("=") if arg.startswith("-") else ("", "", arg)
        if os.path.isabs(value):
            value = f"…{os.sep}{Path(value).name}"
        return option + equals + value

    return [redact(str(arg)) for arg in args]
