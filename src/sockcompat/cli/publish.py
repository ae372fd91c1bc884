"""The publishing subcommands: merge, render, show, diff (``cli.main`` registers them)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

DEFAULT_MATRIX = os.path.join("reports", "matrix.json")
MAX_SHOWN_ROWS = 40


def publish(matrix: dict[str, Any], directory: Path) -> list[Path]:
    """matrix.json (validated before it is written) and every view of it, into ``directory``."""
    from sockcompat.render import render_all
    from sockcompat.report import matrix as matrix_file

    directory.mkdir(parents=True, exist_ok=True)
    return [matrix_file.write(matrix, directory / "matrix.json"), *render_all(matrix, directory)]


def cmd_merge(args: argparse.Namespace) -> int:
    from sockcompat.report.merge import MergeError, default_jobs, merge

    def warn(message: str) -> None:
        print(f"sockcompat merge: {message}", file=sys.stderr)

    try:
        matrix = merge(args.reports, on_invalid=args.on_invalid, warn=warn, jobs=args.jobs or default_jobs())
    except MergeError as exc:
        print(f"sockcompat merge: refused, nothing written\n{exc}", file=sys.stderr)
        return 1
    for path in publish(matrix, args.output):
        print(f"wrote {path}")
    print(f"sockcompat merge: {len(matrix['hosts'])} reports, {len(matrix['rows'])} capabilities, "
          f"{len(matrix['platforms'])} platforms, {len(matrix['skipped'])} skipped")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from sockcompat.errors import ReportError
    from sockcompat.report import matrix as matrix_file

    try:
        matrix = matrix_file.load(args.matrix)
    except ReportError as exc:
        print(f"sockcompat render: {exc}", file=sys.stderr)
        return 1
    for path in publish(matrix, args.output):
        print(f"wrote {path}")
    return 0


def matching_rows(matrix: dict[str, Any], term: str) -> list[dict[str, Any]]:
    """Rows whose id has ``term`` as a whole part (``TCP_KEEPCNT``, ``AF_INET``); else as a substring."""
    needle = term.lower()
    whole = [r for r in matrix["rows"]
             if needle in (p.lower() for p in r["id"].split("/")) or needle == r["id"].lower()]
    return whole or [r for r in matrix["rows"] if needle in r["id"].lower()]


def show_lines(matrix: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    from sockcompat.render.symbols import LOOKS

    width = max((len(p["label"]) for p in matrix["platforms"]), default=0)
    lines = []
    for row in rows:
        lines.append(f"{row['id']} [{row['step']}]")
        for platform in matrix["platforms"]:
            cell = row["cells"].get(platform["id"])
            if cell is None:
                lines.append(f"  {platform['label']:<{width}}  {LOOKS['unknown'].symbol} not observed")
                continue
            words = [LOOKS[cell["status"]].symbol, LOOKS[cell["status"]].label]
            words += [cell["versions"] or ""] + cell["conditions"]
            if cell["values"]:
                words.append("value " + ", ".join(str(v) for v in cell["values"]))
            if cell["errno"]:
                words.append("(" + ", ".join(cell["errno"]) + ")")
            if cell["conflicts"]:
                words.append("⚠ conflicting reports")
            lines.append(f"  {platform['label']:<{width}}  " + " ".join(w for w in words if w))
    return lines


def cmd_show(args: argparse.Namespace) -> int:
    from sockcompat.errors import ReportError
    from sockcompat.report import matrix as matrix_file

    try:
        matrix = matrix_file.load(args.matrix)
    except ReportError as exc:
        print(f"sockcompat show: {exc}", file=sys.stderr)
        return 2
    rows = matching_rows(matrix, args.term)
    if not rows:
        print(f"sockcompat show: nothing matches {args.term!r}", file=sys.stderr)
        return 1
    for line in show_lines(matrix, rows[:MAX_SHOWN_ROWS]):
        print(line)
    if len(rows) > MAX_SHOWN_ROWS:
        print(f"... and {len(rows) - MAX_SHOWN_ROWS} more rows: narrow the term")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from sockcompat.errors import ReportError
    from sockcompat.report.diff import diff_files

    try:
        found = diff_files(args.before, args.after, values=args.values)
    except ReportError as exc:
        print(f"sockcompat diff: {exc}", file=sys.stderr)
        return 2
    if not found:
        print("no changes")
        return 0
    width = max(len(c.capability) for c in found)
    print(f"{'capability':<{width}}  before -> after")
    for change in found:
        print(f"{change.capability:<{width}}  {change.before} -> {change.after}")
    print(f"{len(found)} changed")
    return 1


def add_parsers(sub: Any) -> None:
    """Register merge, render, show and diff on the ``sockcompat`` subcommand parser."""
    merge = sub.add_parser("merge", help="merge host reports into the matrix and render it",
                           description="Validate host reports (files or folders), merge them into a "
                           "matrix and write matrix.json, index.md, index.html and matrix.csv.")
    merge.add_argument("reports", nargs="+", type=Path, metavar="REPORT", help="report files or folders")
    merge.add_argument("--output", type=Path, default=Path("reports"), metavar="DIR",
                       help="folder for the four outputs (default: reports)")
    merge.add_argument("--on-invalid", choices=("refuse", "skip"), default="refuse",
                       help="refuse (default): write nothing if any report is invalid; "
                       "skip: leave invalid reports out and list them in the outputs")
    merge.add_argument("--jobs", type=int, metavar="N",
                       help="processes validating reports in parallel (default: CPUs, at most 4)")
    merge.set_defaults(func=cmd_merge)

    render = sub.add_parser("render", help="render a matrix.json again",
                            description="Write index.md, index.html and matrix.csv from a matrix.json.")
    render.add_argument("matrix", metavar="MATRIX", help="matrix.json path or URL")
    render.add_argument("--output", type=Path, default=Path("reports"), metavar="DIR")
    render.set_defaults(func=cmd_render)

    show = sub.add_parser("show", help="a capability, option or constant across platforms",
                          description="Print the support of every capability matching TERM, per platform.")
    show.add_argument("term", metavar="TERM", help="e.g. TCP_KEEPCNT, SO_REUSEPORT, AF_VSOCK, create/AF_INET")
    show.add_argument("--matrix", default=os.environ.get("SOCKCOMPAT_MATRIX", DEFAULT_MATRIX),
                      metavar="PATH|URL",
                      help=f"the matrix to read (default: $SOCKCOMPAT_MATRIX or {DEFAULT_MATRIX})")
    show.set_defaults(func=cmd_show)

    diff = sub.add_parser("diff", help="what changed between two reports or two matrices",
                          description="List capabilities whose outcome (reports) or status (matrices) "
                          "differs; exit 1 when anything changed, 2 on bad input.")
    diff.add_argument("before", type=Path, metavar="A")
    diff.add_argument("after", type=Path, metavar="B")
    diff.add_argument("--values", action="store_true", help="also compare measured values (reports)")
    diff.set_defaults(func=cmd_diff)
