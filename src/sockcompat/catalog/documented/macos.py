"""macOS: what xnu's manual pages (bsd/man) and kernel sources say.

Sources are files of apple-oss-distributions/xnu at tag xnu-11417.101.15 (macOS 15). Where the
manual and the kernel disagree the row keeps the documented outcome and says so: ip(4) names
EACCES for a raw socket opened without privilege, while rip_attach returns EPERM; both classify
as ``needs-privilege``.
"""

from __future__ import annotations

from collections.abc import Iterator

from sockcompat.catalog.documented import Documented
from sockcompat.observation import JSONValue, Outcome

PLATFORM = "darwin"
XNU = "https://github.com/apple-oss-distributions/xnu/blob/xnu-11417.101.15/"
SOCKET_2 = XNU + "bsd/man/man2/socket.2"
SOCKETPAIR_2 = XNU + "bsd/man/man2/socketpair.2"
GETSOCKOPT_2 = XNU + "bsd/man/man2/getsockopt.2"
IP_4 = XNU + "bsd/man/man4/ip.4"
IP6_4 = XNU + "bsd/man/man4/ip6.4"
TCP_4 = XNU + "bsd/man/man4/tcp.4"
UDP_4 = XNU + "bsd/man/man4/udp.4"
UNIX_4 = XNU + "bsd/man/man4/unix.4"
ICMP_4 = XNU + "bsd/man/man4/icmp.4"
UIPC_PROTO = XNU + "bsd/kern/uipc_proto.c"
UIPC_SOCKET = XNU + "bsd/kern/uipc_socket.c"
IN6_PROTO = XNU + "bsd/netinet6/in6_proto.c"
RAW_IP = XNU + "bsd/netinet/raw_ip.c"


def _row(id_: str, step: str, outcome: Outcome, source: str, *, privilege: str | None = None,
         error: str | None = None, value: JSONValue = None, note: str = "") -> Documented:
    return Documented(PLATFORM, id_, step, outcome, privilege, source, error, None, value, None, note)


def _creates() -> Iterator[Documented]:
    for family in ("AF_INET", "AF_INET6"):
        for proto in ("0", "IPPROTO_TCP"):
            yield _row(f"create/{family}/SOCK_STREAM/{proto}", "create", "supported", TCP_4)
        for proto in ("0", "IPPROTO_UDP"):
            yield _row(f"create/{family}/SOCK_DGRAM/{proto}", "create", "supported", UDP_4)
    for type_ in ("SOCK_STREAM", "SOCK_DGRAM"):
        yield _row(f"create/AF_UNIX/{type_}/0", "create", "supported", UNIX_4)
    yield _row("create/AF_UNIX/SOCK_SEQPACKET/0", "create", "unsupported", UIPC_PROTO,
               error="EPROTONOSUPPORT",
               note="localsw has SOCK_STREAM and SOCK_DGRAM only")
    for family in ("AF_INET", "AF_INET6"):
        for type_and_proto in ("SOCK_STREAM/IPPROTO_UDP", "SOCK_DGRAM/IPPROTO_TCP"):
            yield _row(f"create/{family}/{type_and_proto}", "create", "unsupported", UIPC_SOCKET,
                       error="EPROTOTYPE",
                       note="socreate_internal: the protocol exists in the domain, for another type")
    for family in ("AF_UNIX", "AF_INET", "AF_INET6"):
        yield _row(f"create/{family}/SOCK_RDM/0", "create", "unsupported", UIPC_SOCKET,
                   error="EPROTONOSUPPORT", note="no SOCK_RDM protocol in any domain")
    for probe_id in ("create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP", "raw/AF_INET/SOCK_DGRAM/IPPROTO_ICMP/ping"):
        yield _row(probe_id, "create", "supported", ICMP_4, note="ICMP datagram sockets need no root")
    yield _row("raw/AF_INET/SOCK_DGRAM/IPPROTO_ICMP/ping", "sendto", "supported", ICMP_4,
               note="ICMP_ECHO with code 0 may be sent")
    for probe_id in ("create/AF_INET6/SOCK_DGRAM/IPPROTO_ICMPV6",
                     "raw/AF_INET6/SOCK_DGRAM/IPPROTO_ICMPV6/ping"):
        yield _row(probe_id, "create", "supported", IN6_PROTO,
                   note="icmp6_dgram: the unprivileged ICMPv6 socket")


RAW_CREATES = (
    "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create/AF_INET/SOCK_RAW/IPPROTO_UDP",
    "create/AF_INET/SOCK_RAW/IPPROTO_TCP", "create/AF_INET/SOCK_RAW/IPPROTO_RAW",
    "raw/AF_INET/SOCK_RAW/IPPROTO_ICMP/echo", "raw/AF_INET/SOCK_RAW/IPPROTO_UDP/datagram",
    "raw/AF_INET/SOCK_RAW/IPPROTO_TCP/segment", "raw/AF_INET/SOCK_RAW/IPPROTO_RAW/hdrincl",
    "raw/AF_INET/SOCK_RAW/IPPROTO_UDP/hdrincl", "raw/AF_INET/SOCK_RAW/IPPROTO_RAW/nonlocal-source",
)


