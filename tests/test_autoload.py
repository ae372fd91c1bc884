"""--no-autoload: socket() of a family whose module is absent is never called, and says so."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from sockcompat.classify import classify
from sockcompat.errors import AutoloadAvoided
from sockcompat.host import autoload, environment, surface
from sockcompat.host.autoload import AutoloadGuard, modules_to_avoid
from sockcompat.host.privilege import Privilege
from sockcompat.report.validate import load

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance"


def test_only_absent_modules_are_avoided() -> None:
    families, protocols = modules_to_avoid(frozenset({"can", "ipv6", "af_packet"}))
    assert 29 not in families  # AF_CAN: loaded
    assert families[30] == "tipc"  # AF_TIPC: absent
    assert 10 not in families and 17 not in families
    assert protocols[(29, 1)] == "can_raw"  # the family is there, the protocol module is not
    assert protocols[(2, 132)] == "sctp"


def test_guard_refuses_before_the_kernel_is_asked() -> None:
    calls: list[tuple[int, int, int]] = []

    class Module:
        AF_INET = 2

        def socket(self, family: int, type: int, proto: int, fileno: int | None) -> str:
            calls.append((family, type, proto))
            return "a socket"

    guard = AutoloadGuard(Module(), {30: "tipc"}, {(2, 132): "sctp"})
    assert guard.AF_INET == 2
    assert guard.socket(2, 1, 6) == "a socket"
    with pytest.raises(AutoloadAvoided, match="kernel module tipc"):
        guard.socket(socket.AddressFamily(30) if hasattr(socket, "AF_TIPC") else 30, 5, 0)
    with pytest.raises(AutoloadAvoided, match="sctp"):
        guard.socket(2, 1, 132)
    assert calls == [(2, 1, 6)]


def test_avoided_is_not_applicable() -> None:
    got = classify(AutoloadAvoided("not probed"), privilege=Privilege(superuser=True, label="root"))
    assert (got.outcome, got.errno) == ("not-applicable", None)


def test_create_suite_without_autoload(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path) -> None:
    """A kernel with loadable modules of which none is loaded: module families are skipped."""
    monkeypatch.setattr(surface, "_avoided", None)  # restored after the test
    monkeypatch.setattr(environment, "loaded_modules", lambda: frozenset({"ipv6"}))
    monkeypatch.setattr(autoload, "builtin_modules", lambda release=None: frozenset({"af_packet"}))
    shutil.copy(CONFORMANCE / "test_create.py", pytester.path)
    target = tmp_path / "report.json"
    result = pytester.runpytest("test_create.py", "-q", "-p", "no:cacheprovider", "-k", "AF_CAN or AF_INET6",
                                "--sockcompat-no-autoload", "--sockcompat-report", str(target))
    assert result.ret == 0
    rows = {o["id"]: o for o in load(target)["observations"]}
    can = rows["create/AF_CAN/SOCK_RAW/CAN_RAW"]
    assert can["outcome"] == "not-applicable" and "kernel module can" in can["detail"]
    assert rows["create/AF_INET6/SOCK_STREAM/0"]["outcome"] == "supported"
