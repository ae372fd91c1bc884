"""The raw probe's verdicts from fake surfaces (privilege, host settings, Windows), and what a
crashed or stuck child interpreter becomes."""

from __future__ import annotations

import errno
import json
import socket
from typing import Any

import pytest

from sockcompat.catalog.raw import RAW_CASES, RawCase
from sockcompat.errors import AutoloadAvoided, ChildCrashed, DeadlineExceeded
from sockcompat.host.autoload import AutoloadGuard
from sockcompat.host.privilege import Privilege
from sockcompat.observation import Observation
from sockcompat.probes import raw
from sockcompat.probes.context import ProbeContext

from .surfaces import surface

LINUX_USER = Privilege(superuser=False, label="user", uid=65534, capabilities=frozenset())
WINDOWS_USER = Privilege(superuser=False, label="user")
CASES = {c.id: c for c in RAW_CASES}
ECHO = CASES["raw/AF_INET/SOCK_RAW/IPPROTO_ICMP/echo"]
PING = CASES["raw/AF_INET/SOCK_DGRAM/IPPROTO_ICMP/ping"]
TCP = CASES["raw/AF_INET/SOCK_RAW/IPPROTO_TCP/segment"]


class WinsockError(OSError):
    def __init__(self, errno_value: int, winerror: int) -> None:
        super().__init__(errno_value, "simulated Winsock error")
        self.winerror = winerror


def refusing(platform: str, privilege: Privilege, error: OSError) -> ProbeContext:
    def make(*args: int) -> Any:
        raise error
    return ProbeContext(platform=platform, privilege=privilege, deadline_s=2.0,
                        surface=surface(platform, socket_factory=make, extra={"IP_HDRINCL": 3}))


def test_ids_are_unique_and_steps_known() -> None:
    assert len(CASES) == len(RAW_CASES)
    assert all(c.steps[0] == "create" and c.steps[-1] == "close" for c in RAW_CASES)


@pytest.mark.parametrize(("platform", "privilege", "error", "outcome", "needs", "kind"), [
    ("linux", LINUX_USER, PermissionError(errno.EPERM, "Operation not permitted"), "needs-privilege",
     "CAP_NET_RAW", "capability"),
    ("win32", WINDOWS_USER, WinsockError(errno.EACCES, 10013), "needs-privilege", "administrator", "admin"),
    ("darwin", Privilege(superuser=False, label="user", uid=501), PermissionError(errno.EPERM, "x"),
     "needs-privilege", "superuser", "root"),
])
def test_raw_create_refused(platform: str, privilege: Privilege, error: OSError, outcome: str,
                            needs: str, kind: str) -> None:
    first, *rest = raw.probe(ECHO, refusing(platform, privilege, error))
    assert (first.step, first.outcome, first.layer) == ("create", outcome, "os")
    assert needs in first.detail
    assert first.requirement is not None and first.requirement["kind"] == kind
    assert [o.step for o in rest] == list(ECHO.steps[1:])
    assert {o.outcome for o in rest} == {"not-reached"}


def test_ping_refused_by_the_sysctl_records_it() -> None:
    ctx = refusing("linux", LINUX_USER, PermissionError(errno.EACCES, "Permission denied"))
    observations = raw.with_ping_setting(raw.probe(PING, ctx), "1 0")
    create = observations[0]
    assert (create.outcome, create.errno) == ("unavailable", "EACCES")
    assert create.requirement == {"kind": "sysctl", "name": "net.ipv4.ping_group_range",
                                  "source": "net/ipv4/ping.c ping_init_sock"}
    assert create.value == {"net.ipv4.ping_group_range": "1 0"}
    assert create.detail.endswith("net.ipv4.ping_group_range=1 0")


