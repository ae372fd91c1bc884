"""Crafting and parsing the packets raw probes send to loopback: ICMP echo, UDP, a TCP segment, an
IPv4 header. Pure functions on bytes (RFC 791, 768, 792, 793, 4443, 2460 pseudo-header)."""

from __future__ import annotations

import ipaddress
import struct
from typing import NamedTuple

ICMP_ECHO_REQUEST = 8
ICMP_ECHO_REPLY = 0
ICMPV6_ECHO_REQUEST = 128
ICMPV6_ECHO_REPLY = 129
PROTO_TCP = 6
PROTO_UDP = 17
TCP_SYN = 0x02
TCP_RST = 0x04


class Echo(NamedTuple):
    type: int
    ident: int
    seq: int
    payload: bytes


def checksum(data: bytes) -> int:
    """The Internet checksum: one's complement of the one's-complement sum of 16-bit words."""
    if len(data) % 2:
        data += b"\0"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def pseudo_header(src: str, dst: str, proto: int, length: int) -> bytes:
    """The IPv4 or IPv6 pseudo-header UDP/TCP/ICMPv6 checksums cover."""
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if s.version == 4:
        return s.packed + d.packed + struct.pack("!BBH", 0, proto, length)
    return s.packed + d.packed + struct.pack("!I3xB", length, proto)


def icmp_echo(ident: int, seq: int, payload: bytes, v6: bool = False) -> bytes:
    """An echo request. ICMPv6 checksums need the pseudo-header, which the kernel fills in on
    raw and ping sockets (RFC 3542 3.1), so it is left 0 there."""
    kind = ICMPV6_ECHO_REQUEST if v6 else ICMP_ECHO_REQUEST
    header = struct.pack("!BBHHH", kind, 0, 0, ident & 0xFFFF, seq & 0xFFFF)
    if v6:
        return header + payload
    csum = checksum(header + payload)
    return struct.pack("!BBHHH", kind, 0, csum, ident & 0xFFFF, seq & 0xFFFF) + payload


def strip_ipv4_header(packet: bytes) -> bytes:
    """The payload of an IPv4 packet, or the bytes unchanged when they don't start with one
    (raw IPv4 sockets and macOS ping sockets deliver the header; Linux ping sockets don't)."""
    if len(packet) >= 20 and packet[0] >> 4 == 4:
        return packet[(packet[0] & 0x0F) * 4:]
    return packet


def parse_echo(data: bytes) -> Echo | None:
    """An ICMP/ICMPv6 echo message, or None when the bytes aren't one."""
    if len(data) < 8:
        return None
    kind, _code, _csum, ident, seq = struct.unpack("!BBHHH", data[:8])
    if kind not in (ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY, ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REPLY):
        return None
    return Echo(kind, ident, seq, data[8:])


def udp(src: str, dst: str, sport: int, dport: int, payload: bytes) -> bytes:
    """A UDP datagram with its checksum."""
    length = 8 + len(payload)
    header = struct.pack("!HHHH", sport, dport, length, 0)
    csum = checksum(pseudo_header(src, dst, PROTO_UDP, length) + header + payload) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, csum) + payload


def tcp(src: str, dst: str, sport: int, dport: int, flags: int, seq: int, payload: bytes = b"") -> bytes:
    """A TCP segment (no options) with its checksum."""
    def header(csum: int) -> bytes:
        return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags, 65535, csum, 0)

    segment = header(0) + payload
    return header(checksum(pseudo_header(src, dst, PROTO_TCP, len(segment)) + segment)) + payload


def tcp_ports_flags(segment: bytes) -> tuple[int, int, int] | None:
    """(source port, destination port, flags) of a TCP segment, or None when too short."""
    if len(segment) < 20:
        return None
    sport, dport = struct.unpack("!HH", segment[:4])
    return sport, dport, segment[13]


def ipv4(src: str, dst: str, proto: int, payload: bytes, ident: int = 0) -> bytes:
    """An IPv4 header (TTL 1: it cannot leave the host even if misrouted) followed by payload."""
    total = 20 + len(payload)
    s, d = ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ident & 0xFFFF, 0, 1, proto, 0, s, d)
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload
