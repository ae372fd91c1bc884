"""Views over a merged matrix: Markdown, one self-contained HTML page, long-format CSV.

Every view reads only ``matrix.json``'s content, so any of them can be rebuilt from it alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sockcompat.render import csv, html, markdown
from sockcompat.report import matrix as matrix_file

OUTPUTS = ("matrix.json", "index.md", "index.html", "matrix.csv")


def render_all(matrix: dict[str, Any], directory: Path) -> list[Path]:
    """Write the four files into ``directory`` (matrix.json validated first) and return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = [matrix_file.write(matrix, directory / "matrix.json")]
    for name, text in (("index.md", markdown.render(matrix)), ("index.html", html.render(matrix)),
                       ("matrix.csv", csv.render(matrix))):
        path = directory / name
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written
