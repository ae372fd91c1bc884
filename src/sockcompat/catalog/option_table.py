"""What to probe for each socket option: its level and name, its value type, a safe test value per
platform, its access, the size a read takes, and the state it needs. Data only.

- ``kind`` (``option_values.Kind``) says how the value looks in memory on each OS; ``size`` is the
  read buffer where the kind has no fixed size (options that check the length exactly get it).
- ``test`` differs from the default: ``TOGGLE`` flips a flag; markers (``LOOPBACK_*``,
  ``LOOPBACK_PEER``, ``AS_READ``) are resolved by the probe on the host; ``NO_SAFE_VALUE`` means no
  safe, meaningful value exists and the set step is ``not-applicable`` with the note as the reason.
- ``access``: ``rw``, ``ro`` (get only), ``wo`` (set only, no read-back).
- ``after``: options of the same level set first, in order (DROP after ADD, the repair-mode
  options after ``TCP_REPAIR``); ``needs``: a state the socket must be in (``connected``).
- ``not_probed``: the option exists but no step is safe or meaningful (a read that returns a new
  file descriptor, a value that is a pointer): every step is ``not-applicable`` with this reason.
- Safety: nothing here makes traffic beyond loopback. Multicast TTL/hops 0 and loop off, the
  multicast interface is loopback, groups are joined on loopback only (sources are loopback
  addresses); SO_BROADCAST is only set; device binding is to the loopback interface. Options that
  change host-wide state or allocate rings have no test value.

The same option on another OS may take another value: ``PLATFORM_SPECS`` holds those rows.
Sources: the headers named in ``option_numbers``; man7 socket(7), ip(7), ipv6(7), tcp(7), udp(7),
packet(7), netlink(7); RFC 3678 (ip_mreq_source, group_req, group_source_req); learn.microsoft.com
winsock socket-options.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from sockcompat.catalog.option_values import Kind

#: Test value markers, resolved by the probe: flip the flag read as the default; the loopback
#: interface's index; its name; the loopback address of the socket's own family; write back
#: the bytes the default read returned.
TOGGLE = "<toggle>"
LOOPBACK_INDEX = "<loopback-index>"
LOOPBACK_NAME = "<loopback-name>"
LOOPBACK_PEER = "<loopback-peer>"
AS_READ = "<as-read>"

#: The loopback interface's name as a pattern, per OS, looked up in ``if_nameindex()``. Windows
#: names it by its LUID alias, ``loopback_<n>`` with n not fixed (``loopback_0`` on Windows,
#: ``loopback_1`` under Wine).
LOOPBACK_INTERFACE: Mapping[str, str] = {
    "linux": "lo", "darwin": "lo0", "freebsd": "lo0", "win32": r"loopback_\d+",
}

#: Safe multicast groups and sources: administratively scoped, joined on the loopback interface.
IPV4_GROUP = "239.255.77.77"
IPV4_SOURCE = "127.0.0.2"
IPV6_GROUP = "ff01::77"  # interface-local scope: never leaves the interface
IPV6_SOURCE = "::1"

#: A TCP key (TCP_FASTOPEN_KEY is 16 bytes; TCP_MD5SIG takes up to 80): a fixed test pattern.
TEST_KEY = bytes(range(1, 17))

#: The states a probe can put a socket in before its steps.
STATES = frozenset({"connected"})


#: Which steps an option takes: read and write, read only, write only.
Access = Literal["rw", "ro", "wo"]


class OptionSpec(NamedTuple):
    """One option: its level and name, how its value looks, and what to set it to."""

    level: str
    name: str
    kind: Kind = "bool"
    test: Any = TOGGLE
    access: Access = "rw"
    size: int | None = None  # getsockopt buffer for bytes/string/opaque kinds
    after: tuple[str, ...] = ()  # options of the same level to set first, in order
    needs: str = ""  # a state the socket needs first (STATES), or why it cannot be had
    not_probed: str = ""  # why no step is probed at all
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.level, self.name


def _o(level: str, name: str, kind: Kind = "bool", test: Any = TOGGLE, **more: Any) -> OptionSpec:
    return OptionSpec(level, name, kind, test, **more)


S, IP, IP6, TCP, UDP = "SOL_SOCKET", "IPPROTO_IP", "IPPROTO_IPV6", "IPPROTO_TCP", "IPPROTO_UDP"
NO_SAFE_VALUE = None
IPV4_GROUP_REQ = (IPV4_GROUP, LOOPBACK_INDEX)
IPV6_GROUP_REQ = (IPV6_GROUP, LOOPBACK_INDEX)

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
    _o(S, "SO_ATTACH_BPF", "int", access="wo", not_probed="takes a BPF program file descriptor"),
    _o(S, "SO_ATTACH_FILTER", "opaque", access="wo", not_probed="takes a pointer to a BPF program"),
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
    _o(S, "SO_PEERNAME", "sockaddr", access="ro", size=128, needs="connected"),
    _o(S, "SO_PEERPIDFD", "int", access="ro", not_probed="getsockopt returns a new file descriptor"),
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
       after=("IP_ADD_MEMBERSHIP",)),
    _o(IP, "IP_ADD_SOURCE_MEMBERSHIP", "ip_mreq_source", (IPV4_GROUP, "127.0.0.1", IPV4_SOURCE),
       access="wo"),
    _o(IP, "IP_DROP_SOURCE_MEMBERSHIP", "ip_mreq_source", (IPV4_GROUP, "127.0.0.1", IPV4_SOURCE),
       access="wo", after=("IP_ADD_SOURCE_MEMBERSHIP",)),
    _o(IP, "IP_BLOCK_SOURCE", "ip_mreq_source", (IPV4_GROUP, "127.0.0.1", IPV4_SOURCE), access="wo",
       after=("IP_ADD_MEMBERSHIP",), note="blocks a source of an any-source group"),
    _o(IP, "IP_UNBLOCK_SOURCE", "ip_mreq_source", (IPV4_GROUP, "127.0.0.1", IPV4_SOURCE), access="wo",
       after=("IP_ADD_MEMBERSHIP", "IP_BLOCK_SOURCE")),
    _o(IP, "MCAST_JOIN_GROUP", "group_req", IPV4_GROUP_REQ, access="wo"),
    _o(IP, "MCAST_LEAVE_GROUP", "group_req", IPV4_GROUP_REQ, access="wo", after=("MCAST_JOIN_GROUP",)),
    _o(IP, "MCAST_JOIN_SOURCE_GROUP", "group_source_req", (*IPV4_GROUP_REQ, IPV4_SOURCE), access="wo"),
    _o(IP, "MCAST_LEAVE_SOURCE_GROUP", "group_source_req", (*IPV4_GROUP_REQ, IPV4_SOURCE), access="wo",
       after=("MCAST_JOIN_SOURCE_GROUP",)),
    _o(IP, "MCAST_BLOCK_SOURCE", "group_source_req", (*IPV4_GROUP_REQ, IPV4_SOURCE), access="wo",
       after=("MCAST_JOIN_GROUP",)),
    _o(IP, "MCAST_UNBLOCK_SOURCE", "group_source_req", (*IPV4_GROUP_REQ, IPV4_SOURCE), access="wo",
       after=("MCAST_JOIN_GROUP", "MCAST_BLOCK_SOURCE")),
    _o(IP, "IP_FREEBIND"),
    _o(IP, "IP_HDRINCL"),
    _o(IP, "IP_LOCAL_PORT_RANGE", "int", 30000 << 16 | 20000, note="ports 20000-30000"),
    _o(IP, "IP_MINTTL", "int", 10),
    _o(IP, "IP_MTU", "int", access="ro", needs="connected"),
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
    _o(IP6, "IPV6_ADDRFORM", "int", NO_SAFE_VALUE, needs="connected",
       note="turns the socket into an IPv4 one"),
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
       after=("IPV6_JOIN_GROUP",)),
    _o(IP6, "MCAST_JOIN_GROUP", "group_req", IPV6_GROUP_REQ, access="wo"),
    _o(IP6, "MCAST_LEAVE_GROUP", "group_req", IPV6_GROUP_REQ, access="wo", after=("MCAST_JOIN_GROUP",)),
    _o(IP6, "MCAST_JOIN_SOURCE_GROUP", "group_source_req", (*IPV6_GROUP_REQ, IPV6_SOURCE), access="wo"),
    _o(IP6, "MCAST_LEAVE_SOURCE_GROUP", "group_source_req", (*IPV6_GROUP_REQ, IPV6_SOURCE), access="wo",
       after=("MCAST_JOIN_SOURCE_GROUP",)),
    _o(IP6, "MCAST_BLOCK_SOURCE", "group_source_req", (*IPV6_GROUP_REQ, IPV6_SOURCE), access="wo",
       after=("MCAST_JOIN_GROUP",)),
    _o(IP6, "MCAST_UNBLOCK_SOURCE", "group_source_req", (*IPV6_GROUP_REQ, IPV6_SOURCE), access="wo",
       after=("MCAST_JOIN_GROUP", "MCAST_BLOCK_SOURCE")),
    _o(IP6, "IPV6_MINHOPCOUNT", "int", 10),
    _o(IP6, "IPV6_MTU", "int", 1280, needs="connected"),
    _o(IP6, "IPV6_MTU_DISCOVER", "int", 3, note="IPV6_PMTUDISC_PROBE"),
    _o(IP6, "IPV6_MULTICAST_ALL"),
    _o(IP6, "IPV6_MULTICAST_HOPS", "int", 0),
    _o(IP6, "IPV6_MULTICAST_IF", "ifindex", LOOPBACK_INDEX),
    _o(IP6, "IPV6_MULTICAST_LOOP", "bool", 0),
    _o(IP6, "IPV6_NEXTHOP", "opaque", NO_SAFE_VALUE, size=32, note="a sockaddr_in6; layout differs by OS"),
    _o(IP6, "IPV6_PATHMTU", "opaque", access="ro", size=32, needs="connected"),
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
    _o(TCP, "TCP_FASTOPEN_KEY", "bytes", TEST_KEY, size=16, note="a 16-byte key for this socket"),
    _o(TCP, "TCP_FASTOPEN_NO_COOKIE"),
    _o(TCP, "TCP_INFO", "opaque", access="ro", size=256),
    _o(TCP, "TCP_INQ"),
    _o(TCP, "TCP_IS_MPTCP", "int", access="ro"),
    _o(TCP, "TCP_KEEPCNT", "int", 5),
    _o(TCP, "TCP_KEEPIDLE", "int", 600),
    _o(TCP, "TCP_KEEPINTVL", "int", 30),
    _o(TCP, "TCP_LINGER2", "int", 30),
    _o(TCP, "TCP_MAXSEG", "int", 1200),
    _o(TCP, "TCP_MD5SIG", "tcp_md5sig", (LOOPBACK_PEER, 0, TEST_KEY), note="a key for the loopback peer"),
    _o(TCP, "TCP_MD5SIG_EXT", "tcp_md5sig", (LOOPBACK_PEER, 1, TEST_KEY),
       note="TCP_MD5SIG_FLAG_PREFIX: a key for the loopback peer's whole prefix"),
    _o(TCP, "TCP_NODELAY"),
    _o(TCP, "TCP_NOTSENT_LOWAT", "int", 16384),
    _o(TCP, "TCP_QUICKACK"),
    _o(TCP, "TCP_REPAIR"),
    _o(TCP, "TCP_REPAIR_QUEUE", "int", 1, after=("TCP_REPAIR",), note="TCP_RECV_QUEUE, in repair mode"),
    _o(TCP, "TCP_QUEUE_SEQ", "int", 1000, after=("TCP_REPAIR", "TCP_REPAIR_QUEUE"),
       note="the receive queue's sequence number, in repair mode"),
    _o(TCP, "TCP_REPAIR_WINDOW", "bytes", AS_READ, size=20, after=("TCP_REPAIR",),
       note="struct tcp_repair_window (its read needs the exact length), written back as read"),
    _o(TCP, "TCP_REPAIR_OPTIONS", "opaque", NO_SAFE_VALUE, access="wo",
       note="needs an established connection in repair mode"),
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
    _o(TCP, "TCP_ZEROCOPY_RECEIVE", "opaque", access="ro", not_probed="needs an mmap()ed receive area"),
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
    _o("SOL_NETLINK", "NETLINK_DROP_MEMBERSHIP", "int", 1, access="wo", after=("NETLINK_ADD_MEMBERSHIP",)),
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
    _o("SOL_PACKET", "PACKET_ROLLOVER_STATS", "opaque", access="ro", size=24,
       needs="a fanout group with rollover: joining one is host-wide"),
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

#: The same option on another OS, where its value differs: FreeBSD's TCP_MD5SIG is a flag that
#: turns signing on for the socket's security associations (tcp(4)); Linux joins groups with an
#: ip_mreqn that names the interface by index too (ip(7)).
PLATFORM_SPECS: Mapping[tuple[str, str, str], OptionSpec] = {
    ("freebsd", TCP, "TCP_MD5SIG"): _o(TCP, "TCP_MD5SIG"),
    ("linux", IP, "IP_ADD_MEMBERSHIP"): _o(IP, "IP_ADD_MEMBERSHIP", "ip_mreqn",
                                           (IPV4_GROUP, "127.0.0.1", LOOPBACK_INDEX), access="wo"),
    ("linux", IP, "IP_DROP_MEMBERSHIP"): _o(IP, "IP_DROP_MEMBERSHIP", "ip_mreqn",
                                            (IPV4_GROUP, "127.0.0.1", LOOPBACK_INDEX), access="wo",
                                            after=("IP_ADD_MEMBERSHIP",)),
}
