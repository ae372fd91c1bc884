"""Windows: what Microsoft's Winsock documentation and Wine's ws2_32 conformance tests say.

Wine's ``dlls/ws2_32/tests/sock.c`` is run by Wine's developers on real Windows versions; its
expectations are Windows' answers (a ``todo_wine`` marks where Wine itself still differs, not
where Windows does). ``test_sockopt_validity`` reads every IP-level option with getsockopt on a
fresh IPv4/IPv6 TCP, UDP and raw socket and, when that works, writes the value back with
setsockopt; its tables give the WSA error per option and socket, and they are copied here as
facts (it also allows WSAENOPROTOOPT from Windows older than 10, which these rows do not).

Error numbers: WSAEACCES 10013, WSAEINVAL 10022, WSAENOPROTOOPT 10042, WSAEPROTONOSUPPORT
10043, WSAESOCKTNOSUPPORT 10044, WSAENOTCONN 10057 (Windows Sockets Error Codes).
"""

from __future__ import annotations

from collections.abc import Iterator

from sockcompat.catalog.documented import Documented
from sockcompat.observation import JSONValue, Outcome

PLATFORM = "win32"
WSA_CODES = {"WSAEACCES": 10013, "WSAEINVAL": 10022, "WSAENOPROTOOPT": 10042,
             "WSAEPROTONOSUPPORT": 10043, "WSAESOCKTNOSUPPORT": 10044, "WSAENOTCONN": 10057}

LEARN = "https://learn.microsoft.com/en-us/windows/win32/"
SOCKET_DOC = LEARN + "api/winsock2/nf-winsock2-socket"
RAW_DOC = LEARN + "winsock/tcp-ip-raw-sockets-2"
DUAL_STACK_DOC = LEARN + "winsock/dual-stack-sockets"
EXCLUSIVE_DOC = LEARN + "winsock/so-exclusiveaddruse"
REUSE_DOC = LEARN + "winsock/using-so-reuseaddr-and-so-exclusiveaddruse"
AF_UNIX_BLOG = "https://devblogs.microsoft.com/commandline/af_unix-comes-to-windows/"
WINE_SOCK_C = "https://gitlab.winehq.org/wine/wine/-/blob/master/dlls/ws2_32/tests/sock.c"
WINE_FILE = "dlls/ws2_32/tests/sock.c"


def _row(id_: str, step: str, outcome: Outcome, source: str, *, privilege: str | None = None,
         error: str | None = None, value: JSONValue = None, test: str | None = None,
         note: str = "") -> Documented:
    return Documented(PLATFORM, id_, step, outcome, privilege, source, error,
                      WSA_CODES.get(error or ""), value,
                      f"{WINE_FILE} {test}" if test else None, note)


def _wine(id_: str, step: str, outcome: Outcome, test: str, *, privilege: str | None = None,
          error: str | None = None, value: JSONValue = None, note: str = "") -> Documented:
    return _row(id_, step, outcome, WINE_SOCK_C, privilege=privilege, error=error, value=value,
                test=test, note=note)


########################################################################################
# socket(): which (family, type, protocol) the stack creates

#: socket()'s protocol table: IPPROTO_TCP with SOCK_STREAM, IPPROTO_UDP with SOCK_DGRAM, on
#: AF_INET and AF_INET6; protocol 0 picks them.
INET_SOCKETS = tuple(f"create/{family}/{type_}/{proto}"
                     for family in ("AF_INET", "AF_INET6")
                     for type_, protos in (("SOCK_STREAM", ("0", "IPPROTO_TCP")),
                                           ("SOCK_DGRAM", ("0", "IPPROTO_UDP")))
                     for proto in protos)

#: Raw sockets the suites create (create matrix and raw suite): administrators only.
RAW_CREATES = (
    "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create/AF_INET/SOCK_RAW/IPPROTO_UDP",
    "create/AF_INET/SOCK_RAW/IPPROTO_TCP", "create/AF_INET/SOCK_RAW/IPPROTO_RAW",
    "create/AF_INET6/SOCK_RAW/IPPROTO_ICMPV6", "create/AF_INET6/SOCK_RAW/IPPROTO_UDP",
    "create/AF_INET6/SOCK_RAW/IPPROTO_RAW",
    "raw/AF_INET/SOCK_RAW/IPPROTO_ICMP/echo", "raw/AF_INET6/SOCK_RAW/IPPROTO_ICMPV6/echo",
    "raw/AF_INET/SOCK_RAW/IPPROTO_UDP/datagram", "raw/AF_INET6/SOCK_RAW/IPPROTO_UDP/datagram",
    "raw/AF_INET/SOCK_RAW/IPPROTO_TCP/segment", "raw/AF_INET/SOCK_RAW/IPPROTO_RAW/hdrincl",
    "raw/AF_INET/SOCK_RAW/IPPROTO_UDP/hdrincl", "raw/AF_INET/SOCK_RAW/IPPROTO_RAW/nonlocal-source",
)


