"""The whole pipeline — catalog, create probe, classify, plugin, report writer — over simulated
Windows, macOS and FreeBSD socket modules: each must give a valid report that tells their truths."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sockcompat.host import surface as surfaces
from sockcompat.host.privilege import Privilege
from sockcompat.report.validate import load

from .surfaces import (
    DARWIN_PYTHON_FAMILIES,
    WINDOWS_PYTHON_FAMILIES,
    darwin,
    factory,
    freebsd,
    surface,
    windows,
)

pytestmark = pytest.mark.slow

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance"
USER = Privilege(superuser=False, label="user")

Answer = Callable[[int, int, int], "BaseException | None"]
PLATFORMS: dict[str, tuple[tuple[str, ...] | None, Answer]] = {
    "win32": (WINDOWS_PYTHON_FAMILIES, windows),
    "darwin": (DARWIN_PYTHON_FAMILIES, darwin),
    "freebsd": (None, freebsd),
}

#: (platform, id) -> (outcome, errno, python_constant): what each simulated OS must come out as.
EXPECTED = {
    ("win32", "create/AF_UNIX/SOCK_STREAM/0"): ("supported", None, False),
    ("win32", "create/AF_UNIX/SOCK_DGRAM/0"): ("unsupported", "ESOCKTNOSUPPORT", False),
    ("win32", "create/AF_INET/SOCK_RAW/IPPROTO_ICMP"): ("needs-privilege", "EACCES", True),
    ("win32", "create/AF_NETLINK/SOCK_RAW/0"): ("no-constant", None, False),
    ("darwin", "create/AF_UNIX/SOCK_SEQPACKET/0"): ("unsupported", "EPROTONOSUPPORT", True),
    ("darwin", "create/AF_INET6/SOCK_STREAM/0"): ("supported", None, True),
    ("darwin", "create/AF_INET/SOCK_DCCP/0"): ("no-constant", None, False),
    ("freebsd", "create/AF_INET/SOCK_RDM/0"): ("unsupported", "EPROTOTYPE", True),
    ("freebsd", "create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP"): ("unsupported", "EPROTONOSUPPORT", True),
}


def run_simulated(platform: str, pytester: pytest.Pytester, tmp_path: Path) -> dict[str, Any]:
    """The real create suite, in-process, over the platform's fake socket module."""
    families, answer = PLATFORMS[platform]
    fake = surface(platform, families=families, socket_factory=factory(answer))
    shutil.copy(CONFORMANCE / "test_create.py", pytester.path)
    target = tmp_path / "report.json"
    with surfaces.simulate(fake, platform, USER):
        result = pytester.runpytest("test_create.py", "-q", "-p", "no:cacheprovider",
                                    "--sockcompat-report", str(target))
    assert result.ret == 0, result.stdout.str()[-3000:]
    return load(target)


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_simulated_platform_gives_a_valid_truthful_report(platform: str, pytester: pytest.Pytester,
                                                          tmp_path: Path) -> None:
    report = run_simulated(platform, pytester, tmp_path)
    assert report["host"]["os"] == platform
    assert report["host"]["privilege"]["label"] == "user"
    # this Linux box's container and seccomp files are not facts about the simulated OS
    assert "container" not in report["host"] and "security" not in report["host"]
    rows = {o["id"]: o for o in report["observations"]}
    expected = {probe_id: want for (where, probe_id), want in EXPECTED.items() if where == platform}
    assert len(expected) >= 2
    for probe_id, want in expected.items():
        row = rows[probe_id]
        got = (row["outcome"], row["errno"], row["python_constant"])
        assert got == want, f"{probe_id}: got {got}; want {want}"
    documented = report["documented"]
    assert documented and all(d["agrees"] for d in documented), documented
    if platform == "win32":  # Winsock codes survive the whole pipeline
        assert rows["create/AF_INET/SOCK_RAW/IPPROTO_ICMP"]["winerror"] == 10013
        assert rows["create/AF_IRDA/SOCK_STREAM/0"]["winerror"] == 10047
