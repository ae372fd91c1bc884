"""The real create suite on this host, through the CLI, with xdist, and from an installed wheel.

Slow: these probe the host for real (a few seconds each) or build and install a wheel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sockcompat.report.validate import load

from .conftest import world_writable_dir

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
ONLY_CREATE = ["--suite", "create"]
CliRun = tuple["subprocess.CompletedProcess[str]", dict[str, Any]]


def run_cli(*args: str, cwd: Path, command: tuple[str, ...] = (sys.executable, "-m", "sockcompat.cli.main"),
            prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process, as a user would run it: no stdin, its own cwd."""
    command = (*prefix, *command, *args)
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900, check=False,
                          stdin=subprocess.DEVNULL)


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in report["observations"] if o["area"] == "create"}


def can_is_absent() -> bool:
    """No CAN in the kernel now and no way to load it: then socket(AF_CAN) must say EAFNOSUPPORT."""
    protocols = Path("/proc/net/protocols")
    return protocols.exists() and "CAN" not in protocols.read_text() and not Path("/proc/modules").exists()


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> CliRun:
    work = tmp_path_factory.mktemp("run")
    done = run_cli("run", "--output", "hosts", *ONLY_CREATE, cwd=work)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    match = re.fullmatch(r"sockcompat: report written to (.+\.json)", last)
    assert match, last
    return done, load(work / match.group(1))


def test_create_matrix_on_this_host(cli_run: CliRun) -> None:
    _, report = cli_run
    rows = by_id(report)
    assert len(rows) >= 4455
    assert rows["create/AF_INET/SOCK_STREAM/0"]["outcome"] == "supported"
    if can_is_absent():
        can = rows["create/AF_CAN/SOCK_RAW/CAN_RAW"]
        assert (can["outcome"], can["errno"]) == ("unsupported", "EAFNOSUPPORT")


def test_summary_counts_match_the_report(cli_run: CliRun) -> None:
    done, report = cli_run
    summary = {k: int(v) for k, v in re.findall(r"^  ([a-z-]+)\s+(\d+)$", done.stdout, re.MULTILINE)}
    counted: dict[str, int] = {}
    for o in report["observations"]:
        counted[o["outcome"]] = counted.get(o["outcome"], 0) + 1
    assert summary == counted


def test_xdist_gives_the_same_observations(cli_run: CliRun,
                                           tmp_path: Path) -> None:
    _, serial = cli_run
    target = tmp_path / "parallel.json"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(REPO / "conformance" / "test_create.py"), "-n", "2",
         "--sockcompat-report", str(target)],
        cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    parallel = load(target)
    assert parallel["run"]["workers"] == 2
    outcomes = {k: v["outcome"] for k, v in by_id(parallel).items()}
    assert outcomes == {k: v["outcome"] for k, v in by_id(serial).items()}
    assert len(parallel["observations"]) == len(serial["observations"])


def test_a_rerun_replaces_its_own_file(cli_run: CliRun,
                                       tmp_path: Path) -> None:
    for _ in range(2):
        done = run_cli("run", "--output", "hosts", *ONLY_CREATE, "--", "-k", "AF_INET/SOCK_STREAM",
                       cwd=tmp_path)
        assert done.returncode == 0, done.stdout[-2000:]
    assert len(list((tmp_path / "hosts").glob("*.json"))) == 1


def test_installed_wheel_ships_the_suites(wheel_venv: Path, tmp_path: Path) -> None:
    locate = "from sockcompat.cli.main import conformance_dir; print(conformance_dir())"
    located = subprocess.run([str(wheel_venv / "bin" / "python"), "-c", locate],
                             capture_output=True, text=True, check=True, cwd=tmp_path)
    assert "site-packages" in located.stdout
    done = run_cli("run", "--output", str(tmp_path), *ONLY_CREATE, "--", "-k", "AF_INET/SOCK_STREAM",
                   cwd=tmp_path, command=(str(wheel_venv / "bin" / "sockcompat"),))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = by_id(load(next(tmp_path.glob("*.json"))))
    assert rows["create/AF_INET/SOCK_STREAM/0"]["outcome"] == "supported"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to drop privilege")
def test_unprivileged_raw_is_needs_privilege(wheel_venv: Path, shared_dir: Path) -> None:
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is not installed")
    tmp_path = world_writable_dir(shared_dir)
    drop = (setpriv, "--reuid", "65534", "--regid", "65534", "--clear-groups")
    done = run_cli("run", "--output", str(tmp_path), *ONLY_CREATE, "--", "-k", "SOCK_RAW and AF_INET",
                   cwd=tmp_path, command=(str(wheel_venv / "bin" / "sockcompat"),), prefix=drop)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report_file = next(tmp_path.glob("*-user.partial.json"))  # one suite, -k: a partial report
    rows = by_id(load(report_file))
    icmp = rows["create/AF_INET/SOCK_RAW/IPPROTO_ICMP"]
    assert (icmp["outcome"], icmp["errno"]) == ("needs-privilege", "EPERM"), json.dumps(icmp)
    assert "CAP_NET_RAW" in icmp["detail"]


def test_unknown_suite_is_named(tmp_path: Path) -> None:
    done = run_cli("run", "--suite", "nosuch", cwd=tmp_path)
    assert done.returncode == 2
    assert "invalid choice: 'nosuch' (choose from " in done.stderr and "'create'" in done.stderr
