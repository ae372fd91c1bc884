"""Per-OS constant numbers, copied from each OS's headers: the names a Python build may lack.

A Python build exposes only the constants its headers and configure run gave it, so the kernel can
support a family that ``socket`` cannot name (Linux AF_BLUETOOTH without bluetooth headers,
AF_UNIX on Windows CPython). These tables let the catalog probe such names by number and mark
them ``python_constant: false``. Numbers are the header values, per OS; the probe never guesses
a number for an OS whose table lacks the name.

Sources:
- Linux: include/linux/socket.h (AF_*, SOCK_* in include/linux/net.h), include/uapi/linux/in.h and
  in6.h (IPPROTO_*), include/uapi/linux/netlink.h (NETLINK_*), include/uapi/linux/can.h (CAN_*),
  include/net/bluetooth/bluetooth.h (BTPROTO_*), include/uapi/linux/if_ether.h (ETH_P_ALL).
- macOS: xnu bsd/sys/socket.h, bsd/netinet/in.h.
- FreeBSD: sys/sys/socket.h, sys/netinet/in.h, sys/netgraph/bluetooth/include/ng_btsocket.h.
- Windows: shared/ws2def.h (AF_*, IPPROTO_*), winsock2.h (SOCK_*), ws2bth.h (BTHPROTO_*).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Literal

Table = Mapping[str, int]


def platform_key(platform: str) -> str:
    """The table key for a ``sys.platform`` value: linux, darwin, freebsd or win32."""
    for key in ("linux", "darwin", "freebsd", "win32"):
        if platform.startswith(key):
            return key
    return platform


FAMILIES: Mapping[str, Table] = {
    "linux": {
        "AF_UNSPEC": 0, "AF_UNIX": 1, "AF_INET": 2, "AF_AX25": 3, "AF_IPX": 4, "AF_APPLETALK": 5,
        "AF_NETROM": 6, "AF_BRIDGE": 7, "AF_ATMPVC": 8, "AF_X25": 9, "AF_INET6": 10, "AF_ROSE": 11,
        "AF_DECnet": 12, "AF_NETBEUI": 13, "AF_SECURITY": 14, "AF_KEY": 15, "AF_NETLINK": 16,
        "AF_ROUTE": 16, "AF_PACKET": 17, "AF_ASH": 18, "AF_ECONET": 19, "AF_ATMSVC": 20, "AF_RDS": 21,
        "AF_SNA": 22, "AF_IRDA": 23, "AF_PPPOX": 24, "AF_WANPIPE": 25, "AF_LLC": 26, "AF_IB": 27,
        "AF_MPLS": 28, "AF_CAN": 29, "AF_TIPC": 30, "AF_BLUETOOTH": 31, "AF_IUCV": 32, "AF_RXRPC": 33,
        "AF_ISDN": 34, "AF_PHONET": 35, "AF_IEEE802154": 36, "AF_CAIF": 37, "AF_ALG": 38, "AF_NFC": 39,
        "AF_VSOCK": 40, "AF_KCM": 41, "AF_QIPCRTR": 42, "AF_SMC": 43, "AF_XDP": 44, "AF_MCTP": 45,
    },
    "darwin": {
        "AF_UNSPEC": 0, "AF_UNIX": 1, "AF_INET": 2, "AF_IMPLINK": 3, "AF_PUP": 4, "AF_CHAOS": 5,
        "AF_NS": 6, "AF_ISO": 7, "AF_ECMA": 8, "AF_DATAKIT": 9, "AF_CCITT": 10, "AF_SNA": 11,
        "AF_DECnet": 12, "AF_DLI": 13, "AF_LAT": 14, "AF_HYLINK": 15, "AF_APPLETALK": 16, "AF_ROUTE": 17,
        "AF_LINK": 18, "AF_COIP": 20, "AF_CNT": 21, "AF_IPX": 23, "AF_SIP": 24, "AF_NDRV": 27,
        "AF_ISDN": 28, "AF_INET6": 30, "AF_NATM": 31, "AF_SYSTEM": 32, "AF_NETBIOS": 33, "AF_PPP": 34,
        "AF_IEEE80211": 37, "AF_UTUN": 38, "AF_VSOCK": 40,
    },
    "freebsd": {
        "AF_UNSPEC": 0, "AF_UNIX": 1, "AF_INET": 2, "AF_IMPLINK": 3, "AF_PUP": 4, "AF_CHAOS": 5,
        "AF_NETBIOS": 6, "AF_ISO": 7, "AF_ECMA": 8, "AF_DATAKIT": 9, "AF_CCITT": 10, "AF_SNA": 11,
        "AF_DECnet": 12, "AF_DLI": 13, "AF_LAT": 14, "AF_HYLINK": 15, "AF_APPLETALK": 16, "AF_ROUTE": 17,
        "AF_LINK": 18, "AF_COIP": 20, "AF_CNT": 21, "AF_IPX": 23, "AF_SIP": 24, "AF_ISDN": 26,
        "AF_INET6": 28, "AF_NATM": 29, "AF_ATM": 30, "AF_NETGRAPH": 32, "AF_SLOW": 33,
        "AF_SCLUSTER": 34, "AF_ARP": 35, "AF_BLUETOOTH": 36, "AF_IEEE80211": 37, "AF_NETLINK": 38,
        "AF_INET_SDP": 40, "AF_HYPERV": 43, "AF_DIVERT": 44,
    },
    "win32": {
        "AF_UNSPEC": 0, "AF_UNIX": 1, "AF_INET": 2, "AF_IMPLINK": 3, "AF_PUP": 4, "AF_CHAOS": 5,
        "AF_IPX": 6, "AF_ISO": 7, "AF_ECMA": 8, "AF_DATAKIT": 9, "AF_CCITT": 10, "AF_SNA": 11,
        "AF_DECnet": 12, "AF_DLI": 13, "AF_LAT": 14, "AF_HYLINK": 15, "AF_APPLETALK": 16,
        "AF_NETBIOS": 17, "AF_VOICEVIEW": 18, "AF_FIREFOX": 19, "AF_BAN": 21, "AF_ATM": 22,
        "AF_INET6": 23, "AF_CLUSTER": 24, "AF_12844": 25, "AF_IRDA": 26, "AF_NETDES": 28,
        "AF_TCNPROCESS": 29, "AF_TCNMESSAGE": 30, "AF_ICLFXBM": 31, "AF_BLUETOOTH": 32, "AF_LINK": 33,
        "AF_HYPERV": 34,
    },
}

#: SOCK_* types; the flag bits SOCK_NONBLOCK and SOCK_CLOEXEC are not types and are left out.
TYPES: Mapping[str, Table] = {
    "linux": {
        "SOCK_STREAM": 1, "SOCK_DGRAM": 2, "SOCK_RAW": 3, "SOCK_RDM": 4, "SOCK_SEQPACKET": 5,
        "SOCK_DCCP": 6, "SOCK_PACKET": 10,
    },
    "darwin": {"SOCK_STREAM": 1, "SOCK_DGRAM": 2, "SOCK_RAW": 3, "SOCK_RDM": 4, "SOCK_SEQPACKET": 5},
    "freebsd": {"SOCK_STREAM": 1, "SOCK_DGRAM": 2, "SOCK_RAW": 3, "SOCK_RDM": 4, "SOCK_SEQPACKET": 5},
    "win32": {"SOCK_STREAM": 1, "SOCK_DGRAM": 2, "SOCK_RAW": 3, "SOCK_RDM": 4, "SOCK_SEQPACKET": 5},
}

#: IPPROTO_* numbers (IPv4 and IPv6 headers together); IPPROTO_MAX is a bound, not a protocol.
IP_PROTOCOLS: Mapping[str, Table] = {
    "linux": {
        "IPPROTO_IP": 0, "IPPROTO_HOPOPTS": 0, "IPPROTO_ICMP": 1, "IPPROTO_IGMP": 2, "IPPROTO_IPIP": 4,
        "IPPROTO_TCP": 6, "IPPROTO_EGP": 8, "IPPROTO_PUP": 12, "IPPROTO_UDP": 17, "IPPROTO_IDP": 22,
        "IPPROTO_TP": 29, "IPPROTO_DCCP": 33, "IPPROTO_IPV6": 41, "IPPROTO_ROUTING": 43,
        "IPPROTO_FRAGMENT": 44, "IPPROTO_RSVP": 46, "IPPROTO_GRE": 47, "IPPROTO_ESP": 50,
        "IPPROTO_AH": 51, "IPPROTO_ICMPV6": 58, "IPPROTO_NONE": 59, "IPPROTO_DSTOPTS": 60,
        "IPPROTO_MTP": 92, "IPPROTO_BEETPH": 94, "IPPROTO_ENCAP": 98, "IPPROTO_PIM": 103,
        "IPPROTO_COMP": 108, "IPPROTO_L2TP": 115, "IPPROTO_SCTP": 132, "IPPROTO_MH": 135,
        "IPPROTO_UDPLITE": 136, "IPPROTO_MPLS": 137, "IPPROTO_ETHERNET": 143, "IPPROTO_RAW": 255,
        "IPPROTO_SMC": 256, "IPPROTO_MPTCP": 262,
    },
    "darwin": {
        "IPPROTO_IP": 0, "IPPROTO_HOPOPTS": 0, "IPPROTO_ICMP": 1, "IPPROTO_IGMP": 2, "IPPROTO_GGP": 3,
        "IPPROTO_IPIP": 4, "IPPROTO_TCP": 6, "IPPROTO_EGP": 8, "IPPROTO_PUP": 12, "IPPROTO_UDP": 17,
        "IPPROTO_IDP": 22, "IPPROTO_TP": 29, "IPPROTO_XTP": 36, "IPPROTO_IPV6": 41,
        "IPPROTO_ROUTING": 43, "IPPROTO_FRAGMENT": 44, "IPPROTO_RSVP": 46, "IPPROTO_GRE": 47,
        "IPPROTO_ESP": 50, "IPPROTO_AH": 51, "IPPROTO_ICMPV6": 58, "IPPROTO_NONE": 59,
        "IPPROTO_DSTOPTS": 60, "IPPROTO_HELLO": 63, "IPPROTO_ND": 77, "IPPROTO_EON": 80,
        "IPPROTO_PIM": 103, "IPPROTO_IPCOMP": 108, "IPPROTO_SCTP": 132, "IPPROTO_RAW": 255,
    },
    "freebsd": {
        "IPPROTO_IP": 0, "IPPROTO_HOPOPTS": 0, "IPPROTO_ICMP": 1, "IPPROTO_IGMP": 2, "IPPROTO_GGP": 3,
        "IPPROTO_IPIP": 4, "IPPROTO_TCP": 6, "IPPROTO_EGP": 8, "IPPROTO_PUP": 12, "IPPROTO_UDP": 17,
        "IPPROTO_IDP": 22, "IPPROTO_TP": 29, "IPPROTO_XTP": 36, "IPPROTO_IPV6": 41,
        "IPPROTO_ROUTING": 43, "IPPROTO_FRAGMENT": 44, "IPPROTO_RSVP": 46, "IPPROTO_GRE": 47,
        "IPPROTO_ESP": 50, "IPPROTO_AH": 51, "IPPROTO_ICMPV6": 58, "IPPROTO_NONE": 59,
        "IPPROTO_DSTOPTS": 60, "IPPROTO_HELLO": 63, "IPPROTO_ND": 77, "IPPROTO_EON": 80,
        "IPPROTO_PIM": 103, "IPPROTO_IPCOMP": 108, "IPPROTO_SCTP": 132, "IPPROTO_UDPLITE": 136,
        "IPPROTO_DIVERT": 258, "IPPROTO_RAW": 255,
    },
    "win32": {
        "IPPROTO_IP": 0, "IPPROTO_HOPOPTS": 0, "IPPROTO_ICMP": 1, "IPPROTO_IGMP": 2, "IPPROTO_GGP": 3,
        "IPPROTO_IPV4": 4, "IPPROTO_ST": 5, "IPPROTO_TCP": 6, "IPPROTO_CBT": 7, "IPPROTO_EGP": 8,
        "IPPROTO_IGP": 9, "IPPROTO_PUP": 12, "IPPROTO_UDP": 17, "IPPROTO_IDP": 22, "IPPROTO_RDP": 27,
        "IPPROTO_IPV6": 41, "IPPROTO_ROUTING": 43, "IPPROTO_FRAGMENT": 44, "IPPROTO_ESP": 50,
        "IPPROTO_AH": 51, "IPPROTO_ICMPV6": 58, "IPPROTO_NONE": 59, "IPPROTO_DSTOPTS": 60,
        "IPPROTO_ND": 77, "IPPROTO_ICLFXBM": 78, "IPPROTO_PIM": 103, "IPPROTO_PGM": 113,
        "IPPROTO_L2TP": 115, "IPPROTO_SCTP": 132, "IPPROTO_RAW": 255,
    },
}

#: Protocols that belong to one family, by family name then protocol name.
FAMILY_PROTOCOLS: Mapping[str, Mapping[str, Table]] = {
    "linux": {
        "AF_NETLINK": {
            "NETLINK_ROUTE": 0, "NETLINK_USERSOCK": 2, "NETLINK_FIREWALL": 3, "NETLINK_SOCK_DIAG": 4,
            "NETLINK_NFLOG": 5, "NETLINK_XFRM": 6, "NETLINK_SELINUX": 7, "NETLINK_ISCSI": 8,
            "NETLINK_AUDIT": 9, "NETLINK_FIB_LOOKUP": 10, "NETLINK_CONNECTOR": 11,
            "NETLINK_NETFILTER": 12, "NETLINK_IP6_FW": 13, "NETLINK_DNRTMSG": 14,
            "NETLINK_KOBJECT_UEVENT": 15, "NETLINK_GENERIC": 16, "NETLINK_SCSITRANSPORT": 18,
            "NETLINK_ECRYPTFS": 19, "NETLINK_RDMA": 20, "NETLINK_CRYPTO": 21, "NETLINK_SMC": 22,
        },
        "AF_CAN": {
            "CAN_RAW": 1, "CAN_BCM": 2, "CAN_TP16": 3, "CAN_TP20": 4, "CAN_MCNET": 5, "CAN_ISOTP": 6,
            "CAN_J1939": 7,
        },
        "AF_BLUETOOTH": {
            "BTPROTO_L2CAP": 0, "BTPROTO_HCI": 1, "BTPROTO_SCO": 2, "BTPROTO_RFCOMM": 3,
            "BTPROTO_BNEP": 4, "BTPROTO_CMTP": 5, "BTPROTO_HIDP": 6, "BTPROTO_AVDTP": 7, "BTPROTO_ISO": 8,
        },
        "AF_PACKET": {"ETH_P_ALL": 3},
    },
    "darwin": {},
    "freebsd": {
        "AF_BLUETOOTH": {
            "BTPROTO_HCI": 134, "BTPROTO_L2CAP": 135, "BTPROTO_RFCOMM": 136, "BTPROTO_SCO": 137,
        },
    },
    "win32": {
        "AF_BLUETOOTH": {"BTPROTO_RFCOMM": 3, "BTPROTO_L2CAP": 256},
        "AF_HYPERV": {"HV_PROTOCOL_RAW": 1},
    },
}

#: Family protocols passed to socket() in network byte order (packet(7): ``htons(ETH_P_ALL)``).
NETWORK_ORDER_PROTOCOLS = frozenset({"ETH_P_ALL"})


def htons(number: int, byteorder: Literal["little", "big"] = sys.byteorder) -> int:
    """A 16-bit number as socket() wants it in network byte order (``socket.htons``, without the
    socket module): the same bytes, read in the machine's own order."""
    return int.from_bytes(number.to_bytes(2, "big"), byteorder)

#: The IP families, whose protocol axis is IPPROTO_*.
INET_FAMILIES = ("AF_INET", "AF_INET6")
