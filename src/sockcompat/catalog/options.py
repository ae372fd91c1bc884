"""The socket-option matrix: which options to probe, on which sockets, with which test values.

Data only. The rule, stated once (the test file never lists options or sockets):

Options
- Every option constant the socket module exposes, found by name prefix (``SO_`` -> SOL_SOCKET,
  ``IP_`` -> IPPROTO_IP, ``TCP_`` -> IPPROTO_TCP, ...), plus every option in ``OPTIONS`` (some known
  only from OS headers, probed by number and marked ``python_constant: false``). A name no one
  defines on this host becomes a ``no-constant`` row, so every host has comparable rows.
- Each option has a value kind (``option_values.Kind``), a safe test value that differs from the
  default (``TOGGLE`` flips a flag; ``None`` means no safe value exists and the set step is
  recorded ``not-applicable`` with the reason), and its access: ``rw``, ``ro`` (get only), ``wo``
  (set only, no read-back).
- An exposed option the table does not know is probed as a flag (``TOGGLE``) and says so.
- Safety: nothing here makes traffic. Multicast TTL/hops 0 and loop off, the multicast interface is
  loopback, groups are joined on loopback only; SO_BROADCAST is only set; device binding is to
  the loopback interface. Options that change host-wide state, allocate rings, or return new file
  descriptors are listed with no test value or left out (see ``LEFT_OUT``).

Sockets (the principled subset of the create matrix)
- A (family, type, protocol) row of the create matrix whose names all resolve on this host.
- Aliases collapse: rows with the same (family, type, protocol) numbers are one socket; the first by
  id stands for them (``0`` before ``IPPROTO_IP``/``IPPROTO_HOPOPTS``, AF_NETLINK before AF_ROUTE).
- Outside the IP families, IPPROTO_* numbers name nothing: those families are probed with
  protocol 0 and their own protocols.
- Where the protocol only chooses a payload, not an option handler (``REPRESENTATIVE_PROTOCOLS``),
  only representatives are probed: raw IP with ICMP (its own filter option), IPPROTO_RAW (implied
  IP_HDRINCL) and UDP (standing for every protocol on the generic raw handler); netlink and the
  obsolete SOCK_PACKET with protocol 0. Every option is still probed on every row kept.
- Levels apply by family/type/protocol (``LEVEL_SCOPE``); SOL_SOCKET applies everywhere.

Sources: Linux include/uapi/asm-generic/socket.h, include/uapi/linux/in.h, in6.h, tcp.h, udp.h,
netlink.h, if_packet.h, vm_sockets.h, can/raw.h, can/j1939.h, tipc.h, if_alg.h, rds.h, icmp.h,
icmpv6.h; man7 socket(7), ip(7), ipv6(7), tcp(7), udp(7), packet(7), netlink(7). macOS: xnu
bsd/sys/socket.h, bsd/sys/un.h, bsd/netinet/in.h, tcp.h, udp.h, bsd/netinet6/in6.h. FreeBSD:
sys/sys/socket.h, sys/sys/un.h, sys/netinet/in.h, tcp.h, sys/netinet6/in6.h; ip(4). Windows:
shared/ws2def.h, ws2ipdef.h, mswsock.h; learn.microsoft.com winsock socket-options.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from sockcompat.catalog import constants
from sockcompat.catalog.constants import DEFAULT_PROTOCOL, Constant
from sockcompat.catalog.create import CreateCase, create_cases
from sockcompat.catalog.platforms import FAMILIES, INET_FAMILIES, platform_key
from sockcompat.catalog.requirements import Requirement

#: Test value markers, resolved by the probe: flip the flag read as the default; the loopback
#: interface's index; the loopback interface's name.
TOGGLE = "<toggle>"
LOOPBACK_INDEX = "<loopback-index>"
LOOPBACK_NAME = "<loopback-name>"

#: The loopback interface's name, per OS (Windows: the interface's LUID alias for if_nametoindex).
LOOPBACK_INTERFACE: Mapping[str, str] = {
    "linux": "lo", "darwin": "lo0", "freebsd": "lo0", "win32": "loopback_0",
}

#: Safe multicast groups: administratively scoped, joined on the loopback interface only.
IPV4_GROUP = "239.255.77.77"
IPV6_GROUP = "ff01::77"  # interface-local scope: never leaves the interface


class OptionSpec(NamedTuple):
    """One option: its level and name, how its value looks, and what to set it to."""

    level: str
    name: str
    kind: str = "bool"
    test: Any = TOGGLE
    access: str = "rw"
    size: int | None = None  # getsockopt buffer for bytes/string/opaque kinds
    after: str | None = None  # an option of the same level to set first (DROP after ADD)
    note: str = ""


def _o(level: str, name: str, kind: str = "bool", test: Any = TOGGLE, **more: Any) -> OptionSpec:
    return OptionSpec(level, name, kind, test, **more)


S, IP, IP6, TCP, UDP = "SOL_SOCKET", "IPPROTO_IP", "IPPROTO_IPV6", "IPPROTO_TCP", "IPPROTO_UDP"
NO_SAFE_VALUE = None

OPTIONS: tuple[OptionSpec, ...] = (
    # SOL_SOCKET, every OS
    _o(S, "SO_ACCEPTCONN", "int", access="ro"),
    _o(S, "SO_BROADCAST"),
    _o(S, "SO_DEBUG"),
    _o(S, "SO_DONTROUTE"),
    _o(S, "SO_ERROR", "int", access="ro"),
    _o(S, "SO_KEEPALIVE"),
    _o(S, "SO_LINGER", "linger", (1, 3)),
    _o(S, "SO_OOBINLINE"),
    _o(S, "SO_RCVBUF", "int", 12288, note="12288: no OS's default, and its double is none either"),
    _o(S, "SO_SNDBUF", "int", 12288),
    _o(S, "SO_RCVLOWAT", "int", 2),
    _o(S, "SO_SNDLOWAT", "int", 2),
    _o(S, "SO_RCVTIMEO", "timeval", 2.0),
    _o(S, "SO_SNDTIMEO", "timeval", 2.0),
    _o(S, "SO_REUSEADDR"),
    _o(S, "SO_REUSEPORT"),
    _o(S, "SO_TYPE", "int", access="ro"),
    # SOL_SOCKET, Linux
    _o(S, "SO_BINDTODEVICE", "string", LOOPBACK_NAME, size=16),
    _o(S, "SO_BINDTOIFINDEX", "ifindex", LOOPBACK_INDEX),
    _o(S, "SO_BPF_EXTENSIONS", "int", access="ro"),
    _o(S, "SO_BSDCOMPAT"),
    _o(S, "SO_BUF_LOCK", "int", 3),
    _o(S, "SO_BUSY_POLL", "int", 10),
    _o(S, "SO_BUSY_POLL_BUDGET", "int", 8),
    _o(S, "SO_CNX_ADVICE", "int", NO_SAFE_VALUE, access="wo", note="acts on the cached route"),
    _o(S, "SO_COOKIE", "opaque", access="ro", size=8, note="a per-socket counter"),
    _o(S, "SO_DOMAIN", "int", access="ro"),
    _o(S, "SO_INCOMING_CPU", "int", 0),
    _o(S, "SO_INCOMING_NAPI_ID", "int", access="ro"),
    _o(S, "SO_LOCK_FILTER"),
    _o(S, "SO_MARK", "int", 7),
    _o(S, "SO_MAX_PACING_RATE", "int", 1_000_000),
    _o(S, "SO_MEMINFO", "opaque", access="ro", size=64),
    _o(S, "SO_NETNS_COOKIE", "opaque", access="ro", size=8),
    _o(S, "SO_NOFCS"),
    _o(S, "SO_NO_CHECK"),
    _o(S, "SO_PASSCRED"),
    _o(S, "SO_PASSPIDFD"),
    _o(S, "SO_PASSSEC"),
    _o(S, "SO_PEEK_OFF", "int", 0),
    _o(S, "SO_PEERCRED", "opaque", access="ro", size=12),
    _o(S, "SO_PEERGROUPS", "opaque", access="ro", size=256),
    _o(S, "SO_PEERNAME", "opaque", access="ro", size=128),
    _o(S, "SO_PEERSEC", "opaque", access="ro", size=256),
    _o(S, "SO_PREFER_BUSY_POLL"),
    _o(S, "SO_PRIORITY", "int", 3, note="0-6 need no privilege"),
    _o(S, "SO_PROTOCOL", "int", access="ro"),
    _o(S, "SO_RCVBUFFORCE", "int", 12288, access="wo"),
    _o(S, "SO_RCVMARK"),
    _o(S, "SO_RESERVE_MEM", "int", 4096),
    _o(S, "SO_RXQ_OVFL"),
    _o(S, "SO_SELECT_ERR_QUEUE"),
    _o(S, "SO_SNDBUFFORCE", "int", 12288, access="wo"),
    _o(S, "SO_TIMESTAMP"),
    _o(S, "SO_TIMESTAMPING", "int", 0x18, note="SOF_TIMESTAMPING_RX_SOFTWARE | SOFTWARE"),
    _o(S, "SO_TIMESTAMPNS"),
    _o(S, "SO_TXREHASH", "int", 0),
    _o(S, "SO_TXTIME", "opaque", NO_SAFE_VALUE, size=8, note="struct sock_txtime: not encoded"),
    _o(S, "SO_WIFI_STATUS"),
    _o(S, "SO_ZEROCOPY"),
    # SOL_SOCKET, macOS and FreeBSD
    _o(S, "SO_LINGER_SEC", "linger", (1, 3)),
    _o(S, "SO_NOADDRERR"),
    _o(S, "SO_NOSIGPIPE"),
    _o(S, "SO_NREAD", "int", access="ro"),
    _o(S, "SO_NWRITE", "int", access="ro"),
    _o(S, "SO_TIMESTAMP_MONOTONIC"),
    _o(S, "SO_USELOOPBACK"),
    _o(S, "SO_LISTENQLEN", "int", access="ro"),
    _o(S, "SO_LISTENQLIMIT", "int", access="ro"),
    _o(S, "SO_REUSEPORT_LB"),
    _o(S, "SO_SETFIB", "int", NO_SAFE_VALUE, note="a FIB other than 0 may route off-host"),
    _o(S, "SO_USER_COOKIE", "int", 77),
    # SOL_SOCKET, Windows
    _o(S, "SO_CONDITIONAL_ACCEPT"),
    _o(S, "SO_CONNECT_TIME", "int", access="ro"),
    _o(S, "SO_DONTLINGER"),
    _o(S, "SO_EXCLUSIVEADDRUSE"),
    _o(S, "SO_MAX_MSG_SIZE", "int", access="ro"),
    _o(S, "SO_PORT_SCALABILITY"),
    _o(S, "SO_RANDOMIZE_PORT"),
    _o(S, "SO_REUSE_UNICASTPORT"),

    # IPPROTO_IP
    _o(IP, "IP_ADD_MEMBERSHIP", "ip_mreq", (IPV4_GROUP, "127.0.0.1"), access="wo"),
    _o(IP, "IP_BIND_ADDRESS_NO_PORT"),
    _o(IP, "IP_CHECKSUM"),
    _o(IP, "IP_DROP_MEMBERSHIP", "ip_mreq", (IPV4_GROUP, "127.0.0.1"), access="wo",
       after="IP_ADD_MEMBERSHIP"),
    _o(IP, "IP_FREEBIND"),
    _o(IP, "IP_HDRINCL"),
    _o(IP, "IP_LOCAL_PORT_RANGE", "int", 30000 << 16 | 20000, note="ports 20000-30000"),
    _o(IP, "IP_MINTTL", "int", 10),
    _o(IP, "IP_MTU", "int", access="ro"),
    _o(IP, "IP_MTU_DISCOVER", "int", 3, note="IP_PMTUDISC_PROBE"),
    _o(IP, "IP_MULTICAST_ALL"),
    _o(IP, "IP_MULTICAST_IF", "in_addr", "127.0.0.1"),
    _o(IP, "IP_MULTICAST_LOOP", "bool", 0),
    _o(IP, "IP_MULTICAST_TTL", "int", 0),
    _o(IP, "IP_NODEFRAG"),
    _o(IP, "IP_OPTIONS", "bytes", bytes([1, 1, 1, 0]), size=40, note="NOP NOP NOP EOL"),
    _o(IP, "IP_PASSSEC"),
    _o(IP, "IP_PKTINFO"),
    _o(IP, "IP_PROTOCOL", "int", access="ro"),
    _o(IP, "IP_RECVERR"),
    _o(IP, "IP_RECVERR_RFC4884"),
    _o(IP, "IP_RECVFRAGSIZE"),
    _o(IP, "IP_RECVOPTS"),
    _o(IP, "IP_RECVORIGDSTADDR"),
    _o(IP, "IP_RECVRETOPTS"),
    _o(IP, "IP_RECVTOS"),
    _o(IP, "IP_RECVTTL"),
    _o(IP, "IP_RETOPTS"),
    _o(IP, "IP_ROUTER_ALERT"),
    _o(IP, "IP_TOS", "int", 0x10, note="IPTOS_LOWDELAY"),
    _o(IP, "IP_TRANSPARENT"),
    _o(IP, "IP_TTL", "int", 32),
    _o(IP, "IP_UNICAST_IF", "ifindex_be", LOOPBACK_INDEX),
    _o(IP, "IP_BINDANY"),
    _o(IP, "IP_BOUND_IF", "ifindex", LOOPBACK_INDEX),
    _o(IP, "IP_DONTFRAG"),
    _o(IP, "IP_DONTFRAGMENT"),
    _o(IP, "IP_PORTRANGE", "int", 1, note="IP_PORTRANGE_HIGH (LOW needs privilege)"),
    _o(IP, "IP_RECVDSTADDR"),
    _o(IP, "IP_RECVIF"),

    # IPPROTO_IPV6
    _o(IP6, "IPV6_ADDRFORM", "int", NO_SAFE_VALUE, note="turns the socket into an IPv4 one"),
    _o(IP6, "IPV6_ADDR_PREFERENCES", "int", 1, note="IPV6_PREFER_SRC_TMP"),
    _o(IP6, "IPV6_AUTOFLOWLABEL"),
    _o(IP6, "IPV6_CHECKSUM", "int", 2),
    _o(IP6, "IPV6_DONTFRAG"),
    _o(IP6, "IPV6_DSTOPTS", "bytes", bytes([0, 0, 1, 4, 0, 0, 0, 0]), size=64,
       note="an empty destination-options header (PadN)"),
    _o(IP6, "IPV6_FLOWINFO"),
    _o(IP6, "IPV6_FLOWINFO_SEND"),
    _o(IP6, "IPV6_FREEBIND"),
    _o(IP6, "IPV6_HDRINCL"),
    _o(IP6, "IPV6_HOPLIMIT"),
    _o(IP6, "IPV6_HOPOPTS", "bytes", bytes([0, 0, 1, 4, 0, 0, 0, 0]), size=64,
       note="an empty hop-by-hop header (PadN)"),
    _o(IP6, "IPV6_JOIN_GROUP", "ipv6_mreq", (IPV6_GROUP, LOOPBACK_INDEX), access="wo"),
    _o(IP6, "IPV6_LEAVE_GROUP", "ipv6_mreq", (IPV6_GROUP, LOOPBACK_INDEX), access="wo",
       after="IPV6_JOIN_GROUP"),
    _o(IP6, "IPV6_MINHOPCOUNT", "int", 10),
    _o(IP6, "IPV6_MTU", "int", 1280),
    _o(IP6, "IPV6_MTU_DISCOVER", "int", 3, note="IPV6_PMTUDISC_PROBE"),
    _o(IP6, "IPV6_MULTICAST_ALL"),
    _o(IP6, "IPV6_MULTICAST_HOPS", "int", 0),
    _o(IP6, "IPV6_MULTICAST_IF", "ifindex", LOOPBACK_INDEX),
    _o(IP6, "IPV6_MULTICAST_LOOP", "bool", 0),
    _o(IP6, "IPV6_NEXTHOP", "opaque", NO_SAFE_VALUE, size=32, note="a sockaddr_in6; layout differs by OS"),
    _o(IP6, "IPV6_PATHMTU", "opaque", access="ro", size=32),
    _o(IP6, "IPV6_PKTINFO", "opaque", NO_SAFE_VALUE, size=20, note="sticky source address"),
    _o(IP6, "IPV6_RECVDSTOPTS"),
    _o(IP6, "IPV6_RECVERR"),
    _o(IP6, "IPV6_RECVERR_RFC4884"),
    _o(IP6, "IPV6_RECVFRAGSIZE"),
    _o(IP6, "IPV6_RECVHOPLIMIT"),
    _o(IP6, "IPV6_RECVHOPOPTS"),
    _o(IP6, "IPV6_RECVORIGDSTADDR"),
    _o(IP6, "IPV6_RECVPATHMTU"),
    _o(IP6, "IPV6_RECVPKTINFO"),
    _o(IP6, "IPV6_RECVRTHDR"),
    _o(IP6, "IPV6_RECVTCLASS"),
    _o(IP6, "IPV6_ROUTER_ALERT"),
    _o(IP6, "IPV6_ROUTER_ALERT_ISOLATE"),
    _o(IP6, "IPV6_RTHDR", "bytes", NO_SAFE_VALUE, size=64, note="routing headers: type 0 is deprecated"),
    _o(IP6, "IPV6_RTHDRDSTOPTS", "bytes", bytes([0, 0, 1, 4, 0, 0, 0, 0]), size=64),
    _o(IP6, "IPV6_TCLASS", "int", 0x20),
    _o(IP6, "IPV6_TRANSPARENT"),
    _o(IP6, "IPV6_UNICAST_HOPS", "int", 32),
    _o(IP6, "IPV6_UNICAST_IF", "ifindex_v6", LOOPBACK_INDEX),
    _o(IP6, "IPV6_V6ONLY"),
    _o(IP6, "IPV6_BINDANY"),
    _o(IP6, "IPV6_BOUND_IF", "ifindex", LOOPBACK_INDEX),
    _o(IP6, "IPV6_PORTRANGE", "int", 1),
    _o(IP6, "IPV6_USE_MIN_MTU", "int", 1),

    # IPPROTO_TCP
    _o(TCP, "TCP_CC_INFO", "opaque", access="ro", size=64),
    _o(TCP, "TCP_CONGESTION", "string", "reno", size=16, note="reno is built into every Linux"),
    _o(TCP, "TCP_CORK"),
    _o(TCP, "TCP_DEFER_ACCEPT", "int", 5),
    _o(TCP, "TCP_FASTOPEN", "int", 5),
    _o(TCP, "TCP_FASTOPEN_CONNECT"),
    _o(TCP, "TCP_FASTOPEN_NO_COOKIE"),
    _o(TCP, "TCP_INFO", "opaque", access="ro", size=256),
    _o(TCP, "TCP_INQ"),
    _o(TCP, "TCP_IS_MPTCP", "int", access="ro"),
    _o(TCP, "TCP_KEEPCNT", "int", 5),
    _o(TCP, "TCP_KEEPIDLE", "int", 600),
    _o(TCP, "TCP_KEEPINTVL", "int", 30),
    _o(TCP, "TCP_LINGER2", "int", 30),
    _o(TCP, "TCP_MAXSEG", "int", 1200),
    _o(TCP, "TCP_MD5SIG", "opaque", NO_SAFE_VALUE, size=216, note="struct tcp_md5sig with a peer address"),
    _o(TCP, "TCP_NODELAY"),
    _o(TCP, "TCP_NOTSENT_LOWAT", "int", 16384),
    _o(TCP, "TCP_QUICKACK"),
    _o(TCP, "TCP_REPAIR"),
    _o(TCP, "TCP_SAVE_SYN"),
    _o(TCP, "TCP_SAVED_SYN", "opaque", access="ro", size=512),
    _o(TCP, "TCP_SYNCNT", "int", 3),
    _o(TCP, "TCP_THIN_DUPACK"),
    _o(TCP, "TCP_THIN_LINEAR_TIMEOUTS"),
    _o(TCP, "TCP_TIMESTAMP", "opaque", NO_SAFE_VALUE, size=4, note="a clock; settable only in repair mode"),
    _o(TCP, "TCP_TX_DELAY", "int", 1000),
    _o(TCP, "TCP_ULP", "string", NO_SAFE_VALUE, size=16, note="needs a connection; loads modules"),
    _o(TCP, "TCP_USER_TIMEOUT", "int", 30000),
    _o(TCP, "TCP_WINDOW_CLAMP", "int", 32768),
    _o(TCP, "TCP_CONNECTIONTIMEOUT", "int", 30),
    _o(TCP, "TCP_CONNECTION_INFO", "opaque", access="ro", size=256),
    _o(TCP, "TCP_ENABLE_ECN"),
    _o(TCP, "TCP_KEEPALIVE", "int", 600),
    _o(TCP, "TCP_KEEPINIT", "int", 30),
    _o(TCP, "TCP_NOOPT"),
    _o(TCP, "TCP_NOPUSH"),
    _o(TCP, "TCP_RXT_CONNDROPTIME", "int", 30),
    _o(TCP, "TCP_SENDMOREACKS"),
    _o(TCP, "TCP_FAIL_CONNECT_ON_ICMP_ERROR"),
    _o(TCP, "TCP_MAXRT", "int", 10),
    _o(TCP, "TCP_NOSYNRETRIES"),
    _o(TCP, "TCP_TIMESTAMPS"),

    # IPPROTO_UDP and UDP-Lite
    _o(UDP, "UDP_CORK"),
    _o(UDP, "UDP_ENCAP", "int", NO_SAFE_VALUE, note="enabling encapsulation flips a host-wide switch"),
    _o(UDP, "UDP_GRO"),
    _o(UDP, "UDP_NO_CHECK6_RX"),
    _o(UDP, "UDP_NO_CHECK6_TX"),
    _o(UDP, "UDP_SEGMENT", "int", 1200),
    _o(UDP, "UDP_NOCKSUM"),
    _o(UDP, "UDP_NOCHECKSUM"),
    _o("IPPROTO_UDPLITE", "UDPLITE_RECV_CSCOV", "int", 20),
    _o("IPPROTO_UDPLITE", "UDPLITE_SEND_CSCOV", "int", 20),

    # raw ICMP filters
    _o("SOL_RAW", "ICMP_FILTER", "int", 1 << 8, note="drop ICMP type 8 (echo request)"),
    _o("IPPROTO_ICMPV6", "ICMP6_FILTER", "bytes", b"\xff" * 32, size=32, note="block every type"),

    # AF_UNIX (macOS, FreeBSD)
    _o("SOL_LOCAL", "LOCAL_CONNWAIT"),
    _o("SOL_LOCAL", "LOCAL_CREDS"),
    _o("SOL_LOCAL", "LOCAL_CREDS_PERSISTENT"),
    _o("SOL_LOCAL", "LOCAL_PEERCRED", "opaque", access="ro", size=128),
    _o("SOL_LOCAL", "LOCAL_PEEREPID", "int", access="ro"),
    _o("SOL_LOCAL", "LOCAL_PEERPID", "int", access="ro"),

    # AF_NETLINK
    _o("SOL_NETLINK", "NETLINK_ADD_MEMBERSHIP", "int", 1, access="wo", note="RTNLGRP_LINK"),
    _o("SOL_NETLINK", "NETLINK_BROADCAST_ERROR"),
    _o("SOL_NETLINK", "NETLINK_CAP_ACK"),
    _o("SOL_NETLINK", "NETLINK_DROP_MEMBERSHIP", "int", 1, access="wo", after="NETLINK_ADD_MEMBERSHIP"),
    _o("SOL_NETLINK", "NETLINK_EXT_ACK"),
    _o("SOL_NETLINK", "NETLINK_GET_STRICT_CHK"),
    _o("SOL_NETLINK", "NETLINK_LISTEN_ALL_NSID"),
    _o("SOL_NETLINK", "NETLINK_LIST_MEMBERSHIPS", "bytes", access="ro", size=8),
    _o("SOL_NETLINK", "NETLINK_NO_ENOBUFS"),
    _o("SOL_NETLINK", "NETLINK_PKTINFO"),

    # AF_PACKET (and the obsolete SOCK_PACKET)
    _o("SOL_PACKET", "PACKET_ADD_MEMBERSHIP", "opaque", NO_SAFE_VALUE, access="wo",
       note="changes the interface's promiscuous/multicast state"),
    _o("SOL_PACKET", "PACKET_AUXDATA"),
    _o("SOL_PACKET", "PACKET_COPY_THRESH", "int", 64, access="wo"),
    _o("SOL_PACKET", "PACKET_FANOUT", "int", NO_SAFE_VALUE, note="joins a host-wide fanout group"),
    _o("SOL_PACKET", "PACKET_HDRLEN", "int", access="ro"),
    _o("SOL_PACKET", "PACKET_IGNORE_OUTGOING"),
    _o("SOL_PACKET", "PACKET_LOSS"),
    _o("SOL_PACKET", "PACKET_ORIGDEV"),
    _o("SOL_PACKET", "PACKET_QDISC_BYPASS"),
    _o("SOL_PACKET", "PACKET_RESERVE", "int", 16),
    _o("SOL_PACKET", "PACKET_ROLLOVER_STATS", "opaque", access="ro", size=24),
    _o("SOL_PACKET", "PACKET_RX_RING", "opaque", NO_SAFE_VALUE, access="wo", note="allocates a ring"),
    _o("SOL_PACKET", "PACKET_STATISTICS", "opaque", access="ro", size=12),
    _o("SOL_PACKET", "PACKET_TIMESTAMP", "int", 0x40),
    _o("SOL_PACKET", "PACKET_TX_HAS_OFF"),
    _o("SOL_PACKET", "PACKET_TX_RING", "opaque", NO_SAFE_VALUE, access="wo", note="allocates a ring"),
    _o("SOL_PACKET", "PACKET_VERSION", "int", 1, note="TPACKET_V2"),
    _o("SOL_PACKET", "PACKET_VNET_HDR"),
    _o("SOL_PACKET", "PACKET_VNET_HDR_SZ", "int", 12),

    # AF_VSOCK (the level is the family number)
    _o("AF_VSOCK", "SO_VM_SOCKETS_BUFFER_MAX_SIZE", "u64", 131072),
    _o("AF_VSOCK", "SO_VM_SOCKETS_BUFFER_MIN_SIZE", "u64", 4096),
    _o("AF_VSOCK", "SO_VM_SOCKETS_BUFFER_SIZE", "u64", 131072),
    _o("AF_VSOCK", "SO_VM_SOCKETS_CONNECT_TIMEOUT", "timeval", 2.0),

    # AF_CAN, AF_TIPC, AF_ALG, AF_RDS
    _o("SOL_CAN_RAW", "CAN_RAW_ERR_FILTER", "int", 0x1FFFFFFF),
    _o("SOL_CAN_RAW", "CAN_RAW_FD_FRAMES"),
    _o("SOL_CAN_RAW", "CAN_RAW_FILTER", "bytes", NO_SAFE_VALUE, size=64, note="struct can_filter array"),
    _o("SOL_CAN_RAW", "CAN_RAW_JOIN_FILTERS"),
    _o("SOL_CAN_RAW", "CAN_RAW_LOOPBACK"),
    _o("SOL_CAN_RAW", "CAN_RAW_RECV_OWN_MSGS"),
    _o("SOL_CAN_RAW", "CAN_RAW_XL_FRAMES"),
    _o("SOL_CAN_J1939", "SO_J1939_ERRQUEUE"),
    _o("SOL_CAN_J1939", "SO_J1939_FILTER", "bytes", NO_SAFE_VALUE, size=64, note="struct j1939_filter array"),
    _o("SOL_CAN_J1939", "SO_J1939_PROMISC"),
    _o("SOL_CAN_J1939", "SO_J1939_SEND_PRIO", "int", 3),
    _o("SOL_TIPC", "TIPC_CONN_TIMEOUT", "int", 5000),
    _o("SOL_TIPC", "TIPC_DEST_DROPPABLE"),
    _o("SOL_TIPC", "TIPC_IMPORTANCE", "int", 2, note="TIPC_HIGH_IMPORTANCE"),
    _o("SOL_TIPC", "TIPC_SRC_DROPPABLE"),
    _o("SOL_ALG", "ALG_SET_AEAD_AUTHSIZE", "int", NO_SAFE_VALUE, access="wo", note="needs a bound algorithm"),
    _o("SOL_ALG", "ALG_SET_KEY", "bytes", NO_SAFE_VALUE, access="wo", note="needs a bound algorithm"),
    _o("SOL_ALG", "ALG_SET_PUBKEY", "bytes", NO_SAFE_VALUE, access="wo", note="needs a bound algorithm"),
    _o("SOL_RDS", "RDS_CANCEL_SENT_TO", "bytes", NO_SAFE_VALUE, access="wo", note="takes a peer address"),
    _o("SOL_RDS", "RDS_CONG_MONITOR"),
    _o("SOL_RDS", "RDS_FREE_MR", "bytes", NO_SAFE_VALUE, access="wo", note="needs RDMA memory"),
    _o("SOL_RDS", "RDS_GET_MR", "bytes", NO_SAFE_VALUE, access="wo", note="needs RDMA memory"),
    _o("SOL_RDS", "RDS_GET_MR_FOR_DEST", "bytes", NO_SAFE_VALUE, access="wo", note="needs RDMA memory"),
    _o("SOL_RDS", "RDS_RECVERR"),
)

#: Families whose setsockopt CPython passes as one 64-bit integer (Modules/socketmodule.c
#: sock_setsockopt, AF_VSOCK branch): struct-valued options cannot be expressed there.
INT_ONLY_FAMILIES = frozenset({"AF_VSOCK"})

#: Options deliberately not probed, and why (kept here so leaving them out is visible).
LEFT_OUT: Mapping[str, str] = {
    "SO_PEERPIDFD": "getsockopt returns a new file descriptor",
    "SO_ATTACH_FILTER": "takes a pointer to a BPF program",
    "SO_ATTACH_BPF": "takes a BPF program file descriptor",
    "TCP_REPAIR_QUEUE": "meaningful only in repair mode",
    "TCP_QUEUE_SEQ": "meaningful only in repair mode",
    "TCP_ZEROCOPY_RECEIVE": "needs an mmap()ed receive area",
    "SOL_XDP": "XDP options need a registered UMEM",
}

#: Option-constant prefixes and the level each names; the first match wins.
OPTION_PREFIXES: tuple[tuple[str, str], ...] = (
    ("SO_VM_SOCKETS_", "AF_VSOCK"),
    ("SO_J1939_", "SOL_CAN_J1939"),
    ("SO_", "SOL_SOCKET"),
    ("IPV6_", "IPPROTO_IPV6"),
    ("IP_", "IPPROTO_IP"),
    ("TCP_", "IPPROTO_TCP"),
    ("UDPLITE_", "IPPROTO_UDPLITE"),
    ("UDP_", "IPPROTO_UDP"),
    ("CAN_RAW_", "SOL_CAN_RAW"),
    ("ALG_SET_", "SOL_ALG"),
    ("RDS_", "SOL_RDS"),
    ("LOCAL_", "SOL_LOCAL"),
)

#: Names with an option prefix that are not options: defaults, limits, values, cmsg types.
NOT_AN_OPTION = frozenset({
    "IP_DEFAULT_MULTICAST_TTL", "IP_DEFAULT_MULTICAST_LOOP", "IP_MAX_MEMBERSHIPS",
    "IPV6_RTHDR_TYPE_0", "ALG_SET_IV", "ALG_SET_OP", "ALG_SET_AEAD_ASSOCLEN",
})
NOT_AN_OPTION_PREFIXES = ("RDS_CMSG_", "RDS_RDMA_")

#: Which sockets a level applies to: (level, family, type, protocol), ``*`` for any.
LEVEL_SCOPE: tuple[tuple[str, str, str, str], ...] = (
    ("SOL_SOCKET", "*", "*", "*"),
    ("IPPROTO_IP", "AF_INET", "*", "*"),
    ("IPPROTO_IP", "AF_INET6", "*", "*"),  # Linux serves IPv4 options on IPv6 sockets
    ("IPPROTO_IPV6", "AF_INET6", "*", "*"),
    ("IPPROTO_TCP", "AF_INET", "SOCK_STREAM", "*"),
    ("IPPROTO_TCP", "AF_INET6", "SOCK_STREAM", "*"),
    ("IPPROTO_UDP", "AF_INET", "SOCK_DGRAM", "*"),
    ("IPPROTO_UDP", "AF_INET6", "SOCK_DGRAM", "*"),
    ("IPPROTO_UDPLITE", "AF_INET", "SOCK_DGRAM", "*"),
    ("IPPROTO_UDPLITE", "AF_INET6", "SOCK_DGRAM", "*"),
    ("SOL_RAW", "AF_INET", "SOCK_RAW", "IPPROTO_ICMP"),
    ("IPPROTO_ICMPV6", "AF_INET6", "SOCK_RAW", "IPPROTO_ICMPV6"),
    ("SOL_LOCAL", "AF_UNIX", "*", "*"),
    ("SOL_NETLINK", "AF_NETLINK", "*", "*"),
    ("SOL_PACKET", "AF_PACKET", "*", "*"),
    ("SOL_PACKET", "*", "SOCK_PACKET", "*"),
    ("AF_VSOCK", "AF_VSOCK", "*", "*"),
    ("SOL_CAN_RAW", "AF_CAN", "SOCK_RAW", "*"),
    ("SOL_CAN_J1939", "AF_CAN", "SOCK_DGRAM", "CAN_J1939"),
    ("SOL_TIPC", "AF_TIPC", "*", "*"),
    ("SOL_ALG", "AF_ALG", "*", "*"),
    ("SOL_RDS", "AF_RDS", "*", "*"),
)

#: (family, type) -> the protocols probed for options, where the protocol only picks a payload.
REPRESENTATIVE_PROTOCOLS: Mapping[tuple[str, str], tuple[str, ...]] = {
    # net/ipv4/raw.c: ICMP has ICMP_FILTER; IPPROTO_RAW implies IP_HDRINCL (raw(7)); any other
    # protocol shares the generic handler, and UDP stands for them.
    ("AF_INET", "SOCK_RAW"): ("IPPROTO_ICMP", "IPPROTO_RAW", "IPPROTO_UDP"),
    # net/ipv6/raw.c: ICMPv6 has ICMP6_FILTER and a forced checksum.
    ("AF_INET6", "SOCK_RAW"): ("IPPROTO_ICMPV6", "IPPROTO_RAW", "IPPROTO_UDP"),
    # net/packet/af_packet.c: SOCK_PACKET on PF_INET is the obsolete packet interface.
    ("AF_INET", "SOCK_PACKET"): ("0",),
    # net/netlink/af_netlink.c: one setsockopt for every netlink protocol.
    ("AF_NETLINK", "SOCK_RAW"): ("0",),
    ("AF_NETLINK", "SOCK_DGRAM"): ("0",),
}

#: Level numbers from OS headers, for levels Python has no name for.
LEVEL_NUMBERS: Mapping[str, Mapping[str, int]] = {
    "linux": {
        "SOL_SOCKET": 1, "IPPROTO_IP": 0, "IPPROTO_IPV6": 41, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17,
        "IPPROTO_UDPLITE": 136, "IPPROTO_ICMPV6": 58, "SOL_RAW": 255, "SOL_NETLINK": 270,
        "SOL_PACKET": 263, "SOL_CAN_RAW": 101, "SOL_CAN_J1939": 107, "SOL_TIPC": 271,
        "SOL_ALG": 279, "SOL_RDS": 276, "AF_VSOCK": 40,
    },
    "darwin": {
        "SOL_SOCKET": 0xFFFF, "IPPROTO_IP": 0, "IPPROTO_IPV6": 41, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17,
        "IPPROTO_ICMPV6": 58, "SOL_LOCAL": 0,
    },
    "freebsd": {
        "SOL_SOCKET": 0xFFFF, "IPPROTO_IP": 0, "IPPROTO_IPV6": 41, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17,
        "IPPROTO_UDPLITE": 136, "IPPROTO_ICMPV6": 58, "SOL_LOCAL": 0,
    },
    "win32": {"SOL_SOCKET": 0xFFFF, "IPPROTO_IP": 0, "IPPROTO_IPV6": 41, "IPPROTO_TCP": 6, "IPPROTO_UDP": 17},
}

#: Option numbers from OS headers, per OS and level: used when Python has no name for the option.
OPTION_NUMBERS: Mapping[str, Mapping[str, Mapping[str, int]]] = {
    "linux": {
        "SOL_SOCKET": {
            "SO_NO_CHECK": 11, "SO_BSDCOMPAT": 14, "SO_PEERNAME": 28, "SO_TIMESTAMP": 29,
            "SO_SNDBUFFORCE": 32, "SO_RCVBUFFORCE": 33, "SO_TIMESTAMPNS": 35, "SO_TIMESTAMPING": 37,
            "SO_RXQ_OVFL": 40, "SO_WIFI_STATUS": 41, "SO_PEEK_OFF": 42, "SO_NOFCS": 43,
            "SO_LOCK_FILTER": 44, "SO_SELECT_ERR_QUEUE": 45, "SO_BUSY_POLL": 46,
            "SO_MAX_PACING_RATE": 47, "SO_BPF_EXTENSIONS": 48, "SO_INCOMING_CPU": 49,
            "SO_CNX_ADVICE": 53, "SO_MEMINFO": 55, "SO_INCOMING_NAPI_ID": 56, "SO_COOKIE": 57,
            "SO_PEERGROUPS": 59, "SO_ZEROCOPY": 60, "SO_TXTIME": 61, "SO_BINDTOIFINDEX": 62,
            "SO_PREFER_BUSY_POLL": 69, "SO_BUSY_POLL_BUDGET": 70, "SO_NETNS_COOKIE": 71,
            "SO_BUF_LOCK": 72, "SO_RESERVE_MEM": 73, "SO_TXREHASH": 74, "SO_RCVMARK": 75,
            "SO_PASSPIDFD": 76,
        },
        "IPPROTO_IP": {
            "IP_ROUTER_ALERT": 5, "IP_PKTINFO": 8, "IP_MTU_DISCOVER": 10, "IP_RECVERR": 11,
            "IP_RECVTTL": 12, "IP_MTU": 14, "IP_FREEBIND": 15, "IP_PASSSEC": 18, "IP_TRANSPARENT": 19,
            "IP_RECVORIGDSTADDR": 20, "IP_MINTTL": 21, "IP_NODEFRAG": 22, "IP_CHECKSUM": 23,
            "IP_BIND_ADDRESS_NO_PORT": 24, "IP_RECVFRAGSIZE": 25, "IP_RECVERR_RFC4884": 26,
            "IP_MULTICAST_ALL": 49, "IP_UNICAST_IF": 50, "IP_LOCAL_PORT_RANGE": 51, "IP_PROTOCOL": 52,
        },
        "IPPROTO_IPV6": {
            "IPV6_ADDRFORM": 1, "IPV6_FLOWINFO": 11, "IPV6_ROUTER_ALERT": 22, "IPV6_MTU_DISCOVER": 23,
            "IPV6_MTU": 24, "IPV6_RECVERR": 25, "IPV6_MULTICAST_ALL": 29,
            "IPV6_ROUTER_ALERT_ISOLATE": 30, "IPV6_RECVERR_RFC4884": 31, "IPV6_FLOWINFO_SEND": 33,
            "IPV6_HDRINCL": 36, "IPV6_AUTOFLOWLABEL": 70, "IPV6_ADDR_PREFERENCES": 72,
            "IPV6_MINHOPCOUNT": 73, "IPV6_RECVORIGDSTADDR": 74, "IPV6_TRANSPARENT": 75,
            "IPV6_UNICAST_IF": 76, "IPV6_RECVFRAGSIZE": 77, "IPV6_FREEBIND": 78,
        },
        "IPPROTO_TCP": {
            "TCP_MD5SIG": 14, "TCP_THIN_LINEAR_TIMEOUTS": 16, "TCP_THIN_DUPACK": 17, "TCP_REPAIR": 19,
            "TCP_TIMESTAMP": 24, "TCP_CC_INFO": 26, "TCP_SAVE_SYN": 27, "TCP_SAVED_SYN": 28,
            "TCP_FASTOPEN_CONNECT": 30, "TCP_ULP": 31, "TCP_FASTOPEN_NO_COOKIE": 34, "TCP_INQ": 36,
            "TCP_TX_DELAY": 37, "TCP_IS_MPTCP": 43,
        },
        "IPPROTO_UDP": {
            "UDP_CORK": 1, "UDP_ENCAP": 100, "UDP_NO_CHECK6_TX": 101, "UDP_NO_CHECK6_RX": 102,
            "UDP_SEGMENT": 103, "UDP_GRO": 104,
        },
        "IPPROTO_UDPLITE": {"UDPLITE_SEND_CSCOV": 10, "UDPLITE_RECV_CSCOV": 11},
        "SOL_RAW": {"ICMP_FILTER": 1},
        "IPPROTO_ICMPV6": {"ICMP6_FILTER": 1},
        "SOL_NETLINK": {
            "NETLINK_ADD_MEMBERSHIP": 1, "NETLINK_DROP_MEMBERSHIP": 2, "NETLINK_PKTINFO": 3,
            "NETLINK_BROADCAST_ERROR": 4, "NETLINK_NO_ENOBUFS": 5, "NETLINK_LISTEN_ALL_NSID": 8,
            "NETLINK_LIST_MEMBERSHIPS": 9, "NETLINK_CAP_ACK": 10, "NETLINK_EXT_ACK": 11,
            "NETLINK_GET_STRICT_CHK": 12,
        },
        "SOL_PACKET": {
            "PACKET_ADD_MEMBERSHIP": 1, "PACKET_RX_RING": 5, "PACKET_STATISTICS": 6,
            "PACKET_COPY_THRESH": 7, "PACKET_AUXDATA": 8, "PACKET_ORIGDEV": 9, "PACKET_VERSION": 10,
            "PACKET_HDRLEN": 11, "PACKET_RESERVE": 12, "PACKET_TX_RING": 13, "PACKET_LOSS": 14,
            "PACKET_VNET_HDR": 15, "PACKET_TIMESTAMP": 17, "PACKET_FANOUT": 18,
            "PACKET_TX_HAS_OFF": 19, "PACKET_QDISC_BYPASS": 20, "PACKET_ROLLOVER_STATS": 21,
            "PACKET_IGNORE_OUTGOING": 23, "PACKET_VNET_HDR_SZ": 24,
        },
        "AF_VSOCK": {
            "SO_VM_SOCKETS_BUFFER_SIZE": 0, "SO_VM_SOCKETS_BUFFER_MIN_SIZE": 1,
            "SO_VM_SOCKETS_BUFFER_MAX_SIZE": 2, "SO_VM_SOCKETS_CONNECT_TIMEOUT": 6,
        },
        "SOL_CAN_RAW": {
            "CAN_RAW_FILTER": 1, "CAN_RAW_ERR_FILTER": 2, "CAN_RAW_LOOPBACK": 3,
            "CAN_RAW_RECV_OWN_MSGS": 4, "CAN_RAW_FD_FRAMES": 5, "CAN_RAW_JOIN_FILTERS": 6,
            "CAN_RAW_XL_FRAMES": 7,
        },
        "SOL_CAN_J1939": {
            "SO_J1939_FILTER": 1, "SO_J1939_PROMISC": 2, "SO_J1939_SEND_PRIO": 3, "SO_J1939_ERRQUEUE": 4,
        },
        "SOL_TIPC": {
            "TIPC_IMPORTANCE": 127, "TIPC_SRC_DROPPABLE": 128, "TIPC_DEST_DROPPABLE": 129,
            "TIPC_CONN_TIMEOUT": 130,
        },
        "SOL_ALG": {"ALG_SET_KEY": 1, "ALG_SET_AEAD_AUTHSIZE": 5},
        "SOL_RDS": {
            "RDS_CANCEL_SENT_TO": 1, "RDS_GET_MR": 2, "RDS_FREE_MR": 3, "RDS_RECVERR": 5,
            "RDS_CONG_MONITOR": 6, "RDS_GET_MR_FOR_DEST": 7,
        },
    },
    "darwin": {
        "SOL_SOCKET": {
            "SO_USELOOPBACK": 0x40, "SO_TIMESTAMP_MONOTONIC": 0x800, "SO_NREAD": 0x1020,
            "SO_NOSIGPIPE": 0x1022, "SO_NOADDRERR": 0x1023, "SO_NWRITE": 0x1024, "SO_LINGER_SEC": 0x1080,
        },
        "IPPROTO_IP": {
            "IP_RECVDSTADDR": 7, "IP_PORTRANGE": 19, "IP_RECVIF": 20, "IP_RECVTTL": 24,
            "IP_BOUND_IF": 25, "IP_PKTINFO": 26, "IP_RECVTOS": 27, "IP_DONTFRAG": 28,
        },
        "IPPROTO_IPV6": {"IPV6_PORTRANGE": 14, "IPV6_USE_MIN_MTU": 42, "IPV6_BOUND_IF": 125},
        "IPPROTO_TCP": {
            "TCP_NOPUSH": 4, "TCP_NOOPT": 8, "TCP_KEEPALIVE": 0x10, "TCP_CONNECTIONTIMEOUT": 0x20,
            "TCP_RXT_CONNDROPTIME": 0x80, "TCP_KEEPINTVL": 0x101, "TCP_KEEPCNT": 0x102,
            "TCP_SENDMOREACKS": 0x103, "TCP_ENABLE_ECN": 0x104, "TCP_FASTOPEN": 0x105,
            "TCP_CONNECTION_INFO": 0x106, "TCP_NOTSENT_LOWAT": 0x201,
        },
        "IPPROTO_UDP": {"UDP_NOCKSUM": 1},
        "IPPROTO_ICMPV6": {"ICMP6_FILTER": 18},
        "SOL_LOCAL": {"LOCAL_PEERCRED": 1, "LOCAL_PEERPID": 2, "LOCAL_PEEREPID": 3},
    },
    "freebsd": {
        "SOL_SOCKET": {
            "SO_USELOOPBACK": 0x40, "SO_NOSIGPIPE": 0x800, "SO_LISTENQLIMIT": 0x1011,
            "SO_LISTENQLEN": 0x1012, "SO_SETFIB": 0x1014, "SO_USER_COOKIE": 0x1015,
            "SO_REUSEPORT_LB": 0x10000,
        },
        "IPPROTO_IP": {
            "IP_RECVDSTADDR": 7, "IP_PORTRANGE": 19, "IP_RECVIF": 20, "IP_BINDANY": 24,
            "IP_RECVTTL": 65, "IP_MINTTL": 66, "IP_DONTFRAG": 67, "IP_RECVTOS": 68,
        },
        "IPPROTO_IPV6": {"IPV6_PORTRANGE": 14, "IPV6_USE_MIN_MTU": 42, "IPV6_BINDANY": 64},
        "IPPROTO_TCP": {
            "TCP_NOPUSH": 4, "TCP_NOOPT": 8, "TCP_MD5SIG": 16, "TCP_INFO": 32, "TCP_CONGESTION": 64,
            "TCP_KEEPINIT": 128, "TCP_KEEPIDLE": 256, "TCP_KEEPINTVL": 512, "TCP_KEEPCNT": 1024,
            "TCP_FASTOPEN": 1025,
        },
        "IPPROTO_ICMPV6": {"ICMP6_FILTER": 18},
        "SOL_LOCAL": {
            "LOCAL_PEERCRED": 1, "LOCAL_CREDS": 2, "LOCAL_CREDS_PERSISTENT": 3, "LOCAL_CONNWAIT": 4,
        },
    },
    "win32": {
        "SOL_SOCKET": {
            "SO_EXCLUSIVEADDRUSE": -5, "SO_DONTLINGER": -129, "SO_MAX_MSG_SIZE": 0x2003,
            "SO_CONDITIONAL_ACCEPT": 0x3002, "SO_RANDOMIZE_PORT": 0x3005,
            "SO_PORT_SCALABILITY": 0x3006, "SO_REUSE_UNICASTPORT": 0x3007, "SO_CONNECT_TIME": 0x700C,
        },
        "IPPROTO_IP": {
            "IP_DONTFRAGMENT": 14, "IP_PKTINFO": 19, "IP_UNICAST_IF": 31, "IP_MTU_DISCOVER": 71,
            "IP_MTU": 73, "IP_RECVERR": 75,
        },
        "IPPROTO_IPV6": {"IPV6_UNICAST_IF": 31, "IPV6_MTU_DISCOVER": 71, "IPV6_MTU": 72, "IPV6_RECVERR": 75},
        "IPPROTO_TCP": {
            "TCP_KEEPALIVE": 3, "TCP_MAXRT": 5, "TCP_NOSYNRETRIES": 9, "TCP_TIMESTAMPS": 10,
            "TCP_FASTOPEN": 15, "TCP_KEEPCNT": 16, "TCP_KEEPINTVL": 17,
            "TCP_FAIL_CONNECT_ON_ICMP_ERROR": 18,
        },
        "IPPROTO_UDP": {"UDP_NOCHECKSUM": 1},
    },
}

#: Options documented as needing privilege: (platform, level, option, requirement, source).
OPTION_REQUIREMENTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("linux", S, "SO_DEBUG", "CAP_NET_ADMIN", "net/core/sock.c sk_setsockopt: SO_DEBUG"),
    ("linux", S, "SO_MARK", "CAP_NET_ADMIN", "socket(7) SO_MARK (CAP_NET_RAW also since 5.17)"),
    ("linux", S, "SO_RCVBUFFORCE", "CAP_NET_ADMIN", "socket(7) SO_RCVBUFFORCE"),
    ("linux", S, "SO_SNDBUFFORCE", "CAP_NET_ADMIN", "socket(7) SO_SNDBUFFORCE"),
    ("linux", S, "SO_BUSY_POLL", "CAP_NET_ADMIN", "socket(7) SO_BUSY_POLL: raising it"),
    ("linux", S, "SO_BUSY_POLL_BUDGET", "CAP_NET_ADMIN", "net/core/sock.c: raising SO_BUSY_POLL_BUDGET"),
    ("linux", S, "SO_PREFER_BUSY_POLL", "CAP_NET_ADMIN", "net/core/sock.c: SO_PREFER_BUSY_POLL"),
    ("linux", S, "SO_BINDTODEVICE", "CAP_NET_RAW", "socket(7): CAP_NET_RAW before Linux 5.7"),
    ("linux", IP, "IP_TRANSPARENT", "CAP_NET_ADMIN", "ip(7) IP_TRANSPARENT (or CAP_NET_RAW)"),
    ("linux", IP6, "IPV6_TRANSPARENT", "CAP_NET_ADMIN", "net/ipv6/ipv6_sockglue.c IPV6_TRANSPARENT"),
    ("linux", IP6, "IPV6_HOPOPTS", "CAP_NET_RAW", "net/ipv6/ipv6_sockglue.c: options are privileged"),
    ("linux", IP6, "IPV6_DSTOPTS", "CAP_NET_RAW", "net/ipv6/ipv6_sockglue.c: options are privileged"),
    ("linux", IP6, "IPV6_RTHDRDSTOPTS", "CAP_NET_RAW", "net/ipv6/ipv6_sockglue.c: options are privileged"),
    ("linux", TCP, "TCP_REPAIR", "CAP_NET_ADMIN", "net/ipv4/tcp.c tcp_can_repair_sock"),
    ("linux", "SOL_NETLINK", "NETLINK_LISTEN_ALL_NSID", "CAP_NET_BROADCAST",
     "net/netlink/af_netlink.c netlink_setsockopt"),
    ("freebsd", IP, "IP_BINDANY", "superuser", "FreeBSD ip(4) IP_BINDANY: PRIV_NETINET_BINDANY"),
    ("freebsd", IP6, "IPV6_BINDANY", "superuser", "FreeBSD ip6(4) IPV6_BINDANY: PRIV_NETINET_BINDANY"),
)

_SPECS: Mapping[str, OptionSpec] = {spec.name: spec for spec in OPTIONS}


def requirement_for_option(platform: str, level: str, name: str) -> Requirement | None:
    """The documented privilege for setting an option, as a rule ``classify`` understands."""
    for rule_platform, rule_level, rule_name, requires, source in OPTION_REQUIREMENTS:
        if (rule_platform, rule_level, rule_name) == (platform, level, name):
            return Requirement(platform, "*", "*", "*", requires, source)
    return None


########################################################################################
# options, resolved against a socket-module surface


class ResolvedOption(NamedTuple):
    """An option spec with its level and option numbers on this host (None: not defined)."""

    spec: OptionSpec
    level: Constant
    option: Constant

    @property
    def key(self) -> str:
        return f"{self.spec.level}.{self.spec.name}"

    @property
    def missing(self) -> list[str]:
        return [c.name for c in (self.level, self.option) if not c.present]


def level_of(name: str) -> str | None:
    """The level an option constant's name implies, or None when it is not an option name."""
    if name in NOT_AN_OPTION or name.startswith(NOT_AN_OPTION_PREFIXES):
        return None
    for prefix, level in OPTION_PREFIXES:
        if name.startswith(prefix):
            return level
    return None