def _creates() -> Iterator[Documented]:
    for probe_id in INET_SOCKETS:
        yield _row(probe_id, "create", "supported", SOCKET_DOC)
    for probe_id in RAW_CREATES:
        yield _row(probe_id, "create", "needs-privilege", RAW_DOC, privilege="user", error="WSAEACCES",
                   note="administrators only; enforced at socket() since Vista")
        yield _row(probe_id, "create", "supported", RAW_DOC, privilege="admin")
    # a protocol that does not belong to the type
    for probe_id in ("create/AF_INET/SOCK_STREAM/IPPROTO_UDP", "create/AF_INET/SOCK_DGRAM/IPPROTO_TCP"):
        yield _wine(probe_id, "create", "unsupported", "test_WSASocket", error="WSAEPROTONOSUPPORT")
    # ICMP and ICMPv6 are protocols of SOCK_RAW only: no unprivileged "ping" datagram sockets
    for probe_id in ("create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP", "create/AF_INET6/SOCK_DGRAM/IPPROTO_ICMPV6",
                     "raw/AF_INET/SOCK_DGRAM/IPPROTO_ICMP/ping",
                     "raw/AF_INET6/SOCK_DGRAM/IPPROTO_ICMPV6/ping"):
        yield _row(probe_id, "create", "unsupported", SOCKET_DOC,
                   note="IPPROTO_ICMP/IPPROTO_ICMPV6 are listed for type SOCK_RAW only")


########################################################################################
# raw sockets: what an administrator may do with them

def _raw() -> Iterator[Documented]:
    echo = "raw/AF_INET/SOCK_RAW/IPPROTO_ICMP/echo"
    yield _wine(echo, "sendto", "supported", "test_icmp", privilege="admin",
                note="an ICMP echo request to 127.0.0.1 is sent")
    yield _wine(echo, "recv", "supported", "test_icmp", privilege="admin",
                note="the echo reply arrives with its IPv4 header")
    for probe_id in ("raw/AF_INET/SOCK_RAW/IPPROTO_RAW/hdrincl",
                     "raw/AF_INET/SOCK_RAW/IPPROTO_RAW/nonlocal-source"):
        yield _wine(probe_id, "set-hdrincl", "supported", "test_sockopt_validity", privilege="admin",
                    note="IP_HDRINCL reads and writes back on an IPv4 raw IPPROTO_RAW socket")


########################################################################################
# AF_UNIX (Windows 10 1803 on): SOCK_STREAM only

UNIX_VARIANTS = ("path", "abstract", "autobind")
OS_LAYER_ID = "unix/AF_UNIX/SOCK_STREAM/0/os-layer"


def _unix() -> Iterator[Documented]:
    yield _row("create/AF_UNIX/SOCK_STREAM/0", "create", "supported", AF_UNIX_BLOG,
               note="SOCK_STREAM since build 17063 (1803)")
    for type_ in ("SOCK_DGRAM", "SOCK_SEQPACKET"):
        yield _row(f"create/AF_UNIX/{type_}/0", "create", "unsupported", AF_UNIX_BLOG,
                   note="only SOCK_STREAM is supported")
        for variant in UNIX_VARIANTS:
            yield _row(f"transfer/AF_UNIX/{type_}/0/{variant}", "create", "unsupported", AF_UNIX_BLOG,
                       note="only SOCK_STREAM is supported")
    # the pathname round trip straight against ws2_32 (Python has no AF_UNIX address conversion)
    for step in ("create", "bind", "listen", "connect", "accept", "send", "recv", "close"):
        yield _row(OS_LAYER_ID, step, "supported", AF_UNIX_BLOG,
                   note="pathname sockets: bind creates the socket file; the rest as on Linux")


########################################################################################
# IPv6

