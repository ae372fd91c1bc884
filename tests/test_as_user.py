"""Running the suites as another user from root: argument forwarding, refusals, the real thing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sockcompat.report.validate import load
from sockcompat.runners import as_user

FORWARDED = [
    ((None, None, []), []),
    ((2.5, None, []), ["--timeout", "2.5"]),
    ((None, None, ["--", "-k", "AF_INET"]), ["--", "-k", "AF_INET"]),
    ((1.0, None, ["-x"]), ["--timeout", "1.0", "--", "-x"]),
]


def test_suites_and_no_autoload_are_forwarded() -> None:
    assert as_user.forwarded(None, None, [], ["create", "raw"], True) == [
        "--suite=create", "--suite=raw", "--no-autoload"]


@pytest.mark.parametrize(("given", "want"), FORWARDED)
def test_forwarded_arguments(given: tuple[float | None, Path | None, list[str]], want: list[str]) -> None:
    assert as_user.forwarded(*given) == want


def test_baseline_is_forwarded_as_an_absolute_path() -> None:
    args = as_user.forwarded(None, Path("base.json"), [])
    assert args[0] == "--baseline" and os.path.isabs(args[1])


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="--as-user is POSIX only")


@posix_only
def test_also_as_user_is_a_note_when_not_root(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert as_user.run_child("nobody", [], tmp_path, required=False) == 0
    assert "this run is the unprivileged column" in capsys.readouterr().out


@posix_only
def test_as_user_needs_root(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert as_user.run_child("0", [], tmp_path, required=True) == 2
    assert "needs root" in capsys.readouterr().err


@posix_only
def test_unknown_user_is_named() -> None:
    with pytest.raises(as_user.AsUserError, match="no user named 'sc-no-such-user'"):
        as_user.resolve("sc-no-such-user")


@posix_only
def test_an_unusable_interpreter_skips_only_the_extra_column(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(user: str, run_args: object, output: Path) -> int:
        raise as_user.AsUserError("uid 65534 cannot run python, first closed folder: /root")

    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(as_user, "run_as", refuse)
    assert as_user.run_child("nobody", [], tmp_path, required=False) == 0
    assert "unprivileged column skipped: uid 65534 cannot run python" in capsys.readouterr().err
    assert as_user.run_child("nobody", [], tmp_path, required=True) == 2


@posix_only
@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() != 0, reason="needs root")
def test_as_user_writes_the_unprivileged_report(wheel_venv: Path, tmp_path: Path) -> None:
    """From the installed wheel (an interpreter uid 65534 can read), as root, as a user would."""
    out = tmp_path / "hosts"
    done = subprocess.run(
        [str(wheel_venv / "bin" / "sockcompat"), "run", "--as-user", "65534", "--output", str(out),
         "--suite", "create", "--", "-k", "SOCK_RAW and AF_INET and not AF_INET6"],
        capture_output=True, text=True, check=False, cwd=tmp_path, stdin=subprocess.DEVNULL, timeout=600,
    )
    code = done.returncode
    reports = list(out.glob("*.json"))
    assert len(reports) == 1, f"exit {code}, files {reports}"
    report = load(reports[0])
    assert report["host"]["privilege"]["label"] == "user"
    assert report["host"]["privilege"]["uid"] == 65534
