"""Which client-server sequences the transfer suite walks, as data.

The rule: every (family, type, protocol) row below whose names resolve on this host becomes a case
whose first step is ``create``, so every host has the same rows and a refused socket() shows up
as the first failed step (the rest ``not-reached``). Protocols are the ones with a known meaning
for the type (IPPROTO_TCP for streams, IPPROTO_UDP for datagrams, ...); the create matrix already
records the meaningless crosses. Families that create here but have no address form get one
``not-applicable`` row each (see ``catalog.addresses.NO_ADDRESS``); raw IP sockets are the raw
suite's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from sockcompat.catalog import constants
from sockcompat.catalog.addresses import NO_ADDRESS, UNIX_VARIANTS
from sockcompat.catalog.constants import DEFAULT_PROTOCOL, Constant
from sockcompat.catalog.platforms import (
    FAMILIES,
    FAMILY_PROTOCOLS,
    IP_PROTOCOLS,
    NETWORK_ORDER_PROTOCOLS,
    TYPES,
    htons,
    platform_key,
)

_INET_ROWS: Mapping[str, tuple[str, ...]] = {
    "SOCK_STREAM": ("0", "IPPROTO_TCP", "IPPROTO_MPTCP", "IPPROTO_SCTP"),
    "SOCK_DGRAM": ("0", "IPPROTO_UDP", "IPPROTO_UDPLITE"),
    "SOCK_SEQPACKET": ("IPPROTO_SCTP",),
}

#: family -> socket type -> protocol names. "0" is the default protocol.
TRANSFER_ROWS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "AF_INET": _INET_ROWS,
    "AF_INET6": _INET_ROWS,
    "AF_UNIX": {"SOCK_STREAM": ("0",), "SOCK_DGRAM": ("0",), "SOCK_SEQPACKET": ("0",)},
    "AF_PACKET": {"SOCK_RAW": ("ETH_P_ALL",), "SOCK_DGRAM": ("ETH_P_ALL",)},
    "AF_NETLINK": {
        "SOCK_RAW": tuple(sorted(FAMILY_PROTOCOLS["linux"]["AF_NETLINK"])),
        "SOCK_DGRAM": ("NETLINK_ROUTE",),
    },
    "AF_VSOCK": {"SOCK_STREAM": ("0",), "SOCK_SEQPACKET": ("0",), "SOCK_DGRAM": ("0",)},
    "AF_CAN": {"SOCK_RAW": ("CAN_RAW",)},
    "AF_RDS": {"SOCK_SEQPACKET": ("0",)},
}

#: The sequence each row walks. Connection-oriented types: bind, listen, connect, accept,
#: request/response, shutdown. Datagram types: bind both ends, sendto, recvfrom, both ways.
#: AF_PACKET: one frame on ``lo``. AF_NETLINK: a NOOP request to the kernel, which acks it.
#: AF_CAN: one CAN frame from one raw socket to another on the virtual interface. AF_RDS: reliable
#: datagrams, so the datagram sequence (sendto/recvfrom both ways).
SEQUENCE_BY_TYPE: Mapping[str, str] = {
    "SOCK_STREAM": "stream",
    "SOCK_SEQPACKET": "stream",
    "SOCK_DGRAM": "datagram",
    "SOCK_RDM": "datagram",
}
SEQUENCE_BY_FAMILY: Mapping[str, str] = {
    "AF_PACKET": "packet", "AF_NETLINK": "netlink", "AF_CAN": "can", "AF_RDS": "datagram",
}

STEPS: Mapping[str, tuple[str, ...]] = {
    "stream": ("create", "bind", "listen", "connect", "accept", "send", "recv", "send-reply",
               "recv-reply", "shutdown", "close"),
    "datagram": ("create", "bind", "bind-peer", "sendto", "recvfrom", "sendto-reply",
                 "recvfrom-reply", "close"),
    "packet": ("create", "bind", "sendto", "recvfrom", "close"),
    "netlink": ("create", "bind", "sendto", "recvfrom", "close"),
    "can": ("create", "bind", "bind-peer", "send", "recv", "close"),
}


class TransferCase(NamedTuple):
    """One sequence to walk: a (family, type, protocol) row and, for AF_UNIX, how it is named."""

    family: Constant
    type: Constant
    proto: Constant
    variant: str = ""

    @property
    def id(self) -> str:
        base = f"transfer/{self.family.name}/{self.type.name}/{self.proto.name}"
        return f"{base}/{self.variant}" if self.variant else base

    @property
    def sequence(self) -> str:
        return SEQUENCE_BY_FAMILY.get(self.family.name, SEQUENCE_BY_TYPE.get(self.type.name, "datagram"))

    @property
    def steps(self) -> tuple[str, ...]:
        return STEPS[self.sequence]

    @property
    def proto_argument(self) -> int:
        number = self.proto.number or 0
        return htons(number) if self.proto.name in NETWORK_ORDER_PROTOCOLS else number


def resolve_row(surface: object, platform: str, family: str, type_: str, proto: str) -> TransferCase | None:
    """The row's constants on this host, or None when a name is not defined here."""
    fam = constants.resolve(surface, family, FAMILIES.get(platform, {}))
    typ = constants.resolve(surface, type_, TYPES.get(platform, {}))
    if proto == "0":
        pro = DEFAULT_PROTOCOL
    elif proto.startswith("IPPROTO_"):
        pro = constants.resolve(surface, proto, IP_PROTOCOLS.get(platform, {}))
    else:
        pro = constants.resolve(surface, proto, FAMILY_PROTOCOLS.get(platform, {}).get(family, {}))
    if not (fam.present and typ.present and pro.present):
        return None
    return TransferCase(fam, typ, pro)


