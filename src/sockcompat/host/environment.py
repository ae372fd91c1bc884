"""Host facts for the report's ``host`` section: what the observations are evidence about.

Each fact comes from a small provider that returns a value or None, never raises, and never
records anything identifying: no hostname, user name, MAC or non-loopback address (counts and
booleans instead).
"""

from __future__ import annotations

import ctypes
import ipaddress
import os
import platform
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sockcompat.host import surface
from sockcompat.host.privilege import Privilege

#: Linux sysctls that change socket outcomes, read from /proc/sys.
SYSCTLS = (
    "net.ipv6.bindv6only",
    "net.ipv6.conf.all.disable_ipv6",
    "net.ipv6.conf.lo.disable_ipv6",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_port_range",
    "net.core.somaxconn",
    "net.core.rmem_max",
    "net.core.wmem_max",
    "net.mptcp.enabled",
)


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None


def sysctls() -> dict[str, str | None]:
    """The socket-relevant sysctls (Linux); each None where the file is absent or unreadable."""
    if not on_linux():
        return {}
    values = {name: _read("/proc/sys/" + name.replace(".", "/")) for name in SYSCTLS}
    return {name: None if v is None else " ".join(v.split()) for name, v in values.items()}


#: Windows release names by (major, minor, build) floor, as CPython's ``platform.release()`` gives
#: them (client; server editions: product type other than 1, workstation).
WINDOWS_CLIENT_RELEASES = (((10, 0, 22000), "11"), ((6, 4, 0), "10"), ((6, 3, 0), "8.1"), ((6, 2, 0), "8"),
                           ((6, 1, 0), "7"), ((6, 0, 0), "Vista"))
WINDOWS_SERVER_RELEASES = (((10, 0, 26100), "2025Server"), ((10, 0, 20348), "2022Server"),
                           ((10, 0, 17763), "2019Server"), ((6, 4, 0), "2016Server"),
                           ((6, 3, 0), "2012ServerR2"), ((6, 2, 0), "2012Server"),
                           ((6, 1, 0), "2008ServerR2"), ((6, 0, 0), "2008Server"))


def on_linux() -> bool:
    """Linux files describe the host only where the probed OS is Linux: under Wine, drive Z: hands
    the Linux box's /proc and /.dockerenv to a Windows process, and they are not Windows facts."""
    return surface.current().platform == "linux"


def loaded_modules() -> frozenset[str] | None:
    """Kernel module names from /proc/modules; None where the kernel has no loadable modules (or
    is not Linux)."""
    if not on_linux():
        return None
    text = _read("/proc/modules")
    if text is None:
        return None
    return frozenset(line.split()[0] for line in text.splitlines() if line.strip())


def fd_limit() -> dict[str, int] | None:
    """RLIMIT_NOFILE: EMFILE outcomes depend on it (Windows has no such limit)."""
    if sys.platform == "win32":
        return None
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return {"soft": soft, "hard": hard}


def container_hints() -> dict[str, bool] | None:
    """Booleans only: are we in a container, in WSL? (Linux)"""
    if not on_linux():
        return None
    cgroup = _read("/proc/1/cgroup") or ""
    return {
        "dockerenv": Path("/.dockerenv").exists(),
        "containerenv": Path("/run/.containerenv").exists(),
        "cgroup_mentions_container": any(k in cgroup for k in ("docker", "kubepods", "containerd", "lxc")),
        "wsl": "microsoft" in platform.release().lower(),
    }


def security() -> dict[str, Any] | None:
    """Seccomp mode of this process and the active LSMs (Linux)."""
    if not on_linux():
        return None
    status = _read("/proc/self/status") or ""
    mode = next((line.split()[1] for line in status.splitlines() if line.startswith("Seccomp:")), None)
    lsm = _read("/sys/kernel/security/lsm")
    return {"seccomp_mode": None if mode is None else int(mode), "lsm": lsm.split(",") if lsm else None}


def interfaces() -> dict[str, Any] | None:
    """Counts of interfaces and address kinds (psutil), never the addresses themselves."""
    try:
        import psutil
    except ImportError:
        return None
    try:
        table = psutil.net_if_addrs()
    except (OSError, RuntimeError):
        return None
    v4, v6, loop_v4, loop_v6, global_v6 = 0, 0, False, False, False
    for addresses in table.values():
        families = {a.family for a in addresses}
        v4 += socket.AF_INET in families
        v6 += socket.AF_INET6 in families
        for a in addresses:
            if a.family not in (socket.AF_INET, socket.AF_INET6):
                continue
            ip = ipaddress.ip_address(a.address.split("%")[0])
            loop_v4 |= ip.version == 4 and ip.is_loopback
            loop_v6 |= ip.version == 6 and ip.is_loopback
            global_v6 |= ip.version == 6 and ip.is_global
    return {
        "count": len(table),
        "with_ipv4": v4,
        "with_ipv6": v6,
        "loopback_ipv4": loop_v4,
        "loopback_ipv6": loop_v6,
        "has_global_ipv6": global_v6,
    }


