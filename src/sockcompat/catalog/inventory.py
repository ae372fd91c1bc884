"""The constants inventory: which socket-module names every host is asked about.

A host records every name its own ``socket`` module exposes, and also every name listed here or in
the per-OS header tables (``platforms``), so that a name one platform has and another lacks gives
both hosts a comparable row ("does Python on Windows have TCP_KEEPCNT?"). Data only.

Sources:
- LINUX_PYTHON_NAMES: ``dir(socket)`` of CPython 3.9, 3.10, 3.11, 3.12, 3.13 and PyPy 7.3 (3.9) on
  Linux x86-64 (Debian 12 userland, glibc headers), upper-case names with int or str values.
- WINDOWS_PYTHON_NAMES: python/cpython Modules/socketmodule.c, the MS_WINDOWS constants of
  socket_exec (SIO_*, RCVALL_*, SO_EXCLUSIVEADDRUSE, WinSock-only IPPROTO_*, AF_HYPERV and the
  HV_*/HVSOCKET_* names added in 3.12).
- DARWIN_PYTHON_NAMES: socketmodule.c exposes LOCAL_PEERCRED where <sys/un.h> defines it (macOS).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sockcompat.catalog.platforms import FAMILIES, FAMILY_PROTOCOLS, IP_PROTOCOLS, TYPES

#: What counts as a constant: an upper-case public name (digits and underscores allowed).
CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9_]*")

#: Upper-case names in the socket module that are not socket constants: errno values socket.py
#: re-exports, and select()/poll() leftovers some builds carry.
NOT_SOCKET_CONSTANTS = frozenset({"EAGAIN", "EBADF", "EWOULDBLOCK", "FD_SETSIZE"})
NOT_SOCKET_PREFIXES = ("POLL",)

LINUX_PYTHON_NAMES: frozenset[str] = frozenset({
    "AF_ALG", "AF_APPLETALK", "AF_ASH", "AF_ATMPVC", "AF_ATMSVC", "AF_AX25", "AF_BLUETOOTH", "AF_BRIDGE",
    "AF_CAN", "AF_ECONET", "AF_INET", "AF_INET6", "AF_IPX", "AF_IRDA", "AF_KEY", "AF_LLC", "AF_NETBEUI",
    "AF_NETLINK", "AF_NETROM", "AF_PACKET", "AF_PPPOX", "AF_QIPCRTR", "AF_RDS", "AF_ROSE", "AF_ROUTE",
    "AF_SECURITY", "AF_SNA", "AF_TIPC", "AF_UNIX", "AF_UNSPEC", "AF_VSOCK", "AF_WANPIPE", "AF_X25",
    "AI_ADDRCONFIG", "AI_ALL", "AI_CANONNAME", "AI_NUMERICHOST", "AI_NUMERICSERV", "AI_PASSIVE",
    "AI_V4MAPPED",
    "ALG_OP_DECRYPT", "ALG_OP_ENCRYPT", "ALG_OP_SIGN", "ALG_OP_VERIFY", "ALG_SET_AEAD_ASSOCLEN",
    "ALG_SET_AEAD_AUTHSIZE", "ALG_SET_IV", "ALG_SET_KEY", "ALG_SET_OP", "ALG_SET_PUBKEY",
    "BDADDR_ANY", "BDADDR_LOCAL",
    "CAN_BCM", "CAN_BCM_CAN_FD_FRAME", "CAN_BCM_RX_ANNOUNCE_RESUME", "CAN_BCM_RX_CHANGED",
    "CAN_BCM_RX_CHECK_DLC", "CAN_BCM_RX_DELETE", "CAN_BCM_RX_FILTER_ID", "CAN_BCM_RX_NO_AUTOTIMER",
    "CAN_BCM_RX_READ", "CAN_BCM_RX_RTR_FRAME", "CAN_BCM_RX_SETUP", "CAN_BCM_RX_STATUS",
    "CAN_BCM_RX_TIMEOUT", "CAN_BCM_SETTIMER", "CAN_BCM_STARTTIMER", "CAN_BCM_TX_ANNOUNCE",
    "CAN_BCM_TX_COUNTEVT", "CAN_BCM_TX_CP_CAN_ID", "CAN_BCM_TX_DELETE", "CAN_BCM_TX_EXPIRED",
    "CAN_BCM_TX_READ", "CAN_BCM_TX_RESET_MULTI_IDX", "CAN_BCM_TX_SEND", "CAN_BCM_TX_SETUP",
    "CAN_BCM_TX_STATUS", "CAN_EFF_FLAG", "CAN_EFF_MASK", "CAN_ERR_FLAG", "CAN_ERR_MASK", "CAN_ISOTP",
    "CAN_J1939", "CAN_RAW", "CAN_RAW_ERR_FILTER", "CAN_RAW_FD_FRAMES", "CAN_RAW_FILTER",
    "CAN_RAW_JOIN_FILTERS", "CAN_RAW_LOOPBACK", "CAN_RAW_RECV_OWN_MSGS", "CAN_RTR_FLAG", "CAN_SFF_MASK",
    "EAI_ADDRFAMILY", "EAI_AGAIN", "EAI_BADFLAGS", "EAI_FAIL", "EAI_FAMILY", "EAI_MEMORY", "EAI_NODATA",
    "EAI_NONAME", "EAI_OVERFLOW", "EAI_SERVICE", "EAI_SOCKTYPE", "EAI_SYSTEM",
    "ETH_P_ALL",
    "ETHERTYPE_ARP", "ETHERTYPE_IP", "ETHERTYPE_IPV6", "ETHERTYPE_VLAN",
    "INADDR_ALLHOSTS_GROUP", "INADDR_ANY", "INADDR_BROADCAST", "INADDR_LOOPBACK",
    "INADDR_MAX_LOCAL_GROUP", "INADDR_NONE", "INADDR_UNSPEC_GROUP",
    "IOCTL_VM_SOCKETS_GET_LOCAL_CID",
    "IP_ADD_MEMBERSHIP", "IP_ADD_SOURCE_MEMBERSHIP", "IP_BIND_ADDRESS_NO_PORT", "IP_BLOCK_SOURCE",
    "IP_DEFAULT_MULTICAST_LOOP", "IP_DEFAULT_MULTICAST_TTL", "IP_DROP_MEMBERSHIP",
    "IP_DROP_SOURCE_MEMBERSHIP", "IP_HDRINCL", "IP_MAX_MEMBERSHIPS", "IP_MULTICAST_IF",
    "IP_MULTICAST_LOOP", "IP_MULTICAST_TTL", "IP_OPTIONS", "IP_PKTINFO", "IP_RECVOPTS", "IP_RECVRETOPTS",
    "IP_RECVTOS", "IP_RETOPTS", "IP_TOS", "IP_TRANSPARENT", "IP_TTL", "IP_UNBLOCK_SOURCE",
    "IPPORT_RESERVED", "IPPORT_USERRESERVED",
    "IPPROTO_AH", "IPPROTO_DSTOPTS", "IPPROTO_EGP", "IPPROTO_ESP", "IPPROTO_FRAGMENT", "IPPROTO_GRE",
    "IPPROTO_HOPOPTS", "IPPROTO_ICMP", "IPPROTO_ICMPV6", "IPPROTO_IDP", "IPPROTO_IGMP", "IPPROTO_IP",
    "IPPROTO_IPIP", "IPPROTO_IPV6", "IPPROTO_MPTCP", "IPPROTO_NONE", "IPPROTO_PIM", "IPPROTO_PUP",
    "IPPROTO_RAW", "IPPROTO_ROUTING", "IPPROTO_RSVP", "IPPROTO_SCTP", "IPPROTO_TCP", "IPPROTO_TP",
    "IPPROTO_UDP", "IPPROTO_UDPLITE",
    "IPV6_CHECKSUM", "IPV6_DONTFRAG", "IPV6_DSTOPTS", "IPV6_HOPLIMIT", "IPV6_HOPOPTS", "IPV6_JOIN_GROUP",
    "IPV6_LEAVE_GROUP", "IPV6_MULTICAST_HOPS", "IPV6_MULTICAST_IF", "IPV6_MULTICAST_LOOP",
    "IPV6_NEXTHOP", "IPV6_PATHMTU", "IPV6_PKTINFO", "IPV6_RECVDSTOPTS", "IPV6_RECVHOPLIMIT",
    "IPV6_RECVHOPOPTS", "IPV6_RECVPATHMTU", "IPV6_RECVPKTINFO", "IPV6_RECVRTHDR", "IPV6_RECVTCLASS",
    "IPV6_RTHDR", "IPV6_RTHDRDSTOPTS", "IPV6_RTHDR_TYPE_0", "IPV6_TCLASS", "IPV6_UNICAST_HOPS",
    "IPV6_V6ONLY",
    "J1939_EE_INFO_NONE", "J1939_EE_INFO_TX_ABORT", "J1939_FILTER_MAX", "J1939_IDLE_ADDR",
    "J1939_MAX_UNICAST_ADDR", "J1939_NLA_BYTES_ACKED", "J1939_NLA_PAD", "J1939_NO_ADDR", "J1939_NO_NAME",
    "J1939_NO_PGN", "J1939_PGN_ADDRESS_CLAIMED", "J1939_PGN_ADDRESS_COMMANDED", "J1939_PGN_MAX",
    "J1939_PGN_PDU1_MAX", "J1939_PGN_REQUEST",
    "MSG_CMSG_CLOEXEC", "MSG_CONFIRM", "MSG_CTRUNC", "MSG_DONTROUTE", "MSG_DONTWAIT", "MSG_EOR",
    "MSG_ERRQUEUE", "MSG_FASTOPEN", "MSG_MORE", "MSG_NOSIGNAL", "MSG_OOB", "MSG_PEEK", "MSG_TRUNC",
    "MSG_WAITALL",
    "NETLINK_CRYPTO", "NETLINK_DNRTMSG", "NETLINK_FIREWALL", "NETLINK_IP6_FW", "NETLINK_NFLOG",
    "NETLINK_ROUTE", "NETLINK_USERSOCK", "NETLINK_XFRM",
    "NI_DGRAM", "NI_IDN", "NI_MAXHOST", "NI_MAXSERV", "NI_NAMEREQD", "NI_NOFQDN", "NI_NUMERICHOST",
    "NI_NUMERICSERV",
    "PACKET_BROADCAST", "PACKET_FASTROUTE", "PACKET_HOST", "PACKET_LOOPBACK", "PACKET_MULTICAST",
    "PACKET_OTHERHOST", "PACKET_OUTGOING",
    "PF_CAN", "PF_PACKET", "PF_RDS",
    "SCM_CREDENTIALS", "SCM_J1939_DEST_ADDR", "SCM_J1939_DEST_NAME", "SCM_J1939_ERRQUEUE",
    "SCM_J1939_PRIO", "SCM_RIGHTS",
    "SHUT_RD", "SHUT_RDWR", "SHUT_WR",
    "SIOCGIFINDEX",
    "SIOCGIFNAME",
    "SO_ACCEPTCONN", "SO_BINDTODEVICE", "SO_BINDTOIFINDEX", "SO_BROADCAST", "SO_DEBUG", "SO_DOMAIN",
    "SO_DONTROUTE", "SO_ERROR", "SO_INCOMING_CPU", "SO_J1939_ERRQUEUE", "SO_J1939_FILTER",
    "SO_J1939_PROMISC", "SO_J1939_SEND_PRIO", "SO_KEEPALIVE", "SO_LINGER", "SO_MARK", "SO_OOBINLINE",
    "SO_PASSCRED", "SO_PASSSEC", "SO_PEERCRED", "SO_PEERSEC", "SO_PRIORITY", "SO_PROTOCOL", "SO_RCVBUF",
    "SO_RCVLOWAT", "SO_RCVTIMEO", "SO_REUSEADDR", "SO_REUSEPORT", "SO_SNDBUF", "SO_SNDLOWAT",
    "SO_SNDTIMEO", "SO_TYPE", "SO_VM_SOCKETS_BUFFER_MAX_SIZE", "SO_VM_SOCKETS_BUFFER_MIN_SIZE",
    "SO_VM_SOCKETS_BUFFER_SIZE",
    "SOCK_CLOEXEC", "SOCK_DGRAM", "SOCK_NONBLOCK", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET",
    "SOCK_STREAM",
    "SOL_ALG", "SOL_CAN_BASE", "SOL_CAN_RAW", "SOL_IP", "SOL_RDS", "SOL_SOCKET", "SOL_TCP", "SOL_TIPC",
    "SOL_UDP",
    "SOMAXCONN",
    "TCP_CC_INFO", "TCP_CONGESTION", "TCP_CORK", "TCP_DEFER_ACCEPT", "TCP_FASTOPEN",
    "TCP_FASTOPEN_CONNECT", "TCP_FASTOPEN_KEY", "TCP_FASTOPEN_NO_COOKIE", "TCP_INFO", "TCP_INQ",
    "TCP_KEEPCNT", "TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_LINGER2", "TCP_MAXSEG", "TCP_MD5SIG",
    "TCP_MD5SIG_EXT", "TCP_NODELAY", "TCP_NOTSENT_LOWAT", "TCP_QUEUE_SEQ", "TCP_QUICKACK", "TCP_REPAIR",
    "TCP_REPAIR_OPTIONS", "TCP_REPAIR_QUEUE", "TCP_REPAIR_WINDOW", "TCP_SAVED_SYN", "TCP_SAVE_SYN",
    "TCP_SYNCNT", "TCP_THIN_DUPACK", "TCP_THIN_LINEAR_TIMEOUTS", "TCP_TIMESTAMP", "TCP_TX_DELAY",
    "TCP_ULP", "TCP_USER_TIMEOUT", "TCP_WINDOW_CLAMP", "TCP_ZEROCOPY_RECEIVE",
    "TIPC_ADDR_ID", "TIPC_ADDR_NAME", "TIPC_ADDR_NAMESEQ", "TIPC_CFG_SRV", "TIPC_CLUSTER_SCOPE",
    "TIPC_CONN_TIMEOUT", "TIPC_CRITICAL_IMPORTANCE", "TIPC_DEST_DROPPABLE", "TIPC_HIGH_IMPORTANCE",
    "TIPC_IMPORTANCE", "TIPC_LOW_IMPORTANCE", "TIPC_MEDIUM_IMPORTANCE", "TIPC_NODE_SCOPE",
    "TIPC_PUBLISHED", "TIPC_SRC_DROPPABLE", "TIPC_SUBSCR_TIMEOUT", "TIPC_SUB_CANCEL", "TIPC_SUB_PORTS",
    "TIPC_SUB_SERVICE", "TIPC_TOP_SRV", "TIPC_WAIT_FOREVER", "TIPC_WITHDRAWN", "TIPC_ZONE_SCOPE",
    "UDPLITE_RECV_CSCOV", "UDPLITE_SEND_CSCOV",
    "VM_SOCKETS_INVALID_VERSION",
    "VMADDR_CID_ANY", "VMADDR_CID_HOST", "VMADDR_PORT_ANY",
})

WINDOWS_PYTHON_NAMES: frozenset[str] = frozenset({
    "AF_HYPERV",
    "HV_GUID_BROADCAST", "HV_GUID_CHILDREN", "HV_GUID_LOOPBACK", "HV_GUID_PARENT", "HV_GUID_WILDCARD",
    "HV_GUID_ZERO", "HV_PROTOCOL_RAW",
    "HVSOCKET_ADDRESS_FLAG_PASSTHRU", "HVSOCKET_CONNECTED_SUSPEND", "HVSOCKET_CONNECT_TIMEOUT",
    "HVSOCKET_CONNECT_TIMEOUT_MAX",
    "IPPROTO_CBT", "IPPROTO_ICLFXBM", "IPPROTO_IGP", "IPPROTO_L2TP", "IPPROTO_PGM", "IPPROTO_RDP",
    "IPPROTO_ST",
    "RCVALL_IPLEVEL", "RCVALL_MAX", "RCVALL_OFF", "RCVALL_ON", "RCVALL_SOCKETLEVELONLY",
    "SIO_KEEPALIVE_VALS", "SIO_LOOPBACK_FAST_PATH", "SIO_RCVALL",
    "SO_EXCLUSIVEADDRUSE",
})

DARWIN_PYTHON_NAMES: frozenset[str] = frozenset({"LOCAL_PEERCRED"})

KNOWN_NAMES: frozenset[str] = LINUX_PYTHON_NAMES | WINDOWS_PYTHON_NAMES | DARWIN_PYTHON_NAMES


def is_socket_constant(name: str) -> bool:
    """True for a name the inventory records (the value's type is checked by the probe)."""
    return (
        CONSTANT_NAME.fullmatch(name) is not None
        and name not in NOT_SOCKET_CONSTANTS
        and not name.startswith(NOT_SOCKET_PREFIXES)
    )


def header_tables() -> list[Mapping[str, int]]:
    """Every per-OS header table in ``platforms``: their names are known constants too."""
    tables: list[Mapping[str, int]] = []
    for per_os in (FAMILIES, TYPES, IP_PROTOCOLS):
        tables.extend(per_os.values())
    for by_family in FAMILY_PROTOCOLS.values():
        tables.extend(by_family.values())
    return tables


def header_number(platform: str, name: str) -> int | None:
    """The number ``platform``'s headers give ``name``, or None when its tables lack it."""
    for per_os in (FAMILIES, TYPES, IP_PROTOCOLS):
        if name in per_os.get(platform, {}):
            return per_os[platform][name]
    for table in FAMILY_PROTOCOLS.get(platform, {}).values():
        if name in table:
            return table[name]
    return None


def names(surface: object) -> list[str]:
    """The inventory for one host: its own constants, every known name, every header name; sorted."""
    found = {
        name for name in dir(surface)
        if is_socket_constant(name) and constant_value(surface, name) is not None
    }
    known = set(KNOWN_NAMES)
    for table in header_tables():
        known.update(table)
    return sorted(found | {n for n in known if is_socket_constant(n)})


def constant_value(surface: object, name: str) -> int | str | None:
    """The name's value as JSON wants it: an int (IntEnum members too), a str, or None if absent
    or something else (a class, a function, a bool)."""
    value = getattr(surface, name, None)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    return value if isinstance(value, str) else int(value)
