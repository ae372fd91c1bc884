"""Resolve constant names against a socket-module surface and the per-OS header tables.

A *surface* is anything with socket-module attributes: the real ``socket`` module, or a fake built
from another OS's data in tests. Nothing here calls the OS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from sockcompat.catalog.platforms import FAMILIES, FAMILY_PROTOCOLS, IP_PROTOCOLS, TYPES

#: Names with a probed prefix that are not what the prefix promises.
NOT_A_TYPE = frozenset({"SOCK_NONBLOCK", "SOCK_CLOEXEC"})
NOT_A_PROTOCOL = frozenset({"IPPROTO_MAX"})


class Constant(NamedTuple):
    """A name, the number passed to the OS (None: nobody here defines it), and who defines it."""

    name: str
    number: int | None
    python_constant: bool

    @property
    def present(self) -> bool:
        return self.number is not None


DEFAULT_PROTOCOL = Constant("0", 0, True)


def resolve(surface: object, name: str, table: Mapping[str, int]) -> Constant:
    """Python's value wins; else this OS's header number (``python_constant`` False); else absent."""
    value = getattr(surface, name, None)
    if isinstance(value, int):
        return Constant(name, int(value), True)
    return Constant(name, table.get(name), False)


def surface_names(surface: object, prefix: str, excluded: frozenset[str] = frozenset()) -> set[str]:
    """Integer constants on the surface whose name starts with ``prefix``."""
    return {
        name
        for name in dir(surface)
        if name.startswith(prefix) and name not in excluded and isinstance(getattr(surface, name), int)
    }


def union_names(tables: Iterable[Mapping[str, int]]) -> set[str]:
    """Every name any OS table knows: so hosts that lack one still get a comparable row."""
    names: set[str] = set()
    for table in tables:
        names.update(table)
    return names


def families(surface: object, platform: str) -> list[Constant]:
    """Every AF_* name Python or any OS table knows, resolved for this platform."""
    names = surface_names(surface, "AF_") | union_names(FAMILIES.values())
    return [resolve(surface, n, FAMILIES.get(platform, {})) for n in sorted(names)]


def types(surface: object, platform: str) -> list[Constant]:
    """Every SOCK_* type (not the flag bits) Python or any OS table knows."""
    names = surface_names(surface, "SOCK_", NOT_A_TYPE) | union_names(TYPES.values())
    return [resolve(surface, n, TYPES.get(platform, {})) for n in sorted(names)]


def ip_protocols(surface: object, platform: str) -> list[Constant]:
    """Every IPPROTO_* name Python or any OS table knows."""
    names = surface_names(surface, "IPPROTO_", NOT_A_PROTOCOL) | union_names(IP_PROTOCOLS.values())
    return [resolve(surface, n, IP_PROTOCOLS.get(platform, {})) for n in sorted(names)]


def family_protocols(surface: object, platform: str, family: str) -> list[Constant]:
    """The protocols that belong to one family (NETLINK_*, CAN_*, BTPROTO_*, ETH_P_ALL)."""
    names: set[str] = set()
    for per_os in FAMILY_PROTOCOLS.values():
        names.update(per_os.get(family, {}))
    table = FAMILY_PROTOCOLS.get(platform, {}).get(family, {})
    resolved = (resolve(surface, n, table) for n in sorted(names))
    return [c for c in resolved if c.present]
