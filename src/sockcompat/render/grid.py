"""Shared shapes of the published views: the family x type grid, pages by area and family.

Every view answers the same first question the same way: for each column, which socket(family,
type) can be created. A grid cell is the ``create`` rows of that family and type combined as the
feature catalog's ``any`` (supported when one protocol is; otherwise the status closest to a yes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sockcompat.catalog.features import CLOSEST_TO_YES
from sockcompat.render.symbols import family_order

TYPE_ORDER = ("SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_SEQPACKET", "SOCK_RDM", "SOCK_PACKET")
#: One page per (area, family) unless it has more rows than this: then one per (area, family, type).
MAX_PAGE_ROWS = 2500


def type_order(type_: str) -> tuple[int, str]:
    return (TYPE_ORDER.index(type_) if type_ in TYPE_ORDER else len(TYPE_ORDER), type_)


def family_type_grid(
    matrix: dict[str, Any],
) -> tuple[list[str], list[str], dict[str, dict[tuple[str, str], str]]]:
    """(families, types, {column id: {(family, type): status}}) from the ``create`` rows."""
    found: dict[str, dict[tuple[str, str], set[str]]] = {p["id"]: {} for p in matrix["platforms"]}
    families, types = set(), set()
    for row in matrix["rows"]:
        if row["area"] != "create" or row["step"] != "create" or not row["family"] or not row["type"]:
            continue
        key = (row["family"], row["type"])
        families.add(key[0])
        types.add(key[1])
        for column, cell in row["cells"].items():
            found[column].setdefault(key, set()).add(cell["status"])
    grid = {
        column: {key: best(statuses) for key, statuses in cells.items()} for column, cells in found.items()
    }
    return sorted(families, key=family_order), sorted(types, key=type_order), grid


def best(statuses: set[str]) -> str:
    if "supported" in statuses:
        return "supported"
    return next((s for s in CLOSEST_TO_YES if s in statuses), "unknown")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "other"


def pages(matrix: dict[str, Any]) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    """(slug, title, rows) per drill-down page: an area and family, split by socket type when the
    page would be too long to read or to load."""
    from sockcompat.render.symbols import group

    by_group: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in matrix["rows"]:
        by_group.setdefault((row["area"], group(row)), []).append(row)
    for (area, family), rows in sorted(by_group.items()):
        if len(rows) <= MAX_PAGE_ROWS:
            yield slug(f"{area}-{family}"), f"{area} · {family}", rows
            continue
        by_type: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_type.setdefault(row["type"] or "other", []).append(row)
        for type_, type_rows in sorted(by_type.items()):
            yield slug(f"{area}-{family}-{type_}"), f"{area} · {family} · {type_}", type_rows


def quiet_families(families: list[str], grid: dict[str, dict[tuple[str, str], str]]) -> dict[str, list[str]]:
    """Families every column answers the same way for every type, by that status ("unsupported",
    "no-constant"): listed by name under the grid instead of as rows of identical letters."""
    quiet: dict[str, list[str]] = {}
    for family in families:
        statuses = {status for cells in grid.values() for (f, _), status in cells.items() if f == family}
        if len(statuses) == 1 and statuses <= {"unsupported", "no-constant"}:
            quiet.setdefault(statuses.pop(), []).append(family)
    return quiet
