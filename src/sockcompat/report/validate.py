"""Check host reports against the shipped JSON Schema; one clear line per bad file.

Up to three checkers, one schema: fastjsonschema compiles it to Python and answers "valid?" about
20x faster than jsonschema (a full report: ~35 ms against ~800 ms), which is what lets merge take
hundreds of reports; jsonschema, only for a report that failed, picks the most relevant error to
name. Where they do not load — jsonschema's ``rpds`` under Wine 8.0 (no
``bcryptprimitives.ProcessPrng``), a bare system Python driving ``tools/wine-host`` — the
standard-library ``schema_check`` answers alone, so ``sockcompat validate`` works everywhere.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from sockcompat.errors import ReportError
from sockcompat.report import schema_check


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        resources.files("sockcompat.report").joinpath("schema.json").read_text("utf-8"))
    return loaded


@cache
def fast_check() -> Callable[[Any], None]:
    """fastjsonschema's compiled check where it is installed, else the standard-library one; both
    raise ``schema_check.Violation``."""
    try:
        import fastjsonschema
    except ImportError:
        return lambda data: schema_check.check(schema(), data)
    compiled = fastjsonschema.compile(schema())

    def check(data: Any) -> None:
        try:
            compiled(data)
        except fastjsonschema.JsonSchemaValueException as exc:
            raise schema_check.Violation(field_path(exc.path[1:]), exc.message) from None

    return check


@cache
def validator() -> Any:
    """jsonschema's validator, or None where jsonschema does not load."""
    try:
        import jsonschema
    except ImportError:
        return None
    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    return cls(schema(), format_checker=cls.FORMAT_CHECKER)


def best_error(data: Any) -> str | None:
    """jsonschema's most relevant error ("where: what"), or None where jsonschema does not load."""
    checker = validator()
    if checker is None:
        return None
    import jsonschema

    error = jsonschema.exceptions.best_match(checker.iter_errors(data))
    return None if error is None else f"{field_path(error.absolute_path)}: {error.message}"


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
    except schema_check.Violation as violation:
        # jsonschema names the most relevant error; where it is missing or disagrees, say what
        # the checker that refused said
        raise ReportError(f"{source}: {best_error(data) or violation}") from None


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
