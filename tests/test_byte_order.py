"""Byte order, checked here for both orders: network-order fields (packet headers, checksums,
IP_UNICAST_IF) must give the same bytes on every host, host-order structures (CAN frames, netlink
headers, ucred, linger, timeval, 64-bit option values) the layout the kernel reads on a little- and
on a big-endian machine such as s390x. The expected bytes are written from the RFCs and the kernel's
headers, not computed by the code under test."""

from __future__ import annotations

import socket
import struct
import sys
from typing import Literal

import pytest

from sockcompat.catalog import option_values, unix
from sockcompat.catalog.platforms import htons
from sockcompat.probes import packets, transfer

Order = Literal["little", "big"]
ORDERS: tuple[Order, Order] = ("little", "big")


def in_order(fmt: str, order: Order) -> str:
    """A host-order struct format made explicit: what it packs on a machine of ``order``."""
    assert fmt[0] not in "<>!", f"{fmt!r} is not host order"
    return {"little": "<", "big": ">"}[order] + fmt.lstrip("=@")


########################################################################################
# network order: one answer on every machine


def test_internet_checksum_of_a_known_ipv4_header() -> None:
    # The textbook IPv4 header (192.168.0.1 -> 192.168.0.199, UDP, checksum field b861, as in
    # Wikipedia's "IPv4 header checksum"): zeroed field -> b861; with the field, the sum checks to 0.
    header = bytes.fromhex("450000730000400040110000c0a80001c0a800c7")
    assert packets.checksum(header) == 0xB861
    assert packets.checksum(header[:10] + bytes.fromhex("b861") + header[12:]) == 0


def test_ipv4_header_fields_are_big_endian() -> None:
    header = packets.ipv4("127.0.0.1", "127.0.0.2", packets.PROTO_UDP, b"x" * 8, ident=0x1234)[:20]
    assert header[2:4] == bytes.fromhex("001c")  # total length 28
    assert header[4:6] == bytes.fromhex("1234")  # identification
    assert header[12:20] == bytes.fromhex("7f0000017f000002")
    assert packets.checksum(header) == 0


def test_udp_and_tcp_ports_lengths_and_pseudo_header_are_big_endian() -> None:
    datagram = packets.udp("127.0.0.1", "127.0.0.1", 0x1F90, 0x0035, b"ab")
    assert datagram[:6] == bytes.fromhex("1f900035000a")
    pseudo = packets.pseudo_header("127.0.0.1", "127.0.0.1", packets.PROTO_UDP, 10)
    assert pseudo == bytes.fromhex("7f0000017f0000010011000a")
    assert packets.checksum(pseudo + datagram) == 0
    v6 = packets.pseudo_header("::1", "::1", packets.PROTO_TCP, 20)
    assert v6[32:] == bytes.fromhex("0000001400000006")
    segment = packets.tcp("127.0.0.1", "127.0.0.1", 40000, 80, packets.TCP_SYN, 0x01020304)
    assert segment[:8] == bytes.fromhex("9c40005001020304")
    assert packets.tcp_ports_flags(segment) == (40000, 80, packets.TCP_SYN)


@pytest.mark.parametrize(("order", "expected"), [("little", 0x0300), ("big", 0x0003)])
def test_htons_per_byte_order(order: Order, expected: int) -> None:
    # packet(7): socket(AF_PACKET, ..., htons(ETH_P_ALL)); ETH_P_ALL is 0x0003.
    assert htons(0x0003, order) == expected


def test_htons_agrees_with_the_socket_module_here() -> None:
    assert htons(0x0003) == socket.htons(0x0003)


@pytest.mark.parametrize("platform", ["linux", "win32"])
def test_ip_unicast_if_is_network_order_everywhere(platform: str) -> None:
    # ip(7) IP_UNICAST_IF and Winsock both take the index in network byte order.
    assert option_values.encode("ifindex_be", 1, platform) == b"\0\0\0\1"
    assert option_values.decode("ifindex_be", b"\0\0\0\1", platform) == 1


########################################################################################
# host order: the layout the kernel reads on each kind of machine


