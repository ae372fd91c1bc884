"""The socket() matrix: which (family, type, protocol) combinations a host gets probed for.

The rule, stated once (the test file never lists combinations):

- Every family x every type, with protocol ``0`` and the family's own protocols (NETLINK_*,
  CAN_*, BTPROTO_*, ETH_P_ALL).
- IP families (AF_INET, AF_INET6) also get every IPPROTO_* the host defines, from Python or the
  OS headers.
- Other families get every IPPROTO_* Python names, when Python names both family and type
  (the full 33 x 5 x 27 cross on Linux CPython); numbers known only from OS headers are probed
  with protocol 0 and their own protocols, which keeps the cross from exploding.
- Names no one defines on this host become ``no-constant`` rows: absent families and types with
  protocol 0, absent IPPROTO_* under the IP families, so every host has comparable rows.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Iterator
from typing import NamedTuple

from sockcompat.catalog import constants
from sockcompat.catalog.constants import DEFAULT_PROTOCOL, Constant
from sockcompat.catalog.platforms import INET_FAMILIES, NETWORK_ORDER_PROTOCOLS, htons, platform_key


class CreateCase(NamedTuple):
    """One socket() call to make: the row of the create matrix."""

    family: Constant
    type: Constant
    proto: Constant

    @property
    def id(self) -> str:
        return f"create/{self.family.name}/{self.type.name}/{self.proto.name}"

    @property
    def missing(self) -> list[str]:
        """Names in this row that neither Python nor the OS headers define here."""
        return [c.name for c in (self.family, self.type, self.proto) if not c.present]

    @property
    def proto_argument(self) -> int:
        """The protocol number as socket() wants it (packet(7) takes htons(ETH_P_ALL))."""
        number = self.proto.number or 0
        return htons(number) if self.proto.name in NETWORK_ORDER_PROTOCOLS else number


def create_cases(surface: object, platform: str) -> list[CreateCase]:
    """All create rows for a socket-module surface (the live module, or a simulated one) on a
    platform, sorted by id."""
    key = platform_key(platform)
    if isinstance(surface, Hashable):  # the socket module: built once, several suites collect from it
        return list(_cached_cases(surface, key))
    return list(_sorted_cases(surface, key))  # a simulated surface (tests): built afresh


def _sorted_cases(surface: object, platform: str) -> tuple[CreateCase, ...]:
    cases = {case.id: case for case in _generate(surface, platform)}
    return tuple(cases[i] for i in sorted(cases))


_cached_cases = functools.lru_cache(maxsize=8)(_sorted_cases)


def _generate(surface: object, platform: str) -> Iterator[CreateCase]:
    families = constants.families(surface, platform)
    types = constants.types(surface, platform)
    ip_protocols = constants.ip_protocols(surface, platform)
    present_types = [t for t in types if t.present]
    present_families = [f for f in families if f.present]

    for family in present_families:
        own = constants.family_protocols(surface, platform, family.name)
        for type_ in present_types:
            for proto in [DEFAULT_PROTOCOL, *own]:
                yield CreateCase(family, type_, proto)
            for proto in ip_protocols:
                if not proto.present:
                    continue
                if family.name in INET_FAMILIES or (
                    family.python_constant and type_.python_constant and proto.python_constant
                ):
                    yield CreateCase(family, type_, proto)

    for family in families:
        if not family.present:
            for type_ in present_types:
                yield CreateCase(family, type_, DEFAULT_PROTOCOL)
    for type_ in types:
        if not type_.present:
            for family in present_families:
                yield CreateCase(family, type_, DEFAULT_PROTOCOL)
    for proto in ip_protocols:
        if not proto.present:
            for family in present_families:
                if family.name in INET_FAMILIES:
                    for type_ in present_types:
                        yield CreateCase(family, type_, proto)
