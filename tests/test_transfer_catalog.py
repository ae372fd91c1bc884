"""The transfer catalog: loopback address forming and which rows each platform gets."""

from __future__ import annotations

import re
import socket

import pytest

from sockcompat.catalog import addresses
from sockcompat.catalog.transfer import (
    MSG_FLAG_CASES,
    STEPS,
    TRANSFER_ROWS,
    no_address_candidates,
    transfer_cases,
)

from .surfaces import WINDOWS_PYTHON_FAMILIES, surface

ID_PATTERN = re.compile(r"^transfer/AF_[A-Za-z0-9]+/SOCK_[A-Z]+/[A-Za-z0-9_]+(/[A-Za-z0-9_-]+)?$")
WILDCARDS = ("", "0.0.0.0", "::")


@pytest.mark.parametrize(("family", "variant", "expected"), [
    ("AF_INET", "", ("127.0.0.1", 0)),
    ("AF_INET6", "", ("::1", 0)),
    ("AF_UNIX", "autobind", ""),
    ("AF_PACKET", "", ("lo", 0)),
    ("AF_NETLINK", "", (0, 0)),
    ("AF_VSOCK", "", (1, 0xFFFFFFFF)),
])
def test_local_address(family: str, variant: str, expected: object) -> None:
    assert addresses.local_address(family, variant, "/w", "t") == expected


def test_unix_names_stay_in_the_private_dir_or_the_abstract_namespace() -> None:
    assert addresses.local_address("AF_UNIX", "path", "/w", "s") == "/w/s"
    abstract = addresses.local_address("AF_UNIX", "abstract", "/w", "s")
    assert isinstance(abstract, bytes) and abstract.startswith(b"\0sockcompat-")
    assert abstract != addresses.local_address("AF_UNIX", "abstract", "/w", "c")


@pytest.mark.parametrize("family", ["AF_XDP", "AF_TIPC", "AF_NOSUCH"])
def test_families_without_an_address_say_why(family: str) -> None:
    with pytest.raises(KeyError):
        addresses.local_address(family)
    assert addresses.no_address_reason(family)


@pytest.mark.parametrize("family", [f for f in TRANSFER_ROWS if f != "AF_UNIX"])
def test_no_address_is_a_wildcard(family: str) -> None:
    address = addresses.local_address(family)
    assert address[0] not in WILDCARDS, f"{family}: got {address}; want a loopback address"


def test_linux_rows() -> None:
    cases = transfer_cases(surface("linux"), "linux")
    ids = [c.id for c in cases]
    assert ids == sorted(set(ids))
    assert all(ID_PATTERN.match(i) for i in ids), [i for i in ids if not ID_PATTERN.match(i)]
    unix = [c.id for c in cases if c.family.name == "AF_UNIX"]
    assert len(unix) == 9
    assert "transfer/AF_UNIX/SOCK_STREAM/0/abstract" in unix
    by_id = {c.id: c for c in cases}
    assert by_id["transfer/AF_INET/SOCK_STREAM/IPPROTO_TCP"].sequence == "stream"
    assert by_id["transfer/AF_INET6/SOCK_DGRAM/IPPROTO_UDP"].sequence == "datagram"
    assert by_id["transfer/AF_INET/SOCK_SEQPACKET/IPPROTO_SCTP"].sequence == "stream"
    assert by_id["transfer/AF_PACKET/SOCK_RAW/ETH_P_ALL"].sequence == "packet"
    assert by_id["transfer/AF_PACKET/SOCK_RAW/ETH_P_ALL"].proto_argument == socket.htons(3)
    assert by_id["transfer/AF_NETLINK/SOCK_RAW/NETLINK_ROUTE"].steps == STEPS["netlink"]


def test_windows_gets_af_unix_by_number_and_no_packet_or_netlink() -> None:
    cases = transfer_cases(surface("win32", WINDOWS_PYTHON_FAMILIES), "win32")
    assert {c.family.name for c in cases} == {"AF_INET", "AF_INET6", "AF_UNIX"}
    unix = [c for c in cases if c.family.name == "AF_UNIX"]
    assert unix and all(c.family.number == 1 and not c.family.python_constant for c in unix)


def test_header_only_names_are_not_rows() -> None:
    """A family Python does not name resolves from the OS headers; a protocol nobody defines
    drops the row (the create matrix records it as no-constant)."""
    cases = transfer_cases(surface("darwin", ["AF_INET", "AF_UNIX"]), "darwin")
    assert not [c for c in cases if c.proto.name == "IPPROTO_MPTCP"]
    assert [c.id for c in cases if c.family.name == "AF_VSOCK"]
    assert all(not c.family.python_constant for c in cases if c.family.name == "AF_VSOCK")


def test_no_address_candidates_skip_families_with_an_address() -> None:
    candidates = no_address_candidates(surface("linux"), "linux")
    families = {c.family.name for c in candidates}
    assert "AF_XDP" in families and "AF_TIPC" in families
    assert "AF_CAN" not in families and "AF_RDS" not in families  # they have address forms now
    assert not families & set(TRANSFER_ROWS)
    assert "AF_ROUTE" not in families and "AF_UNSPEC" not in families


def test_msg_flag_cases_are_unique() -> None:
    ids = [c.id for c in MSG_FLAG_CASES]
    assert len(ids) == len(set(ids))
    assert {c.flag for c in MSG_FLAG_CASES} == {"MSG_PEEK", "MSG_DONTWAIT", "MSG_TRUNC", "MSG_NOSIGNAL",
                                               "MSG_WAITALL"}
