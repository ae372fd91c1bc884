"""What changed between two host reports, or two matrices: capability, before, after.

A report's state per capability is its outcome and errno (values are measurements and are left
out unless asked for); a matrix's state per capability and platform is the cell's status, Python
range and conditions. A capability on one side only is "(absent)" on the other.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from sockcompat.errors import ReportError
from sockcompat.report import matrix as matrix_file
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
        return "matrix", matrix_file.load(path)
    return "report", load_report(path)


def changes(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    return [
        Change(key, before.get(key, ABSENT), after.get(key, ABSENT))
        for key in sorted(before.keys() | after.keys())
        if before.get(key, ABSENT) != after.get(key, ABSENT)
    ]


def diff_files(a: Path, b: Path, values: bool = False) -> list[Change]:
    """Changes from ``a`` to ``b``; both must be reports or both matrices (ReportError otherwise)."""
    kind_a, data_a = load_either(a)
    kind_b, data_b = load_either(b)
    if kind_a != kind_b:
        raise ReportError(f"{a} is a {kind_a} but {b} is a {kind_b}: compare like with like")
    if kind_a == "matrix":
        return changes(matrix_states(data_a), matrix_states(data_b))
    return changes(report_states(data_a, values), report_states(data_b, values))
