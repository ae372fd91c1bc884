"""Observation fields for probes named by (family, type, protocol) names rather than a catalog
row: the numbers come from the socket-module surface, or the OS-header tables."""

from __future__ import annotations

from typing import Any

from sockcompat.catalog import constants
from sockcompat.catalog.platforms import FAMILIES, IP_PROTOCOLS, TYPES


def named(case_id: str, area: str, surface: object, platform: str, family: str, type_: str,
          proto: str = "0") -> dict[str, Any]:
    fam = constants.resolve(surface, family, FAMILIES.get(platform, {}))
    typ = constants.resolve(surface, type_, TYPES.get(platform, {}))
    pro = constants.DEFAULT_PROTOCOL if proto == "0" else constants.resolve(
        surface, proto, IP_PROTOCOLS.get(platform, {}))
    return {
        "id": case_id, "area": area,
        "family": fam.name, "family_num": fam.number,
        "type": typ.name, "type_num": typ.number,
        "proto": pro.name, "proto_num": pro.number,
        "python_constant": all(c.python_constant for c in (fam, typ, pro)),
    }


def missing(surface: object, *names: str) -> list[str]:
    """The names the socket-module surface does not define."""
    return [n for n in names if n != "0" and not isinstance(getattr(surface, n, None), int)]
