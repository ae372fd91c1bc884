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
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sockcompat.report.validate import load

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
ONLY_CREATE = ["--suite", "create"]
CliRun = tuple["subprocess.CompletedProcess[str]", dict[str, Any]]


def run_cli(*args: str, cwd: Path, command: tuple[str, ...] = (sys.executable, "-m", "sockcompat.cli"),
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


SYSTEM_PYTHON = shutil.which("python3", path=os.defpath)


@pytest.fixture(scope="module")
def shared_dir() -> Iterator[Path]:
    """A folder an unprivileged uid can read. Not under pytest's own temp root: pytest keeps that
    at mode 0700 (and resets it whenever another xdist worker starts)."""
    path = Path(tempfile.mkdtemp(prefix="sockcompat-test-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def wheel_venv(shared_dir: Path) -> Path:
    """A venv made by the system Python, with the built wheel installed: an unprivileged uid can
    run it (a Python inside root's private home could not)."""
    if SYSTEM_PYTHON is None or sys.platform != "linux":
        pytest.skip("needs a system python3 on Linux")
    root = shared_dir
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"),
                    str(REPO)], check=True, capture_output=True, timeout=600)
    venv = root / "venv"
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", str(venv)], check=True, timeout=300)
    wheel = next((root / "dist").glob("sockcompat-*.whl"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True,
                   timeout=600)
    return venv


def test_installed_wheel_ships_the_suites(wheel_venv: Path, tmp_path: Path) -> None:
    locate = "from sockcompat.cli import conformance_dir; print(conformance_dir())"
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
    tmp_path = shared_dir / "unprivileged"
    tmp_path.mkdir()
    tmp_path.chmod(0o777)
    drop = (setpriv, "--reuid", "65534", "--regid", "65534", "--clear-groups")
    done = run_cli("run", "--output", str(tmp_path), *ONLY_CREATE, "--", "-k", "SOCK_RAW and AF_INET",
                   cwd=tmp_path, command=(str(wheel_venv / "bin" / "sockcompat"),), prefix=drop)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report_file = next(tmp_path.glob("*-user.json"))
    rows = by_id(load(report_file))
    icmp = rows["create/AF_INET/SOCK_RAW/IPPROTO_ICMP"]
    assert (icmp["outcome"], icmp["errno"]) == ("needs-privilege", "EPERM"), json.dumps(icmp)
    assert "CAP_NET_RAW" in icmp["detail"]


def test_unknown_suite_is_named(tmp_path: Path) -> None:
    done = run_cli("run", "--suite", "nosuch", cwd=tmp_path)
    assert done.returncode == 2
    assert "no suite test_nosuch.py; known suites: " in done.stderr and "create" in done.stderr
