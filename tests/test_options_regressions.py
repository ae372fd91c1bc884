"""Regression tests for issue 13's option causes.

Cause 1, the probe's own argument: options that take a struct, a fixed-size key or an exact read
length got a C int or another length, the kernel said EINVAL, and the row read ``unsupported``.
The encoders are checked per platform against the C layouts, and on Linux the real kernel answers
the rows that were wrong. Cause 7, the same rows on every Python: a Python without the 3.12
constants gets the same option rows as one with them, probed by the header numbers.
"""

from __future__ import annotations

import socket
import struct
import sys
import types

import pytest

from sockcompat.catalog.option_numbers import OPTION_NUMBERS
from sockcompat.catalog.option_table import OPTIONS, STATES, TEST_KEY
from sockcompat.catalog.option_values import buffer_size, encode
from sockcompat.catalog.options import level_of, option_cases, option_specs, resolve_option, spec_named
from sockcompat.host.privilege import current as current_privilege
from sockcompat.probes import options
from sockcompat.probes.context import ProbeContext
from tests.surfaces import surface

########################################################################################
# cause 1: the value and the read length are the option's own, per platform

GROUP, IFACE, SOURCE = "239.255.77.77", "127.0.0.1", "127.0.0.2"
G, IF, SRC = (socket.inet_aton(a) for a in (GROUP, IFACE, SOURCE))

ENCODINGS = [
    # (kind, value, platform, expected bytes or length)
    ("ip_mreq_source", (GROUP, IFACE, SOURCE), "linux", G + IF + SRC),  # include/uapi/linux/in.h
    ("ip_mreq_source", (GROUP, IFACE, SOURCE), "freebsd", G + SRC + IF),  # RFC 3678 order
    ("ip_mreq_source", (GROUP, IFACE, SOURCE), "darwin", G + SRC + IF),
    ("ip_mreq_source", (GROUP, IFACE, SOURCE), "win32", G + SRC + IF),
    ("group_req", (GROUP, 1), "linux", 136),  # 8-aligned sockaddr_storage
    ("group_req", (GROUP, 1), "win32", 136),
    ("group_req", (GROUP, 1), "darwin", 132),  # #pragma pack(4)
    ("group_source_req", (GROUP, 1, SOURCE), "linux", 264),
    ("group_source_req", (GROUP, 1, SOURCE), "darwin", 260),
    ("tcp_md5sig", ("127.0.0.1", 0, TEST_KEY), "linux", 216),
    ("bytes", TEST_KEY, "linux", 16),  # TCP_FASTOPEN_KEY: a 16-byte key, not an int
    ("ip_mreqn", (GROUP, IFACE, 1), "linux", G + IF + struct.pack("=i", 1)),
]


@pytest.mark.parametrize(("kind", "value", "platform", "expected"), ENCODINGS)
def test_struct_values_have_the_os_layout(kind: str, value: object, platform: str, expected: object) -> None:
    encoded = encode(kind, value, platform)
    assert isinstance(encoded, bytes)
    if isinstance(expected, int):
        assert len(encoded) == expected
        if kind != "bytes":
            assert buffer_size(kind, platform) == expected
    else:
        assert encoded == expected


def test_group_req_addresses_are_sockaddrs_of_each_os() -> None:
    linux = encode("group_req", (GROUP, 7), "linux")
    darwin = encode("group_req", (GROUP, 7), "darwin")
    assert isinstance(linux, bytes) and isinstance(darwin, bytes)
    assert struct.unpack_from("=IxxxxHH4s", linux) == (7, 2, 0, G)  # AF_INET is 2 everywhere
    assert struct.unpack_from("=IBBH4s", darwin) == (7, 16, 2, 0, G)  # sin_len, sin_family


def test_tcp_md5sig_carries_the_key_and_the_prefix_flag() -> None:
    plain = encode("tcp_md5sig", ("127.0.0.1", 0, TEST_KEY), "linux")
    prefix = encode("tcp_md5sig", ("::1", 1, TEST_KEY), "linux")
    assert isinstance(plain, bytes) and isinstance(prefix, bytes)
    assert struct.unpack_from("=BBHi", plain, 128) == (0, 0, 16, 0)
    assert plain[136:152] == TEST_KEY
    assert struct.unpack_from("=BBHi", prefix, 128) == (1, 128, 16, 0)


def test_peer_names_are_read_with_exactly_their_familys_length() -> None:
    assert buffer_size("sockaddr", "linux", 128, "AF_INET") == 16
    assert buffer_size("sockaddr", "linux", 128, "AF_INET6") == 28


def test_every_option_says_how_to_read_and_reach_it() -> None:
    for spec in OPTIONS:
        if spec.kind in ("bytes", "opaque", "string") and spec.access != "wo" and not spec.not_probed:
            assert spec.size is not None, f"{spec.name}: a read needs the size the option expects"
        for name in spec.after:
            assert spec_named("linux", spec.level, name) is not None, f"{spec.name} after {name}"
        assert not spec.needs or spec.needs in STATES or ":" in spec.needs, spec.name


def test_an_unknown_option_python_exposes_is_not_probed_as_an_int() -> None:
    future = surface("linux", extra={"TCP_FUTURE_KEY": 99})
    spec = next(s for s in option_specs(future, "linux") if s.name == "TCP_FUTURE_KEY")
    assert spec.not_probed.startswith("not probed")


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="asks the Linux kernel")

