"""diff between reports or matrices, and the baseline that turns a change into a failing item."""

from __future__ import annotations

from pathlib import Path

import pytest

from sockcompat.cli.main import main
from sockcompat.cli.publish import publish
from sockcompat.report import host_report
from sockcompat.report.diff import ABSENT, Change, diff_files
from sockcompat.report.merge import merge
from tests.hostreports import obs, raw, report, stream


def write_pair(tmp_path: Path) -> tuple[Path, Path]:
    root = host_report.write(
        report([raw("supported"), stream(), obs("constant/SO_X", "supported", value=1)]),
        tmp_path / "root.json",
    )
    user = host_report.write(
        report([raw("needs-privilege", "EPERM"), stream()], privilege="user"), tmp_path / "user.json"
    )
    return root, user


def test_root_versus_user_lists_the_raw_socket_difference(tmp_path: Path) -> None:
    root, user = write_pair(tmp_path)
    assert diff_files(root, user) == [
        Change("constant/SO_X [lookup]", "supported", ABSENT),
        Change("create/AF_INET/SOCK_RAW/IPPROTO_ICMP [create]", "supported", "needs-privilege EPERM"),
    ]


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, user = write_pair(tmp_path)
    assert main(["diff", str(root), str(root)]) == 0
    assert "no changes" in capsys.readouterr().out
    assert main(["diff", str(root), str(user)]) == 1
    out = capsys.readouterr().out
    assert "create/AF_INET/SOCK_RAW/IPPROTO_ICMP [create]  supported -> needs-privilege EPERM" in out
    assert out.splitlines()[0] == "2 differ: 1 changed, 1 only in A, 0 only in B (constant 1, create 1)"
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert main(["diff", str(root), str(tmp_path / "broken.json")]) == 2
    assert "not JSON" in capsys.readouterr().err


def test_values_are_compared_only_when_asked(tmp_path: Path) -> None:
    a = host_report.write(report([obs("limit/X", "supported", value=212992)]), tmp_path / "a.json")
    b = host_report.write(report([obs("limit/X", "supported", value=425984)]), tmp_path / "b.json")
    assert diff_files(a, b) == []
    assert diff_files(a, b, values=True) == [
        Change("limit/X [limit]", "supported = 212992", "supported = 425984")
    ]


def test_matrices_diff_per_platform_and_refuse_mixed_kinds(tmp_path: Path) -> None:
    root, user = write_pair(tmp_path)
    publish(merge([root]), tmp_path / "before")
    publish(merge([root, user]), tmp_path / "after")
    changes = diff_files(tmp_path / "before" / "matrix.json", tmp_path / "after" / "matrix.json")
    assert (
        Change(
            "create/AF_INET/SOCK_RAW/IPPROTO_ICMP [create] @linux-6.1-x86_64-user",
            ABSENT,
            "needs-privilege root",  # the report recorded no requirement: merge does not guess one
        )
        in changes
    )
    assert main(["diff", str(root), str(tmp_path / "after" / "matrix.json")]) == 2


BASELINE_SUITE = """
from sockcompat.observation import Observation

def test_raw(sockcompat_record):
    record = sockcompat_record
    record(Observation(id="create/AF_INET/SOCK_RAW/IPPROTO_ICMP", area="create", step="create",
                       outcome="needs-privilege", errno="EPERM"))

def test_stream(sockcompat_record):
    record = sockcompat_record
    record(Observation(id="create/AF_INET/SOCK_STREAM/0", area="create", step="create", outcome="supported"))

def test_new_probe(sockcompat_record):
    record = sockcompat_record
    record(Observation(id="create/AF_NEW/SOCK_STREAM/0", area="create", step="create", outcome="supported"))
"""


def test_baseline_turns_a_change_into_a_failing_item(pytester: pytest.Pytester, tmp_path: Path) -> None:
    baseline = host_report.write(report([raw("supported"), stream()]), tmp_path / "baseline.json")
    pytester.makepyfile(test_fake=BASELINE_SUITE)
    result = pytester.runpytest_subprocess(
        "--sockcompat-baseline", str(baseline), "--sockcompat-baseline-any-host", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "changed against the baseline: create/AF_INET/SOCK_RAW/IPPROTO_ICMP "
            "[[]create[]]: baseline supported, now needs-privilege EPERM",
            "FAILED test_fake.py::test_raw - *",
        ]
    )
