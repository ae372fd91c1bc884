"""Read, check and write a merged matrix (``matrix.schema.json``) and its lookup index.

Reading checks the format and version only: the whole schema is checked when a matrix is written
and by ``check`` (tests, ``validate``), not on every read (jsonschema took 48 s of a 49 s ``show``).
``matrix.json`` holds one row per line; ``matrix.index.json`` beside it names every row with its
byte offset, so ``show`` reads a few lines instead of parsing 24 MB.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from sockcompat.errors import ReportError

FORMAT = "sockcompat-matrix"
SCHEMA_VERSION = 2
INDEX_FORMAT = "sockcompat-matrix-index"
INDEX_NAME = "matrix.index.json"


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        resources.files("sockcompat.report").joinpath("matrix.schema.json").read_text("utf-8")
    )
    return loaded


@cache
def fast_checks() -> tuple[Callable[[Any], Any], Callable[[Any], Any], Callable[[Any], Any]]:
    """The whole schema in three parts: the matrix without rows, the rows without their cells, and
    one cell. Merge shares identical cells between rows, so each distinct cell is checked once."""
    import fastjsonschema

    whole = schema()  # a fresh copy per compile: fastjsonschema rewrites the schema it is given
    draft = whole["$schema"]  # without it fastjsonschema reads draft 4 and cannot resolve $defs
    row = whole["$defs"]["row"]
    row["properties"]["cells"]["additionalProperties"] = {"type": "object"}
    rows = fastjsonschema.compile({"$schema": draft, "type": "array", "items": row, "$defs": whole["$defs"]})
    cells = fastjsonschema.compile(
        {"$schema": draft, "type": "array", "items": {"$ref": "#/$defs/cell"}, "$defs": schema()["$defs"]}
    )
    head = fastjsonschema.compile(schema())
    return head, rows, cells


def fast_check(matrix: Any) -> None:
    """fastjsonschema over the whole matrix, each distinct cell object once."""
    head, rows, cells = fast_checks()
    if not isinstance(matrix, dict) or not isinstance(matrix.get("rows"), list):
        head(matrix)
        return
    head({**matrix, "rows": []})
    rows(matrix["rows"])
    distinct = {
        id(c): c
        for r in matrix["rows"]
        if isinstance(r, dict) and isinstance(r.get("cells"), dict)
        for c in r["cells"].values()
    }
    cells(list(distinct.values()))


def check(matrix: Any, source: str) -> None:
    """The whole schema (fast path first; jsonschema names the field when it fails) and host
    references; raise ReportError naming ``source`` and the first bad field."""
    import fastjsonschema

    from sockcompat.report.validate import field_path

    try:
        fast_check(matrix)
    except fastjsonschema.JsonSchemaValueException as fast:
        import jsonschema

        validator_class = jsonschema.validators.validator_for(schema())
        error = jsonschema.exceptions.best_match(validator_class(schema()).iter_errors(matrix))
        where = field_path(error.absolute_path) if error is not None else fast.name
        raise ReportError(f"{source}: {where}: {error.message if error else fast.message}") from None
    count = len(matrix["hosts"])
    for row in matrix["rows"]:
        for column, cell in row["cells"].items():
            if any(i >= count for i in cell["evidence"]):
                raise ReportError(f"{source}: rows {row['id']} [{column}]: evidence names an unlisted host")


def compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def row_lines(matrix: dict[str, Any]) -> list[str]:
    """Each row as ``compact`` would write it; a cell that merge shares between rows is encoded
    once and spliced in where ``cells`` sorts (after ``area``, before ``differs``)."""
    encoded: dict[int, str] = {}
    names = {p["id"]: compact(p["id"]) for p in matrix["platforms"]}
    lines = []
    for row in matrix["rows"]:
        cells = []
        for column, cell in sorted(row["cells"].items()):
            text = encoded.get(id(cell))
            if text is None:
                text = encoded[id(cell)] = compact(cell)
            cells.append(f"{names.get(column) or compact(column)}:{text}")
        rest = compact({k: v for k, v in row.items() if k != "cells"})
        area, after = rest.split(',"differs":', 1)
        lines.append(f'{area},"cells":{{{",".join(cells)}}},"differs":{after}')
    return lines


def dumps(matrix: dict[str, Any], lines: list[str] | None = None) -> str:
    """Compact but diffable: one row per line."""
    head = {k: v for k, v in matrix.items() if k != "rows"}
    text = json.dumps(head, indent=1, sort_keys=True, ensure_ascii=False)
    rows = ",\n".join(row_lines(matrix) if lines is None else lines)
    return text[:-2] + ',\n "rows": [\n' + rows + "\n ]\n}\n"


def index(matrix: dict[str, Any], lines: list[str], size: int) -> dict[str, Any]:
    """Everything ``show`` needs except the rows themselves: where each row's line starts and ends
    in ``matrix.json`` (of ``size`` bytes), the columns, and the feature answers."""
    head = dumps({**matrix, "rows": []}).encode("utf-8")
    offset = len(head) - len(b"\n ]\n}\n")  # where the first row line starts
    entries = []
    for row, line in zip(matrix["rows"], lines):
        length = len(line.encode("utf-8"))
        entries.append([row["id"], row["step"], row["area"], offset, length])
        offset += length + 2  # ",\n"
    return {
        "format": INDEX_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "matrix_bytes": size,
        "platforms": [
            {k: p[k] for k in ("id", "os", "label", "series", "privilege", "traits")}
            for p in matrix["platforms"]
        ],
        "features": matrix["features"],
        "rows": entries,
    }


def write(matrix: dict[str, Any], path: Path, validate: bool = True) -> list[Path]:
    """Check (unless told not to), then write ``matrix.json`` and its index beside it: a matrix
    that breaks its schema is never published."""
    if validate:
        check(matrix, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = row_lines(matrix)
    data = dumps(matrix, lines).encode("utf-8")
    path.write_bytes(data)
    index_path = path.with_name(INDEX_NAME)
    index_path.write_text(
        json.dumps(index(matrix, lines, len(data)), separators=(",", ":")), encoding="utf-8"
    )
    return [path, index_path]


def read_text(location: str) -> str:
    """A local path, or an http(s)/file URL (the published matrix)."""
    if "://" in location:
        import urllib.request  # 90 ms to import: only for a matrix given as a URL

        with urllib.request.urlopen(location, timeout=30) as response:
            data: bytes = response.read()
        return data.decode("utf-8")
    return Path(location).read_text(encoding="utf-8")


def version_check(data: Any, source: str, format_name: str = FORMAT) -> None:
    if not isinstance(data, dict) or data.get("format") != format_name:
        raise ReportError(f'{source}: not a sockcompat matrix (no "format": "{format_name}")')
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ReportError(
            f"{source}: matrix schema version {data.get('schema_version')!r}; this sockcompat "
            f"reads {SCHEMA_VERSION} (merge the reports again)"
        )


def load(location: str | Path, validate: bool = False) -> dict[str, Any]:
    """Read a matrix, checking its format and version (the whole schema too when ``validate``);
    every failure is a ReportError with one clear line."""
    from sockcompat.report.validate import read_json  # its schema libraries load only when used

    source = str(location)
    data = read_json(source, lambda: read_text(source))
    version_check(data, source)
    if validate:
        check(data, source)
    result: dict[str, Any] = data
    return result


def load_index(matrix_path: Path) -> dict[str, Any] | None:
    """The index beside a local ``matrix.json``, or None when it is missing or belongs to another
    version of the file (its recorded size differs)."""
    index_path = matrix_path.with_name(INDEX_NAME)
    try:
        data = json.loads(index_path.read_bytes())
        size = matrix_path.stat().st_size
    except (OSError, ValueError):
        return None
    if (
        not isinstance(data, dict)
        or data.get("format") != INDEX_FORMAT
        or data.get("matrix_bytes") != size
        or data.get("schema_version") != SCHEMA_VERSION
    ):
        return None
    return data


def read_rows(matrix_path: Path, entries: list[list[Any]]) -> list[dict[str, Any]]:
    """The rows the index ``entries`` point at, read by offset (in file order)."""
    rows = []
    with matrix_path.open("rb") as stream:
        for entry in sorted(entries, key=lambda e: e[3]):
            stream.seek(entry[3])
            rows.append(json.loads(stream.read(entry[4])))
    return rows
