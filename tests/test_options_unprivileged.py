"""The real options suite, as root and as an unprivileged uid: a documented privileged option
(IP_TRANSPARENT) is ``supported`` for root and ``needs-privilege`` for uid 65534.

Slow: runs the installed wheel (an interpreter the unprivileged uid can read) and probes the host.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sockcompat.report.validate import load

from .conftest import world_writable_dir


def linux_root() -> bool:
    geteuid = getattr(os, "geteuid", None)
    return sys.platform.startswith("linux") and geteuid is not None and geteuid() == 0


pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not linux_root(), reason="needs root on Linux to drop privilege")]

ONLY_INET_STREAM = ["--suite", "options", "--", "-k", "AF_INET/SOCK_STREAM/0"]
TRANSPARENT = "option/AF_INET/SOCK_STREAM/0/IPPROTO_IP.IP_TRANSPARENT"


def run_options(venv: Path, shared_dir: Path, prefix: tuple[str, ...]) -> dict[tuple[str, str], Any]:
    out = world_writable_dir(shared_dir)
    done = subprocess.run([*prefix, str(venv / "bin" / "sockcompat"), "run", "--output", str(out),
                           *ONLY_INET_STREAM], cwd=out, capture_output=True, text=True, timeout=900,
                          check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = load(next(out.glob("*.json")))
    return {(o["id"], o["step"]): o for o in report["observations"]}


def test_ip_transparent_needs_privilege_unprivileged_and_is_supported_as_root(
    wheel_venv: Path, shared_dir: Path
) -> None:
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux)")
    as_root = run_options(wheel_venv, shared_dir, ())
    drop = ("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups")
    as_user = run_options(wheel_venv, shared_dir, drop)
    root_set, user_set = as_root[TRANSPARENT, "set"], as_user[TRANSPARENT, "set"]
    assert (root_set["outcome"], root_set["verdict"]) == ("supported", "echoed"), json.dumps(root_set)
    assert (user_set["outcome"], user_set["errno"]) == ("needs-privilege", "EPERM"), json.dumps(user_set)
    assert "CAP_NET_ADMIN" in user_set["detail"]
    # reading it needs no privilege, and the unprivileged run still measured the rest
    assert as_user[TRANSPARENT, "get"]["outcome"] == "supported"
    rcvbuf = as_user["option/AF_INET/SOCK_STREAM/0/SOL_SOCKET.SO_RCVBUF", "set"]
    assert (rcvbuf["verdict"], rcvbuf["value"]) == ("changed", 24576)
