"""Crafted packets: checksums verify, echo messages round-trip through the parser."""

from __future__ import annotations

import struct

import pytest

from sockcompat.probes import packets


def test_checksum_rfc1071_example() -> None:
    # RFC 1071 section 3: the one's-complement sum of 0001 f203 f4f5 f6f7 is ddf2.
    assert packets.checksum(bytes.fromhex("0001f203f4f5f6f7")) == 0xFFFF - 0xDDF2


@pytest.mark.parametrize("data", [b"", b"\x01", b"odd length!", bytes(range(256))])
def test_a_checksummed_message_sums_to_zero(data: bytes) -> None:
    csum = packets.checksum(data)
    padded = data + (b"\0" if len(data) % 2 else b"")
    assert packets.checksum(padded + struct.pack("!H", csum)) == 0


def test_icmp_echo_checksum_and_parse() -> None:
    message = packets.icmp_echo(0x1234, 7, b"payload")
    assert packets.checksum(message) == 0
    assert packets.parse_echo(message) == packets.Echo(packets.ICMP_ECHO_REQUEST, 0x1234, 7, b"payload")


def test_icmpv6_echo_leaves_the_checksum_to_the_kernel() -> None:
    message = packets.icmp_echo(1, 2, b"x", v6=True)
    assert message[0] == packets.ICMPV6_ECHO_REQUEST and message[2:4] == b"\0\0"


@pytest.mark.parametrize("data", [b"", b"\x08\x00\x00", bytes([3, 0, 0, 0, 0, 0, 0, 0])])
def test_parse_echo_rejects_other_messages(data: bytes) -> None:
    assert packets.parse_echo(data) is None


def test_ipv4_header_is_checksummed_and_stripped() -> None:
    inner = packets.udp("127.0.0.1", "127.0.0.1", 40000, 50000, b"hello")
    packet = packets.ipv4("192.0.2.1", "127.0.0.1", packets.PROTO_UDP, inner)
    assert packets.checksum(packet[:20]) == 0
    assert packet[8] == 1, "TTL 1: the packet cannot leave the host"
    assert packets.strip_ipv4_header(packet) == inner
    assert packets.strip_ipv4_header(inner) == inner


@pytest.mark.parametrize(("src", "dst"), [("127.0.0.1", "127.0.0.1"), ("::1", "::1")])
def test_udp_checksum_covers_the_pseudo_header(src: str, dst: str) -> None:
    datagram = packets.udp(src, dst, 40000, 50000, b"hello")
    assert len(datagram) == 13 and struct.unpack("!H", datagram[4:6])[0] == 13
    pseudo = packets.pseudo_header(src, dst, packets.PROTO_UDP, len(datagram))
    assert packets.checksum(pseudo + datagram) == 0


def test_tcp_segment() -> None:
    segment = packets.tcp("127.0.0.1", "127.0.0.1", 40000, 50000, packets.TCP_SYN, 99, b"data")
    pseudo = packets.pseudo_header("127.0.0.1", "127.0.0.1", packets.PROTO_TCP, len(segment))
    assert packets.checksum(pseudo + segment) == 0
    assert packets.tcp_ports_flags(segment) == (40000, 50000, packets.TCP_SYN)
    assert packets.tcp_ports_flags(segment[:19]) is None
