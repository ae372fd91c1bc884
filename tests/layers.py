"""Which part of the package imports which: the rule as data, and a checker that reads the source.

A part is a top-level module (``classify``) or subpackage (``catalog``) of ``sockcompat``. Imports
inside functions count (a lazy import is still an arrow); imports under ``if TYPE_CHECKING:`` do
not (they never run). Importing the bare ``sockcompat`` package (for ``__version__``) is free: its
public names load lazily.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

DATA = frozenset({"errors", "observation", "catalog"})
HOST = DATA | {"host"}
JUDGED = HOST | {"classify"}
PROBING = JUDGED | {"probes"}
REPORTING = DATA | {"report"}
VIEWS = REPORTING | {"render"}

#: part -> the parts it may import (besides itself). Arrows point down the flow only.
ALLOWED: Mapping[str, frozenset[str]] = {
    "errors": frozenset(),
    "hookspecs": frozenset(),
    "observation": frozenset({"errors"}),
    "catalog": frozenset({"errors", "observation"}),
    "host": DATA,
    "classify": HOST,
    "probes": JUDGED,
    "report": DATA,
    "render": REPORTING,
    "collector": VIEWS | {"host"},
    "plugin": PROBING | VIEWS | {"collector", "hookspecs"},
    "runners": REPORTING | {"host"},
    "cli": PROBING | VIEWS | {"collector", "plugin", "runners"},
    "__main__": frozenset({"cli"}),
    # the shipped suites, inside the wheel only: the public face (the bare package) and probes
    "conformance": frozenset({"probes"}),
}

#: parts that exist in the installed wheel only (a source checkout keeps them beside ``src/``)
WHEEL_ONLY = frozenset({"conformance"})


class Arrow(NamedTuple):
    """One import that crosses parts: where it is written, and what it names."""

    source: str
    line: int
    importer: str
    imported: str


def part_of(module: str, package: str) -> str | None:
    """``sockcompat.host.surface`` -> ``host``; None for the bare package or another package."""
    parts = module.split(".")
    if parts[0] != package or len(parts) < 2:
        return None
    return parts[1]


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def imported_modules(tree: ast.Module, module: str) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import that runs, however deep in the file."""
    skipped = _type_checking_lines(tree)
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield node.lineno, name
            for alias in node.names:  # ``from sockcompat import catalog`` names a part too
                yield node.lineno, f"{name}.{alias.name}"


def arrows(root: Path, package: str) -> Iterator[Arrow]:
    """Every import in ``root`` (the package folder) from one part to another."""
    known = parts(root)
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        importer = part_of(module, package)
        if importer is None:
            continue  # the package's own __init__: lazy public names only
        found = {(line, part_of(name, package))
                 for line, name in imported_modules(ast.parse(path.read_text(encoding="utf-8")), module)}
        for line, imported in sorted(found, key=lambda f: (f[0], f[1] or "")):
            if imported in known and imported != importer:
                yield Arrow(str(path.relative_to(root.parent)), line, importer, imported)


def violations(root: Path, package: str, allowed: Mapping[str, frozenset[str]] = ALLOWED) -> list[str]:
    """One line per import that the rule does not allow (unknown parts included)."""
    return [f"{a.source}:{a.line}: {a.importer} -> {a.imported}" for a in arrows(root, package)
            if a.imported not in allowed.get(a.importer, frozenset())]


def parts(root: Path) -> set[str]:
    """The parts the package has: its modules and subpackages."""
    found = {p.stem for p in root.glob("*.py") if p.stem != "__init__"}
    return found | {p.name for p in root.iterdir() if (p / "__init__.py").exists()}
