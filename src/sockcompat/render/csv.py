"""matrix.csv: long format, one line per capability x platform (missing evidence: ``unknown``)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from sockcompat.render.symbols import condition_text

COLUMNS = (
    "id",
    "step",
    "area",
    "family",
    "type",
    "proto",
    "platform",
    "os",
    "privilege",
    "status",
    "versions",
    "conditions",
    "layer",
    "errno",
    "values",
    "outcomes",
    "hosts",
    "conflicts",
    "notes",
)


def cell_fields(cell: dict[str, Any], hosts: list[dict[str, Any]]) -> list[Any]:
    outcomes = ";".join(f"{s['outcome']}:{len(s['hosts'])}" for s in cell["statements"])
    return [
        cell["status"],
        cell["versions"] or "",
        ";".join(condition_text(c) for c in cell["conditions"]),
        cell["layer"] or "",
        ";".join(cell["errno"]),
        json.dumps(cell["values"], sort_keys=True) if cell["values"] else "",
        outcomes,
        ";".join(hosts[i]["id"] for i in cell["evidence"]),
        len(cell["conflicts"]),
        " | ".join(cell["notes"]),
    ]


def render(matrix: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(lines(matrix))
    return out.getvalue()


def lines(matrix: dict[str, Any]) -> Iterator[list[Any]]:
    hosts = matrix["hosts"]
    missing = ["unknown"] + [""] * (len(COLUMNS) - 10)
    columns = [(p["id"], [p["id"], p["os"], p["privilege"]]) for p in matrix["platforms"]]
    known: dict[int, list[Any]] = {}  # merge shares identical cells between rows: format each once
    for row in matrix["rows"]:
        names = [
            row["id"],
            row["step"],
            row["area"],
            row["family"] or "",
            row["type"] or "",
            row["proto"] or "",
        ]
        cells = row["cells"]
        for column, platform in columns:
            cell = cells.get(column)
            if cell is None:
                yield names + platform + missing
                continue
            fields = known.get(id(cell))
            if fields is None:
                fields = known[id(cell)] = cell_fields(cell, hosts)
            yield names + platform + fields