def _ipv6() -> Iterator[Documented]:
    yield _row("transfer/AF_INET6/SOCK_STREAM/0/v6only-default", "get", "supported", DUAL_STACK_DOC,
               value=1, note="an IPv6 socket on Vista and later operates over IPv6 only by default")
    for sock in ("option/AF_INET6/SOCK_STREAM/0", "option/AF_INET6/SOCK_DGRAM/0"):
        yield _row(f"{sock}/IPPROTO_IPV6.IPV6_V6ONLY", "get", "supported", DUAL_STACK_DOC, value=1,
                   note="IPV6_V6ONLY is on by default")
        yield _row(f"{sock}/IPPROTO_IPV6.IPV6_V6ONLY", "set", "supported", DUAL_STACK_DOC,
                   note="turned off before bind for a dual-stack socket")


########################################################################################
# SOL_SOCKET options

TCP4 = "option/AF_INET/SOCK_STREAM/IPPROTO_TCP"
UDP4 = "option/AF_INET/SOCK_DGRAM/IPPROTO_UDP"

#: test_set_getsockopt: options read and written on a fresh socket(family, type, 0) (its option
#: length table, plus the timeouts, buffers and linger it sets first on an IPv4 stream socket).
#: SO_REUSEADDR, SO_EXCLUSIVEADDRUSE and IPV6_V6ONLY have Microsoft's own pages (rows above).
OPTION_SIZES: dict[tuple[str, str], tuple[str, ...]] = {
    ("AF_INET", "SOCK_STREAM"): (
        "SOL_SOCKET.SO_DONTLINGER", "SOL_SOCKET.SO_LINGER", "SOL_SOCKET.SO_OOBINLINE",
        "SOL_SOCKET.SO_RCVBUF", "SOL_SOCKET.SO_KEEPALIVE", "SOL_SOCKET.SO_DONTROUTE",
        "SOL_SOCKET.SO_RCVTIMEO", "SOL_SOCKET.SO_SNDBUF", "SOL_SOCKET.SO_SNDTIMEO",
        "IPPROTO_TCP.TCP_NODELAY", "IPPROTO_TCP.TCP_KEEPALIVE", "IPPROTO_TCP.TCP_KEEPCNT",
        "IPPROTO_TCP.TCP_KEEPINTVL",
    ),
    ("AF_INET", "SOCK_DGRAM"): (
        "SOL_SOCKET.SO_BROADCAST", "IPPROTO_IP.IP_MULTICAST_LOOP", "IPPROTO_IP.IP_MULTICAST_TTL",
        "IPPROTO_IP.IP_PKTINFO", "IPPROTO_IP.IP_RECVTOS", "IPPROTO_IP.IP_RECVTTL", "IPPROTO_IP.IP_TOS",
        "IPPROTO_IP.IP_TTL",
    ),
    ("AF_INET6", "SOCK_STREAM"): ("IPPROTO_IPV6.IPV6_DONTFRAG",),
    ("AF_INET6", "SOCK_DGRAM"): (
        "IPPROTO_IPV6.IPV6_HOPLIMIT", "IPPROTO_IPV6.IPV6_MULTICAST_HOPS", "IPPROTO_IPV6.IPV6_MULTICAST_LOOP",
        "IPPROTO_IPV6.IPV6_PKTINFO", "IPPROTO_IPV6.IPV6_RECVTCLASS", "IPPROTO_IPV6.IPV6_UNICAST_HOPS",
    ),
}
#: The suite writes IPV6_PKTINFO's sticky struct form, not the flag Wine writes: its get only.
GET_ONLY = frozenset({"IPPROTO_IPV6.IPV6_PKTINFO"})
WINDOWS_10 = dict.fromkeys(("IPPROTO_TCP.TCP_KEEPCNT", "IPPROTO_TCP.TCP_KEEPINTVL"), "Windows 10 and later")


