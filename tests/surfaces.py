"""Simulated socket-module surfaces of other platforms, built from the catalog's header tables.

Only attribute presence and values matter to the catalog; the ``socket`` callable is supplied per
test when a probe runs against the surface.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from typing import Any

from sockcompat.catalog.platforms import FAMILIES, IP_PROTOCOLS, TYPES

#: Families CPython names on Windows (no AF_UNIX: python/cpython#77589).
WINDOWS_PYTHON_FAMILIES = ("AF_UNSPEC", "AF_INET", "AF_INET6", "AF_APPLETALK", "AF_DECnet", "AF_IPX",
                           "AF_IRDA", "AF_SNA", "AF_LINK", "AF_BLUETOOTH", "AF_HYPERV")
#: macOS CPython: no SOCK_SEQPACKET support in the kernel, but the constant exists.
DARWIN_PYTHON_FAMILIES = ("AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_INET6", "AF_APPLETALK", "AF_DECnet",
                          "AF_IPX", "AF_ROUTE", "AF_LINK", "AF_SNA", "AF_SYSTEM")


def surface(
    platform: str,
    families: Iterable[str] | None = None,
    extra: dict[str, int] | None = None,
    socket_factory: Callable[..., Any] | None = None,
) -> types.SimpleNamespace:
    """A fake socket module for ``platform`` naming ``families`` (default: every family in its
    table), every type and IPPROTO_* in its tables, plus ``extra`` names."""
    family_table = FAMILIES[platform]
    names: dict[str, Any] = {n: family_table[n] for n in (families or family_table)}
    names.update(TYPES[platform])
    names.update(IP_PROTOCOLS[platform])
    names.update({"SOL_SOCKET": 1 if platform == "linux" else 0xFFFF,
                  "SO_TYPE": 3 if platform == "linux" else 0x1008})
    names.update(extra or {})
    if socket_factory is not None:
        names["socket"] = socket_factory
    return types.SimpleNamespace(**names)
