"""Imports point one way: the rule in ``tests/layers.py`` holds for the package, names every part,
and its checker catches an upward import (shown on small fixture trees)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

import sockcompat

from .layers import ALLOWED, WHEEL_ONLY, parts, violations

PACKAGE = Path(sockcompat.__file__).parent
CONFORMANCE = Path(__file__).resolve().parent.parent / "conformance"


def test_the_package_imports_only_down_the_flow() -> None:
    assert violations(PACKAGE, "sockcompat") == []


def test_the_rule_names_every_part_and_only_parts() -> None:
    assert parts(PACKAGE) - WHEEL_ONLY == set(ALLOWED) - WHEEL_ONLY


def tree(root: Path, files: dict[str, str]) -> Path:
    """A throwaway package ``pkg`` holding ``files`` (relative path -> source)."""
    for name, source in {"__init__.py": "", **files}.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return root / "pkg"


UPWARD = [
    ("module level", "from pkg.host import surface\n", ["pkg/catalog/rows.py:1: catalog -> host"]),
    ("inside a function", "def f():\n    from pkg.host.surface import current\n",
     ["pkg/catalog/rows.py:2: catalog -> host"]),
    ("relative", "from ..host import surface\n", ["pkg/catalog/rows.py:1: catalog -> host"]),
    ("a part by name", "from pkg import host\n", ["pkg/catalog/rows.py:1: catalog -> host"]),
    ("type checking only",
     "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.host import x\n", []),
    ("down the flow", "from pkg.observation import Observation\n", []),
]


@pytest.mark.parametrize(("source", "expected"), [u[1:] for u in UPWARD], ids=[u[0] for u in UPWARD])
def test_the_checker_names_an_upward_import(tmp_path: Path, source: str, expected: list[str]) -> None:
    root = tree(tmp_path, {"catalog/__init__.py": "", "catalog/rows.py": source, "host/__init__.py": "",
                           "host/surface.py": "", "observation.py": ""})
    assert violations(root, "pkg") == expected


def test_a_part_missing_from_the_rule_is_a_violation(tmp_path: Path) -> None:
    root = tree(tmp_path, {"newpart.py": "from pkg import observation\n", "observation.py": ""})
    assert violations(root, "pkg") == ["pkg/newpart.py:1: newpart -> observation"]


def test_the_conformance_suites_import_only_the_public_face() -> None:
    for path in sorted(CONFORMANCE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sockcompat"):
                assert node.module in ("sockcompat", "sockcompat.probes"), f"{path.name}: {node.module}"


def test_every_public_name_resolves() -> None:
    assert set(sockcompat.__all__) == {"__version__", *sockcompat._EXPORTS}
    for name in sockcompat._EXPORTS:
        assert getattr(sockcompat, name) is not None, name
