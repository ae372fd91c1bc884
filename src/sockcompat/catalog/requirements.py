"""Which socket() calls need privilege, and which are gated by a host setting instead.

Consulted by ``classify`` when the OS answers EPERM/EACCES: with the privilege named here held,
the refusal is policy (``blocked``); without it, ``needs-privilege``; a gated call that is refused
is ``unavailable`` (the setting is off), whoever asks.
"""

from __future__ import annotations

from typing import NamedTuple

from sockcompat.observation import RequirementKind

#: ``requires`` spellings that are not capabilities -> the kind a report records.
KIND_OF_WORD: dict[str, RequirementKind] = {"superuser": "root", "administrator": "admin"}


class Requirement(NamedTuple):
    """A rule row; ``*`` matches any name. ``requires`` is a capability, ``superuser``,
    ``administrator``, or ``sysctl:<name>`` for a host setting."""

    platform: str
    family: str
    type: str
    proto: str
    requires: str
    source: str

    def matches(self, platform: str, family: str, type_: str, proto: str) -> bool:
        return self.platform == platform and all(
            rule in ("*", value)
            for rule, value in ((self.family, family), (self.type, type_), (self.proto, proto))
        )

    @property
    def sysctl(self) -> str | None:
        return self.requires.partition(":")[2] if self.requires.startswith("sysctl:") else None

    @property
    def kind(self) -> RequirementKind:
        if self.sysctl is not None:
            return "sysctl"
        return KIND_OF_WORD.get(self.requires, "capability")

    @property
    def name(self) -> str:
        """The capability or sysctl name; ``root``/``admin`` for the superuser words."""
        return self.sysctl or (self.kind if self.requires in KIND_OF_WORD else self.requires)

    def to_json(self) -> dict[str, str]:
        """What an observation records of the rule it was judged against."""
        return {"kind": self.kind, "name": self.name, "source": self.source}


def host_setting(name: str, source: str) -> Requirement:
    """A requirement that is a host setting rather than a rule row (e.g. an errno-table entry)."""
    return Requirement("*", "*", "*", "*", f"sysctl:{name}", source)


REQUIREMENTS: tuple[Requirement, ...] = (
    # Linux: capabilities checked at socket() time.
    Requirement("linux", "AF_INET", "SOCK_DGRAM", "IPPROTO_ICMP", "sysctl:net.ipv4.ping_group_range",
                "net/ipv4/ping.c ping_init_sock"),
    Requirement("linux", "AF_INET6", "SOCK_DGRAM", "IPPROTO_ICMPV6", "sysctl:net.ipv4.ping_group_range",
                "net/ipv4/ping.c ping_init_sock"),
    Requirement("linux", "AF_INET", "SOCK_RAW", "*", "CAP_NET_RAW", "man7 raw(7); net/ipv4/af_inet.c"),
    Requirement("linux", "AF_INET6", "SOCK_RAW", "*", "CAP_NET_RAW", "net/ipv6/af_inet6.c"),
    Requirement("linux", "AF_INET", "SOCK_PACKET", "*", "CAP_NET_RAW",
                "net/socket.c: SOCK_PACKET on PF_INET becomes PF_PACKET; man7 packet(7)"),
    Requirement("linux", "AF_PACKET", "*", "*", "CAP_NET_RAW", "man7 packet(7)"),
    Requirement("linux", "AF_KEY", "*", "*", "CAP_NET_ADMIN", "net/key/af_key.c pfkey_create"),
    Requirement("linux", "AF_APPLETALK", "SOCK_RAW", "*", "CAP_NET_RAW", "net/appletalk/ddp.c atalk_create"),
    Requirement("linux", "AF_AX25", "SOCK_RAW", "*", "CAP_NET_RAW", "net/ax25/af_ax25.c ax25_create"),
    Requirement("linux", "AF_IEEE802154", "SOCK_RAW", "*", "CAP_NET_RAW",
                "net/ieee802154/socket.c ieee802154_create"),
    # Seen refused (EPERM) unprivileged on Debian's 6.1 kernel with modules (tools/vm-host).
    Requirement("linux", "AF_LLC", "*", "*", "CAP_NET_RAW", "net/llc/af_llc.c llc_ui_create"),
    Requirement("linux", "AF_XDP", "*", "*", "CAP_NET_RAW", "net/xdp/xsk.c xsk_create"),
    Requirement("linux", "AF_NFC", "SOCK_RAW", "*", "CAP_NET_RAW", "net/nfc/rawsock.c rawsock_create"),
    Requirement("linux", "AF_BLUETOOTH", "SOCK_RAW", "*", "CAP_NET_RAW",
                "net/bluetooth/l2cap_sock.c l2cap_sock_create (protocol 0 is BTPROTO_L2CAP)"),
    Requirement("linux", "AF_PHONET", "*", "*", "CAP_SYS_ADMIN", "net/phonet/af_phonet.c pn_socket_create"),
    # macOS and FreeBSD: raw IP needs the superuser.
    Requirement("darwin", "AF_INET", "SOCK_RAW", "*", "superuser", "xnu bsd/netinet/raw_ip.c rip_attach"),
    Requirement("darwin", "AF_INET6", "SOCK_RAW", "*", "superuser", "xnu bsd/netinet6/raw_ip6.c"),
    Requirement("freebsd", "AF_INET", "SOCK_RAW", "*", "superuser", "FreeBSD ip(4), rip_attach"),
    Requirement("freebsd", "AF_INET6", "SOCK_RAW", "*", "superuser", "FreeBSD ip6(4)"),
    # Windows: "To use a socket of type SOCK_RAW requires administrative privileges".
    Requirement("win32", "*", "SOCK_RAW", "*", "administrator",
                "learn.microsoft.com/windows/win32/winsock/tcp-ip-raw-sockets-2"),
)


def requirement_for(platform: str, family: str, type_: str, proto: str) -> Requirement | None:
    """The first rule that matches the call, or None when none is documented."""
    for rule in REQUIREMENTS:
        if rule.matches(platform, family, type_, proto):
            return rule
    return None
