"""What changed between two host reports, or two matrices: capability, before, after.

A report's state per capability is its outcome and errno (values are measurements and are left
out unless asked for); a matrix's state per capability and platform is the cell's status, Python
range and conditions. A capability on one side only is "(absent)" on the other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sockcompat.errors import ReportError
from sockcompat.report.validate import load as load_report
from sockcompat.report.validate import read_text

ABSENT = "(absent)"


class Change(NamedTuple):
    capability: str
    before: str
    after: str


def observation_state(obs: dict[str, Any], values: bool = False) -> str:
    text = " ".join(filter(None, [obs["outcome"], obs.get("errno")]))
    if values and obs.get("value") is not None:
        text += " = " + json.dumps(obs["value"], sort_keys=True)
    return text


def report_states(report: dict[str, Any], values: bool = False) -> dict[str, str]:
    return {f"{o['id']} [{o['step']}]": observation_state(o, values) for o in report["observations"]}


def cell_state(cell: dict[str, Any]) -> str:
    conditions = (c["name"] for c in cell["conditions"])
    return " ".join(filter(None, [cell["status"], cell["versions"] or "", *conditions]))


def matrix_states(matrix: dict[str, Any]) -> dict[str, str]:
    labels = {p["id"]: p["id"] for p in matrix["platforms"]}
    return {
        f"{row['id']} [{row['step']}] @{labels.get(column, column)}": cell_state(cell)
        for row in matrix["rows"] for column, cell in row["cells"].items()
    }


def load_either(path: Path) -> tuple[str, dict[str, Any]]:
    """("matrix" | "report", data): a matrix names its format; anything else must be a host report."""
    try:
        head = json.loads(read_text(path))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError):
        return "report", load_report(path)  # raises a ReportError with the precise reason
    if isinstance(head, dict) and head.get("format") == "sockcompat-matrix":
        from sockcompat.report import matrix as matrix_file  # jsonschema: the publish extra

        return "matrix", matrix_file.load(path)
    return "report", load_report(path)


def changes(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    return [
        Change(key, before.get(key, ABSENT), after.get(key, ABSENT))
        for key in sorted(before.keys() | after.keys())
        if before.get(key, ABSENT) != after.get(key, ABSENT)
    ]


def area_of(capability: str) -> str:
    """``create`` of ``create/AF_INET/SOCK_RAW/0 [create]``."""
    return capability.split("/", 1)[0]


def select(found: list[Change], changed_only: bool = False, areas: Sequence[str] = ()) -> list[Change]:
    """The changes in ``areas`` (all when empty); with ``changed_only``, only capabilities both
    sides have (a root report against a user report is otherwise mostly "(absent)")."""
    return [c for c in found
            if (not areas or area_of(c.capability) in areas)
            and not (changed_only and ABSENT in (c.before, c.after))]


def summary(found: list[Change]) -> dict[str, Any]:
    """Counts a reader takes in first: changed on both sides, present on one side only, per area."""
    areas: dict[str, int] = {}
    for change in found:
        areas[area_of(change.capability)] = areas.get(area_of(change.capability), 0) + 1
    return {
        "differ": len(found),
        "changed": sum(ABSENT not in (c.before, c.after) for c in found),
        "only_before": sum(c.after == ABSENT for c in found),
        "only_after": sum(c.before == ABSENT for c in found),
        "by_area": dict(sorted(areas.items())),
    }


def summary_line(counts: dict[str, Any]) -> str:
    areas = ", ".join(f"{area} {n}" for area, n in counts["by_area"].items())
    return (f"{counts['differ']} differ: {counts['changed']} changed, {counts['only_before']} only in A, "
            f"{counts['only_after']} only in B" + (f" ({areas})" if areas else ""))


def diff_files(a: Path, b: Path, values: bool = False) -> list[Change]:
    """Changes from ``a`` to ``b``; both must be reports or both matrices (ReportError otherwise)."""
    kind_a, data_a = load_either(a)
    kind_b, data_b = load_either(b)
    if kind_a != kind_b:
        raise ReportError(f"{a} is a {kind_a} but {b} is a {kind_b}: compare like with like")
    if kind_a == "matrix":
        return changes(matrix_states(data_a), matrix_states(data_b))
    return changes(report_states(data_a, values), report_states(data_b, values))
