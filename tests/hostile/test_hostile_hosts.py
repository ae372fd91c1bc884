"""The real suites on hostile hosts: each run finishes, writes a valid report, and tells the truth.

Each host is a fresh network namespace (so sysctls can change freely), made by ``unshare`` as root;
the suite runs from the installed wheel, as a user would run it.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Protocol

import pytest

from ..conftest import world_writable_dir
from .harness import Host, Run, run_on, sysctl

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux" or not hasattr(os, "geteuid") or os.geteuid() != 0,
                       reason="needs root on Linux to make network namespaces"),
    pytest.mark.skipif(shutil.which("unshare") is None or shutil.which("ip") is None,
                       reason="needs unshare (util-linux) and ip (iproute2)"),
]

HERE = Path(__file__).resolve().parent
LOOPBACK_UP = "ip link set lo up"
IPV6_OFF = tuple(sysctl(f"net.ipv6.conf.{scope}.disable_ipv6", "1") for scope in ("all", "default", "lo"))


def seccomp_launcher(into: Path) -> Path:
    """Compile the seccomp launcher (a few lines of C) for this run."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or platform.machine() != "x86_64":
        pytest.skip("needs a C compiler on x86-64 for the seccomp filter")
    binary = into / "seccomp_deny_families"
    subprocess.run([compiler, "-O2", "-o", str(binary), str(HERE / "seccomp_deny_families.c")], check=True)
    return binary


class HostRunner(Protocol):
    def __call__(self, host: Host, cwd: Path | None = None) -> Run: ...


@pytest.fixture
def host_run(wheel_venv: Path, shared_dir: Path) -> HostRunner:
    """Run a Host in a fresh namespace; its output folder (and default cwd) is writable by any uid."""

    def run(host: Host, cwd: Path | None = None) -> Run:
        out = world_writable_dir(shared_dir)
        return run_on(host, wheel_venv, out, cwd or out)

    return run


def loopback_binds(run: Run, family: str) -> list[tuple[str, str | None]]:
    """Bind outcomes of the transfer probes that bind the family's loopback address (the dual-stack
    probe binds ::ffff:127.0.0.1 instead; probes whose create failed never bind)."""
    return [(o["outcome"], o["errno"]) for o in run.where(area="transfer", family=family, step="bind")
            if not o["id"].endswith("/dualstack") and o["outcome"] != "not-reached"]


def test_ipv6_disabled_entirely(host_run: HostRunner) -> None:
    run = host_run(Host("ipv6-off", setup=(LOOPBACK_UP, *IPV6_OFF), suites=("create", "transfer")))
    assert run.returncode == 0, run.output[-3000:]
    host = run.report["host"]
    assert host["sysctls"]["net.ipv6.conf.all.disable_ipv6"] == "1"
    assert host["interfaces"]["loopback_ipv6"] is False
    # The kernel still has IPv6 sockets; only the addresses are gone, so ::1 cannot be bound.
    assert run.outcome("create/AF_INET6/SOCK_STREAM/0", "create") == ("supported", None)
    binds = loopback_binds(run, "AF_INET6")
    assert binds and set(binds) == {("unavailable", "EADDRNOTAVAIL")}
    assert run.outcome("transfer/AF_INET/SOCK_STREAM/0", "recv")[0] == "supported"
    # ...while a v4-mapped address on an IPv6 socket still works: it is IPv4 underneath.
    assert run.outcome("transfer/AF_INET6/SOCK_STREAM/0/dualstack", "accept")[0] == "supported"


def test_ipv6_disabled_on_loopback_only(host_run: HostRunner) -> None:
    lo_off = sysctl("net.ipv6.conf.lo.disable_ipv6", "1")
    run = host_run(Host("ipv6-off-lo", setup=(LOOPBACK_UP, lo_off), suites=("transfer",)))
    assert run.returncode == 0, run.output[-3000:]
    sysctls = run.report["host"]["sysctls"]
    assert (sysctls["net.ipv6.conf.all.disable_ipv6"], sysctls["net.ipv6.conf.lo.disable_ipv6"]) == ("0", "1")
    assert set(loopback_binds(run, "AF_INET6")) == {("unavailable", "EADDRNOTAVAIL")}
    assert run.outcome("transfer/AF_INET/SOCK_DGRAM/0", "recvfrom")[0] == "supported"


def test_loopback_down(host_run: HostRunner) -> None:
    run = host_run(Host("loopback-down", setup=(), suites=("transfer",)))
    assert run.returncode == 0, run.output[-3000:]
    assert run.outcome("transfer/AF_INET/SOCK_STREAM/0", "connect") == ("unavailable", "ENETUNREACH")
    assert run.outcome("transfer/AF_INET/SOCK_STREAM/0", "accept")[0] == "not-reached"


