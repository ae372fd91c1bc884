"""The option probe against a fake kernel: verdicts, classification with privilege rules,
write-only and prerequisite options, markers, and no-constant rows."""

from __future__ import annotations

import errno
import types
from collections.abc import Callable
from typing import Any

import pytest

from sockcompat.catalog.constants import DEFAULT_PROTOCOL, Constant
from sockcompat.catalog.create import CreateCase
from sockcompat.catalog.option_table import LOOPBACK_INDEX, LOOPBACK_NAME, OPTIONS, OptionSpec
from sockcompat.catalog.options import OptionCase, resolve_option
from sockcompat.host.privilege import Privilege
from sockcompat.observation import Observation
from sockcompat.probes import options
from sockcompat.probes.context import ProbeContext

ROOT = Privilege(superuser=True, label="root", uid=0,
                 capabilities=frozenset({"CAP_NET_ADMIN", "CAP_NET_RAW"}))
USER = Privilege(superuser=False, label="user", uid=1000, capabilities=frozenset())

Key = tuple[int, int]


class FakeKernel:
    """Per-socket option storage with Linux-like rules, configurable per (level, option)."""

    def __init__(self) -> None:
        self.defaults: dict[Key, Any] = {}
        self.on_set: dict[Key, Callable[[Any, Privilege], Any]] = {}
        self.no_get: set[Key] = set()
        self.privilege = ROOT
        self.closed = 0
        self.opened = 0

    def socket(self, *args: int) -> FakeSocket:
        self.opened += 1
        return FakeSocket(self)


class FakeSocket:
    def __init__(self, kernel: FakeKernel) -> None:
        self.kernel = kernel
        self.values = dict(kernel.defaults)

    def getsockopt(self, level: int, option: int, size: int | None = None) -> Any:
        key = (level, option)
        if key in self.kernel.no_get or key not in self.values:
            raise OSError(errno.ENOPROTOOPT, "Protocol not available")
        return self.values[key]

    def setsockopt(self, level: int, option: int, value: Any) -> None:
        key = (level, option)
        rule = self.kernel.on_set.get(key)
        self.values[key] = rule(value, self.kernel.privilege) if rule else value

    def close(self) -> None:
        self.kernel.closed += 1


def doubled(value: Any, _: Privilege) -> Any:
    return 2 * value


def needs_admin(value: Any, privilege: Privilege) -> Any:
    if value and "CAP_NET_ADMIN" not in (privilege.capabilities or ()):
        raise OSError(errno.EPERM, "Operation not permitted")
    return value


def ignored(_: Any, __: Privilege) -> Any:
    return 0


SURFACE_NAMES = {"SOL_SOCKET": 1, "IPPROTO_IP": 0, "SO_RCVBUF": 8, "SO_KEEPALIVE": 9, "SO_LINGER": 13,
                 "IP_TRANSPARENT": 19, "IP_TTL": 2, "SO_TYPE": 3, "IP_ADD_MEMBERSHIP": 35,
                 "IP_DROP_MEMBERSHIP": 36, "SO_BINDTODEVICE": 25}


def spec_named(name: str) -> OptionSpec | None:
    """The first catalog row of that name (the tests name options unique to one level)."""
    return next((spec for spec in OPTIONS if spec.name == name), None)


def run(kernel: FakeKernel, *names: str, privilege: Privilege = ROOT) -> dict[tuple[str, str], Observation]:
    kernel.privilege = privilege
    module = types.SimpleNamespace(socket=kernel.socket, if_nameindex=lambda: [(1, "lo"), (2, "eth0")],
                                   **SURFACE_NAMES)
    ctx = ProbeContext(platform="linux", privilege=privilege, surface=module)
    sock = CreateCase(Constant("AF_INET", 2, True), Constant("SOCK_STREAM", 1, True), DEFAULT_PROTOCOL)
    specs = [spec_named(name) for name in names]
    case = OptionCase(sock, tuple(resolve_option(module, "linux", s) for s in specs if s is not None))
    return {(o.id.rpartition(".")[2], o.step): o for o in options.probe(case, ctx)}


def test_doubling_is_changed_with_the_read_back() -> None:
    kernel = FakeKernel()
    kernel.defaults[(1, 8)] = 131072
    kernel.on_set[(1, 8)] = doubled
    found = run(kernel, "SO_RCVBUF")
    assert found["SO_RCVBUF", "get"].value == 131072
    got = found["SO_RCVBUF", "set"]
    assert (got.outcome, got.value, got.verdict) == ("supported", 24576, "changed")
    assert "doubled" in got.detail
    assert kernel.opened == kernel.closed == 1


def test_toggle_flips_the_default_and_ignored_is_seen() -> None:
    kernel = FakeKernel()
    kernel.defaults[(1, 9)] = 0
    kernel.on_set[(1, 9)] = ignored
    got = run(kernel, "SO_KEEPALIVE")["SO_KEEPALIVE", "set"]
    assert (got.value, got.verdict) == (0, "ignored")


@pytest.mark.parametrize(("privilege", "outcome"), [(ROOT, "supported"), (USER, "needs-privilege")])
def test_privileged_option(privilege: Privilege, outcome: str) -> None:
    kernel = FakeKernel()
    kernel.defaults[(0, 19)] = 0
    kernel.on_set[(0, 19)] = needs_admin
    got = run(kernel, "IP_TRANSPARENT", privilege=privilege)["IP_TRANSPARENT", "set"]
    assert got.outcome == outcome
    if outcome == "needs-privilege":
        assert got.errno == "EPERM" and "CAP_NET_ADMIN" in got.detail


