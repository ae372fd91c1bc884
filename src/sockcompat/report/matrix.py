"""Read, check and write a merged matrix (``matrix.schema.json``); every view is built from it."""

from __future__ import annotations

import json
import urllib.request
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.protocols import Validator

from sockcompat.errors import ReportError
from sockcompat.report.validate import field_path, read_json


@cache
def validator() -> Validator:
    text = resources.files("sockcompat.report").joinpath("matrix.schema.json").read_text("utf-8")
    schema = json.loads(text)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    instance: Validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return instance


def check(matrix: Any, source: str) -> None:
    """Raise ReportError naming ``source`` and the first bad field; also check host references."""
    error = jsonschema.exceptions.best_match(validator().iter_errors(matrix))
    if error is not None:
        raise ReportError(f"{source}: {field_path(error.absolute_path)}: {error.message}")
    count = len(matrix["hosts"])
    for row in matrix["rows"]:
        for column, cell in row["cells"].items():
            if any(i >= count for i in cell["evidence"]):
                raise ReportError(f"{source}: rows {row['id']} [{column}]: evidence names an unlisted host")


def dumps(matrix: dict[str, Any]) -> str:
    """Compact but diffable: one row per line."""
    head = {k: v for k, v in matrix.items() if k != "rows"}
    text = json.dumps(head, indent=1, sort_keys=True, ensure_ascii=False)
    rows = ",\n".join(json.dumps(r, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                      for r in matrix["rows"])
    return text[:-2] + ',\n "rows": [\n' + rows + "\n ]\n}\n"


def write(matrix: dict[str, Any], path: Path) -> Path:
    """Validate, then write: a matrix that breaks its schema is never published."""
    check(matrix, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(matrix), encoding="utf-8")
    return path


def read_text(location: str) -> str:
    """A local path, or an http(s)/file URL (the published matrix)."""
    if "://" in location:
        with urllib.request.urlopen(location, timeout=30) as response:
            data: bytes = response.read()
        return data.decode("utf-8")
    return Path(location).read_text(encoding="utf-8")


def load(location: str | Path) -> dict[str, Any]:
    """Read and validate a matrix; every failure is a ReportError with one clear line."""
    source = str(location)
    data = read_json(source, lambda: read_text(source))
    if not isinstance(data, dict) or data.get("format") != "sockcompat-matrix":
        raise ReportError(f"{source}: not a sockcompat matrix (no \"format\": \"sockcompat-matrix\")")
    check(data, source)
    result: dict[str, Any] = data
    return result
