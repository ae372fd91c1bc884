"""The pytest plugin under pytester: outcomes, one report from many workers, the summary."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sockcompat.report.validate import load

SUITE = '''
import pytest
from sockcompat.observation import Observation

OUTCOMES = ["supported", "unsupported", "needs-privilege", "timeout", "no-constant"]

@pytest.mark.parametrize("n", range(60))
def test_probe(n, sockcompat_record):
    record = sockcompat_record
    record(Observation(id=f"fake/P{n}", area="fake", step="create", outcome=OUTCOMES[n % 5],
                       errno=None if n % 5 in (0, 4) else "EAFNOSUPPORT", detail=f"row {n}"))

@pytest.mark.sockcompat  # returned observations are recorded as the fixture records them
def test_two_steps():
    return [Observation(id="fake/seq", area="fake", step="bind", outcome="supported"),
            Observation(id="fake/seq", area="fake", step="connect", outcome="unsupported",
                        errno="EOPNOTSUPP")]

@pytest.mark.sockcompat
def test_broken_probe():
    return Observation(id="fake/broken", area="fake", step="create", outcome="error", detail="boom")
'''


def run(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, object]]:
    pytester.makepyfile(test_fake=SUITE)
    target = pytester.path / "out" / "report.json"
    result = pytester.runpytest_subprocess(
        "--sockcompat-report", str(target), "-p", "no:cacheprovider", *args
    )
    return result, load(target)


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["no-xdist", "xdist-2"])
def test_every_observation_reaches_one_report(pytester: pytest.Pytester, workers: list[str]) -> None:
    result, report = run(pytester, *workers)
    observations = report["observations"]
    assert isinstance(observations, list)
    keys = [(o["id"], o["step"]) for o in observations]
    assert len(keys) == len(set(keys)) == 63
    assert ("fake/seq", "connect") in keys
    result.assert_outcomes(passed=12, skipped=49, failed=1)
    run_facts = report["run"]
    assert isinstance(run_facts, dict)
    assert run_facts["complete"] is True and run_facts["selection"]["suites"] == ["fake"]


def test_outcomes_map_to_pytest(pytester: pytest.Pytester) -> None:
    result, _ = run(pytester, "-rsf")
    for line in (
        "SKIPPED [[]1[]] test_fake.py:*: unsupported: EAFNOSUPPORT row 1",
        "SKIPPED [[]1[]] test_fake.py:12: [[]connect[]] unsupported: EOPNOTSUPP",  # where the test begins
        "FAILED test_fake.py::test_broken_probe - *fake/broken [[]create[]]*",
    ):
        result.stdout.fnmatch_lines([line])


def test_summary_counts_match_the_report(pytester: pytest.Pytester) -> None:
    result, report = run(pytester)
    observations = report["observations"]
    assert isinstance(observations, list)
    text = result.stdout.str()
    summary = dict(re.findall(r"^  ([a-z-]+)\s+(\d+)$", text, re.MULTILINE))
    expected: dict[str, int] = {}
    for o in observations:
        expected[o["outcome"]] = expected.get(o["outcome"], 0) + 1
    assert {k: int(v) for k, v in summary.items()} == expected
    assert f"{len(observations)} observations" in text
    assert re.search(r"^report: .*report\.json$", text, re.MULTILINE)


def test_report_dir_names_the_file_by_host_identity(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_fake=SUITE)
    result = pytester.runpytest_subprocess("--sockcompat-report-dir", "hosts", "-p", "no:cacheprovider")
    files = list((pytester.path / "hosts").glob("*.json"))
    assert len(files) == 1
    report = load(files[0])
    host = report["host"]
    assert isinstance(host, dict)
    assert files[0].name.startswith(f"{host['os']}-")
    assert files[0].name.endswith(f"-{host['privilege']['label']}.json")
    result.stdout.fnmatch_lines([f"report: *{files[0].name}"])


def test_no_report_unless_asked(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_fake=SUITE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["no report written*"])
    assert not list(Path(pytester.path).rglob("*.json"))


def test_plain_tests_see_no_sockcompat_summary(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_ok():\n    assert True\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert "sockcompat summary" not in result.stdout.str()
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize("value", ["soon", "0", "-3"])
def test_bad_timeout_is_a_usage_error(pytester: pytest.Pytester, value: str) -> None:
    pytester.makepyfile(test_fake=SUITE)
    result = pytester.runpytest_subprocess("--sockcompat-timeout", value, "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*sockcompat timeout*--sockcompat-timeout*"])


def test_report_is_valid_json_with_paths_redacted(pytester: pytest.Pytester) -> None:
    _, report = run(pytester)
    run_facts = report["run"]
    assert isinstance(run_facts, dict)
    assert not any(str(pytester.path) in arg for arg in run_facts["pytest_args"])
    json.dumps(report)
