"""The socket-option rules: which options a host gets rows for, which sockets get them, and how a
row's names become numbers. The data is in ``option_table`` (values) and ``option_numbers``
(per-OS numbers from headers).

Options
- Every option in ``option_table.OPTIONS`` gets a row on every host, and every option constant the
  socket module exposes (found by name prefix: ``SO_`` -> SOL_SOCKET, ``IP_`` -> IPPROTO_IP, ...).
- A name resolves to Python's number, else this OS's header number (``python_constant: false``):
  so every Python version on a host probes the same options. A name neither defines here becomes
  a ``no-constant`` row, so every host has comparable rows.
- An exposed option the table does not know gets a row that says it was not probed: its value
  type is unknown, and guessing a C int would make the probe's own argument the refusal.

Sockets (the principled subset of the create matrix)
- A (family, type, protocol) row of the create matrix whose names all resolve on this host.
- Aliases collapse: rows with the same (family, type, protocol) numbers are one socket; the first by
  id stands for them (``0`` before ``IPPROTO_IP``/``IPPROTO_HOPOPTS``, AF_NETLINK before AF_ROUTE).
- Outside the IP families, IPPROTO_* numbers name nothing: those families are probed with
  protocol 0 and their own protocols.
- Where the protocol only chooses a payload, not an option handler (``REPRESENTATIVE_PROTOCOLS``),
  only representatives are probed: raw IP with ICMP (its own filter option), IPPROTO_RAW (implied
  IP_HDRINCL) and UDP (standing for every protocol on the generic raw handler); netlink and the
  obsolete SOCK_PACKET with protocol 0. Every option is still probed on every row kept.
- Levels apply by family/type/protocol (``LEVEL_SCOPE``); SOL_SOCKET applies everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from sockcompat.catalog import constants
from sockcompat.catalog.constants import DEFAULT_PROTOCOL, Constant
from sockcompat.catalog.create import CreateCase, create_cases
from sockcompat.catalog.option_numbers import LEVEL_NUMBERS, OPTION_NUMBERS
from sockcompat.catalog.option_table import IP, IP6, OPTIONS, PLATFORM_SPECS, TCP, OptionSpec, S
from sockcompat.catalog.platforms import FAMILIES, INET_FAMILIES, platform_key
from sockcompat.catalog.requirements import Requirement

#: Option-constant prefixes and the level each names; the first match wins.
OPTION_PREFIXES: tuple[tuple[str, str], ...] = (
    ("SO_VM_SOCKETS_", "AF_VSOCK"),
    ("SO_J1939_", "SOL_CAN_J1939"),
    ("SO_", "SOL_SOCKET"),
    ("IPV6_", "IPPROTO_IPV6"),
    ("IP_", "IPPROTO_IP"),
    ("TCP_", "IPPROTO_TCP"),
    ("UDPLITE_", "IPPROTO_UDPLITE"),
    ("UDP_", "IPPROTO_UDP"),
    ("CAN_RAW_", "SOL_CAN_RAW"),
    ("ALG_SET_", "SOL_ALG"),
    ("RDS_", "SOL_RDS"),
    ("LOCAL_", "SOL_LOCAL"),
)

#: Names with an option prefix that are not options: defaults, limits, values, cmsg types.
NOT_AN_OPTION = frozenset({
    "IP_DEFAULT_MULTICAST_TTL", "IP_DEFAULT_MULTICAST_LOOP", "IP_MAX_MEMBERSHIPS",
    "IPV6_RTHDR_TYPE_0", "ALG_SET_IV", "ALG_SET_OP", "ALG_SET_AEAD_ASSOCLEN",
})
NOT_AN_OPTION_PREFIXES = ("RDS_CMSG_", "RDS_RDMA_")

#: Which sockets a level applies to: (level, family, type, protocol), ``*`` for any.
LEVEL_SCOPE: tuple[tuple[str, str, str, str], ...] = (
    ("SOL_SOCKET", "*", "*", "*"),
    ("IPPROTO_IP", "AF_INET", "*", "*"),
    ("IPPROTO_IP", "AF_INET6", "*", "*"),  # Linux serves IPv4 options on IPv6 sockets
    ("IPPROTO_IPV6", "AF_INET6", "*", "*"),
    ("IPPROTO_TCP", "AF_INET", "SOCK_STREAM", "*"),
    ("IPPROTO_TCP", "AF_INET6", "SOCK_STREAM", "*"),
    ("IPPROTO_UDP", "AF_INET", "SOCK_DGRAM", "*"),
    ("IPPROTO_UDP", "AF_INET6", "SOCK_DGRAM", "*"),
    ("IPPROTO_UDPLITE", "AF_INET", "SOCK_DGRAM", "*"),
    ("IPPROTO_UDPLITE", "AF_INET6", "SOCK_DGRAM", "*"),
    ("SOL_RAW", "AF_INET", "SOCK_RAW", "IPPROTO_ICMP"),
    ("IPPROTO_ICMPV6", "AF_INET6", "SOCK_RAW", "IPPROTO_ICMPV6"),
    ("SOL_LOCAL", "AF_UNIX", "*", "*"),
    ("SOL_NETLINK", "AF_NETLINK", "*", "*"),
    ("SOL_PACKET", "AF_PACKET", "*", "*"),
    ("SOL_PACKET", "*", "SOCK_PACKET", "*"),
    ("AF_VSOCK", "AF_VSOCK", "*", "*"),
    ("SOL_CAN_RAW", "AF_CAN", "SOCK_RAW", "*"),
    ("SOL_CAN_J1939", "AF_CAN", "SOCK_DGRAM", "CAN_J1939"),
    ("SOL_TIPC", "AF_TIPC", "*", "*"),
    ("SOL_ALG", "AF_ALG", "*", "*"),
    ("SOL_RDS", "AF_RDS", "*", "*"),
)

#: (family, type) -> the protocols probed for options, where the protocol only picks a payload.
REPRESENTATIVE_PROTOCOLS: Mapping[tuple[str, str], tuple[str, ...]] = {
    # net/ipv4/raw.c: ICMP has ICMP_FILTER; IPPROTO_RAW implies IP_HDRINCL (raw(7)); any other
    # protocol shares the generic handler, and UDP stands for them.
    ("AF_INET", "SOCK_RAW"): ("IPPROTO_ICMP", "IPPROTO_RAW", "IPPROTO_UDP"),
    # net/ipv6/raw.c: ICMPv6 has ICMP6_FILTER and a forced checksum.
    ("AF_INET6", "SOCK_RAW"): ("IPPROTO_ICMPV6", "IPPROTO_RAW", "IPPROTO_UDP"),
    # net/packet/af_packet.c: SOCK_PACKET on PF_INET is the obsolete packet interface.
    ("AF_INET", "SOCK_PACKET"): ("0",),
    # net/netlink/af_netlink.c: one setsockopt for every netlink protocol.
    ("AF_NETLINK", "SOCK_RAW"): ("0",),
    ("AF_NETLINK", "SOCK_DGRAM"): ("0",),
}

#: Options documented as needing privilege: (platform, level, option, requirement, source).
OPTION_REQUIREMENTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("linux", S, "SO_DEBUG", "CAP_NET_ADMIN", "net/core/sock.c sk_setsockopt: SO_DEBUG"),
    ("linux", S, "SO_MARK", "CAP_NET_ADMIN", "socket(7) SO_MARK (CAP_NET_RAW also since 5.17)"),
    ("linux", S, "SO_RCVBUFFORCE", "CAP_NET_ADMIN", "socket(7) SO_RCVBUFFORCE"),
    ("linux", S, "SO_SNDBUFFORCE", "CAP_NET_ADMIN", "socket(7) SO_SNDBUFFORCE"),
    ("linux", S, "SO_BUSY_POLL", "CAP_NET_ADMIN", "socket(7) SO_BUSY_POLL: raising it"),
    ("linux", S, "SO_BUSY_POLL_BUDGET", "CAP_NET_ADMIN", "net/core/sock.c: raising SO_BUSY_POLL_BUDGET"),
    ("linux", S, "SO_PREFER_BUSY_POLL", "CAP_NET_ADMIN", "net/core/sock.c: SO_PREFER_BUSY_POLL"),
    ("linux", S, "SO_BINDTODEVICE", "CAP_NET_RAW", "socket(7): CAP_NET_RAW before Linux 5.7"),
    ("linux", IP, "IP_TRANSPARENT", "CAP_NET_ADMIN", "ip(7) IP_TRANSPARENT (or CAP_NET_RAW)"),
    ("linux", IP6, "IPV6_TRANSPARENT", "CAP_NET_ADMIN", "net/ipv6/ipv6_sockglue.c IPV6_TRANSPARENT"),
    ("linux", IP6, "IPV6_HOPOPTS", "CAP_NET_RAW", "net/ipv6/ipv6_sockglue.c: options are privileged"),
    ("linux", IP6, "IPV6_DSTOPTS", "CAP_NET_RAW", "net/ipv6/ipv6_sockglue.c: options are privileged"),
    ("linux", IP6, "IPV6_RTHDRDSTOPTS", "CAP_NET_RAW", "net/ipv6/ipv6_sockglue.c: options are privileged"),
    ("linux", TCP, "TCP_REPAIR", "CAP_NET_ADMIN", "net/ipv4/tcp.c tcp_can_repair_sock"),
    ("linux", "SOL_NETLINK", "NETLINK_LISTEN_ALL_NSID", "CAP_NET_BROADCAST",
     "net/netlink/af_netlink.c netlink_setsockopt"),
    ("freebsd", IP, "IP_BINDANY", "superuser", "FreeBSD ip(4) IP_BINDANY: PRIV_NETINET_BINDANY"),
    ("freebsd", IP6, "IPV6_BINDANY", "superuser", "FreeBSD ip6(4) IPV6_BINDANY: PRIV_NETINET_BINDANY"),
)

_SPECS: Mapping[tuple[str, str], OptionSpec] = {spec.key: spec for spec in OPTIONS}


def requirement_for_option(platform: str, level: str, name: str) -> Requirement | None:
    """The documented privilege for setting an option, as a rule ``classify`` understands."""
    for rule_platform, rule_level, rule_name, requires, source in OPTION_REQUIREMENTS:
        if (rule_platform, rule_level, rule_name) == (platform, level, name):
            return Requirement(platform, "*", "*", "*", requires, source)
    return None


########################################################################################
# options, resolved against a socket-module surface


class ResolvedOption(NamedTuple):
    """An option spec with its level and option numbers on this host (None: not defined)."""

    spec: OptionSpec
    level: Constant
    option: Constant

    @property
    def key(self) -> str:
        return f"{self.spec.level}.{self.spec.name}"

    @property
    def missing(self) -> list[str]:
        return [c.name for c in (self.level, self.option) if not c.present]


def level_of(name: str) -> str | None:
    """The level an option constant's name implies, or None when it is not an option name."""
    if name in NOT_AN_OPTION or name.startswith(NOT_AN_OPTION_PREFIXES):
        return None
    for prefix, level in OPTION_PREFIXES:
        if name.startswith(prefix):
            return level
    return None


