"""How to form a loopback address for each family that has one, and why the others have none.

Data and pure functions only: a probe passes in its private temp dir and a unique tag, and gets the
address to bind. Only loopback is ever formed (127.0.0.1, ::1, AF_UNIX names, ``lo``, the kernel's
netlink port, the local vsock CID, the virtual CAN interface): never a wildcard. Sources: man7
ip(7), ipv6(7), unix(7), packet(7), netlink(7), vsock(7), rds(7); linux/vm_sockets.h;
Documentation/networking/can.rst.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

LOOPBACK: Mapping[str, str] = {"AF_INET": "127.0.0.1", "AF_INET6": "::1"}

#: A v4-mapped loopback address: binding it on an IPv6 socket with IPV6_V6ONLY=0 takes IPv4
#: connections to 127.0.0.1 without a wildcard bind.
V4_MAPPED_LOOPBACK = "::ffff:127.0.0.1"

#: AF_UNIX ways of naming a socket (unix(7)): a filesystem path, the Linux abstract namespace
#: (leading NUL byte), and autobind (bind to "": the kernel picks an abstract name).
UNIX_VARIANTS = ("path", "abstract", "autobind")

#: An EtherType from the IEEE "local experimental" range: frames sent on ``lo`` carry it so the
#: probe recognises its own frames among other loopback traffic.
LOCAL_ETHERTYPE = 0x88B5

#: linux/vm_sockets.h: VMADDR_CID_LOCAL (loopback within the host, vsock_loopback module).
VMADDR_CID_LOCAL = 1
VMADDR_PORT_ANY = 0xFFFFFFFF

#: The virtual CAN interface CAN users create for testing (``ip link add vcan0 type vcan``,
#: Documentation/networking/can.rst): frames on it reach the host's own CAN sockets and nothing
#: else. The suite never creates it; without it, bind says ENODEV (``unavailable``).
CAN_INTERFACE = "vcan0"

#: netlink(7): port id 0 is the kernel; binding port 0 lets the kernel assign ours.
NETLINK_KERNEL = (0, 0)

#: Families that create on some hosts but for which no loopback address is formed, and why.
NO_ADDRESS: Mapping[str, str] = {
    "AF_XDP": "needs a UMEM and a NIC queue (xdp(7)); there is no loopback address form",
    "AF_ALG": "a kernel crypto API, not a transport: bind names an algorithm, no peer to reach",
    "AF_BLUETOOTH": "needs a Bluetooth adapter; there is no loopback address",
    "AF_TIPC": "needs a TIPC node address/bearer set up; the catalog forms no TIPC service address",
    "AF_KEY": "a key-management channel to the kernel, not a transport",
    "AF_QIPCRTR": "needs a Qualcomm IPC router node",
}
DEFAULT_NO_ADDRESS = "the catalog has no loopback address form for this family"


def unix_name(variant: str, workdir: str, tag: str) -> str | bytes:
    """An AF_UNIX address: a path in the probe's private dir, an abstract name, or "" (autobind)."""
    if variant == "path":
        return os.path.join(workdir, tag)
    if variant == "abstract":
        return b"\0sockcompat-" + f"{os.getpid():010d}-{tag}".encode()  # one length on every run
    if variant == "autobind":
        return ""
    raise ValueError(f"unknown AF_UNIX variant {variant!r}")


def local_address(family: str, variant: str = "", workdir: str = "", tag: str = "a") -> Any:
    """The address to bind for one end of a loopback exchange in ``family``.

    Raises KeyError for a family without one (see ``NO_ADDRESS``).
    """
    if family in LOOPBACK:
        return (LOOPBACK[family], 0)
    if family == "AF_UNIX":
        return unix_name(variant, workdir, tag)
    if family == "AF_PACKET":
        return ("lo", 0)
    if family == "AF_NETLINK":
        return NETLINK_KERNEL
    if family == "AF_VSOCK":
        return (VMADDR_CID_LOCAL, VMADDR_PORT_ANY)
    if family == "AF_CAN":
        return (CAN_INTERFACE,)
    if family == "AF_RDS":  # rds(7): an IP address of the host; RDS over TCP carries it on loopback
        return (LOOPBACK["AF_INET"], 0)
    raise KeyError(family)


def no_address_reason(family: str) -> str:
    return NO_ADDRESS.get(family, DEFAULT_NO_ADDRESS)