def transfer_cases(surface: object, platform: str) -> list[TransferCase]:
    """Every sequence row whose names resolve on this host, sorted by id."""
    key = platform_key(platform)
    cases: list[TransferCase] = []
    for family, by_type in TRANSFER_ROWS.items():
        for type_, protos in by_type.items():
            for proto in protos:
                row = resolve_row(surface, key, family, type_, proto)
                if row is None:
                    continue
                variants = UNIX_VARIANTS if family == "AF_UNIX" else ("",)
                cases.extend(row._replace(variant=v) for v in variants)
    return sorted(cases, key=lambda c: c.id)


def no_address_candidates(surface: object, platform: str) -> list[TransferCase]:
    """(family, type, 0) rows for families with no address form: a collection-time socket()
    check keeps the ones that create, and each becomes one ``not-applicable`` observation."""
    key = platform_key(platform)
    rows: list[TransferCase] = []
    types = [t for t in constants.types(surface, key) if t.present]
    for family in constants.families(surface, key):
        if not family.present or family.name in TRANSFER_ROWS or family.name in ("AF_UNSPEC", "AF_ROUTE"):
            continue
        if family.name not in NO_ADDRESS and not family.python_constant:
            continue
        rows.extend(TransferCase(family, t, DEFAULT_PROTOCOL) for t in types)
    return sorted(rows, key=lambda c: c.id)


########################################################################################
# the extra transfer probes: socketpair, Python's high-level API, IPv6, non-blocking, MSG_*

SOCKETPAIR_FAMILIES = ("AF_UNIX", "AF_INET", "AF_INET6")
SOCKETPAIR_TYPES = ("SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET")
NONBLOCKING_FAMILIES = ("AF_INET", "AF_INET6", "AF_UNIX")
PYTHON_API_FAMILIES = ("AF_INET", "AF_INET6")


class FlagCase(NamedTuple):
    """One MSG_* flag tried on one (family, type)."""

    flag: str
    family: str
    type: str

    @property
    def id(self) -> str:
        return f"transfer/{self.family}/{self.type}/0/{self.flag}"


#: What each flag is tried on: stream flags on TCP and AF_UNIX streams, datagram flags on UDP and
#: AF_UNIX datagrams (AF_UNIX path names, in the probe's private dir).
MSG_FLAG_CASES: tuple[FlagCase, ...] = (
    FlagCase("MSG_PEEK", "AF_INET", "SOCK_STREAM"),
    FlagCase("MSG_PEEK", "AF_INET", "SOCK_DGRAM"),
    FlagCase("MSG_PEEK", "AF_UNIX", "SOCK_STREAM"),
    FlagCase("MSG_DONTWAIT", "AF_INET", "SOCK_STREAM"),
    FlagCase("MSG_DONTWAIT", "AF_UNIX", "SOCK_STREAM"),
    FlagCase("MSG_TRUNC", "AF_INET", "SOCK_DGRAM"),
    FlagCase("MSG_TRUNC", "AF_UNIX", "SOCK_DGRAM"),
    FlagCase("MSG_NOSIGNAL", "AF_INET", "SOCK_STREAM"),
    FlagCase("MSG_NOSIGNAL", "AF_UNIX", "SOCK_STREAM"),
    FlagCase("MSG_WAITALL", "AF_INET", "SOCK_STREAM"),
    FlagCase("MSG_WAITALL", "AF_UNIX", "SOCK_STREAM"),
)
