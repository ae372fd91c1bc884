"""Transfer probes against fake surfaces (what a refusal at each step becomes) and, for the
AF_UNIX rows, against the real socket module (local, no network)."""

from __future__ import annotations

import errno
import socket
import sys
import types
from typing import Any

import pytest

from sockcompat.catalog.transfer import MSG_FLAG_CASES, TransferCase, transfer_cases
from sockcompat.host.privilege import Privilege
from sockcompat.probes import highlevel, msgflags, socketpair, transfer
from sockcompat.probes.context import ProbeContext

from .surfaces import surface

USER = Privilege(superuser=False, label="user", uid=65534, capabilities=frozenset())
LINUX_CASES = {c.id: c for c in transfer_cases(surface("linux"), "linux")}


class FakeSocket:
    """Succeeds at everything except the calls named in ``refuse``."""

    def __init__(self, refuse: dict[str, OSError]) -> None:
        self.refuse = refuse
        self.closed = False

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any) -> Any:
            if name in self.refuse:
                raise self.refuse[name]
            return ("127.0.0.1", 1) if name == "getsockname" else None
        return call

    def close(self) -> None:
        self.closed = True


def fake_ctx(refuse: dict[str, OSError], made: list[FakeSocket], platform: str = "linux") -> ProbeContext:
    def make(*args: int) -> FakeSocket:
        if "socket" in refuse:
            raise refuse["socket"]
        made.append(FakeSocket(refuse))
        return made[-1]
    return ProbeContext(platform=platform, privilege=USER, deadline_s=2.0,
                        surface=surface(platform, socket_factory=make))


def by_step(observations: list[Any]) -> dict[str, str]:
    return {o.step: o.outcome for o in observations}


def test_connect_refused_stops_the_stream_sequence() -> None:
    made: list[FakeSocket] = []
    case = LINUX_CASES["transfer/AF_INET/SOCK_STREAM/IPPROTO_TCP"]
    ctx = fake_ctx({"connect": ConnectionRefusedError(errno.ECONNREFUSED, "refused")}, made)
    observations = transfer.probe(case, ctx)
    assert [o.step for o in observations] == list(case.steps)
    assert by_step(observations) == {
        "create": "supported", "bind": "supported", "listen": "supported", "connect": "unsupported",
        "accept": "not-reached", "send": "not-reached", "recv": "not-reached",
        "send-reply": "not-reached", "recv-reply": "not-reached", "shutdown": "not-reached",
        "close": "not-reached"}
    assert made and all(s.closed for s in made)


def test_packet_socket_unprivileged_is_needs_privilege() -> None:
    case = LINUX_CASES["transfer/AF_PACKET/SOCK_RAW/ETH_P_ALL"]
    ctx = fake_ctx({"socket": PermissionError(errno.EPERM, "Operation not permitted")}, [])
    first, *rest = transfer.probe(case, ctx)
    assert (first.step, first.outcome, first.errno) == ("create", "needs-privilege", "EPERM")
    assert "CAP_NET_RAW" in first.detail
    assert {o.outcome for o in rest} == {"not-reached"}


def test_ipv6_bind_refused_on_a_host_without_ipv6() -> None:
    case = LINUX_CASES["transfer/AF_INET6/SOCK_DGRAM/IPPROTO_UDP"]
    ctx = fake_ctx({"bind": OSError(errno.EADDRNOTAVAIL, "Cannot assign requested address")}, [])
    observations = by_step(transfer.probe(case, ctx))
    assert observations["create"] == "supported"
    assert observations["bind"] == "unavailable"
    assert observations["recvfrom"] == "not-reached"


def test_no_address_row_says_why() -> None:
    tcp = LINUX_CASES["transfer/AF_INET/SOCK_STREAM/0"]
    row = TransferCase(tcp.family._replace(name="AF_XDP", number=44), tcp.type, tcp.proto)
    observation = transfer.not_applicable(row)
    assert (observation.step, observation.outcome) == ("address", "not-applicable")
    assert "UMEM" in observation.detail