def test_windows_raw_tcp_sendto_einval_is_recorded_on_its_step() -> None:
    """Documented: no TCP data over raw sockets (WSAEINVAL at sendto); probed, not assumed."""
    made: list[Any] = []

    class Raw:
        def __getattr__(self, name: str) -> Any:
            def call(*args: Any) -> Any:
                if name == "sendto":
                    raise WinsockError(errno.EINVAL, 10022)
                return ("127.0.0.1", 5000) if name == "getsockname" else None
            return call

    def make(*args: int) -> Any:
        made.append(Raw())
        return made[-1]

    ctx = ProbeContext(platform="win32", privilege=Privilege(superuser=True, label="admin"), deadline_s=2.0,
                       surface=surface("win32", socket_factory=make))
    steps = {o.step: o for o in raw.probe(TCP, ctx)}
    assert steps["bind"].outcome == "supported"
    assert (steps["sendto"].outcome, steps["sendto"].errno, steps["sendto"].winerror) == (
        "unsupported", "EINVAL", 10022)
    assert steps["recv"].outcome == "not-reached"


@pytest.mark.parametrize(("error", "outcome"), [
    (ChildCrashed("isolated probe exited with -11: "), "error"),
    (DeadlineExceeded("isolated probe gave no answer within 40 s"), "timeout"),
])
def test_a_dead_or_stuck_child_is_an_observation(monkeypatch: pytest.MonkeyPatch, error: Exception,
                                                 outcome: str) -> None:
    def child(target: str, payload: Any, seconds: float) -> Any:
        raise error
    monkeypatch.setattr(raw, "run_in_subprocess", child)
    case: RawCase = TCP
    observations = raw.run(case, ProbeContext(platform="linux", privilege=LINUX_USER, deadline_s=2.0))
    assert [(o.step, o.outcome) for o in observations] == [
        ("create", outcome), *[(s, "not-reached") for s in case.steps[1:]]]
    assert observations[0].detail.startswith("isolated probe: ")


def test_the_child_answers_in_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child entry point: a row in, JSON observations out (a refused create here)."""
    real_probe = raw.probe
    monkeypatch.setattr(raw, "probe", lambda case, ctx: real_probe(
        case, refusing("linux", LINUX_USER, PermissionError(errno.EPERM, "x"))))
    answer = raw.isolated({"case": list(ECHO), "deadline_s": 1.0, "platform": "linux",
                           "privilege": LINUX_USER.to_json(), "autoload_guard": None})
    assert answer[0]["id"] == ECHO.id and answer[0]["step"] == "create"
    assert answer[0]["outcome"] == "needs-privilege"


CHILD_CONTEXTS = {
    "this host": socket,
    "behind the autoload guard": AutoloadGuard(socket, {17: "af_packet"}, {(2, 132): "sctp"}),
}


@pytest.mark.parametrize("module", CHILD_CONTEXTS.values(), ids=list(CHILD_CONTEXTS))
def test_the_child_judges_as_the_parent(monkeypatch: pytest.MonkeyPatch, module: Any) -> None:
    """Platform, privilege and the autoload guard cross into the child; what it probes with
    is what the parent would have."""
    seen: list[ProbeContext] = []

    def child(target: str, payload: Any, seconds: float) -> Any:
        return raw.isolated(json.loads(json.dumps(payload)))

    monkeypatch.setattr(raw, "run_in_subprocess", child)
    def probe(case: RawCase, ctx: ProbeContext) -> list[Observation]:
        seen.append(ctx)
        return []

    monkeypatch.setattr(raw, "probe", probe)
    parent = ProbeContext(platform="freebsd", privilege=LINUX_USER, deadline_s=2.0, surface=module)
    raw.run(ECHO, parent)
    (ctx,) = seen
    assert (ctx.platform, ctx.privilege, ctx.deadline_s) == ("freebsd", LINUX_USER, 2.0)
    if isinstance(module, AutoloadGuard):
        assert ctx.surface.to_json() == module.to_json()
        with pytest.raises(AutoloadAvoided):
            ctx.surface.socket(17, 3, 0)
    else:
        assert ctx.surface is socket


def test_a_simulated_surface_is_probed_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fake socket module cannot cross into a child; the child would probe the real host."""
    monkeypatch.setattr(raw, "run_in_subprocess", lambda *args: pytest.fail("a child was started"))
    ctx = refusing("win32", WINDOWS_USER, WinsockError(errno.EACCES, 10013))
    assert raw.run(ECHO, ctx)[0].outcome == "needs-privilege"
