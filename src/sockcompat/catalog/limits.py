"""Measured limits, as data: which quantities to measure on which sockets, and the caps that keep
a measurement from exhausting the host.

Each row is one quantity on one (family, type); its steps are the observations it records:

- ``max-datagram`` (``send``): the largest datagram ``send``/``sendto`` accepts over loopback
  (UDP on 127.0.0.1 and ::1, an AF_UNIX datagram socketpair), found by bisection; the largest is
  then sent once more and must arrive.
- ``SO_SNDBUF`` / ``SO_RCVBUF`` (``default``, ``max``): the value a fresh socket reports, and the
  read-back after setting the largest value the OS accepts (Linux clamps to net.core.*mem_max and
  doubles; BSDs refuse above kern.ipc.maxsockbuf).
- ``listen-backlog`` (``max-accepted``, ``queue``): the largest backlog ``listen()`` takes without
  error, and how many loopback connections a ``listen(LISTEN_BACKLOG)`` socket completes before
  the next one is dropped or refused.
- ``ephemeral-ports`` (``range``): the range the OS exposes as a setting, checked against the port
  a loopback bind to port 0 gets.

The longest AF_UNIX path is measured by the AF_UNIX suite, not here.
Sources: man7 udp(7), unix(7), socket(7), listen(2), ip(7) ip_local_port_range; FreeBSD/macOS
sysctl net.inet.ip.portrange.*; learn.microsoft.com "netsh int ipv4 show dynamicport".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple


class LimitCase(NamedTuple):
    """One measured quantity on one kind of socket."""

    family: str
    type: str
    quantity: str
    steps: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"limit/{self.family}/{self.type}/0/{self.quantity}"


LOOPBACK_ADDRESS: Mapping[str, str] = {"AF_INET": "127.0.0.1", "AF_INET6": "::1"}

#: The largest datagram a measurement will build, per family (bytes): IP cannot carry more than
#: 64 KiB without jumbograms; AF_UNIX is bounded by the send buffer (a few hundred KiB on Linux).
DATAGRAM_CAP: Mapping[str, int] = {"AF_INET": 1 << 17, "AF_INET6": 1 << 17, "AF_UNIX": 1 << 22}

#: The largest buffer size or backlog asked for: the C int setsockopt and listen take.
INT_MAX = 2**31 - 1

#: The backlog of the queue measurement, the most client sockets it opens, and how long it waits
#: for one connection to complete.
LISTEN_BACKLOG = 8
LISTEN_CLIENT_CAP = 64
CONNECT_WAIT_S = 0.5

#: Share of the step deadline a bisection may use before it reports what it has.
BISECT_BUDGET = 0.8

#: Where each OS exposes its ephemeral port range: a file with "first last", sysctl names for
#: first and last, or the netsh command (per IP version and protocol).
EPHEMERAL_PORT_SOURCES: Mapping[str, tuple[str, ...]] = {
    "linux": ("file", "/proc/sys/net/ipv4/ip_local_port_range"),
    "darwin": ("sysctl", "net.inet.ip.portrange.first", "net.inet.ip.portrange.last"),
    "freebsd": ("sysctl", "net.inet.ip.portrange.first", "net.inet.ip.portrange.last"),
    "win32": ("netsh",),
}

_BUFFER_SOCKETS = (
    ("AF_INET", "SOCK_STREAM"), ("AF_INET", "SOCK_DGRAM"), ("AF_INET6", "SOCK_STREAM"),
    ("AF_INET6", "SOCK_DGRAM"), ("AF_UNIX", "SOCK_STREAM"), ("AF_UNIX", "SOCK_DGRAM"),
)

LIMITS: tuple[LimitCase, ...] = (
    *(LimitCase(f, "SOCK_DGRAM", "max-datagram", ("send",)) for f in ("AF_INET", "AF_INET6", "AF_UNIX")),
    *(LimitCase(f, t, q, ("default", "max")) for f, t in _BUFFER_SOCKETS for q in ("SO_RCVBUF", "SO_SNDBUF")),
    *(LimitCase(f, "SOCK_STREAM", "listen-backlog", ("max-accepted", "queue"))
      for f in ("AF_INET", "AF_INET6")),
    *(LimitCase(f, t, "ephemeral-ports", ("range",)) for f in ("AF_INET", "AF_INET6")
      for t in ("SOCK_STREAM", "SOCK_DGRAM")),
)
