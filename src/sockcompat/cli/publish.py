"""The publishing subcommands: merge, render, show, diff (``cli.main`` registers them)."""

from __future__ import annotations

import argparse
import json
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
    if args.json:
        platforms = {p["id"]: p["label"] for p in matrix["platforms"]}
        print(json.dumps({"term": args.term, "platforms": platforms, "rows": rows}, indent=2, sort_keys=True))
        return 0 if rows else 1
    if not rows:
        print(f"sockcompat show: nothing matches {args.term!r}", file=sys.stderr)
        return 1
    for line in show_lines(matrix, rows[:MAX_SHOWN_ROWS]):
        print(line)
    if len(rows) > MAX_SHOWN_ROWS:
        print(f"... and {len(rows) - MAX_SHOWN_ROWS} more rows: narrow the term")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Summary first, then one line per change; exit 1 when anything (left after filters) differs."""
    from sockcompat.errors import ReportError
    from sockcompat.report.diff import diff_files, select, summary, summary_line

    try:
        found = select(diff_files(args.before, args.after, values=args.values), args.changed_only, args.area)
    except ReportError as exc:
        print(f"sockcompat diff: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"a": str(args.before), "b": str(args.after), "summary": summary(found),
                          "changes": [c._asdict() for c in found]}, indent=2))
        return 1 if found else 0
    if not found:
        print("no changes")
        return 0
    print(summary_line(summary(found)))
    width = max(len(c.capability) for c in found)
    print(f"{'capability':<{width}}  A -> B")
    for change in found:
        print(f"{change.capability:<{width}}  {change.before} -> {change.after}")
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
    render.add_argument("--output", type=Path, default=Path("reports"), metavar="DIR",
                        help="folder for the three views (default: reports)")
    render.set_defaults(func=cmd_render)

    show = sub.add_parser("show", help="a capability, option or constant across platforms",
                          description="Print the support of every capability matching TERM, per platform.")
    show.add_argument("term", metavar="TERM", help="e.g. TCP_KEEPCNT, SO_REUSEPORT, AF_VSOCK, create/AF_INET")
    show.add_argument("--matrix", default=os.environ.get("SOCKCOMPAT_MATRIX", DEFAULT_MATRIX),
                      metavar="PATH|URL",
                      help=f"the matrix to read (default: $SOCKCOMPAT_MATRIX or {DEFAULT_MATRIX})")
    show.add_argument("--json", action="store_true", help="print the matching rows (every cell) as JSON")
    show.set_defaults(func=cmd_show)

    diff = sub.add_parser("diff", help="what changed between two reports or two matrices",
                          description="List capabilities whose outcome (reports) or status (matrices) "
                          "differs, after a one-line summary; exit 1 when anything differs, 2 on bad input.")
    diff.add_argument("before", type=Path, metavar="A", help="a host report (.json, .json.gz) or matrix.json")
    diff.add_argument("after", type=Path, metavar="B", help="another of the same kind")
    diff.add_argument("--values", action="store_true", help="also compare measured values (reports)")
    diff.add_argument("--changed-only", action="store_true",
                      help="leave out capabilities only one side has (\"(absent)\" on the other)")
    diff.add_argument("--area", action="append", default=[], metavar="AREA",
                      help="only this area (create, options, transfer, ...); repeatable")
    diff.add_argument("--json", action="store_true", help="print the summary and changes as JSON")
    diff.set_defaults(func=cmd_diff)
