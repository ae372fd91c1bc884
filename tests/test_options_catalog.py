"""The option catalog against simulated socket modules: names resolve, absent ones become
no-constant rows, unknown exposed options are still probed, and the socket subset follows its rule."""

from __future__ import annotations

import re
import socket
import sys
import types
from typing import Any

import pytest

from sockcompat.catalog import options as catalog
from sockcompat.catalog.option_numbers import LEVEL_NUMBERS, OPTION_NUMBERS
from sockcompat.catalog.option_table import OPTIONS
from sockcompat.catalog.options import (
    LEVEL_SCOPE,
    OPTION_REQUIREMENTS,
    REPRESENTATIVE_PROTOCOLS,
    level_of,
    option_cases,
    option_sockets,
    requirement_for_option,
)
from tests.surfaces import surface

ID_PATTERN = re.compile(r"^[a-z0-9-]+(/[A-Za-z0-9_.:-]+)+$")  # report/schema.json


def linux_surface(**extra: int) -> types.SimpleNamespace:
    names = {"AF_INET": 2, "AF_INET6": 10, "AF_UNIX": 1, "AF_NETLINK": 16, "AF_ROUTE": 16,
             "AF_PACKET": 17, "SO_REUSEADDR": 2, "SO_RCVBUF": 8, "IPPROTO_IPV6": 41, "IPPROTO_TCP": 6,
             "IPPROTO_UDP": 17, "IPPROTO_IP": 0, "IP_TOS": 1, "TCP_NODELAY": 1, "IPV6_V6ONLY": 26}
    names.update(extra)
    families = ["AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK", "AF_ROUTE", "AF_PACKET"]
    return surface("linux", families=families, extra=names)


def rows(surface_: Any, platform: str) -> dict[str, catalog.ResolvedOption]:
    return {case.option_id(o): o for case in option_cases(surface_, platform) for o in case.options}


def test_every_header_number_and_privilege_rule_names_a_catalog_row() -> None:
    known = {(spec.level, spec.name) for spec in OPTIONS}
    for platform, levels in OPTION_NUMBERS.items():
        for level, names in levels.items():
            assert level in LEVEL_NUMBERS[platform], f"{platform} {level}: no level number"
            for name in names:
                assert (level, name) in known, f"{platform} {level}.{name}: got no catalog row"
    for _, level, name, _, _ in OPTION_REQUIREMENTS:
        assert (level, name) in known, f"privilege rule for unknown option {level}.{name}"
    assert len({spec.key for spec in OPTIONS}) == len(OPTIONS), "one row per (level, option)"


def test_levels_in_scope_have_numbers_or_python_names() -> None:
    for level, *_ in LEVEL_SCOPE:
        assert hasattr(socket, level) or any(level in table for table in LEVEL_NUMBERS.values()), level


def test_python_names_win_and_header_numbers_fill_in() -> None:
    found = rows(linux_surface(), "linux")
    tos = found["option/AF_INET/SOCK_STREAM/0/IPPROTO_IP.IP_TOS"]
    assert (tos.option.number, tos.option.python_constant) == (1, True)
    freebind = found["option/AF_INET/SOCK_STREAM/0/IPPROTO_IP.IP_FREEBIND"]
    assert (freebind.option.number, freebind.option.python_constant) == (15, False)


def test_fewer_constants_give_no_constant_rows() -> None:
    found = rows(linux_surface(), "linux")
    exclusive = found["option/AF_INET/SOCK_STREAM/0/SOL_SOCKET.SO_EXCLUSIVEADDRUSE"]
    assert exclusive.missing == ["SO_EXCLUSIVEADDRUSE"]
    assert found["option/AF_UNIX/SOCK_STREAM/0/SOL_LOCAL.LOCAL_PEERCRED"].missing == ["SOL_LOCAL",
                                                                                      "LOCAL_PEERCRED"]


def test_windows_resolves_its_own_options_by_header_number() -> None:
    windows = surface("win32", families=["AF_INET", "AF_INET6"],
                      extra={"SOL_SOCKET": 0xFFFF, "IPPROTO_TCP": 6, "SO_REUSEADDR": 4})
    found = rows(windows, "win32")
    exclusive = found["option/AF_INET/SOCK_STREAM/0/SOL_SOCKET.SO_EXCLUSIVEADDRUSE"]
    assert (exclusive.option.number, exclusive.option.python_constant) == (-5, False)
    assert found["option/AF_INET/SOCK_STREAM/0/IPPROTO_TCP.TCP_KEEPALIVE"].option.number == 3
    assert found["option/AF_INET/SOCK_STREAM/0/IPPROTO_TCP.TCP_CORK"].missing == ["TCP_CORK"]


def test_an_exposed_option_the_table_lacks_gets_a_row_that_is_not_probed() -> None:
    found = rows(linux_surface(SO_FUTURE_THING=99, IP_DEFAULT_MULTICAST_TTL=1), "linux")
    future = found["option/AF_INET/SOCK_STREAM/0/SOL_SOCKET.SO_FUTURE_THING"]
    assert future.option.number == 99
    assert future.spec.not_probed.startswith("not probed: not in the catalog")
    assert not any(key.endswith("IP_DEFAULT_MULTICAST_TTL") for key in found)


