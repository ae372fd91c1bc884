"""index.html: one self-contained page (no external files) built with Jinja2, every string escaped.

Filters (OS, family, area, status, "only rows that differ", text) run in a few lines of inline
script and live in the URL fragment (``#os=linux&status=needs-privilege``), so a filtered view can
be linked to, and a headless browser can open one directly. Cells expand (``<details>``) to the
errno, conditions, notes, per-statement Python versions and the evidence hosts, without script.
"""

from __future__ import annotations

from typing import Any

import jinja2

from sockcompat.render.symbols import CONFLICT, LOOKS, capability, group, short_value, unsupported_everywhere

MAX_HOSTS_LISTED = 12


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("sockcompat.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def host_label(index: int) -> str:
    """Cells name hosts by a short label (``H3``) that the page's host table spells out."""
    return f"H{index + 1}"


def host_names(indexes: list[int], hosts: list[dict[str, Any]]) -> str:
    names = [host_label(i) for i in indexes[:MAX_HOSTS_LISTED]]
    more = len(indexes) - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def view_cell(cell: dict[str, Any] | None, platform: dict[str, Any],
              hosts: list[dict[str, Any]]) -> dict[str, Any]:
    if cell is None:
        return {"os": platform["os"], "status": "missing", "look": LOOKS["unknown"], "brief": "",
                "details": False}
    status = cell["status"]
    brief = " ".join(filter(None, [cell["versions"] or "", short_value(cell["values"]) or "",
                                   *cell["conditions"]]))
    statements = [
        {"outcome": s["outcome"], "errno": s["errno"], "python": s["python"],
         "hosts": host_names(s["hosts"], hosts)}
        for s in cell["statements"]
    ]
    conflicts = [
        {"host": c["host"], "outcomes": ", ".join(c["outcomes"]),
         "files": host_names(c["reports"], hosts)}
        for c in cell["conflicts"]
    ]
    return {
        "os": platform["os"], "status": status, "look": LOOKS[status], "brief": brief, "details": True,
        "errno": ", ".join(cell["errno"]), "conditions": ", ".join(cell["conditions"]),
        "notes": cell["notes"],
        "values": ", ".join(str(v) for v in cell["values"]), "statements": statements, "conflicts": conflicts,
    }


def render(matrix: dict[str, Any]) -> str:
    hosts = matrix["hosts"]
    platforms = matrix["platforms"]
    rows = []
    for row in matrix["rows"]:
        rows.append({
            "id": row["id"], "step": row["step"], "capability": capability(row), "area": row["area"],
            "group": group(row), "differs": row["differs"], "nowhere": unsupported_everywhere(row),
            "cells": [view_cell(row["cells"].get(p["id"]), p, hosts) for p in platforms],
        })
    return environment().get_template("index.html.j2").render(
        matrix=matrix,
        platforms=platforms,
        hosts=[{"label": host_label(i), **h} for i, h in enumerate(hosts)],
        rows=rows,
        looks=LOOKS,
        conflict=CONFLICT,
        oses=sorted({(p["os"], p["os_label"]) for p in platforms}),
        areas=sorted({r["area"] for r in rows}),
        groups=sorted({r["group"] for r in rows}),
    )