def generic_spec(level: str, name: str) -> OptionSpec:
    """A row for an option the socket module exposes but the table does not know: not probed,
    since a guessed value type would make the probe's own argument the refusal."""
    return OptionSpec(level, name, access="rw",
                      not_probed="not probed: not in the catalog, so its value type is unknown")


def spec_for(platform: str, spec: OptionSpec) -> OptionSpec:
    """The option's row on this OS (``PLATFORM_SPECS``), else its common row."""
    return PLATFORM_SPECS.get((platform, spec.level, spec.name), spec)


def option_specs(surface: object, platform: str) -> list[OptionSpec]:
    """Every option the surface exposes or the table lists, as this OS takes it, sorted by level
    then name."""
    specs = {key: spec_for(platform, spec) for key, spec in _SPECS.items()}
    known = {name for _, name in specs}
    for name in dir(surface):
        level = level_of(name)
        if level is not None and name not in known and isinstance(getattr(surface, name), int):
            specs[level, name] = generic_spec(level, name)
    return sorted(specs.values(), key=lambda s: s.key)


def resolve_option(surface: object, platform: str, spec: OptionSpec) -> ResolvedOption:
    """Python's numbers win; else this OS's header numbers; else absent (``no-constant``)."""
    level_table = dict(FAMILIES.get(platform, {}))
    level_table.update(LEVEL_NUMBERS.get(platform, {}))
    level = constants.resolve(surface, spec.level, level_table)
    option_table = OPTION_NUMBERS.get(platform, {}).get(spec.level, {})
    return ResolvedOption(spec, level, constants.resolve(surface, spec.name, option_table))