def test_bindv6only(host_run: HostRunner) -> None:
    run = host_run(Host("bindv6only", setup=(LOOPBACK_UP, sysctl("net.ipv6.bindv6only", "1")),
                        suites=("transfer",)))
    assert run.returncode == 0, run.output[-3000:]
    assert run.report["host"]["sysctls"]["net.ipv6.bindv6only"] == "1"
    # Asking for IPV6_V6ONLY=0 explicitly still gives a dual-stack socket.
    assert run.outcome("transfer/AF_INET6/SOCK_STREAM/0/dualstack", "accept")[0] == "supported"


def test_unprivileged_user(host_run: HostRunner) -> None:
    run = host_run(Host("user", unprivileged=True, suites=("create", "raw")))
    assert run.returncode == 0, run.output[-3000:]
    assert run.report["host"]["privilege"]["label"] == "user"
    assert run.outcome("create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create") == ("needs-privilege", "EPERM")
    assert run.outcome("create/AF_PACKET/SOCK_RAW/0", "create") == ("needs-privilege", "EPERM")
    assert run.outcome("raw/AF_INET/SOCK_RAW/IPPROTO_ICMP/echo", "create") == ("needs-privilege", "EPERM")
    # The default ping_group_range "1 0" admits no group: a host setting, not a missing privilege.
    assert run.outcome("create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP", "create") == ("unavailable", "EACCES")


def test_unprivileged_icmp_with_ping_group_range(host_run: HostRunner) -> None:
    everyone = sysctl("net.ipv4.ping_group_range", "0 2147483647")
    run = host_run(Host("ping-group", setup=(LOOPBACK_UP, everyone), unprivileged=True,
                        suites=("create", "raw")))
    assert run.returncode == 0, run.output[-3000:]
    assert run.report["host"]["sysctls"]["net.ipv4.ping_group_range"] == "0 2147483647"
    assert run.outcome("create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP", "create") == ("supported", None)
    ping = run.where(id="raw/AF_INET/SOCK_DGRAM/IPPROTO_ICMP/ping")
    assert ping and all(o["outcome"] == "supported" for o in ping), ping


def test_seccomp_refusal_is_blocked_even_for_root(host_run: HostRunner, shared_dir: Path) -> None:
    launcher = seccomp_launcher(shared_dir)
    run = host_run(Host("seccomp", wrapper=(str(launcher), "17,16"), suites=("create",)))
    assert run.returncode == 0, run.output[-3000:]
    assert run.report["host"]["security"]["seccomp_mode"] == 2
    for probe_id in ("create/AF_PACKET/SOCK_RAW/0", "create/AF_NETLINK/SOCK_RAW/0"):
        outcome, errno_name = run.outcome(probe_id, "create")
        assert (outcome, errno_name) == ("blocked", "EPERM"), probe_id
    assert run.outcome("create/AF_INET/SOCK_STREAM/0", "create") == ("supported", None)


def test_descriptor_limit_reached(host_run: HostRunner, shared_dir: Path) -> None:
    plugin_dir = shared_dir / "plugins"
    plugin_dir.mkdir(exist_ok=True)
    shutil.copy(HERE / "fd_exhaustion.py", plugin_dir)
    run = host_run(Host("fd-limit", wrapper=("prlimit", "--nofile=64:64"), suites=("create",),
                        env=(("PYTHONPATH", str(plugin_dir)),), pytest_args=("-p", "fd_exhaustion")))
    assert run.returncode == 0, run.output[-3000:]
    assert run.report["host"]["fd_limit"] == {"soft": 64, "hard": 64}
    assert run.outcome("create/AF_INET/SOCK_STREAM/0", "create") == ("unavailable", "EMFILE")
    assert not run.where(outcome="error")


def test_very_long_tmpdir(host_run: HostRunner, shared_dir: Path) -> None:
    deep = shared_dir / ("t" * 120) / ("m" * 120)
    deep.mkdir(parents=True)
    for folder in (deep, deep.parent):
        folder.chmod(0o777)
    run = host_run(Host("long-tmpdir", env=(("TMPDIR", str(deep)),), suites=("unix",), unprivileged=True))
    assert run.returncode == 0, run.output[-3000:]
    paths = run.where(area="unix", step="bind")
    assert paths and all(o["outcome"] == "supported" for o in paths if o["id"].endswith("/path")), paths
    assert not run.where(outcome="error")


def test_read_only_working_directory(host_run: HostRunner, shared_dir: Path) -> None:
    locked = shared_dir / "read-only"
    locked.mkdir()
    locked.chmod(0o555)  # the unprivileged uid cannot write here (root could)
    run = host_run(Host("read-only-cwd", unprivileged=True, suites=("create",)), cwd=locked)
    assert run.returncode == 0, run.output[-3000:]
    assert not list(locked.iterdir())