def test_refusal_by_policy_while_privileged_is_blocked() -> None:
    kernel = FakeKernel()
    kernel.defaults[(0, 19)] = 0
    kernel.on_set[(0, 19)] = needs_admin
    module = types.SimpleNamespace(socket=kernel.socket, **SURFACE_NAMES)
    ctx = ProbeContext(platform="linux", privilege=ROOT, surface=module)
    sock = CreateCase(Constant("AF_INET", 2, True), Constant("SOCK_STREAM", 1, True), DEFAULT_PROTOCOL)
    spec = spec_named("IP_TRANSPARENT")
    assert spec is not None
    case = OptionCase(sock, (resolve_option(module, "linux", spec),))
    kernel.privilege = USER  # the kernel refuses although the process holds CAP_NET_ADMIN
    observations = options.probe(case, ctx)
    assert observations[-1].outcome == "blocked"


def test_unsupported_get_and_read_back_failure() -> None:
    kernel = FakeKernel()
    kernel.no_get.add((0, 2))
    found = run(kernel, "IP_TTL")
    assert (found["IP_TTL", "get"].outcome, found["IP_TTL", "get"].errno) == ("unsupported", "ENOPROTOOPT")
    got = found["IP_TTL", "set"]
    assert got.outcome == "supported" and got.verdict is None and "read-back failed" in got.detail


def test_read_only_and_write_only_steps() -> None:
    kernel = FakeKernel()
    kernel.defaults[(1, 3)] = 1
    found = run(kernel, "SO_TYPE", "IP_ADD_MEMBERSHIP", "IP_DROP_MEMBERSHIP")
    assert set(found) == {("SO_TYPE", "get"), ("IP_ADD_MEMBERSHIP", "set"), ("IP_DROP_MEMBERSHIP", "set")}
    assert found["IP_ADD_MEMBERSHIP", "set"].value is None
    assert found["IP_DROP_MEMBERSHIP", "set"].outcome == "supported"


def test_a_failed_prerequisite_is_not_reached() -> None:
    kernel = FakeKernel()

    def refuse(_: Any, __: Privilege) -> Any:
        raise OSError(errno.EPROTO, "Protocol error")

    kernel.on_set[(0, 35)] = refuse
    found = run(kernel, "IP_ADD_MEMBERSHIP", "IP_DROP_MEMBERSHIP")
    assert found["IP_ADD_MEMBERSHIP", "set"].outcome == "unsupported"
    drop = found["IP_DROP_MEMBERSHIP", "set"]
    assert drop.outcome == "not-reached" and "IP_ADD_MEMBERSHIP" in drop.detail


def test_markers_resolve_to_this_hosts_loopback() -> None:
    kernel = FakeKernel()
    kernel.defaults[(1, 25)] = b""
    got = run(kernel, "SO_BINDTODEVICE")["SO_BINDTODEVICE", "set"]
    assert (got.value, got.verdict) == ("lo", "echoed")
    host = types.SimpleNamespace(if_nameindex=lambda: [(7, "lo")])
    assert options.resolve_test_value(("ff01::77", LOOPBACK_INDEX), None, "linux", host) == ("ff01::77", 7)


#: (platform, the host's interfaces) -> the loopback (index, name) found, or None: none found.
LOOPBACKS = [
    ("win32", [(1, "loopback_1"), (2, "ethernet_2")], (1, "loopback_1")),  # Wine 8.0
    ("win32", [(3, "ethernet_32768"), (1, "loopback_0")], (1, "loopback_0")),  # Windows
    ("win32", [(2, "ethernet_2")], None),
    ("linux", [(1, "lo"), (2, "lo0")], (1, "lo")),
    ("darwin", [(1, "lo0"), (4, "en0")], (1, "lo0")),
    ("linux", [(2, "eth0"), (3, "loop")], None),
]


@pytest.mark.parametrize(("platform", "interfaces", "expected"), LOOPBACKS)
def test_the_loopback_interface_is_looked_up_not_assumed(
        platform: str, interfaces: list[tuple[int, str]], expected: tuple[int, str] | None) -> None:
    host = types.SimpleNamespace(if_nameindex=lambda: interfaces)
    if expected is None:
        with pytest.raises(options.Unresolvable):
            options.loopback_interface(platform, host)
        return
    assert options.loopback_interface(platform, host) == expected
    index, name = expected
    assert options.resolve_test_value(LOOPBACK_NAME, None, platform, host) == name
    assert options.resolve_test_value(LOOPBACK_INDEX, None, platform, host) == index


def test_missing_constants_and_unsafe_values_are_recorded_not_probed() -> None:
    kernel = FakeKernel()
    found = run(kernel, "SO_EXCLUSIVEADDRUSE", "SO_CNX_ADVICE")
    assert {o.outcome for k, o in found.items() if k[0] == "SO_EXCLUSIVEADDRUSE"} == {"no-constant"}
    assert len([k for k in found if k[0] == "SO_EXCLUSIVEADDRUSE"]) == 2
    advice = found["SO_CNX_ADVICE", "set"]
    assert advice.outcome == "not-applicable" and "route" in advice.detail
    assert kernel.opened == 1  # only SO_CNX_ADVICE opened a socket


def test_structs_are_refused_by_python_on_int_only_families() -> None:
    kernel = FakeKernel()
    module = types.SimpleNamespace(socket=kernel.socket, **SURFACE_NAMES)
    ctx = ProbeContext(platform="linux", privilege=ROOT, surface=module)
    sock = CreateCase(Constant("AF_VSOCK", 40, True), Constant("SOCK_STREAM", 1, True), DEFAULT_PROTOCOL)
    spec = spec_named("SO_LINGER")
    assert spec is not None
    case = OptionCase(sock, (resolve_option(module, "linux", spec),))
    setting = options.probe(case, ctx)[-1]
    assert (setting.step, setting.outcome, setting.errno) == ("set", "unsupported", None)
    assert setting.layer == "python"