########################################################################################
# sockets: the subset of the create matrix that gets the option probes


class OptionCase(NamedTuple):
    """One socket to probe every applicable option on."""

    socket: CreateCase
    options: tuple[ResolvedOption, ...]

    @property
    def id(self) -> str:
        return "option/" + self.socket.id.partition("/")[2]

    def option_id(self, option: ResolvedOption) -> str:
        return f"{self.id}/{option.key}"


def applies(level: str, family: str, type_: str, proto: str) -> bool:
    """Whether a level plausibly applies to a socket (``LEVEL_SCOPE``)."""
    return any(
        rule_level == level and all(rule in ("*", value) for rule, value in
                                    ((rule_f, family), (rule_t, type_), (rule_p, proto)))
        for rule_level, rule_f, rule_t, rule_p in LEVEL_SCOPE
    )


def keeps_protocol(case: CreateCase, own_protocols: set[str]) -> bool:
    """The protocol rule of the subset: representatives, else 0 and the family's own protocols."""
    chosen = REPRESENTATIVE_PROTOCOLS.get((case.family.name, case.type.name))
    if chosen is not None:
        return case.proto.name in chosen
    if case.family.name in INET_FAMILIES:
        return True
    return case.proto.name == DEFAULT_PROTOCOL.name or case.proto.name in own_protocols


