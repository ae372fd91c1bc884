"""The Windows code paths that CPython's Windows build under Wine showed broken, each replayed on
Linux against a simulated Windows: host facts without WMI and without Linux files, Wine told apart
from Windows (host facts, host id, its own matrix column), ``python -m sockcompat``."""

from __future__ import annotations

import ctypes
import platform
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from sockcompat.host import environment, surface
from sockcompat.host.privilege import Privilege
from sockcompat.observation import Observation
from sockcompat.report import host_report, merge
from sockcompat.report.validate import check

from . import hostreports
from .surfaces import WINDOWS_PYTHON_FAMILIES
from .surfaces import surface as fake_surface

ADMIN = Privilege(superuser=True, label="admin")


def windows_version(major: int, minor: int, build: int, product_type: int = 1) -> Any:
    return types.SimpleNamespace(major=major, minor=minor, build=build, product_type=product_type,
                                 platform=2, service_pack="")


def wmi_is_fatal(*args: object) -> str:
    raise AssertionError("platform.system() and kin reach WMI on Windows: Wine 8.0 dies there")


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """sys.platform says win32, the socket surface is Windows', and every ``platform`` call that
    asks WMI on Windows fails the test."""
    pytest.importorskip("psutil")  # imported as on Linux: psutil refuses to import under a fake win32
    monkeypatch.setattr(sys, "platform", "win32")
    for name in ("system", "release", "version", "machine", "uname", "win32_ver"):
        monkeypatch.setattr(platform, name, wmi_is_fatal)
    monkeypatch.setenv("PROCESSOR_ARCHITECTURE", "AMD64")
    monkeypatch.delenv("PROCESSOR_ARCHITEW6432", raising=False)
    monkeypatch.setattr(sys, "getwindowsversion", lambda: windows_version(10, 0, 18362), raising=False)
    return monkeypatch


#: (major, minor, build, product type) -> what platform.release() calls it.
RELEASES = [
    ((10, 0, 18362, 1), "10"),
    ((10, 0, 22631, 1), "11"),
    ((10, 0, 20348, 3), "2022Server"),
    ((10, 0, 26100, 3), "2025Server"),
    ((6, 1, 7601, 1), "7"),
    ((6, 3, 9600, 2), "2012ServerR2"),
]


@pytest.mark.parametrize(("version", "expected"), RELEASES)
def test_windows_release_names(version: tuple[int, int, int, int], expected: str) -> None:
    assert environment.windows_release(version[:3], version[3]) == expected


def test_windows_identity_comes_from_getwindowsversion_not_wmi(on_windows: pytest.MonkeyPatch) -> None:
    assert environment.os_identity() == {"system": "Windows", "release": "10", "kernel_version": "10.0.18362",
                                         "machine": "amd64"}


class FakeNtdll:
    """ntdll as ctypes sees it; Wine's exports its version and the kernel it runs on."""

    def __init__(self, version: bytes | None, system: bytes = b"Linux", release: bytes = b"6.18.44") -> None:
        if version is not None:
            def wine_get_version() -> bytes:
                return version

            def wine_get_host_version(system_out: Any, release_out: Any) -> None:
                system_out._obj.value, release_out._obj.value = system, release

            self.wine_get_version = wine_get_version
            self.wine_get_host_version = wine_get_host_version


@pytest.mark.parametrize(("ntdll", "expected"), [
    (FakeNtdll(b"8.0"), {"version": "8.0", "host_system": "Linux", "host_release": "6.18.44"}),
    (FakeNtdll(b"9.0", b"Darwin", b"24.6.0"),
     {"version": "9.0", "host_system": "Darwin", "host_release": "24.6.0"}),
    (FakeNtdll(None), None),  # real Windows: its ntdll has no wine_* exports
])
def test_wine_is_detected_from_inside(ntdll: FakeNtdll, expected: dict[str, str] | None) -> None:
    assert environment.wine_facts(ntdll) == expected


@pytest.mark.parametrize("ntdll", [FakeNtdll(b"8.0"), FakeNtdll(None)])
def test_windows_host_facts_carry_no_linux_files(on_windows: pytest.MonkeyPatch, ntdll: FakeNtdll) -> None:
    """Under Wine, drive Z: serves /.dockerenv, /proc/self/status and /proc/modules: none of them
    may become a Windows host fact. The facts validate, with or without Wine."""
    on_windows.setattr(ctypes, "WinDLL", lambda name: ntdll, raising=False)
    module = fake_surface("win32", families=WINDOWS_PYTHON_FAMILIES)
    with surface.simulate(module, "win32", ADMIN):
        host = environment.collect(ADMIN, None)
    assert host["os"] == "win32" and host["system"] == "Windows"
    assert "container" not in host and "security" not in host
    assert host["sysctls"] == {} and host["kernel_modules"] == {"loadable": False, "loaded_during_run": None}
    assert ("wine" in host) == hasattr(ntdll, "wine_get_version")
    check(host_report.build([], host, hostreports.report([])["run"]), "windows.json")


def wine_host(version: str = "8.0", kernel: str = "6.18.44-fc-v1300") -> dict[str, Any]:
    host = hostreports.host("win32", "admin", "3.13.2", release="10")
    host["machine"] = "amd64"
    host["wine"] = {"version": version, "host_system": "Linux", "host_release": kernel}
    return host


def test_wine_has_its_own_host_id() -> None:
    assert host_report.host_id(wine_host()) == "win32-10-amd64-wine-8.0-cpython-3.13.2-admin"
    windows = {**wine_host()}
    del windows["wine"]
    assert host_report.host_id(windows) == "win32-10-amd64-cpython-3.13.2-admin"


def test_wine_is_a_column_of_its_own_never_windows() -> None:
    column = merge.platform_entry(wine_host())
    assert column["label"] == "Wine 8.0 amd64 (admin) · Windows API on Linux 6.18"
    assert (column["id"], column["os"]) == ("wine-8.0-amd64-linux_6.18-admin", "wine")
    windows = {**wine_host()}
    del windows["wine"]
    assert merge.platform_entry(windows)["label"] == "Windows 10 amd64 (admin)"


def test_documented_windows_outcomes_are_not_compared_under_wine() -> None:
    """Wine's answers are Wine's and Linux's: against Windows' documentation they prove nothing."""
    raw = Observation(id="create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP", area="create", step="create",
                      outcome="blocked", errno="EACCES")
    windows = {**wine_host()}
    del windows["wine"]
    assert host_report.documented_rows([raw], windows)  # the row exists for Windows
    assert host_report.documented_rows([raw], wine_host()) == []


def test_merged_wine_and_windows_reports_stay_apart(tmp_path: Path) -> None:
    run = hostreports.report([])["run"]
    observation = hostreports.stream()
    windows = {**wine_host()}
    del windows["wine"]
    for name, host in (("windows", windows), ("wine", wine_host())):
        host_report.write(host_report.build([observation], host, run), tmp_path / f"{name}.json")
    matrix = merge.merge([tmp_path])
    assert [p["os_label"] for p in matrix["platforms"]] == ["Windows", "Wine"]


def test_python_dash_m_sockcompat_runs_the_command() -> None:
    done = subprocess.run([sys.executable, "-m", "sockcompat", "--version"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert (done.returncode, done.stdout.split()[0]) == (0, "sockcompat")
