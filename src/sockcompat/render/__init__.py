"""Views over a merged matrix: Markdown, one self-contained HTML page, long-format CSV.

Every view reads only the matrix's content, so any of them can be rebuilt from ``matrix.json``
alone; writing ``matrix.json`` itself is the publish command's job, not a view's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def render_all(matrix: dict[str, Any], directory: Path) -> list[Path]:
    """Write index.md, index.html and matrix.csv into ``directory`` and return their paths. The
    views load here, not at import: a probing host's light install has no jinja2, and the run's
    terminal summary (``render.terminal``) must not need it."""
    from sockcompat.render import csv, html, markdown

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("index.md", markdown.render(matrix)), ("index.html", html.render(matrix)),
                       ("matrix.csv", csv.render(matrix))):
        path = directory / name
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written
