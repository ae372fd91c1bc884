"""``sockcompat show TERM``: one name in, its support per platform out, from a file or a URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from sockcompat.cli.main import main
from sockcompat.cli.publish import publish
from sockcompat.report import host_report
from sockcompat.report.merge import merge
from tests.hostreports import obs, raw, report, stream


@pytest.fixture
def matrix_path(tmp_path: Path) -> Path:
    host_report.write(
        report([obs("constant/TCP_KEEPCNT", "supported", value=6), raw("supported"), stream()]),
        tmp_path / "linux.json",
    )
    host_report.write(
        report(
            [obs("constant/TCP_KEEPCNT", "no-constant"), raw("needs-privilege", "EACCES")],
            os_name="win32",
            release="11",
            privilege="user",
        ),
        tmp_path / "win.json",
    )
    publish(merge([tmp_path]), tmp_path / "site")
    return tmp_path / "site" / "matrix.json"


def test_constant_per_platform(matrix_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "tcp_keepcnt", "--matrix", str(matrix_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "constant/TCP_KEEPCNT [lookup]",
        "  Linux 6.1 (root)   ✅ yes value 6",
        "  Windows 11 (user)  ❌ no",
    ]


def test_whole_part_match_before_substring(matrix_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "SOCK_RAW", "--matrix", matrix_path.as_uri()]) == 0
    out = capsys.readouterr().out
    assert "create/AF_INET/SOCK_RAW/IPPROTO_ICMP [create]" in out
    assert "Windows 11 (user)  🔒 needs privilege administrator (EACCES)" in out
    assert "SOCK_STREAM" not in out


def test_no_match_and_bad_matrix(
    matrix_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "AF_NOPE", "--matrix", str(matrix_path)]) == 1
    assert "nothing matches 'AF_NOPE'" in capsys.readouterr().err
    host_report.write(report([stream()]), tmp_path / "a-report.json")
    assert main(["show", "AF_INET", "--matrix", str(tmp_path / "a-report.json")]) == 2
    assert "not a sockcompat matrix" in capsys.readouterr().err
