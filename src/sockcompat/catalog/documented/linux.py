"""Linux: what the man-pages project says, for the headline capabilities."""

from __future__ import annotations

from sockcompat.catalog.documented import Documented

MAN7 = "https://man7.org/linux/man-pages/man7/"

ROWS: tuple[Documented, ...] = (
    Documented("linux", "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create", "supported", "root",
               MAN7 + "raw.7.html", note="needs CAP_NET_RAW"),
    Documented("linux", "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create", "needs-privilege", "user",
               MAN7 + "raw.7.html", "EPERM", note="needs CAP_NET_RAW"),
    Documented("linux", "create/AF_PACKET/SOCK_RAW/0", "create", "needs-privilege", "user",
               MAN7 + "packet.7.html", "EPERM", note="needs CAP_NET_RAW"),
    Documented("linux", "create/AF_UNIX/SOCK_SEQPACKET/0", "create", "supported", None,
               MAN7 + "unix.7.html", note="SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET"),
    Documented("linux", "create/AF_UNIX/SOCK_STREAM/0", "create", "supported", None, MAN7 + "unix.7.html"),
    Documented("linux", "create/AF_INET6/SOCK_STREAM/0", "create", "supported", None, MAN7 + "ipv6.7.html"),
)