def _raw() -> Iterator[Documented]:
    for probe_id in RAW_CREATES:
        yield _row(probe_id, "create", "needs-privilege", IP_4, privilege="user", error="EACCES",
                   note="ip(4) documents EACCES; rip_attach (bsd/netinet/raw_ip.c) returns EPERM")
        yield _row(probe_id, "create", "supported", SOCKET_2, privilege="root",
                   note="SOCK_RAW is available only to the super-user")
    for probe_id in ("raw/AF_INET/SOCK_RAW/IPPROTO_UDP/hdrincl", "raw/AF_INET/SOCK_RAW/IPPROTO_RAW/hdrincl"):
        yield _row(probe_id, "set-hdrincl", "supported", IP_4, privilege="root",
                   note="IP_HDRINCL may be used only with SOCK_RAW")


def _pairs_and_unix() -> Iterator[Documented]:
    for family in ("AF_INET", "AF_INET6"):
        for type_ in ("SOCK_STREAM", "SOCK_DGRAM"):
            yield _row(f"transfer/{family}/{type_}/0/socketpair", "socketpair", "unsupported", SOCKETPAIR_2,
                       error="EOPNOTSUPP", note="the protocol does not support creation of socket pairs")
    for type_ in ("SOCK_STREAM", "SOCK_DGRAM"):
        yield _row(f"transfer/AF_UNIX/{type_}/0/socketpair", "socketpair", "supported", UNIX_4)
        yield _row(f"transfer/AF_UNIX/{type_}/0/socketpair", "exchange", "supported", UNIX_4)
    yield _row("transfer/AF_UNIX/SOCK_SEQPACKET/0/socketpair", "socketpair", "unsupported", UIPC_PROTO,
               error="EPROTONOSUPPORT")
    for variant in ("path", "abstract", "autobind"):
        yield _row(f"transfer/AF_UNIX/SOCK_SEQPACKET/0/{variant}", "create", "unsupported", UIPC_PROTO,
                   error="EPROTONOSUPPORT")
    yield _row("unix/AF_UNIX/SOCK_STREAM/0/SCM_RIGHTS", "send", "supported", UNIX_4,
               note="SOCK_STREAM sockets pass file descriptors")
    yield _row("unix/AF_UNIX/SOCK_STREAM/0/SCM_RIGHTS", "recv", "supported", UNIX_4)


def _ipv6() -> Iterator[Documented]:
    yield _row("transfer/AF_INET6/SOCK_STREAM/0/v6only-default", "get", "supported", IN6_PROTO, value=0,
               note="ip6_v6only = 0 (sysctl net.inet6.ip6.v6only)")
    yield _row("transfer/AF_INET6/SOCK_STREAM/0/dualstack", "set-v6only-0", "supported", IP6_4)
    for sock in ("option/AF_INET6/SOCK_STREAM/0", "option/AF_INET6/SOCK_DGRAM/0"):
        yield _row(f"{sock}/IPPROTO_IPV6.IPV6_V6ONLY", "get", "supported", IN6_PROTO, value=0)
        yield _row(f"{sock}/IPPROTO_IPV6.IPV6_V6ONLY", "set", "supported", IP6_4)
    for option in ("IPV6_UNICAST_HOPS", "IPV6_MULTICAST_HOPS", "IPV6_MULTICAST_LOOP", "IPV6_TCLASS",
                   "IPV6_RECVTCLASS", "IPV6_USE_MIN_MTU"):
        for step in ("get", "set"):
            yield _row(f"option/AF_INET6/SOCK_DGRAM/0/IPPROTO_IPV6.{option}", step, "supported", IP6_4)


#: getsockopt(2): socket-level options; the four marked "get only" there have no set step.
SOCKET_OPTIONS = ("SO_DEBUG", "SO_REUSEADDR", "SO_REUSEPORT", "SO_KEEPALIVE", "SO_DONTROUTE", "SO_LINGER",
                  "SO_BROADCAST", "SO_OOBINLINE", "SO_SNDBUF", "SO_RCVBUF", "SO_SNDLOWAT", "SO_RCVLOWAT",
                  "SO_SNDTIMEO", "SO_RCVTIMEO", "SO_NOSIGPIPE", "SO_LINGER_SEC")
GET_ONLY_SOCKET_OPTIONS = ("SO_TYPE", "SO_ERROR", "SO_NREAD", "SO_NWRITE")
#: tcp(4): options a fresh socket reads and takes (flags and plain counts/seconds).
TCP_OPTIONS = ("TCP_NODELAY", "TCP_NOOPT", "TCP_NOPUSH", "TCP_KEEPALIVE", "TCP_CONNECTIONTIMEOUT",
               "TCP_KEEPINTVL", "TCP_KEEPCNT", "TCP_SENDMOREACKS", "TCP_ENABLE_ECN")
TCP_GET_ONLY = ("TCP_MAXSEG", "TCP_NOTSENT_LOWAT", "TCP_FASTOPEN")
#: ip(4): IPv4 options of a datagram socket.
IP_OPTIONS = ("IP_TOS", "IP_TTL", "IP_RECVDSTADDR", "IP_RECVTOS", "IP_MULTICAST_TTL", "IP_MULTICAST_LOOP")


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
    for option in IP_OPTIONS:
        for step in ("get", "set"):
            yield _row(f"option/AF_INET/SOCK_DGRAM/0/IPPROTO_IP.{option}", step, "supported", IP_4)
    yield _row(f"{stream}/IPPROTO_IP.IP_OPTIONS", "get", "supported", IP_4)


ROWS: tuple[Documented, ...] = (*_creates(), *_raw(), *_pairs_and_unix(), *_ipv6(), *_options())
