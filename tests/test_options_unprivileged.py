"""The real options suite, as root and as an unprivileged uid: a documented privileged option
(IP_TRANSPARENT) is ``supported`` for root and ``needs-privilege`` for uid 65534.

Slow: builds and installs a wheel into a venv the unprivileged uid can read, and probes the host.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sockcompat.report.validate import load


def linux_root() -> bool:
    geteuid = getattr(os, "geteuid", None)
    return sys.platform.startswith("linux") and geteuid is not None and geteuid() == 0


pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not linux_root(), reason="needs root on Linux to drop privilege")]

REPO = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = shutil.which("python3", path=os.defpath)
ONLY_INET_STREAM = ["--suite", "options", "--", "-k", "AF_INET/SOCK_STREAM/0"]
TRANSPARENT = "option/AF_INET/SOCK_STREAM/0/IPPROTO_IP.IP_TRANSPARENT"


@pytest.fixture(scope="module")
def venv() -> Iterator[Path]:
    """The wheel in a venv made by the system Python, under a folder uid 65534 can read."""
    if SYSTEM_PYTHON is None or shutil.which("setpriv") is None:
        pytest.skip("needs a system python3 and setpriv")
    root = Path(tempfile.mkdtemp(prefix="sockcompat-opt-"))
    root.chmod(0o755)
    try:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"),
                        str(REPO)], check=True, capture_output=True, timeout=600)
        subprocess.run([SYSTEM_PYTHON, "-m", "venv", str(root / "venv")], check=True, timeout=300)
        wheel = next((root / "dist").glob("sockcompat-*.whl"))
        subprocess.run([str(root / "venv" / "bin" / "pip"), "install", "-q", str(wheel)], check=True,
                       capture_output=True, timeout=600)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run_options(root: Path, name: str, prefix: tuple[str, ...]) -> dict[tuple[str, str], Any]:
    out = root / name
    out.mkdir()
    out.chmod(0o777)
    done = subprocess.run([*prefix, str(root / "venv" / "bin" / "sockcompat"), "run", "--output", str(out),
                           *ONLY_INET_STREAM], cwd=out, capture_output=True, text=True, timeout=900,
                          check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = load(next(out.glob("*.json")))
    return {(o["id"], o["step"]): o for o in report["observations"]}


def test_ip_transparent_needs_privilege_unprivileged_and_is_supported_as_root(venv: Path) -> None:
    as_root = run_options(venv, "root", ())
    as_user = run_options(venv, "user", ("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"))
    root_set, user_set = as_root[TRANSPARENT, "set"], as_user[TRANSPARENT, "set"]
    assert (root_set["outcome"], root_set["verdict"]) == ("supported", "echoed"), json.dumps(root_set)
    assert (user_set["outcome"], user_set["errno"]) == ("needs-privilege", "EPERM"), json.dumps(user_set)
    assert "CAP_NET_ADMIN" in user_set["detail"]
    # reading it needs no privilege, and the unprivileged run still measured the rest
    assert as_user[TRANSPARENT, "get"]["outcome"] == "supported"
    rcvbuf = as_user["option/AF_INET/SOCK_STREAM/0/SOL_SOCKET.SO_RCVBUF", "set"]
    assert (rcvbuf["verdict"], rcvbuf["value"]) == ("changed", 24576)
