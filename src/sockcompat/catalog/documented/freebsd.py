"""FreeBSD: what its manual pages and kernel sources say.

Manual pages as man.freebsd.org serves them (the current release); kernel files of
freebsd/freebsd-src. socreate() (sys/kern/uipc_socket.c) answers EPROTOTYPE for a type the
domain lacks when no protocol is given, and EPROTONOSUPPORT for a protocol it lacks: FreeBSD has
no ICMP datagram ("ping") sockets.
"""

from __future__ import annotations

from collections.abc import Iterator

from sockcompat.catalog.documented import Documented
from sockcompat.observation import JSONValue, Outcome

PLATFORM = "freebsd"
MAN = "https://man.freebsd.org/cgi/man.cgi?query="
SOCKET_2 = MAN + "socket&sektion=2"
SOCKETPAIR_2 = MAN + "socketpair&sektion=2"
GETSOCKOPT_2 = MAN + "getsockopt&sektion=2"
IP_4 = MAN + "ip&sektion=4"
IP6_4 = MAN + "ip6&sektion=4"
INET6_4 = MAN + "inet6&sektion=4"
TCP_4 = MAN + "tcp&sektion=4"
UDP_4 = MAN + "udp&sektion=4"
UNIX_4 = MAN + "unix&sektion=4"
UIPC_SOCKET = "https://github.com/freebsd/freebsd-src/blob/main/sys/kern/uipc_socket.c"


def _row(id_: str, step: str, outcome: Outcome, source: str, *, privilege: str | None = None,
         error: str | None = None, value: JSONValue = None, note: str = "") -> Documented:
    return Documented(PLATFORM, id_, step, outcome, privilege, source, error, None, value, None, note)


def _creates() -> Iterator[Documented]:
    for family in ("AF_INET", "AF_INET6"):
        for proto in ("0", "IPPROTO_TCP"):
            yield _row(f"create/{family}/SOCK_STREAM/{proto}", "create", "supported", TCP_4)
        for proto in ("0", "IPPROTO_UDP"):
            yield _row(f"create/{family}/SOCK_DGRAM/{proto}", "create", "supported", UDP_4)
    for type_ in ("SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET"):
        yield _row(f"create/AF_UNIX/{type_}/0", "create", "supported", UNIX_4,
                   note="SOCK_STREAM, SOCK_SEQPACKET and SOCK_DGRAM")
    for family in ("AF_UNIX", "AF_INET", "AF_INET6"):
        yield _row(f"create/{family}/SOCK_RDM/0", "create", "unsupported", UIPC_SOCKET, error="EPROTOTYPE",
                   note="socreate: no protocol of that type in the domain")
    for family in ("AF_INET", "AF_INET6"):
        for type_and_proto in ("SOCK_STREAM/IPPROTO_UDP", "SOCK_DGRAM/IPPROTO_TCP"):
            yield _row(f"create/{family}/{type_and_proto}", "create", "unsupported", UIPC_SOCKET,
                       error="EPROTONOSUPPORT", note="socreate: no protocol of that number for the type")
    for probe_id in ("create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP", "create/AF_INET6/SOCK_DGRAM/IPPROTO_ICMPV6",
                     "raw/AF_INET/SOCK_DGRAM/IPPROTO_ICMP/ping",
                     "raw/AF_INET6/SOCK_DGRAM/IPPROTO_ICMPV6/ping"):
        yield _row(probe_id, "create", "unsupported", UIPC_SOCKET, error="EPROTONOSUPPORT",
                   note="ICMP is reachable through SOCK_RAW only")


RAW_CREATES = (
    "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create/AF_INET/SOCK_RAW/IPPROTO_UDP",
    "create/AF_INET/SOCK_RAW/IPPROTO_TCP", "create/AF_INET/SOCK_RAW/IPPROTO_RAW",
    "create/AF_INET6/SOCK_RAW/IPPROTO_ICMPV6",
    "raw/AF_INET/SOCK_RAW/IPPROTO_ICMP/echo", "raw/AF_INET6/SOCK_RAW/IPPROTO_ICMPV6/echo",
    "raw/AF_INET/SOCK_RAW/IPPROTO_UDP/datagram", "raw/AF_INET6/SOCK_RAW/IPPROTO_UDP/datagram",
    "raw/AF_INET/SOCK_RAW/IPPROTO_TCP/segment", "raw/AF_INET/SOCK_RAW/IPPROTO_RAW/hdrincl",
    "raw/AF_INET/SOCK_RAW/IPPROTO_UDP/hdrincl", "raw/AF_INET/SOCK_RAW/IPPROTO_RAW/nonlocal-source",
)