#: Rows issue 13 found wrong on Linux, and what the kernel says when asked properly:
#: (option id, step, needs root, outcome).
KERNEL_ROWS = [
    ("option/AF_INET/SOCK_STREAM/0/IPPROTO_TCP.TCP_FASTOPEN_KEY", "set", False, "supported"),
    ("option/AF_INET/SOCK_STREAM/0/IPPROTO_TCP.TCP_FASTOPEN_KEY", "get", False, "supported"),
    ("option/AF_INET/SOCK_DGRAM/0/IPPROTO_IP.IP_ADD_SOURCE_MEMBERSHIP", "set", False, "supported"),
    ("option/AF_INET/SOCK_DGRAM/0/IPPROTO_IP.IP_BLOCK_SOURCE", "set", False, "supported"),
    ("option/AF_INET/SOCK_DGRAM/0/IPPROTO_IP.MCAST_JOIN_SOURCE_GROUP", "set", False, "supported"),
    ("option/AF_INET6/SOCK_DGRAM/0/IPPROTO_IPV6.MCAST_JOIN_GROUP", "set", False, "supported"),
    ("option/AF_INET/SOCK_STREAM/0/IPPROTO_TCP.TCP_MD5SIG", "set", False, "supported"),
    ("option/AF_INET6/SOCK_STREAM/0/IPPROTO_TCP.TCP_MD5SIG_EXT", "set", False, "supported"),
    ("option/AF_INET/SOCK_STREAM/0/SOL_SOCKET.SO_PEERNAME", "get", False, "supported"),  # exact length
    ("option/AF_INET6/SOCK_DGRAM/0/IPPROTO_IPV6.IPV6_PATHMTU", "get", False, "supported"),  # connected
    ("option/AF_INET/SOCK_DGRAM/0/IPPROTO_IP.IP_MTU", "get", False, "supported"),
    ("option/AF_INET/SOCK_STREAM/0/IPPROTO_TCP.TCP_REPAIR_WINDOW", "get", True, "supported"),  # exact length
]


@linux_only
@pytest.mark.parametrize(("row_id", "step", "needs_root", "outcome"), KERNEL_ROWS)
def test_the_kernel_answers_a_proper_argument(row_id: str, step: str, needs_root: bool, outcome: str) -> None:
    if needs_root and not current_privilege().superuser:
        pytest.skip("the option's state (TCP_REPAIR) needs CAP_NET_ADMIN")
    ctx = ProbeContext.for_this_host()
    cases = option_cases(socket, sys.platform)
    found = {case.option_id(o): (case, o) for case in cases for o in case.options}
    case, option = found[row_id]
    observed = {o.step: o for o in options.probe_option(case, option, ctx)}
    assert observed[step].outcome == outcome, observed[step]
    assert observed[step].errno is None


########################################################################################
# cause 7: the same option rows on every Python

#: Option constants CPython 3.12 added on Linux (Modules/socketmodule.c): a 3.9 build lacks them.
ADDED_IN_312 = {"IP_ADD_SOURCE_MEMBERSHIP": 39, "IP_DROP_SOURCE_MEMBERSHIP": 40, "IP_BLOCK_SOURCE": 38,
                "IP_UNBLOCK_SOURCE": 37, "TCP_FASTOPEN_KEY": 33, "TCP_MD5SIG_EXT": 32, "TCP_QUEUE_SEQ": 21,
                "TCP_REPAIR_OPTIONS": 22, "TCP_REPAIR_QUEUE": 20, "TCP_REPAIR_WINDOW": 29,
                "TCP_ZEROCOPY_RECEIVE": 35}
BASE = {"SOL_SOCKET": 1, "IPPROTO_IP": 0, "IPPROTO_TCP": 6, "IPPROTO_IPV6": 41, "SO_REUSEADDR": 2,
        "TCP_NODELAY": 1}
PYTHONS = [("3.9", BASE), ("3.13", {**BASE, **ADDED_IN_312})]


def option_rows(names: dict[str, int]) -> dict[str, tuple[int | None, int | None]]:
    fake = surface("linux", families=["AF_INET", "AF_INET6"], extra=names)
    return {case.option_id(o): (o.level.number, o.option.number)
            for case in option_cases(fake, "linux") for o in case.options}


@pytest.mark.parametrize(("older", "newer"), [(PYTHONS[0], PYTHONS[1])], ids=["3.9-vs-3.13"])
def test_every_python_gets_the_same_option_rows_and_numbers(
    older: tuple[str, dict[str, int]], newer: tuple[str, dict[str, int]]
) -> None:
    old_rows, new_rows = option_rows(older[1]), option_rows(newer[1])
    assert old_rows.keys() == new_rows.keys()
    assert old_rows == new_rows, "a header number differs from Python's"
    assert "option/AF_INET/SOCK_STREAM/0/IPPROTO_TCP.TCP_FASTOPEN_KEY" in old_rows


@linux_only
def test_pythons_numbers_agree_with_the_linux_header_table() -> None:
    table = OPTION_NUMBERS["linux"]
    for name in dir(socket):
        level = level_of(name)
        if level is not None and name in table.get(level, {}):
            assert getattr(socket, name) == table[level][name], name


def test_a_python_constant_wins_over_the_header_table() -> None:
    fake = types.SimpleNamespace(**{**BASE, "AF_INET": 2, "SOCK_STREAM": 1, "TCP_FASTOPEN_KEY": 33})
    spec = spec_named("linux", "IPPROTO_TCP", "TCP_FASTOPEN_KEY")
    assert spec is not None
    resolved = resolve_option(fake, "linux", spec)
    assert (resolved.option.number, resolved.option.python_constant) == (33, True)
