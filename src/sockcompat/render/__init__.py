"""Views over a merged matrix: index.md with tables/*.md, the static site (index.html, with the
CSV and the BCD-shaped export) in the same folder, so the folder is what GitHub shows and what Pages
serves; all built from the matrix alone, so any of them can be rebuilt from ``matrix.json``.
Writing ``matrix.json`` itself is the publish command's job, not a view's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def render_all(
    matrix: dict[str, Any], directory: Path, progress: Callable[[int], None] | None = None
) -> list[Path]:
    """Write index.md, tables/*.md, matrix.csv and the site into ``directory``; return the paths;
    ``progress`` hears the count of files written so far. (Modules imported here: ``show`` loads
    ``render.symbols`` and must not pay for Jinja2.)"""
    from sockcompat.render import csv, html, markdown

    directory.mkdir(parents=True, exist_ok=True)
    texts = {
        "index.md": markdown.render(matrix),
        **markdown.render_tables(matrix),
        "matrix.csv": csv.render(matrix),
    }
    written = []
    for name, text in texts.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
        if progress is not None:
            progress(len(written))
    site_progress = None if progress is None else (lambda done: progress(len(written) + done))
    return written + html.render_site(matrix, directory, site_progress)
