"""What holds for every published host report in ``reports/hosts/``, whoever republishes them: each
is valid and complete, no probe broke, and the matrix merged from them keeps the hosts' words (a
needs-privilege cell names the privilege its own notes name)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from sockcompat.report.merge import merge, report_files
from sockcompat.report.validate import load

PUBLISHED = Path(__file__).resolve().parents[1] / "reports" / "hosts"
REPORTS = sorted(report_files([PUBLISHED])) if PUBLISHED.is_dir() else []

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not REPORTS, reason="no published reports in this checkout")]


@cache
def matrix() -> dict[str, Any]:
    return merge([PUBLISHED])


@pytest.mark.parametrize("path", REPORTS, ids=[p.name for p in REPORTS])
def test_a_published_report_is_valid_complete_and_error_free(path: Path) -> None:
    report = load(path)
    assert report["run"].get("complete", True), report["run"].get("incomplete")
    broke = [o["id"] for o in report["observations"] if o["outcome"] == "error"]
    assert broke == [], broke[:5]


def test_every_report_is_in_the_matrix() -> None:
    assert len(matrix()["hosts"]) == len(REPORTS)


def test_a_needs_privilege_cell_names_the_privilege_its_notes_name() -> None:
    cells = [(row["id"], cell) for row in matrix()["rows"] for cell in row["cells"].values()
             if cell["status"] == "needs-privilege"]
    assert cells
    for row_id, cell in cells:
        names = [c["name"] for c in cell["conditions"] if c["kind"] == "capability"]
        assert names, (row_id, cell["conditions"])
        notes = " ".join(cell["notes"])
        assert all(name in notes for name in names), (row_id, names, notes)
