"""The plugin as a guest in other projects: loaded explicitly with autoload off, silent and inert
where sockcompat is not in play, extensible host facts, JSON in JUnit, the deadline's sources, and
partial reports that never replace complete ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from sockcompat import plugin
from sockcompat.host.isolation import DEFAULT_DEADLINE_S
from sockcompat.report.validate import load

SUITE = '''
from sockcompat.observation import Observation

def test_one(sockcompat_record):
    sockcompat_record(Observation(id="fake/one", area="fake", step="create", outcome="supported"))

def test_two(sockcompat_record):
    sockcompat_record(Observation(id="fake/two", area="fake", step="create", outcome="supported"))
'''


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_autoload_off_needs_and_accepts_an_explicit_load(pytester: pytest.Pytester,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(test_fake=SUITE)
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    unloaded = run(pytester, "--sockcompat-report", "r.json")
    assert unloaded.ret == pytest.ExitCode.USAGE_ERROR
    loaded = run(pytester, "-p", "sockcompat", "--sockcompat-report", "r.json")
    loaded.assert_outcomes(passed=2)
    assert len(load(pytester.path / "r.json")["observations"]) == 2


@pytest.mark.slow
def test_sockcompat_run_works_with_autoload_off(tmp_path: Path) -> None:
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [sys.executable, "-m", "sockcompat", "run", "--output", "out", "--suite", "constants"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (written,) = (tmp_path / "out").glob("*.partial.json")
    assert load(written)["run"]["selection"]["suites"] == ["constants"]


def test_silent_and_inert_in_an_unrelated_project(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("import pytest\n\n@pytest.fixture\ndef record():\n    return 'theirs'\n")
    pytester.makepyfile(test_theirs="def test_own_record(record):\n    assert record == 'theirs'\n")
    result = run(pytester, "-n", "2")
    result.assert_outcomes(passed=1)
    spoken = [line for line in result.outlines if "sockcompat" in line and not line.startswith("plugins:")]
    assert spoken == []
    assert not list(pytester.path.rglob("*.json"))


def test_generic_fixture_names_are_left_to_other_projects(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_theirs="def test_wants_it(probe_context):\n    pass\n")
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'probe_context' not found*"])


def test_the_header_line_only_when_in_play(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_fake=SUITE)
    assert "sockcompat: deadline" not in run(pytester).stdout.str()
    in_play = run(pytester, "--sockcompat-timeout", "2")
    in_play.stdout.fnmatch_lines(["sockcompat: deadline 2 s per probe step"])


class FakeGateway:
    spec = SimpleNamespace(python="python3.9")


def test_xdist_sys_path_is_left_alone_when_not_in_play(monkeypatch: pytest.MonkeyPatch) -> None:
    workermanage = pytest.importorskip("xdist.workermanage")
    sentinel = ["untouched"]
    monkeypatch.setattr(workermanage, "_sys_path", sentinel, raising=False)
    config = SimpleNamespace(getoption=lambda name: None, getini=lambda name: False)
    plugin.pytest_configure_node(SimpleNamespace(config=config, gateway=FakeGateway()))
    assert workermanage._sys_path is sentinel


HOOK = '''
def pytest_sockcompat_host_facts(config):
    return {"flavour": "test-image", "cores": 2}
'''


def test_a_hook_extends_the_host_facts_and_the_runner_image_is_recorded(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ImageOS", "ubuntu24")
    monkeypatch.setenv("ImageVersion", "20261201.1")
    pytester.makeconftest(HOOK)
    pytester.makepyfile(test_fake=SUITE)
    run(pytester, "--sockcompat-report", "r.json", "-n", "2").assert_outcomes(passed=2)
    extra = load(pytester.path / "r.json")["host"]["extra"]
    assert extra == {"flavour": "test-image", "cores": 2,
                     "runner_image": {"os": "ubuntu24", "version": "20261201.1"}}


def test_junit_properties_are_json(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_fake=SUITE)
    run(pytester, "--sockcompat-report", "r.json", "--junitxml", "j.xml").assert_outcomes(passed=2)
    values = [p.get("value") or "" for p in ET.parse(pytester.path / "j.xml").iter("property")]
    assert len(values) == 2
    assert {json.loads(v)["id"] for v in values} == {"fake/one", "fake/two"}


DEADLINES = [
    # (command line, environment, ini, expected deadline)
    ("3", "4", "6", 3.0),
    (None, "4", "6", 4.0),
    (None, None, "6", 6.0),
    (None, None, None, DEFAULT_DEADLINE_S),
]


@pytest.mark.parametrize(("cli", "env", "ini", "expected"), DEADLINES)
def test_deadline_precedence(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, cli: str | None,
                             env: str | None, ini: str | None, expected: float) -> None:
    monkeypatch.delenv(plugin.TIMEOUT_ENV, raising=False)
    if env is not None:
        monkeypatch.setenv(plugin.TIMEOUT_ENV, env)
    if ini is not None:
        pytester.makeini(f"[pytest]\nsockcompat_timeout = {ini}\n")
    pytester.makepyfile(test_fake=SUITE)
    run(pytester, "--sockcompat-report", "r.json", *(["--sockcompat-timeout", cli] if cli else []))
    assert load(pytester.path / "r.json")["run"]["deadline_s"] == expected


def test_a_bad_environment_deadline_is_a_usage_error(pytester: pytest.Pytester,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(plugin.TIMEOUT_ENV, "soon")
    pytester.makepyfile(test_fake=SUITE)
    result = run(pytester, "--sockcompat-report", "r.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*$SOCKCOMPAT_TIMEOUT*not a number*"])


NARROWINGS = [
    (["-k", "one"], "-k one"),
    (["test_fake.py::test_one"], "node ids: test_fake.py::test_one"),
    (["--deselect", "test_fake.py::test_two"], "deselected: test_fake.py::test_two"),
]


@pytest.mark.parametrize(("args", "reason"), NARROWINGS, ids=[n[1].split(":")[0] for n in NARROWINGS])
def test_a_narrowed_run_is_written_beside_the_complete_one(pytester: pytest.Pytester, args: list[str],
                                                            reason: str) -> None:
    pytester.makepyfile(test_fake=SUITE)
    run(pytester, "--sockcompat-report-dir", "hosts")
    (complete,) = (pytester.path / "hosts").glob("*.json")
    before = complete.read_bytes()
    run(pytester, "--sockcompat-report-dir", "hosts", *args)
    (partial,) = (pytester.path / "hosts").glob("*.partial.json")
    assert partial.name == complete.name.replace(".json", ".partial.json")
    assert complete.read_bytes() == before
    report: dict[str, Any] = load(partial)
    assert report["run"]["complete"] is False
    assert report["run"]["incomplete"] == [reason]
    assert load(complete)["run"]["complete"] is True


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["no-xdist", "xdist-2"])
def test_a_suite_subset_is_partial_and_compressed_reports_read_back(pytester: pytest.Pytester,
                                                                    workers: list[str]) -> None:
    pytester.makepyfile(test_fake=SUITE, test_other=SUITE.replace("fake/", "other/"))
    run(pytester, "test_fake.py", "--sockcompat-report-dir", "hosts", "--sockcompat-compress", *workers)
    (partial,) = (pytester.path / "hosts").glob("*.partial.json.gz")
    report = load(partial)
    assert report["run"]["selection"]["suites"] == ["fake"]
    assert report["run"]["incomplete"] == ["suites left out: other"]


def test_an_exact_path_is_kept_unless_it_holds_a_complete_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_fake=SUITE)
    run(pytester, "--sockcompat-report", "first.json", "-k", "one")
    assert load(pytester.path / "first.json")["run"]["complete"] is False  # nothing there to protect
    run(pytester, "--sockcompat-report", "r.json")
    complete = (pytester.path / "r.json").read_bytes()
    run(pytester, "--sockcompat-report", "r.json", "-k", "one")
    assert (pytester.path / "r.json").read_bytes() == complete
    assert load(pytester.path / "r.partial.json")["run"]["incomplete"] == ["-k one"]
