"""What each OS's documentation says should happen, for the headline capabilities, with sources.

Observations are the result; these rows are the yardstick. When a run disagrees with a row, the
report keeps both (``documented`` beside ``outcome``) and the matrix flags the cell, because a
disagreement is either a documentation gap or a host that is not what it claims to be.
``privilege`` limits a row to runs at that privilege (``None``: any).
"""

from __future__ import annotations

from typing import NamedTuple


class Documented(NamedTuple):
    platform: str
    id: str
    step: str
    outcome: str
    privilege: str | None
    source: str


EXPECTATIONS: tuple[Documented, ...] = (
    # Linux
    Documented("linux", "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create", "supported", "root",
               "man7.org/linux/man-pages/man7/raw.7.html: needs CAP_NET_RAW"),
    Documented("linux", "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create", "needs-privilege", "user",
               "man7.org/linux/man-pages/man7/raw.7.html: needs CAP_NET_RAW"),
    Documented("linux", "create/AF_PACKET/SOCK_RAW/0", "create", "needs-privilege", "user",
               "man7.org/linux/man-pages/man7/packet.7.html: needs CAP_NET_RAW"),
    Documented("linux", "create/AF_UNIX/SOCK_SEQPACKET/0", "create", "supported", None,
               "man7.org/linux/man-pages/man7/unix.7.html: SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET"),
    Documented("linux", "create/AF_UNIX/SOCK_STREAM/0", "create", "supported", None,
               "man7.org/linux/man-pages/man7/unix.7.html"),
    Documented("linux", "create/AF_INET6/SOCK_STREAM/0", "create", "supported", None,
               "man7.org/linux/man-pages/man7/ipv6.7.html"),
    # macOS
    Documented("darwin", "create/AF_UNIX/SOCK_SEQPACKET/0", "create", "unsupported", None,
               "apple-oss-distributions/xnu bsd/kern/uipc_proto.c: localsw has STREAM and DGRAM only"),
    Documented("darwin", "create/AF_UNIX/SOCK_STREAM/0", "create", "supported", None,
               "apple-oss-distributions/xnu bsd/kern/uipc_proto.c"),
    Documented("darwin", "create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP", "create", "supported", None,
               "apple-oss-distributions/xnu bsd/netinet/in_proto.c: non-privileged ICMP sockets"),
    Documented("darwin", "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create", "needs-privilege", "user",
               "apple-oss-distributions/xnu bsd/netinet/raw_ip.c rip_attach: superuser only"),
    # FreeBSD
    Documented("freebsd", "create/AF_UNIX/SOCK_SEQPACKET/0", "create", "supported", None,
               "man.freebsd.org unix(4): SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET"),
    Documented("freebsd", "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create", "needs-privilege", "user",
               "man.freebsd.org ip(4): raw sockets for the superuser"),
    # Windows
    Documented("win32", "create/AF_UNIX/SOCK_STREAM/0", "create", "supported", None,
               "devblogs.microsoft.com/commandline/af_unix-comes-to-windows: SOCK_STREAM since 1803"),
    Documented("win32", "create/AF_UNIX/SOCK_DGRAM/0", "create", "unsupported", None,
               "devblogs.microsoft.com/commandline/af_unix-comes-to-windows: no SOCK_DGRAM"),
    Documented("win32", "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create", "needs-privilege", "user",
               "learn.microsoft.com/windows/win32/winsock/tcp-ip-raw-sockets-2: administrators only"),
    Documented("win32", "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "create", "supported", "admin",
               "learn.microsoft.com/windows/win32/winsock/tcp-ip-raw-sockets-2"),
    Documented("win32", "create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP", "create", "unsupported", None,
               "platform facts: WSAEPROTONOSUPPORT for ICMP datagram sockets"),
)

def documented(platform: str, privilege: str, probe_id: str, step: str) -> Documented | None:
    """The documented outcome for this observation on this platform and privilege, if any."""
    key = (platform, probe_id, step)
    for row in EXPECTATIONS:
        if (row.platform, row.id, row.step) == key and row.privilege in (None, privilege):
            return row
    return None
