"""One pytest run, several interpreters: with ``--dist each --tx popen//python=...`` every worker's
observations land in its own host's report, with that worker's own facts, never mixed."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sockcompat.report.validate import load

from .conftest import REPO

pytestmark = pytest.mark.slow


def other_python() -> str | None:
    """Another CPython minor version on this machine (pyenv's), or None."""
    root = shutil.which("pyenv") and subprocess.run(["pyenv", "root"], capture_output=True, text=True,
                                                    check=False).stdout.strip()
    mine = f"python{sys.version_info.major}.{sys.version_info.minor}"
    pattern = os.path.join(root or os.devnull, "versions", "3.*", "bin", "python3.*")
    for candidate in sorted(glob.glob(pattern)):
        name = os.path.basename(candidate)
        if name != mine and name.count(".") == 1 and int(name.split(".")[1]) >= 9:
            return candidate
    return None


@pytest.fixture(scope="module")
def foreign_venv(shared_dir: Path) -> Path:
    python = other_python()
    if python is None:
        pytest.skip("needs a second CPython (e.g. from pyenv) to run a foreign worker")
    venv = shared_dir / "foreign-venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=300)
    dist = shared_dir / "dist"
    if not list(dist.glob("sockcompat-*.whl")):
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
                       check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("sockcompat-*.whl"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True,
                   timeout=900)
    return venv


def test_each_interpreter_gets_its_own_report(foreign_venv: Path, tmp_path: Path) -> None:
    foreign = str(foreign_venv / "bin" / "python")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(REPO / "conformance" / "test_create.py"), "-p", "no:randomly",
         "-k", "AF_INET/SOCK_STREAM", "--dist", "each", "--tx", f"popen//python={foreign}",
         "--tx", f"popen//python={sys.executable}", "--sockcompat-report-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    reports = [load(path) for path in sorted(tmp_path.glob("*.json"))]
    versions = sorted(r["host"]["python"]["version"] for r in reports)
    foreign_version = subprocess.run([foreign, "-c", "import platform; print(platform.python_version())"],
                                     capture_output=True, text=True, check=True).stdout.strip()
    assert versions == sorted([foreign_version, ".".join(map(str, sys.version_info[:3]))])
    for report in reports:
        ids = [o["id"] for o in report["observations"]]
        assert len(ids) == len(set(ids)) > 0
        assert all("/AF_INET/SOCK_STREAM/" in i for i in ids)