HOST_ORDER_STRUCTS = [
    # name, format used, values, bytes on little-endian, bytes on big-endian
    ("can_frame (linux/can.h)", transfer.CAN_FRAME.format, (0x123, 2, b"\xaa\xbb" + bytes(6)),
     "23010000" "02000000" "aabb000000000000", "00000123" "02000000" "aabb000000000000"),
    ("nlmsghdr (linux/netlink.h)", transfer.NLMSG_HEADER.format, (16, 1, 5, 0x01020304, 0),
     "10000000" "0100" "0500" "04030201" "00000000", "00000010" "0001" "0005" "01020304" "00000000"),
    ("ucred (SO_PEERCRED)", unix.UCRED_FORMAT, (1, 2, 3),
     "01000000" "02000000" "03000000", "00000001" "00000002" "00000003"),
]


@pytest.mark.parametrize(("name", "fmt", "values", "little", "big"), HOST_ORDER_STRUCTS,
                         ids=[row[0] for row in HOST_ORDER_STRUCTS])
@pytest.mark.parametrize("order", ORDERS)
def test_host_order_structures(name: str, fmt: str, values: tuple[object, ...], little: str, big: str,
                               order: Order) -> None:
    del name
    expected = bytes.fromhex({"little": little, "big": big}[order])
    assert struct.pack(in_order(fmt, order), *values) == expected
    assert struct.unpack(in_order(fmt, order), expected) == values
    if order == sys.byteorder:
        assert struct.pack(fmt, *values) == expected


def test_netlink_ack_is_read_in_host_order() -> None:
    header = transfer.NLMSG_HEADER.pack(20, transfer.NLMSG_ERROR, 0, 77, 0)
    assert transfer.parse_ack(header + struct.pack("=i", -95), 77) == 95  # -EOPNOTSUPP


@pytest.mark.parametrize(("kind", "value", "ints"), [
    ("linger", (1, 5), [(1, 4), (5, 4)]),
    ("u64", 131072, [(131072, 8)]),
])
def test_option_structures_are_host_order(kind: str, value: object, ints: list[tuple[int, int]]) -> None:
    encoded = option_values.encode(kind, value, "linux")
    assert encoded == b"".join(n.to_bytes(width, sys.byteorder) for n, width in ints)


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize(("raw_width", "value"), [(8, 131072), (4, 131072), (8, 2**40 + 7)])
def test_a_64_bit_option_value_read_back_in_either_order(order: Order, raw_width: int, value: int) -> None:
    # A kernel may answer a 64-bit option with 4 bytes (a 32-bit value); padding those on the right
    # would read value << 32 on a big-endian machine.
    assert option_values.host_uint(value.to_bytes(raw_width, order), 8, order) == value


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize(("kind", "value"), [("bool", 1), ("int", 10), ("int", -1), ("u64", 131072)])
def test_vsock_option_values_reach_the_kernel_as_the_kernel_reads_them(order: Order, kind: str,
                                                                      value: int) -> None:
    """CPython passes an AF_VSOCK option value as a uint64_t (8 bytes, host order); the kernel reads
    a 4-byte option from the first four. Packed as CPython packs it, the integer handed over must
    put the value there in either order (on s390x, SO_DEBUG=1 handed over as 1 reached the kernel
    as 0 and was "supported" without privilege)."""
    handed = option_values.encode(kind, value, "linux", int_only=True, byteorder=order)
    assert isinstance(handed, int)
    memory = struct.pack(in_order("Q", order), handed % 2**64)  # CPython's "K" wraps negatives
    if kind == "u64":
        assert memory == value.to_bytes(8, order)
    else:
        assert memory[:4] == value.to_bytes(4, order, signed=True)
    # getsockopt: the kernel writes its 4 or 8 bytes into CPython's zeroed uint64_t
    written = (memory[:4] + bytes(4)) if kind != "u64" else memory
    returned = struct.unpack(in_order("Q", order), written)[0]
    assert option_values.decode(kind, returned, "linux", int_only=True, byteorder=order) == value


@pytest.mark.parametrize("order", ORDERS)
def test_so_type_and_so_error_of_a_vsock_socket_read_as_ints(order: Order) -> None:
    """SO_TYPE (the create probe) and SO_ERROR (a connect that had to wait) read through CPython's
    uint64_t on AF_VSOCK: 5 (SOCK_SEQPACKET) must not come back as 5 << 32 on s390x."""
    returned = struct.unpack(in_order("Q", order), (5).to_bytes(4, order) + bytes(4))[0]
    assert option_values.int_result(returned, "AF_VSOCK", order) == 5
    assert option_values.int_result(5, "AF_INET", order) == 5
