"""compat.json: the matrix in the shape of MDN browser-compat-data, for tools that read BCD.

A "platform" here is what a BCD browser is: an OS with an architecture, a privilege and the traits
that change answers; its releases play the role of browser versions, so support reads
``version_added: "6.1"`` with a range (``"6.1+"``) beside it, conditions become ``flags`` and the
hosts' details ``notes``. Shape: ``compat.schema.json``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from sockcompat.report.merge import version_range

SCHEMA_ID = "https://sockcompat.invalid/schema/compat-1.json"


def platform_key(platform: dict[str, Any]) -> str:
    return "-".join([platform["os"], platform["machine"], platform["privilege"], *platform["traits"]])


def series_number(series: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", series)) or (0,)


def series_text(number: tuple[int, ...]) -> str:
    return ".".join(str(n) for n in number)


def support(cells: dict[str, dict[str, Any]], columns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One BCD support statement per status seen across a platform's releases."""
    releases = [series_number(c["series"]) for c in columns]
    by_status: dict[str, list[tuple[tuple[int, ...], dict[str, Any]]]] = defaultdict(list)
    for column, release in zip(columns, releases):
        cell = cells.get(column["id"])
        if cell is not None:
            by_status[cell["status"]].append((release, cell))
    statements = []
    for status, seen in sorted(by_status.items(), key=lambda kv: min(r for r, _ in kv[1])):
        first = min(r for r, _ in seen)
        cell = seen[0][1]
        statement: dict[str, Any] = {
            "version_added": series_text(first) if status == "supported" else False,
            "releases": version_range({r for r, _ in seen}, releases) or series_text(first),
            "status": status,
        }
        flags = [
            {"type": c["kind"], "name": c["name"], "value_to_set": c["value"]} for c in cell["conditions"]
        ]
        if flags:
            statement["flags"] = flags
        notes = list(cell["notes"])
        if cell.get("layer") == "python":
            notes.insert(0, "Python refused the call before the OS saw it")
        if notes:
            statement["notes"] = notes
        if status == "partial":
            statement["partial_implementation"] = True
        statements.append(statement)
    return statements


def render(matrix: dict[str, Any]) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for column in matrix["platforms"]:
        groups[platform_key(column)].append(column)
    platforms = {
        key: {
            "os": columns[0]["os"],
            "machine": columns[0]["machine"],
            "privilege": columns[0]["privilege"],
            "traits": columns[0]["traits"],
            "releases": sorted((c["series"] for c in columns), key=series_number),
        }
        for key, columns in groups.items()
    }
    rows: dict[str, Any] = {}
    known: dict[tuple[int, ...], list[dict[str, Any]]] = {}  # merge shares cells: so can the statements
    for row in matrix["rows"]:
        statements = {}
        for key, columns in groups.items():
            said = tuple(id(row["cells"].get(c["id"])) for c in columns)
            if said not in known:
                known[said] = support(row["cells"], columns)
            statements[key] = known[said]
        rows[f"{row['id']}#{row['step']}"] = {"__compat": {"area": row["area"], "support": statements}}
    features: dict[str, Any] = {}
    for feature in matrix["features"]:
        cells = {
            cid: {"status": status, "conditions": [], "notes": [], "layer": None}
            for cid, status in feature["answers"].items()
        }
        features[feature["id"]] = {
            "__compat": {
                "description": feature["description"],
                "support": {key: support(cells, columns) for key, columns in groups.items()},
            }
        }
    return {
        "$schema": SCHEMA_ID,
        "__meta": {
            "version": matrix["tool"]["version"],
            "matrix_schema_version": matrix["schema_version"],
            "newest_run": matrix["newest_run"],
        },
        "platforms": platforms,
        "features": features,
        "rows": rows,
    }