def option_sockets(surface: object, platform: str) -> list[CreateCase]:
    """The create rows the option matrix probes (see the module docstring), sorted by id."""
    seen: set[tuple[int | None, int | None, int]] = set()
    chosen: list[CreateCase] = []
    own: dict[str, set[str]] = {}
    for case in create_cases(surface, platform):
        if case.missing:
            continue
        if case.family.name not in own:
            own[case.family.name] = {c.name for c in constants.family_protocols(surface, platform,
                                                                                  case.family.name)}
        if not keeps_protocol(case, own[case.family.name]):
            continue
        numbers = (case.family.number, case.type.number, case.proto_argument)
        if numbers in seen:
            continue
        seen.add(numbers)
        chosen.append(case)
    return chosen


def option_cases(surface: object, platform: str) -> list[OptionCase]:
    """Every socket of the subset with the options whose level applies to it."""
    key = platform_key(platform)
    resolved = [resolve_option(surface, key, spec) for spec in option_specs(surface, key)]
    cases = []
    levels = sorted({o.spec.level for o in resolved})
    for sock in option_sockets(surface, key):
        names = (sock.family.name, sock.type.name, sock.proto.name)
        applying = {level for level in levels if applies(level, *names)}  # once per level, not per option
        cases.append(OptionCase(sock, tuple(o for o in resolved if o.spec.level in applying)))
    return cases


def spec_named(platform: str, level: str, name: str) -> OptionSpec | None:
    """The catalog row for an option, as this OS takes it (used for ``after`` options)."""
    spec = _SPECS.get((level, name))
    return None if spec is None else spec_for(platform, spec)