LEVEL_NAMES = [
    ("SO_REUSEADDR", "SOL_SOCKET"), ("SO_VM_SOCKETS_BUFFER_SIZE", "AF_VSOCK"),
    ("SO_J1939_PROMISC", "SOL_CAN_J1939"), ("IPV6_V6ONLY", "IPPROTO_IPV6"), ("IP_TOS", "IPPROTO_IP"),
    ("UDPLITE_SEND_CSCOV", "IPPROTO_UDPLITE"), ("UDP_CORK", "IPPROTO_UDP"), ("IP_MAX_MEMBERSHIPS", None),
    ("RDS_CMSG_RDMA_ARGS", None), ("ALG_SET_IV", None), ("AF_INET", None),
]


@pytest.mark.parametrize(("name", "level"), LEVEL_NAMES)
def test_level_of(name: str, level: str | None) -> None:
    assert level_of(name) == level


def test_levels_apply_by_family_type_and_protocol() -> None:
    found = rows(linux_surface(), "linux")
    assert "option/AF_INET/SOCK_STREAM/0/IPPROTO_TCP.TCP_NODELAY" in found
    assert "option/AF_INET/SOCK_DGRAM/0/IPPROTO_TCP.TCP_NODELAY" not in found
    assert "option/AF_INET6/SOCK_STREAM/0/IPPROTO_IPV6.IPV6_V6ONLY" in found
    assert "option/AF_INET/SOCK_STREAM/0/IPPROTO_IPV6.IPV6_V6ONLY" not in found
    assert "option/AF_UNIX/SOCK_STREAM/0/SOL_SOCKET.SO_REUSEADDR" in found
    assert "option/AF_UNIX/SOCK_STREAM/0/IPPROTO_IP.IP_TOS" not in found
    assert "option/AF_INET/SOCK_RAW/IPPROTO_ICMP/SOL_RAW.ICMP_FILTER" in found
    assert "option/AF_INET/SOCK_RAW/IPPROTO_UDP/SOL_RAW.ICMP_FILTER" not in found
    assert "option/AF_PACKET/SOCK_RAW/0/SOL_PACKET.PACKET_AUXDATA" in found
    assert all(ID_PATTERN.match(key) for key in found)


def test_the_socket_subset() -> None:
    ids = {case.id.partition("/")[2] for case in option_sockets(linux_surface(), "linux")}
    # aliases collapse onto the first id: 0 stands for IPPROTO_IP and IPPROTO_HOPOPTS
    assert {"AF_INET/SOCK_STREAM/0", "AF_INET/SOCK_STREAM/IPPROTO_TCP"} <= ids
    assert "AF_INET/SOCK_STREAM/IPPROTO_IP" not in ids
    assert "AF_INET/SOCK_STREAM/IPPROTO_HOPOPTS" not in ids
    # AF_ROUTE is AF_NETLINK's number on Linux
    assert not any(i.startswith("AF_ROUTE/") for i in ids)
    # raw IP: representatives only
    raw = {i for i in ids if i.startswith("AF_INET/SOCK_RAW/")}
    assert raw == {f"AF_INET/SOCK_RAW/{p}" for p in REPRESENTATIVE_PROTOCOLS[("AF_INET", "SOCK_RAW")]}
    # outside IP, IPPROTO_* names nothing: protocol 0 and the family's own
    assert not any(i.startswith("AF_UNIX/") and "IPPROTO" in i for i in ids)
    assert {"AF_PACKET/SOCK_RAW/0", "AF_PACKET/SOCK_RAW/ETH_P_ALL"} <= ids
    assert {i for i in ids if i.startswith("AF_NETLINK/SOCK_RAW/")} == {"AF_NETLINK/SOCK_RAW/0"}


def test_privilege_rules_become_requirements() -> None:
    rule = requirement_for_option("linux", "IPPROTO_IP", "IP_TRANSPARENT")
    assert rule is not None and rule.requires == "CAP_NET_ADMIN" and rule.matches("linux", "x", "y", "z")
    assert requirement_for_option("darwin", "IPPROTO_IP", "IP_TRANSPARENT") is None
    assert requirement_for_option("linux", "SOL_SOCKET", "SO_REUSEADDR") is None


def test_the_main_sockets_keep_every_option_on_this_host() -> None:
    if not socket.__name__ or not hasattr(socket, "AF_INET"):
        pytest.skip("no IP")
    cases = {case.id: case for case in option_cases(socket, sys.platform)}
    stream = cases["option/AF_INET/SOCK_STREAM/0"]
    names = {o.spec.name for o in stream.options}
    assert {"SO_RCVBUF", "SO_REUSEPORT", "IP_TRANSPARENT", "TCP_NODELAY"} <= names
    exposed = {n for n in dir(socket) if level_of(n) in ("SOL_SOCKET", "IPPROTO_IP", "IPPROTO_TCP")}
    assert exposed <= names
