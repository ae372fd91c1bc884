"""The static site: self-contained, works from file:// and any static host, no server.

Every page is a small HTML shell (Jinja2, escaped) plus its own data file, a ``.js`` that sets
``window.SC_PAGE`` (browsers load scripts from file://, not JSON), so a page downloads only its
rows: the landing page (family x type grid per column, features, hosts) stays small whatever the
matrix holds. One page per feature, one per area and family (split by type when long); search
loads its index on first use. Cells repeat a lot, so each data file holds every distinct cell
once and rows point at them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from sockcompat.render import bcd
from sockcompat.render.grid import family_type_grid, pages, quiet_families, slug
from sockcompat.render.symbols import LOOKS, capability, cell_words, condition_text, short_value

MAX_HOSTS_LISTED = 12
STATIC = ("app.js", "style.css")


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("sockcompat.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def script(name: str, data: Any) -> str:
    """A data file: JSON assigned to a global (``</`` escaped so no string can end the script)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.{name}={text};\n"


def host_label(index: int) -> str:
    return f"H{index + 1}"


def host_names(indexes: list[int]) -> str:
    names = [host_label(i) for i in indexes[:MAX_HOSTS_LISTED]]
    more = len(indexes) - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def column_short(platform: dict[str, Any]) -> str:
    return f"{platform['os_label']} {platform['series']} {platform['privilege']}"


def platforms_data(matrix: dict[str, Any]) -> list[dict[str, Any]]:
    hosts = matrix["hosts"]
    return [
        {
            "id": p["id"],
            "label": p["label"],
            "short": column_short(p),
            "hosts": [
                [
                    f"{host_label(i)} {hosts[i]['file']}",
                    hosts[i]["release"],
                    f"{hosts[i]['implementation']} {hosts[i]['python']}",
                ]
                for i in p["hosts"]
            ],
        }
        for p in matrix["platforms"]
    ]


def cell_view(cell: dict[str, Any]) -> list[Any]:
    """[letter, the words shown in the cell, [(term, text)] shown when it is opened]."""
    words = cell_words(cell)
    value = short_value(cell["values"])
    if value is not None and cell["status"] == "supported":
        words.append(value)
    if cell["errno"] and cell["status"] != "supported":
        words.append(",".join(cell["errno"]))
    details: list[list[str]] = []
    details += [["errno", e] for e in cell["errno"]]
    details += [["condition", f"{condition_text(c)} (from {c['source']})"] for c in cell["conditions"]]
    if cell["layer"] == "python":
        details.append(["layer", "Python refused the call before the OS saw it"])
    if cell["values"]:
        details.append(["value", ", ".join(json.dumps(v) for v in cell["values"])])
    details += [["note", n] for n in cell["notes"]]
    for s in cell["statements"]:
        term = (
            s["outcome"]
            + (f" {s['errno']}" if s["errno"] else "")
            + (" (Python)" if s["layer"] == "python" else "")
        )
        if s["python"]:
            term += f" · Python {s['python']}"
        details.append([term, host_names(s["hosts"])])
    details += [["conflict", f"{c['host']}: {', '.join(c['outcomes'])}"] for c in cell["conflicts"]]
    return [LOOKS[cell["status"]].letter, " ".join(words), details]


