"""The transfer, AF_UNIX and raw suites run for real, each in a network namespace of its own
(``unshare -n``: only ``lo``, the kernel's default sysctls, nobody else's traffic), as root, as an
unprivileged user (setpriv to uid 65534), and with IPv6 disabled. They assert the verdicts the
issue promises; they never assert timings."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sockcompat.report import validate

from .conftest import world_writable_dir

REPO = Path(__file__).resolve().parents[1]
SUITES = ("test_transfer.py", "test_unix.py", "test_raw.py")
DROP_TO_NOBODY = ("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "--inh-caps=-all")
IPV6_OFF = ("net/ipv6/conf/all/disable_ipv6", "net/ipv6/conf/default/disable_ipv6",
            "net/ipv6/conf/lo/disable_ipv6")
PING_FOR_ALL = "0 2147483647"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux" or not hasattr(os, "geteuid") or os.geteuid() != 0,
                       reason="needs root on Linux to make network namespaces"),
    pytest.mark.skipif(not all(shutil.which(t) for t in ("unshare", "ip", "setpriv")),
                       reason="needs unshare, ip and setpriv (util-linux, iproute2)"),
]

Rows = dict[tuple[str, str], dict[str, Any]]


def run_in_netns(python: str, suites: Path, report: Path, *, sysctls: dict[str, str] | None = None,
                 drop: tuple[str, ...] = (), select: str = "") -> Rows:
    """The suites in a fresh network namespace with ``lo`` up and the given /proc/sys values;
    returns the report's observations by (id, step)."""
    writes = [f"echo {shlex.quote(v)} > /proc/sys/{k}" for k, v in (sysctls or {}).items()]
    command = [*drop, python, "-m", "pytest", *(str(suites / s) for s in SUITES),
               "--sockcompat-report", str(report), "-q"]
    if select:
        command += ["-k", select]
    script = " && ".join(["ip link set lo up", *writes, "exec " + shlex.join(command)])
    done = subprocess.run(["unshare", "-n", "--", "sh", "-c", script], cwd=report.parent,
                          capture_output=True, text=True, timeout=900, check=False, stdin=subprocess.DEVNULL)
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    assert "failed" not in done.stdout.splitlines()[-1], done.stdout[-3000:]
    data = validate.load(report)
    return {(o["id"], o["step"]): o for o in data["observations"]}


def outcomes(rows: Rows, case_id: str) -> dict[str, str]:
    return {step: o["outcome"] for (i, step), o in rows.items() if i == case_id}


def all_supported(rows: Rows, case_id: str) -> bool:
    found = outcomes(rows, case_id)
    return bool(found) and set(found.values()) == {"supported"}


@pytest.fixture(scope="module")
def work(shared_dir: Path) -> Path:
    """Readable and writable by uid 65534 (pytest's own temp root is mode 0700)."""
    return world_writable_dir(shared_dir)


@pytest.fixture(scope="module")
def as_root(work: Path) -> Rows:
    return run_in_netns(sys.executable, REPO / "conformance", work / "root.json")


@pytest.fixture(scope="module")
def wheel_python(wheel_venv: Path) -> tuple[str, Path]:
    """The installed wheel's interpreter (uid 65534 can run it) and the suites inside the wheel."""
    venv = wheel_venv
    python = str(venv / "bin" / "python")
    locate = "from sockcompat.cli.main import conformance_dir; print(conformance_dir())"
    where = subprocess.run([python, "-c", locate], check=True, capture_output=True, text=True).stdout.strip()
    return python, Path(where)


@pytest.fixture(scope="module")
def as_nobody(work: Path, wheel_python: tuple[str, Path]) -> Rows:
    python, suites = wheel_python
    return run_in_netns(python, suites, work / "nobody.json", drop=DROP_TO_NOBODY)


########################################################################################
# as root


@pytest.mark.parametrize("case_id", [
    "transfer/AF_INET/SOCK_STREAM/IPPROTO_TCP",
    "transfer/AF_INET6/SOCK_STREAM/IPPROTO_TCP",
    "transfer/AF_INET/SOCK_DGRAM/IPPROTO_UDP",
    "transfer/AF_INET6/SOCK_DGRAM/IPPROTO_UDP",
    *(f"transfer/AF_UNIX/{t}/0/{v}" for t in ("SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET")
      for v in ("path", "abstract", "autobind")),
    *(f"unix/AF_UNIX/{t}/0/SCM_RIGHTS" for t in ("SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET")),
    "raw/AF_INET/SOCK_RAW/IPPROTO_ICMP/echo",
    "raw/AF_INET6/SOCK_RAW/IPPROTO_ICMPV6/echo",
    "transfer/AF_PACKET/SOCK_RAW/ETH_P_ALL",
])
def test_round_trips_as_root(as_root: Rows, case_id: str) -> None:
    assert all_supported(as_root, case_id), f"{case_id}: got {outcomes(as_root, case_id)}; want all supported"


