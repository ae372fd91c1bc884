"""Observation fields from a (family, type, protocol) row: resolved constants (a catalog row), or
names resolved here against the socket-module surface and the OS-header tables."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sockcompat.catalog import constants
from sockcompat.catalog.constants import Constant
from sockcompat.catalog.platforms import FAMILIES, IP_PROTOCOLS, TYPES


def named(case_id: str, area: str, surface: object, platform: str, family: str, type_: str,
          proto: str = "0") -> dict[str, Any]:
    fam = constants.resolve(surface, family, FAMILIES.get(platform, {}))
    typ = constants.resolve(surface, type_, TYPES.get(platform, {}))
    pro = constants.DEFAULT_PROTOCOL if proto == "0" else constants.resolve(
        surface, proto, IP_PROTOCOLS.get(platform, {}))
    return of_row(case_id, area, fam, typ, pro)


def of_row(case_id: str, area: str, family: Constant, type_: Constant, proto: Constant,
           *others: Constant) -> dict[str, Any]:
    """``python_constant`` is False when any constant used (``others`` too, e.g. an option's level
    and name) came from the OS headers instead of Python."""
    return {
        "id": case_id, "area": area,
        "family": family.name, "family_num": family.number,
        "type": type_.name, "type_num": type_.number,
        "proto": proto.name, "proto_num": proto.number,
        "python_constant": all(c.python_constant for c in (family, type_, proto, *others)),
    }


def undefined(platform: str, names: Iterable[str]) -> str:
    """The detail of a ``no-constant`` row: no number to pass, from Python or the OS headers."""
    return f"neither Python nor the {platform} headers define {', '.join(names)}"


def missing(surface: object, *names: str) -> list[str]:
    """The names the socket-module surface does not define."""
    return [n for n in names if n != "0" and not isinstance(getattr(surface, n, None), int)]
