"""The baseline: checked before the run, same host identity unless asked, and a summary a CI can
act on (host facts first, not-reached folded under its cause, regressions apart from improvements)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sockcompat.cli.publish import publish
from sockcompat.observation import Observation
from sockcompat.report import host_report
from sockcompat.report.baseline import Baseline, Change, identity, kind_of, summary_lines
from sockcompat.report.merge import merge
from tests.hostreports import host, obs, raw, report, stream

SUITE = """
from sockcompat.observation import Observation

def test_raw(sockcompat_record):
    sockcompat_record(Observation(id="create/AF_INET/SOCK_RAW/IPPROTO_ICMP", area="create", step="create",
                                  outcome="needs-privilege", errno="EPERM"))

def test_stream(sockcompat_record):
    sockcompat_record(Observation(id="create/AF_INET/SOCK_STREAM/0", area="create", step="create",
                                  outcome="supported"))
"""


def run(pytester: pytest.Pytester, baseline: Path, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_fake=SUITE)
    return pytester.runpytest_subprocess("--sockcompat-baseline", str(baseline), "-p", "no:cacheprovider",
                                         *args)


def a_matrix(folder: Path) -> Path:
    reports = host_report.write(report([stream()]), folder / "hosts" / "a.json")
    publish(merge([reports]), folder / "published")
    return folder / "published" / "matrix.json"


BAD_BASELINES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("missing", lambda d: d / "nothing.json", "no such file"),
    ("a folder", lambda d: d, "a folder"),
    ("a matrix", a_matrix, "a matrix"),
    ("not JSON", lambda d: (d / "b.json", (d / "b.json").write_text("{"))[0], "not JSON"),
]


@pytest.mark.parametrize(("what", "make", "says"), BAD_BASELINES, ids=[b[0] for b in BAD_BASELINES])
def test_a_bad_baseline_is_a_usage_error_before_any_probe(
    pytester: pytest.Pytester, tmp_path: Path, what: str, make: Callable[[Path], Path], says: str
) -> None:
    result = run(pytester, make(tmp_path))
    assert result.ret == pytest.ExitCode.USAGE_ERROR, what
    result.stderr.fnmatch_lines([f"*--sockcompat-baseline: *{says}*"])
    assert "test_fake.py" not in result.stdout.str()


def test_another_host_identity_is_refused_unless_asked(pytester: pytest.Pytester, tmp_path: Path) -> None:
    other = host_report.write(report([stream()], implementation="graalpy"), tmp_path / "other.json")
    refused = run(pytester, other)
    assert refused.ret == pytest.ExitCode.USAGE_ERROR
    refused.stderr.fnmatch_lines(
        ["*other.json is a baseline of linux x86_64 graalpy 3.11 root, this run is *"])
    allowed = run(pytester, other, "--sockcompat-baseline-any-host")
    allowed.assert_outcomes(passed=1, skipped=1)


@pytest.mark.parametrize(("fail_on", "outcomes"), [("changes", {"skipped": 1, "failed": 1}),
                                                   ("regressions", {"skipped": 1, "passed": 1})])
def test_fail_on_decides_whether_an_improvement_fails(
    pytester: pytest.Pytester, tmp_path: Path, fail_on: str, outcomes: dict[str, int]
) -> None:
    # the baseline said "unsupported"; the suite now says "supported": an improvement
    baseline = host_report.write(report([raw("needs-privilege", "EPERM"), stream("unsupported")]),
                                 tmp_path / "baseline.json")
    result = run(pytester, baseline, "--sockcompat-baseline-any-host", "--sockcompat-fail-on", fail_on)
    result.assert_outcomes(**outcomes)
    result.stdout.fnmatch_lines([
        "*sockcompat baseline*",
        "against baseline.json: 0 regressions, 1 improvements*",
        "improvements:",
        "  create/AF_INET/SOCK_STREAM/0 [[]create[]]: baseline unsupported*",
    ])


KINDS = [
    ("supported", "unsupported EAFNOSUPPORT", "regression"),
    ("supported", "timeout", "regression"),
    ("needs-privilege EPERM", "supported", "improvement"),
    ("unsupported EINVAL", "unsupported ENOPROTOOPT", "change"),
    ("blocked EPERM", "needs-privilege EPERM", "change"),
]


@pytest.mark.parametrize(("before", "after", "kind"), KINDS)
def test_kind_of_change(before: str, after: str, kind: str) -> None:
    assert kind_of(before, after) == kind


def sequence(bind: str, connect: str, close: str) -> list[dict[str, Any]]:
    return [obs("transfer/X", outcome, step=step).to_json()
            for step, outcome in (("bind", bind), ("connect", connect), ("close", close))]


def test_not_reached_folds_under_the_step_that_changed(tmp_path: Path) -> None:
    before = report([Observation.from_json(o) for o in sequence("supported", "supported", "supported")])
    baseline = Baseline(before, tmp_path / "b.json")
    changes = baseline.changes(sequence("supported", "unsupported", "not-reached"))
    assert changes == [Change("transfer/X", "connect", "supported", "unsupported", "regression", ("close",))]
    assert changes[0].line().endswith("(+1 steps not reached: close)")


def test_summary_leads_with_the_host_facts_that_changed(tmp_path: Path) -> None:
    before = report([stream()])
    before["host"]["socket"]["has_ipv6"] = True
    now = host()
    now["socket"]["has_ipv6"] = False
    baseline = Baseline(before, tmp_path / "b.json")
    changes = baseline.changes([stream("unsupported").to_json()])
    lines = list(summary_lines(baseline, now, changes))
    assert lines[0].startswith("against b.json: 1 regressions, 0 improvements, 0 other changes; 1 host facts")
    assert lines[1:3] == ["host facts that changed:", "  socket.has_ipv6: True -> False"]
    assert lines[3] == "regressions:"


@pytest.mark.parametrize(("field", "value"), [("privilege", "user"), ("os_name", "darwin"),
                                              ("python", "3.12.1"), ("implementation", "pypy")])
def test_identity_differs_by_each_field_but_not_the_kernel(field: str, value: str) -> None:
    assert identity(host(**{field: value})) != identity(host())
    assert identity(host(release="6.18.0")) == identity(host())
    assert identity(host(python="3.11.9")) == identity(host())