def rows_data(matrix: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    cells: list[list[Any]] = []
    seen: dict[int, int] = {}  # id(cell) -> index: merge shares identical cells between rows
    packed: dict[str, int] = {}
    out_rows = []
    for row in rows:
        refs = []
        for platform in matrix["platforms"]:
            cell = row["cells"].get(platform["id"])
            if cell is None:
                refs.append(-1)
                continue
            number = seen.get(id(cell))
            if number is None:
                view = cell_view(cell)
                key = json.dumps(view, ensure_ascii=False)
                number = packed.get(key)
                if number is None:
                    number = packed[key] = len(cells)
                    cells.append(view)
                seen[id(cell)] = number
            refs.append(number)
        out_rows.append([row["id"], row["step"], capability(row), 1 if row["differs"] else 0, refs])
    return {"platforms": platforms_data(matrix), "cells": cells, "rows": out_rows}


def landing_data(matrix: dict[str, Any], page_list: list[tuple[str, str, int]]) -> dict[str, Any]:
    families, types, grid = family_type_grid(matrix)
    create_pages = {
        title.split(" · ")[1]: name for name, title, _ in page_list if title.startswith("create · ")
    }
    letters = {status: look.letter for status, look in LOOKS.items()}
    columns = [
        [
            "".join(letters[grid[p["id"]][(f, t)]] if (f, t) in grid[p["id"]] else "." for t in types)
            for f in families
        ]
        for p in matrix["platforms"]
    ]
    quiet = quiet_families(families, grid)
    return {
        "platforms": platforms_data(matrix),
        "grid": {
            "families": families,
            "types": types,
            "columns": columns,
            "quiet": [
                [LOOKS[status].letter, LOOKS[status].label, names] for status, names in sorted(quiet.items())
            ],
            "hidden": sorted({f for names in quiet.values() for f in names}),
            "links": [f"areas/{create_pages[f]}.html" if f in create_pages else "#grid" for f in families],
        },
        "features": [
            [
                f["id"],
                f["title"],
                f["category"],
                [
                    letters[f["answers"][p["id"]]] if p["id"] in f["answers"] else "?"
                    for p in matrix["platforms"]
                ],
            ]
            for f in matrix["features"]
        ],
        "pages": [list(p) for p in page_list],
    }


def search_data(matrix: dict[str, Any], page_of: dict[tuple[str, str], str]) -> list[list[str]]:
    """[kind, name, link, note]: features, then option names, constants and families (once each)."""
    entries = [["feature", f["title"], f"features/{f['id']}.html", f["id"]] for f in matrix["features"]]
    seen: set[tuple[str, str]] = set()
    for row in matrix["rows"]:
        page = page_of[(row["id"], row["step"])]
        last = row["id"].rsplit("/", 1)[-1]
        if row["area"] == "option":
            name, kind = last.rsplit(".", 1)[-1], f"option on {row['family']}"
            link = f"areas/{page}.html#q={name}"
        elif row["area"] == "constant":
            name, kind, link = last, "constant", f"areas/{page}.html#row={row['id']}|{row['step']}"
        elif row["area"] == "create" and row["family"]:
            name, kind, link = row["family"], "family", f"areas/{page}.html"
        else:
            continue
        if (kind, name) not in seen:
            seen.add((kind, name))
            entries.append([kind, name, link, ""])
    return entries


def render_site(
    matrix: dict[str, Any], site: Path, progress: Callable[[int], None] | None = None
) -> list[Path]:
    """Write the whole site under ``site`` and return the files written (``progress`` hears
    the count so far)."""
    env = environment()
    shell = env.get_template("page.html.j2")
    written: list[Path] = []

    def put(relative: str, text: str) -> None:
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
        if progress is not None:
            progress(len(written))

    package = resources.files("sockcompat.render").joinpath("site")
    for name in STATIC:
        put(f"assets/{name}", package.joinpath(name).read_text("utf-8"))
    put(
        "assets/looks.js",
        script("SC", {"looks": {s: [look.letter, look.label, look.meaning] for s, look in LOOKS.items()}}),
    )

    page_list = []
    page_of: dict[tuple[str, str], str] = {}
    for name, title, rows in pages(matrix):
        page_list.append((name, title, len(rows)))
        for row in rows:
            page_of[(row["id"], row["step"])] = name
        put(f"data/areas/{name}.js", script("SC_PAGE", rows_data(matrix, rows)))
        put(
            f"areas/{name}.html",
            shell.render(
                title=title,
                kind="rows",
                root="../",
                data=f"areas/{name}.js",
                summary=f"{len(rows)} rows; click a cell for its errno, "
                "conditions, Python versions and hosts.",
            ),
        )
    by_key = {(r["id"], r["step"]): r for r in matrix["rows"]}
    for feature in matrix["features"]:
        rows = [by_key[(i, s)] for i, s in feature["rows"]]
        data = rows_data(matrix, rows)
        data["feature"] = {
            **{k: feature[k] for k in ("id", "title", "description", "combine")},
            "letters": [
                LOOKS[feature["answers"].get(p["id"], "unknown")].letter for p in matrix["platforms"]
            ],
        }
        put(f"data/features/{slug(feature['id'])}.js", script("SC_PAGE", data))
        put(
            f"features/{feature['id']}.html",
            shell.render(
                title=feature["title"],
                kind="rows",
                root="../",
                data=f"features/{slug(feature['id'])}.js",
                summary=f"Feature {feature['id']} ({feature['category']}), decided by {len(rows)} rows.",
            ),
        )
    put("data/landing.js", script("SC_PAGE", landing_data(matrix, page_list)))
    put("data/search.js", script("SC_SEARCH", search_data(matrix, page_of)))
    hosts = matrix["hosts"]
    put(
        "index.html",
        shell.render(
            title="Socket compatibility",
            kind="landing",
            root="",
            data="landing.js",
            summary=f"What sockets can do, measured through Python on {len(hosts)} host runs in "
            f"{len(matrix['platforms'])} columns (newest run {matrix['newest_run']}). Statuses are a letter "
            "in a shape; the legend is at the bottom.",
        ),
    )
    put("compat.json", json.dumps(bcd.render(matrix), ensure_ascii=False, separators=(",", ":")))
    schemas = {
        "matrix-2.json": resources.files("sockcompat.report").joinpath("matrix.schema.json"),
        "compat-1.json": resources.files("sockcompat.render").joinpath("compat.schema.json"),
        "features-1.json": resources.files("sockcompat.catalog").joinpath("features.schema.json"),
    }
    for name, source in schemas.items():
        put(f"schema/{name}", source.read_text("utf-8"))
    links = "".join(f'<li><a href="{name}">{name}</a></li>' for name in schemas)
    put("schema/index.html", f'<!DOCTYPE html><meta charset="utf-8"><title>schemas</title><ul>{links}</ul>\n')
    return written
