"""Check host reports against the shipped JSON Schema; one clear line per bad file.

Two libraries, one schema: fastjsonschema compiles it to Python and answers "valid?" about 20x
faster (a full report: ~35 ms against ~800 ms), which is what lets merge take hundreds of reports;
jsonschema, only for a report that failed, picks the most relevant error to name.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import fastjsonschema
import jsonschema
from jsonschema.protocols import Validator

from sockcompat.errors import ReportError


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        resources.files("sockcompat.report").joinpath("schema.json").read_text("utf-8"))
    return loaded


@cache
def fast_check() -> Callable[[Any], Any]:
    check: Callable[[Any], Any] = fastjsonschema.compile(schema())
    return check


@cache
def validator() -> Validator:
    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    instance: Validator = cls(schema(), format_checker=cls.FORMAT_CHECKER)
    return instance


def field_path(parts: Any) -> str:
    """``observations[12].outcome`` from a jsonschema error path."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def check(data: Any, source: str) -> None:
    """Raise ReportError naming ``source`` and the first bad field (the most relevant error)."""
    try:
        fast_check()(data)
    except fastjsonschema.JsonSchemaValueException as fast:
        error = jsonschema.exceptions.best_match(validator().iter_errors(data))
        if error is None:  # the two libraries disagree: trust the stricter one, say what it said
            raise ReportError(f"{source}: {fast.message}") from None
        raise ReportError(f"{source}: {field_path(error.absolute_path)}: {error.message}") from None


def read_text(path: Path) -> str:
    """A report's text: gzip-compressed when the name ends ``.gz`` (``report.json.gz``)."""
    if path.name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as compressed:
            return compressed.read()
    return path.read_text(encoding="utf-8")


def read_json(source: str, read_text: Callable[[], str]) -> Any:
    """Parse what ``read_text`` returns; unreadable, non-UTF-8 or non-JSON input is a one-line
    ReportError naming ``source`` (a report here, a matrix in ``report.matrix``)."""
    try:
        return json.loads(read_text())
    except EOFError as exc:
        raise ReportError(f"{source}: truncated gzip data") from exc
    except OSError as exc:  # gzip.BadGzipFile is one
        raise ReportError(f"{source}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ReportError(f"{source}: not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ReportError(f"{source}: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from exc


def load(path: Path) -> dict[str, Any]:
    """Read and validate one report (``.json`` or ``.json.gz``); every failure is a ReportError,
    never a traceback."""
    data = read_json(str(path), lambda: read_text(path))
    check(data, str(path))
    result: dict[str, Any] = data
    return result
