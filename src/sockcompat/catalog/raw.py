"""What the raw suite sends, per protocol, as data. Every row runs on every host (so Windows'
documented raw limits are probed there, not assumed): create, bind to loopback, send one crafted
packet to loopback, receive the answer or the packet itself.

Rows and the documented limits they exercise:
- ICMP / ICMPv6 echo on SOCK_RAW: the loopback stack answers; needs CAP_NET_RAW / root / admin.
- UDP on SOCK_RAW (v4, v6): a crafted datagram reaches a UDP socket bound on loopback.
- TCP on SOCK_RAW: a SYN carrying data to a closed loopback port; the RST comes back. Windows:
  "TCP data cannot be sent over raw sockets" and "bind with a raw IPPROTO_TCP socket is not allowed"
  (learn.microsoft.com/windows/win32/winsock/tcp-ip-raw-sockets-2); that bind once killed the
  process (rust-lang/socket2#411), so every row runs in a child interpreter.
- IPPROTO_RAW (IP_HDRINCL implied) and IP_HDRINCL set on a UDP raw socket: we write the IPv4 header.
- A non-local source address (192.0.2.1, TEST-NET-1) in a header sent to 127.0.0.1: Windows drops
  such UDP datagrams. TTL 1 and a loopback destination keep it on this host.
- Unprivileged ICMP (SOCK_DGRAM + IPPROTO_ICMP/ICMPV6): Linux gates it with
  net.ipv4.ping_group_range (recorded beside the outcome), macOS allows it, Windows/FreeBSD refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

AREA = "raw"

#: A source address that is not this host's: RFC 5737 TEST-NET-1, never routed.
NON_LOCAL_SOURCE = "192.0.2.1"
#: How long to wait for the answer or the packet: raw receives filter other loopback traffic.
REPLY_WAIT_S = 2.0
#: The Linux setting that gates unprivileged ICMP, recorded with the ping rows.
PING_SYSCTL = "net.ipv4.ping_group_range"

STEPS: Mapping[str, tuple[str, ...]] = {
    "echo": ("create", "bind", "sendto", "recv", "close"),
    "ping": ("create", "bind", "sendto", "recv", "close"),
    "datagram": ("create", "bind", "sendto", "recv", "close"),
    "segment": ("create", "bind", "sendto", "recv", "close"),
    "hdrincl": ("create", "bind", "set-hdrincl", "sendto", "recv", "close"),
    "nonlocal-source": ("create", "bind", "set-hdrincl", "sendto", "recv", "close"),
}


class RawCase(NamedTuple):
    family: str
    type: str
    proto: str
    probe: str

    @property
    def id(self) -> str:
        return f"raw/{self.family}/{self.type}/{self.proto}/{self.probe}"

    @property
    def steps(self) -> tuple[str, ...]:
        return STEPS[self.probe]


RAW_CASES: tuple[RawCase, ...] = (
    RawCase("AF_INET", "SOCK_RAW", "IPPROTO_ICMP", "echo"),
    RawCase("AF_INET6", "SOCK_RAW", "IPPROTO_ICMPV6", "echo"),
    RawCase("AF_INET", "SOCK_RAW", "IPPROTO_UDP", "datagram"),
    RawCase("AF_INET6", "SOCK_RAW", "IPPROTO_UDP", "datagram"),
    RawCase("AF_INET", "SOCK_RAW", "IPPROTO_TCP", "segment"),
    RawCase("AF_INET", "SOCK_RAW", "IPPROTO_RAW", "hdrincl"),
    RawCase("AF_INET", "SOCK_RAW", "IPPROTO_UDP", "hdrincl"),
    RawCase("AF_INET", "SOCK_RAW", "IPPROTO_RAW", "nonlocal-source"),
    RawCase("AF_INET", "SOCK_DGRAM", "IPPROTO_ICMP", "ping"),
    RawCase("AF_INET6", "SOCK_DGRAM", "IPPROTO_ICMPV6", "ping"),
)
