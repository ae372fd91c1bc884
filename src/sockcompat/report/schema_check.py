"""A standard-library check of a document against the JSON Schema subset sockcompat's schemas use.

For where fastjsonschema is not installed: a bare system Python driving ``tools/wine-host``, which
must still validate what Wine wrote. Keywords outside the subset are refused, never ignored, so a
schema that grows one is noticed at once (a test runs this check beside fastjsonschema).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

#: Keywords that say nothing about validity here (``format`` is checked for date-time only).
ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "$defs", "default", "examples"})
CHECKED = frozenset({"type", "properties", "required", "additionalProperties", "items", "enum", "const",
                     "pattern", "minimum", "exclusiveMinimum", "minLength", "maxLength", "$ref", "format",
                     "oneOf"})
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


class Violation(Exception):
    """The first place a document breaks its schema: where (``observations[3].outcome``) and why."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class UnknownKeyword(Violation):
    """The schema, not the document, is beyond this check: never taken for a mere mismatch."""


def _has_type(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    kinds: Mapping[str, type | tuple[type, ...]] = {
        "object": dict, "array": list, "string": str, "number": (int, float), "boolean": bool,
        "null": type(None)}
    return isinstance(value, kinds[name])


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def _where(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


def check(schema: Mapping[str, Any], document: Any) -> None:
    """Raise Violation at the first place ``document`` breaks ``schema``."""
    _check(schema, schema, document, ())


def _check(root: Mapping[str, Any], node: Mapping[str, Any], value: Any, path: tuple[str | int, ...]) -> None:
    unknown = set(node) - CHECKED - ANNOTATIONS
    if unknown:
        raise UnknownKeyword(_where(path), f"the schema uses {sorted(unknown)}, which this check does not "
                             "know")

    def fail(message: str) -> None:
        raise Violation(_where(path), message)

    if "$ref" in node:  # local references only; fastjsonschema may have made them absolute
        target: Any = root
        for part in node["$ref"].partition("#")[2].strip("/").split("/"):
            target = target[part]
        _check(root, target, value, path)
    if "type" in node:
        names = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(_has_type(value, n) for n in names):
            fail(f"{value!r:.60} is not of type {' or '.join(names)}")
    if "const" in node and value != node["const"]:
        fail(f"{value!r:.60} is not {node['const']!r}")
    if "enum" in node and value not in node["enum"]:
        fail(f"{value!r:.60} is not one of {node['enum']}")
    if isinstance(value, str):
        if "pattern" in node and not _pattern(node["pattern"]).search(value):
            fail(f"{value!r:.60} does not match {node['pattern']!r}")
        if "maxLength" in node and len(value) > node["maxLength"]:
            fail(f"longer than {node['maxLength']} characters")
        if "minLength" in node and len(value) < node["minLength"]:
            fail(f"shorter than {node['minLength']} characters")
        if node.get("format") == "date-time" and not DATE_TIME.match(value):
            fail(f"{value!r:.60} is not a date-time")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in node and value < node["minimum"]:
            fail(f"{value} is less than {node['minimum']}")
        if "exclusiveMinimum" in node and value <= node["exclusiveMinimum"]:
            fail(f"{value} is not more than {node['exclusiveMinimum']}")
    if "oneOf" in node:
        matching = sum(_valid(root, option, value, path) for option in node["oneOf"])
        if matching != 1:
            fail(f"{value!r:.60} matches {matching} of the {len(node['oneOf'])} oneOf schemas, not one")
    if isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            _check(root, node["items"], item, (*path, index))
    if isinstance(value, dict):
        _check_object(root, node, value, path)


def _valid(root: Mapping[str, Any], node: Mapping[str, Any], value: Any, path: tuple[str | int, ...]) -> bool:
    try:
        _check(root, node, value, path)
    except UnknownKeyword:
        raise
    except Violation:
        return False
    return True


def _check_object(root: Mapping[str, Any], node: Mapping[str, Any], value: dict[str, Any],
                  path: tuple[str | int, ...]) -> None:
    missing = [name for name in node.get("required", ()) if name not in value]
    if missing:
        raise Violation(_where(path), f"{missing[0]!r} is a required property")
    properties = node.get("properties", {})
    extra = node.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            _check(root, properties[name], item, (*path, name))
        elif extra is False:
            raise Violation(_where(path), f"additional property {name!r} is not allowed")
        elif isinstance(extra, dict):
            _check(root, extra, item, (*path, name))