def generic_spec(level: str, name: str) -> OptionSpec:
    """A row for an option the socket module exposes but the table does not know."""
    return OptionSpec(level, name, note="not in the catalog: probed as a flag")


def option_specs(surface: object) -> list[OptionSpec]:
    """Every option the surface exposes or any table lists, sorted by level then name."""
    specs = dict(_SPECS)
    for name in dir(surface):
        level = level_of(name)
        if level is not None and name not in specs and isinstance(getattr(surface, name), int):
            specs[name] = generic_spec(level, name)
    return sorted(specs.values(), key=lambda s: (s.level, s.name))


def resolve_option(surface: object, platform: str, spec: OptionSpec) -> ResolvedOption:
    """Python's numbers win; else this OS's header numbers; else absent (``no-constant``)."""
    level_table = dict(FAMILIES.get(platform, {}))
    level_table.update(LEVEL_NUMBERS.get(platform, {}))
    level = constants.resolve(surface, spec.level, level_table)
    option_table = OPTION_NUMBERS.get(platform, {}).get(spec.level, {})
    return ResolvedOption(spec, level, constants.resolve(surface, spec.name, option_table))


########################################################################################
# sockets: the subset of the create matrix that gets the option probes


class OptionCase(NamedTuple):
    """One socket to probe every applicable option on."""

    socket: CreateCase
    options: tuple[ResolvedOption, ...]

    @property
    def id(self) -> str:
        return "option/" + self.socket.id.partition("/")[2]

    def option_id(self, option: ResolvedOption) -> str:
        return f"{self.id}/{option.key}"