def test_windows_socketpair_valueerror_is_unsupported() -> None:
    def pair(*args: int) -> Any:
        raise ValueError("Only AF_INET and AF_INET6 socket address families are supported")
    fake = types.SimpleNamespace(**vars(surface("win32")), socketpair=pair)
    ctx = ProbeContext(platform="win32", privilege=USER, deadline_s=2.0, surface=fake)
    observations = socketpair.probe("AF_INET", "SOCK_DGRAM", ctx)
    assert [(o.step, o.outcome) for o in observations] == [
        ("socketpair", "unsupported"), ("exchange", "not-reached"), ("close", "not-reached")]
    assert (observations[0].layer, observations[0].detail[:12]) == ("python", "Only AF_INET")
    assert observations[0].skip_reason().startswith("unsupported: python refused: Only AF_INET")


def test_missing_flag_is_no_constant() -> None:
    ctx = ProbeContext(platform="win32", privilege=USER, deadline_s=2.0, surface=surface("win32"))
    case = next(c for c in MSG_FLAG_CASES if c.flag == "MSG_NOSIGNAL")
    first, *rest = msgflags.probe(case, ctx)
    assert (first.step, first.outcome) == ("setup", "no-constant")
    assert "MSG_NOSIGNAL" in first.detail
    assert [o.outcome for o in rest] == ["not-reached", "not-reached"]


def test_has_dualstack_false_is_unsupported() -> None:
    fake = types.SimpleNamespace(**vars(surface("win32")), has_dualstack_ipv6=lambda: False)
    ctx = ProbeContext(platform="win32", privilege=USER, deadline_s=2.0, surface=fake)
    observation = highlevel.has_dualstack(ctx)
    assert (observation.outcome, observation.value) == ("unsupported", False)


REAL = ProbeContext.for_this_host(deadline_s=5.0)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX") or sys.platform == "win32", reason="needs AF_UNIX")
@pytest.mark.parametrize("variant", ["path"] + (["abstract", "autobind"] if sys.platform == "linux" else []))
@pytest.mark.parametrize("type_", ["SOCK_STREAM", "SOCK_DGRAM"])
def test_unix_round_trip_for_real(type_: str, variant: str) -> None:
    wanted = f"transfer/AF_UNIX/{type_}/0/{variant}"
    case = next(c for c in transfer_cases(socket, sys.platform) if c.id == wanted)
    observations = transfer.probe(case, REAL)
    assert [o.step for o in observations] == list(case.steps)
    assert {o.outcome for o in observations} == {"supported"}, [o for o in observations
                                                                if o.outcome != "supported"]


class FakeCanBus:
    """A virtual CAN interface: a frame one socket sends reaches every other bound socket."""

    def __init__(self, interface_exists: bool) -> None:
        self.exists = interface_exists
        self.sockets: list[FakeCanSocket] = []

    def socket(self, *args: int) -> FakeCanSocket:
        return FakeCanSocket(self)


class FakeCanSocket:
    def __init__(self, bus: FakeCanBus) -> None:
        self.bus, self.inbox, self.closed = bus, list[bytes](), False

    def bind(self, address: tuple[str]) -> None:
        if not self.bus.exists:
            raise OSError(errno.ENODEV, "No such device")
        assert address == ("vcan0",)
        self.bus.sockets.append(self)

    def send(self, frame: bytes) -> int:
        assert len(frame) == 16  # struct can_frame
        for other in self.bus.sockets:
            if other is not self:
                other.inbox.append(frame)
        return len(frame)

    def settimeout(self, seconds: float) -> None:
        pass

    def recv(self, size: int) -> bytes:
        if not self.inbox:
            raise socket.timeout("timed out")
        return self.inbox.pop(0)

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize(("interface", "expected"), [
    (True, {"create": "supported", "bind": "supported", "bind-peer": "supported", "send": "supported",
            "recv": "supported", "close": "supported"}),
    (False, {"create": "supported", "bind": "unavailable", "bind-peer": "not-reached", "send": "not-reached",
             "recv": "not-reached", "close": "not-reached"}),
])
def test_can_frame_between_two_sockets(interface: bool, expected: dict[str, str]) -> None:
    """With vcan0 the frame arrives at the other socket; without it, bind says ENODEV."""
    bus = FakeCanBus(interface)
    fake = surface("linux", extra={"AF_CAN": 29, "CAN_RAW": 1}, socket_factory=bus.socket)
    case = next(c for c in transfer_cases(fake, "linux") if c.id == "transfer/AF_CAN/SOCK_RAW/CAN_RAW")
    ctx = ProbeContext(platform="linux", privilege=USER, deadline_s=1.0, surface=fake)
    assert by_step(transfer.probe(case, ctx)) == expected
