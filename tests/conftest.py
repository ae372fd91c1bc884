"""Shared test fixtures: pytester, and a wheel installed where an unprivileged uid can run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = shutil.which("python3", path=os.defpath)


@pytest.fixture(scope="session")
def shared_dir() -> Iterator[Path]:
    """A folder an unprivileged uid can read. Not under pytest's own temp root: pytest keeps that
    at mode 0700 (and resets it whenever another xdist worker starts)."""
    path = Path(tempfile.mkdtemp(prefix="sockcompat-test-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def wheel_venv(shared_dir: Path) -> Path:
    """A venv made by the system Python with the built wheel installed: an unprivileged uid can run
    it (a Python inside root's private home could not), and it proves the wheel ships the suites."""
    if SYSTEM_PYTHON is None or sys.platform != "linux":
        pytest.skip("needs a system python3 on Linux")
    dist = shared_dir / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    venv = shared_dir / "venv"
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", str(venv)], check=True, timeout=300)
    wheel = next(dist.glob("sockcompat-*.whl"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, capture_output=True,
                   timeout=900)
    return venv


def world_writable_dir(parent: Path) -> Path:
    """A fresh folder inside ``parent`` that any uid may write to (for unprivileged runs)."""
    path = Path(tempfile.mkdtemp(dir=parent))
    path.chmod(0o777)
    return path