def applies(level: str, family: str, type_: str, proto: str) -> bool:
    """Whether a level plausibly applies to a socket (``LEVEL_SCOPE``)."""
    return any(
        rule_level == level and all(rule in ("*", value) for rule, value in
                                    ((rule_f, family), (rule_t, type_), (rule_p, proto)))
        for rule_level, rule_f, rule_t, rule_p in LEVEL_SCOPE
    )


def keeps_protocol(case: CreateCase, own_protocols: set[str]) -> bool:
    """The protocol rule of the subset: representatives, else 0 and the family's own protocols."""
    chosen = REPRESENTATIVE_PROTOCOLS.get((case.family.name, case.type.name))
    if chosen is not None:
        return case.proto.name in chosen
    if case.family.name in INET_FAMILIES:
        return True
    return case.proto.name == DEFAULT_PROTOCOL.name or case.proto.name in own_protocols


def option_sockets(surface: object, platform: str) -> list[CreateCase]:
    """The create rows the option matrix probes (see the module docstring), sorted by id."""
    seen: set[tuple[int | None, int | None, int]] = set()
    chosen: list[CreateCase] = []
    own: dict[str, set[str]] = {}
    for case in create_cases(surface, platform):
        if case.missing:
            continue
        if case.family.name not in own:
            own[case.family.name] = {c.name for c in constants.family_protocols(surface, platform,
                                                                                  case.family.name)}
        if not keeps_protocol(case, own[case.family.name]):
            continue
        numbers = (case.family.number, case.type.number, case.proto_argument)
        if numbers in seen:
            continue
        seen.add(numbers)
        chosen.append(case)
    return chosen


def option_cases(surface: object, platform: str) -> list[OptionCase]:
    """Every socket of the subset with the options whose level applies to it."""
    key = platform_key(platform)
    resolved = [resolve_option(surface, key, spec) for spec in option_specs(surface)]
    cases = []
    levels = sorted({o.spec.level for o in resolved})
    for sock in option_sockets(surface, key):
        names = (sock.family.name, sock.type.name, sock.proto.name)
        applying = {level for level in levels if applies(level, *names)}  # once per level, not per option
        cases.append(OptionCase(sock, tuple(o for o in resolved if o.spec.level in applying)))
    return cases


def spec_named(name: str) -> OptionSpec | None:
    """The catalog row for an option name (used for ``after`` options)."""
    return _SPECS.get(name)