def _sol_socket() -> Iterator[Documented]:
    for sock in ("option/AF_INET/SOCK_STREAM/0", "option/AF_INET6/SOCK_STREAM/0"):
        for step in ("get", "set"):
            yield _row(f"{sock}/SOL_SOCKET.SO_EXCLUSIVEADDRUSE", step, "supported", EXCLUSIVE_DOC,
                       note="set before bind: no other socket can then be bound to the address and port")
            yield _row(f"{sock}/SOL_SOCKET.SO_REUSEADDR", step, "supported", REUSE_DOC,
                       note="lets another socket bind a port in use; SO_EXCLUSIVEADDRUSE prevents it")
    yield _wine(f"{TCP4}/SOL_SOCKET.SO_DEBUG", "get", "supported", "test_so_debug", value=0)
    yield _wine(f"{TCP4}/SOL_SOCKET.SO_DEBUG", "set", "supported", "test_so_debug",
                note="accepted; Windows reads back 1 for any non-zero value")
    yield _wine(f"{TCP4}/SOL_SOCKET.SO_CONNECT_TIME", "get", "supported", "test_connect_time",
                note="0xFFFFFFFF on a socket that is not connected")
    yield _wine(f"{UDP4}/SOL_SOCKET.SO_BROADCAST", "set", "supported", "test_broadcast")
    for (family, type_), options in OPTION_SIZES.items():
        for option in options:
            for step in ("get", "set") if option not in GET_ONLY else ("get",):
                yield _wine(f"option/{family}/{type_}/0/{option}", step, "supported", "test_set_getsockopt",
                            note=WINDOWS_10.get(option, ""))


########################################################################################
# IP-level options: Wine's test_sockopt_validity tables

#: The sockets test_sockopt_validity opens, as option-suite socket ids, and who may open them.
VALIDITY_SOCKETS: dict[str, tuple[str, str | None]] = {
    "v4-tcp": ("option/AF_INET/SOCK_STREAM/IPPROTO_TCP", None),
    "v4-udp": ("option/AF_INET/SOCK_DGRAM/IPPROTO_UDP", None),
    "v4-raw": ("option/AF_INET/SOCK_RAW/IPPROTO_RAW", "admin"),
    "v6-tcp": ("option/AF_INET6/SOCK_STREAM/IPPROTO_TCP", None),
    "v6-udp": ("option/AF_INET6/SOCK_DGRAM/IPPROTO_UDP", None),
    "v6-raw": ("option/AF_INET6/SOCK_RAW/IPPROTO_RAW", "admin"),
}

OK = (None, None)
GET_EINVAL = ("WSAEINVAL", None)
SET_EINVAL = (None, "WSAEINVAL")
NOT_CONNECTED = ("WSAENOTCONN", None)

#: option -> socket -> (getsockopt error, setsockopt error); None: the call succeeds. Only the
#: options the options suite probes; IP_ADD/DROP_MEMBERSHIP are left out (the suite only sets them).
IPV4_VALIDITY: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "IP_OPTIONS": {"v4-tcp": OK, "v4-udp": OK, "v4-raw": OK},
    "IP_HDRINCL": {"v4-tcp": GET_EINVAL, "v4-udp": GET_EINVAL, "v4-raw": OK},
    "IP_TOS": {"v4-tcp": OK, "v4-udp": OK, "v4-raw": OK},
    "IP_TTL": {"v4-tcp": OK, "v4-udp": OK, "v4-raw": OK},
    "IP_MULTICAST_IF": {"v4-tcp": GET_EINVAL, "v4-udp": OK, "v4-raw": OK},
    "IP_MULTICAST_TTL": {"v4-tcp": GET_EINVAL, "v4-udp": OK, "v4-raw": OK},
    "IP_MULTICAST_LOOP": {"v4-tcp": GET_EINVAL, "v4-udp": OK, "v4-raw": OK},
    "IP_DONTFRAGMENT": {"v4-tcp": OK, "v4-udp": OK, "v4-raw": OK},
    "IP_PKTINFO": {"v4-tcp": GET_EINVAL, "v4-udp": OK, "v4-raw": OK},
    "IP_RECVTTL": {"v4-tcp": GET_EINVAL, "v4-udp": OK, "v4-raw": OK},
    "IP_RECVIF": {"v4-tcp": GET_EINVAL, "v4-udp": OK, "v4-raw": OK},
    "IP_RECVDSTADDR": {"v4-tcp": GET_EINVAL, "v4-udp": OK, "v4-raw": OK},
    "IP_UNICAST_IF": {"v4-tcp": OK, "v4-udp": OK, "v4-raw": OK},
    "IP_RECVTOS": {"v4-tcp": GET_EINVAL, "v4-udp": OK, "v4-raw": OK},
    "IP_MTU_DISCOVER": {"v4-tcp": SET_EINVAL, "v4-udp": SET_EINVAL, "v4-raw": SET_EINVAL},
    "IP_MTU": {"v4-tcp": NOT_CONNECTED, "v4-udp": NOT_CONNECTED, "v4-raw": NOT_CONNECTED},
    "IP_RECVERR": {"v4-tcp": GET_EINVAL, "v4-udp": OK, "v4-raw": GET_EINVAL},
}