def _raw() -> Iterator[Documented]:
    for probe_id in RAW_CREATES:
        yield _row(probe_id, "create", "needs-privilege", SOCKET_2, privilege="user",
                   note="SOCK_RAW is available only to the super-user")
        yield _row(probe_id, "create", "supported", SOCKET_2, privilege="root")
    for probe_id in ("raw/AF_INET/SOCK_RAW/IPPROTO_UDP/hdrincl", "raw/AF_INET/SOCK_RAW/IPPROTO_RAW/hdrincl"):
        yield _row(probe_id, "set-hdrincl", "supported", IP_4, privilege="root",
                   note="IP_HDRINCL: the application supplies the IP header")


def _pairs_and_unix() -> Iterator[Documented]:
    for family in ("AF_INET", "AF_INET6"):
        for type_ in ("SOCK_STREAM", "SOCK_DGRAM"):
            yield _row(f"transfer/{family}/{type_}/0/socketpair", "socketpair", "unsupported", SOCKETPAIR_2,
                       error="EOPNOTSUPP", note="the protocol does not support creation of socket pairs")
    for type_ in ("SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET"):
        yield _row(f"transfer/AF_UNIX/{type_}/0/socketpair", "socketpair", "supported", UNIX_4)
        yield _row(f"transfer/AF_UNIX/{type_}/0/socketpair", "exchange", "supported", UNIX_4)
        yield _row(f"transfer/AF_UNIX/{type_}/0/path", "create", "supported", UNIX_4)
        yield _row(f"unix/AF_UNIX/{type_}/0/SCM_RIGHTS", "send", "supported", UNIX_4,
                   note="any valid descriptor may be sent in an SCM_RIGHTS message")
        yield _row(f"unix/AF_UNIX/{type_}/0/SCM_RIGHTS", "recv", "supported", UNIX_4)
    for option in ("LOCAL_CREDS", "LOCAL_CONNWAIT"):
        for step in ("get", "set"):
            yield _row(f"option/AF_UNIX/SOCK_STREAM/0/SOL_LOCAL.{option}", step, "supported", UNIX_4)


def _ipv6() -> Iterator[Documented]:
    yield _row("transfer/AF_INET6/SOCK_STREAM/0/v6only-default", "get", "supported", INET6_4, value=1,
               note="net.inet6.ip6.v6only defaults to on")
    for sock in ("option/AF_INET6/SOCK_STREAM/0", "option/AF_INET6/SOCK_DGRAM/0"):
        yield _row(f"{sock}/IPPROTO_IPV6.IPV6_V6ONLY", "get", "supported", INET6_4, value=1)
        yield _row(f"{sock}/IPPROTO_IPV6.IPV6_V6ONLY", "set", "supported", IP6_4)


#: getsockopt(2): socket-level options, read and written; then the get-only ones.
SOCKET_OPTIONS = ("SO_DEBUG", "SO_REUSEADDR", "SO_REUSEPORT", "SO_REUSEPORT_LB", "SO_KEEPALIVE",
                  "SO_DONTROUTE", "SO_LINGER", "SO_BROADCAST", "SO_OOBINLINE", "SO_SNDBUF", "SO_RCVBUF",
                  "SO_SNDLOWAT", "SO_RCVLOWAT", "SO_SNDTIMEO", "SO_RCVTIMEO", "SO_NOSIGPIPE", "SO_TIMESTAMP")
GET_ONLY_SOCKET_OPTIONS = ("SO_ACCEPTCONN", "SO_TYPE", "SO_ERROR", "SO_LISTENQLIMIT", "SO_LISTENQLEN")
#: tcp(4): options a fresh socket reads and takes.
TCP_OPTIONS = ("TCP_NODELAY", "TCP_NOOPT", "TCP_NOPUSH", "TCP_KEEPINIT", "TCP_KEEPIDLE", "TCP_KEEPINTVL",
               "TCP_KEEPCNT")
TCP_GET_ONLY = ("TCP_MAXSEG", "TCP_INFO", "TCP_CONGESTION")


def _options() -> Iterator[Documented]:
    stream = "option/AF_INET/SOCK_STREAM/0"
    for option in SOCKET_OPTIONS:
        for step in ("get", "set"):
            yield _row(f"{stream}/SOL_SOCKET.{option}", step, "supported", GETSOCKOPT_2)
    for option in GET_ONLY_SOCKET_OPTIONS:
        yield _row(f"{stream}/SOL_SOCKET.{option}", "get", "supported", GETSOCKOPT_2)
    for option in TCP_OPTIONS:
        for step in ("get", "set"):
            yield _row(f"{stream}/IPPROTO_TCP.{option}", step, "supported", TCP_4)
    for option in TCP_GET_ONLY:
        yield _row(f"{stream}/IPPROTO_TCP.{option}", "get", "supported", TCP_4)


ROWS: tuple[Documented, ...] = (*_creates(), *_raw(), *_pairs_and_unix(), *_ipv6(), *_options())