def socket_module() -> dict[str, Any]:
    try:
        dualstack = socket.has_dualstack_ipv6()
    except OSError:
        dualstack = False
    return {
        "has_ipv6": socket.has_ipv6,
        "has_dualstack_ipv6": dualstack,
        "has_af_unix": hasattr(socket, "AF_UNIX"),
    }


def python() -> dict[str, str]:
    return {
        "implementation": platform.python_implementation().lower(),
        "version": platform.python_version(),
        "compiler": platform.python_compiler(),
    }


def windows_release(version: Sequence[int], product_type: int) -> str:
    """"10", "11", "2022Server": the name ``platform.release()`` gives, from the version numbers."""
    table = WINDOWS_CLIENT_RELEASES if product_type == 1 else WINDOWS_SERVER_RELEASES
    return next((name for floor, name in table if tuple(version[:3]) >= floor), str(version[0]))


def os_identity() -> dict[str, str]:
    """system, release, kernel_version and machine. On Windows from ``sys.getwindowsversion()``
    and the environment, never ``platform.system()`` and kin: those ask WMI, and Wine 8.0's WMI
    kills the process (after the probes, before the report; the exit code can still be 0)."""
    if sys.platform == "win32":
        version = sys.getwindowsversion()
        numbers = (version.major, version.minor, version.build)
        machine = os.environ.get("PROCESSOR_ARCHITEW6432") or os.environ.get("PROCESSOR_ARCHITECTURE", "")
        return {"system": "Windows", "release": windows_release(numbers, version.product_type),
                "kernel_version": ".".join(str(n) for n in numbers), "machine": machine.lower()}
    return {"system": platform.system(), "release": platform.release(), "kernel_version": platform.version(),
            "machine": platform.machine().lower()}


def wine_facts(ntdll: Any) -> dict[str, str] | None:
    """Wine's version and the OS under it, from its ntdll's own exports (``wine_get_version``,
    ``wine_get_host_version``); None where ntdll has no such export: real Windows."""
    get_version = getattr(ntdll, "wine_get_version", None)
    if get_version is None:
        return None
    get_version.restype = ctypes.c_char_p
    get_version.argtypes = []
    facts = {"version": (get_version() or b"").decode("ascii", "replace")}
    get_host = getattr(ntdll, "wine_get_host_version", None)
    if get_host is not None:
        system, release = ctypes.c_char_p(), ctypes.c_char_p()
        get_host.restype = None
        get_host.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_char_p)]
        get_host(ctypes.byref(system), ctypes.byref(release))
        facts["host_system"] = (system.value or b"").decode("ascii", "replace")
        facts["host_release"] = (release.value or b"").decode("ascii", "replace")
    return facts


def wine() -> dict[str, str] | None:
    """Wine, detected from inside (Windows only): a Windows API on another kernel is not Windows,
    and its reports must say so."""
    if sys.platform != "win32":
        return None
    try:
        ntdll = ctypes.WinDLL("ntdll")
    except OSError:
        return None
    return wine_facts(ntdll)


def collect(privilege: Privilege, modules_before: frozenset[str] | None) -> dict[str, Any]:
    """Every host fact the report carries; ``modules_before`` is the /proc/modules snapshot taken
    before probing, so modules the probes autoloaded can be named."""
    modules_after = loaded_modules()
    loaded = None
    if modules_before is not None and modules_after is not None:
        loaded = sorted(modules_after - modules_before)
    facts: dict[str, Any] = {
        "os": surface.current().platform,
        **os_identity(),
        "python": python(),
        "socket": socket_module(),
        "privilege": privilege.to_json(),
        "sysctls": sysctls(),
        "fd_limit": fd_limit(),
        "interfaces": interfaces(),
        "kernel_modules": {"loadable": modules_after is not None, "loaded_during_run": loaded},
    }
    # facts that do not exist on this OS are left out, not reported as empty
    optional = {"container": container_hints(), "security": security(), "wine": wine()}
    facts.update({name: value for name, value in optional.items() if value is not None})
    return facts