IPV6_VALIDITY: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "IPV6_HOPOPTS": {"v6-tcp": OK, "v6-udp": OK, "v6-raw": OK},
    "IPV6_HDRINCL": {"v6-tcp": GET_EINVAL, "v6-udp": GET_EINVAL, "v6-raw": OK},
    "IPV6_UNICAST_HOPS": {"v6-tcp": OK, "v6-udp": OK, "v6-raw": OK},
    "IPV6_MULTICAST_IF": {"v6-tcp": GET_EINVAL, "v6-udp": OK, "v6-raw": OK},
    "IPV6_MULTICAST_HOPS": {"v6-tcp": GET_EINVAL, "v6-udp": OK, "v6-raw": OK},
    "IPV6_MULTICAST_LOOP": {"v6-tcp": GET_EINVAL, "v6-udp": OK, "v6-raw": OK},
    "IPV6_DONTFRAG": {"v6-tcp": OK, "v6-udp": OK, "v6-raw": OK},
    "IPV6_PKTINFO": {"v6-tcp": GET_EINVAL, "v6-udp": OK, "v6-raw": OK},
    "IPV6_HOPLIMIT": {"v6-tcp": GET_EINVAL, "v6-udp": OK, "v6-raw": OK},
    "IPV6_V6ONLY": {"v6-tcp": OK, "v6-udp": OK, "v6-raw": OK},
    "IPV6_UNICAST_IF": {"v6-tcp": OK, "v6-udp": OK, "v6-raw": OK},
    "IPV6_RTHDR": {"v6-tcp": OK, "v6-udp": OK, "v6-raw": OK},
    "IPV6_RECVRTHDR": {"v6-tcp": GET_EINVAL, "v6-udp": OK, "v6-raw": OK},
    "IPV6_RECVTCLASS": {"v6-tcp": GET_EINVAL, "v6-udp": OK, "v6-raw": OK},
    "IPV6_MTU_DISCOVER": {"v6-tcp": SET_EINVAL, "v6-udp": SET_EINVAL, "v6-raw": SET_EINVAL},
    "IPV6_MTU": {"v6-tcp": NOT_CONNECTED, "v6-udp": NOT_CONNECTED, "v6-raw": NOT_CONNECTED},
    "IPV6_RECVERR": {"v6-tcp": GET_EINVAL, "v6-udp": OK, "v6-raw": GET_EINVAL},
}

#: Options whose ``set`` row is kept: a plain flag or small integer, so the suite's test value is
#: as valid as the value Wine writes back. (The others set a struct, an interface or a header,
#: or, like IP_MTU_DISCOVER, refuse the value Wine writes but maybe not the suite's.)
PLAIN_SETS = frozenset({
    "IP_TOS", "IP_TTL", "IP_MULTICAST_TTL", "IP_MULTICAST_LOOP", "IP_DONTFRAGMENT", "IP_PKTINFO",
    "IP_RECVTTL", "IP_RECVTOS", "IP_RECVIF", "IP_RECVDSTADDR", "IP_RECVERR", "IP_HDRINCL",
    "IPV6_HDRINCL", "IPV6_UNICAST_HOPS", "IPV6_MULTICAST_HOPS", "IPV6_MULTICAST_LOOP",
    "IPV6_DONTFRAG", "IPV6_HOPLIMIT", "IPV6_V6ONLY", "IPV6_RECVRTHDR", "IPV6_RECVTCLASS",
})


def _validity() -> Iterator[Documented]:
    for level, table in (("IPPROTO_IP", IPV4_VALIDITY), ("IPPROTO_IPV6", IPV6_VALIDITY)):
        for option, per_socket in table.items():
            for key, (get_error, set_error) in per_socket.items():
                sock, privilege = VALIDITY_SOCKETS[key]
                probe_id = f"{sock}/{level}.{option}"
                if get_error is not None:
                    yield _wine(probe_id, "get", "unsupported", "test_sockopt_validity",
                                privilege=privilege, error=get_error)
                    continue
                yield _wine(probe_id, "get", "supported", "test_sockopt_validity", privilege=privilege)
                if option in PLAIN_SETS and set_error is None:
                    yield _wine(probe_id, "set", "supported", "test_sockopt_validity", privilege=privilege)


ROWS: tuple[Documented, ...] = (*_creates(), *_raw(), *_unix(), *_ipv6(), *_sol_socket(), *_validity())