def test_stream_steps_in_order_as_root(as_root: Rows) -> None:
    steps = list(outcomes(as_root, "transfer/AF_INET/SOCK_STREAM/IPPROTO_TCP"))
    assert sorted(steps) == sorted(["create", "bind", "listen", "connect", "accept", "send", "recv",
                                    "send-reply", "recv-reply", "shutdown", "close"])


def test_longest_unix_path_is_measured(as_root: Rows) -> None:
    row = as_root[("unix/AF_UNIX/SOCK_STREAM/0/longest-path", "bind")]
    assert row["outcome"] == "supported"
    assert 90 <= row["value"] <= 108, row


def test_ping_gated_by_the_namespace_default(as_root: Rows) -> None:
    """A fresh namespace has net.ipv4.ping_group_range "1 0": nobody, not even root, may."""
    row = as_root[("raw/AF_INET/SOCK_DGRAM/IPPROTO_ICMP/ping", "create")]
    assert (row["outcome"], row["errno"]) == ("unavailable", "EACCES"), row
    assert row["value"] == {"net.ipv4.ping_group_range": "1 0"}


########################################################################################
# as uid 65534


@pytest.mark.parametrize("case_id", [
    "raw/AF_INET/SOCK_RAW/IPPROTO_ICMP/echo",
    "raw/AF_INET6/SOCK_RAW/IPPROTO_ICMPV6/echo",
    "raw/AF_INET/SOCK_RAW/IPPROTO_UDP/datagram",
    "raw/AF_INET/SOCK_RAW/IPPROTO_TCP/segment",
    "raw/AF_INET/SOCK_RAW/IPPROTO_RAW/hdrincl",
    "transfer/AF_PACKET/SOCK_RAW/ETH_P_ALL",
    "transfer/AF_PACKET/SOCK_DGRAM/ETH_P_ALL",
])
def test_raw_needs_privilege_unprivileged(as_nobody: Rows, case_id: str) -> None:
    create = as_nobody[(case_id, "create")]
    assert (create["outcome"], create["errno"]) == ("needs-privilege", "EPERM"), create
    assert "CAP_NET_RAW" in create["detail"]
    rest = {o for s, o in outcomes(as_nobody, case_id).items() if s != "create"}
    assert rest == {"not-reached"}


@pytest.mark.parametrize("case_id", [
    "transfer/AF_INET/SOCK_STREAM/IPPROTO_TCP",
    "transfer/AF_INET6/SOCK_DGRAM/IPPROTO_UDP",
    "transfer/AF_UNIX/SOCK_SEQPACKET/0/abstract",
    "unix/AF_UNIX/SOCK_STREAM/0/SCM_RIGHTS",
    "unix/AF_UNIX/SOCK_STREAM/0/SO_PEERCRED",
])
def test_ordinary_sockets_work_unprivileged(as_nobody: Rows, case_id: str) -> None:
    assert all_supported(as_nobody, case_id), f"{case_id}: got {outcomes(as_nobody, case_id)}"


def test_unprivileged_ping_follows_the_sysctl(work: Path, wheel_python: tuple[str, Path]) -> None:
    """Opened to every group, the same unprivileged user may ping loopback."""
    python, suites = wheel_python
    rows = run_in_netns(python, suites, work / "ping.json", drop=DROP_TO_NOBODY, select="ping",
                        sysctls={"net/ipv4/ping_group_range": PING_FOR_ALL})
    for case_id in ("raw/AF_INET/SOCK_DGRAM/IPPROTO_ICMP/ping",
                    "raw/AF_INET6/SOCK_DGRAM/IPPROTO_ICMPV6/ping"):
        assert all_supported(rows, case_id), f"{case_id}: got {outcomes(rows, case_id)}"
        assert rows[(case_id, "create")]["value"] == {"net.ipv4.ping_group_range": PING_FOR_ALL}


########################################################################################
# IPv6 disabled


def test_ipv6_disabled(work: Path) -> None:
    """disable_ipv6=1 everywhere: AF_INET6 sockets still create, ::1 no longer binds."""
    rows = run_in_netns(sys.executable, REPO / "conformance", work / "noipv6.json", select="AF_INET6",
                        sysctls=dict.fromkeys(IPV6_OFF, "1"))
    for case_id in ("transfer/AF_INET6/SOCK_STREAM/IPPROTO_TCP", "transfer/AF_INET6/SOCK_DGRAM/IPPROTO_UDP",
                    "raw/AF_INET6/SOCK_RAW/IPPROTO_ICMPV6/echo"):
        assert rows[(case_id, "create")]["outcome"] == "supported"
        bind = rows[(case_id, "bind")]
        assert (bind["outcome"], bind["errno"]) == ("unavailable", "EADDRNOTAVAIL"), bind
    server = rows[("transfer/AF_INET6/SOCK_STREAM/0/create_server", "create_server")]
    assert (server["outcome"], server["errno"]) == ("unavailable", "EADDRNOTAVAIL"), server
