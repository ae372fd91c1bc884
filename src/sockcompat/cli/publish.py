"""The publishing subcommands: merge, render, show, diff (``cli.main`` registers them)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, TextIO

DEFAULT_MATRIX = os.path.join("reports", "matrix.json")
MAX_SHOWN_ROWS = 40


class Progress:
    """ "merge: 37/100" on a terminal, rewritten in place, only once a second has passed: short
    work stays silent, long work shows it is alive; never written into a pipe or a log."""

    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.monotonic()
        self.shown = False
        self.enabled = self.stream.isatty()

    def __call__(self, done: int, total: int | None = None) -> None:
        if self.enabled and time.monotonic() - self.started > 1.0:
            self.stream.write(f"\r{self.what}: {done}" + (f"/{total}" if total is not None else ""))
            self.stream.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def publish(matrix: dict[str, Any], directory: Path, validate: bool = True) -> list[Path]:
    """matrix.json and its index (checked before they are written) and every view of it."""
    from sockcompat.render import render_all
    from sockcompat.report import matrix as matrix_file

    directory.mkdir(parents=True, exist_ok=True)
    progress = Progress("render: files written")
    written = matrix_file.write(matrix, directory / "matrix.json", validate=validate)
    progress(len(written))
    written += render_all(matrix, directory, progress=lambda done: progress(len(written) + done))
    progress.close()
    return written


def cmd_merge(args: argparse.Namespace) -> int:
    from sockcompat.report.merge import MergeError, merge

    def warn(message: str) -> None:
        print(f"sockcompat merge: {message}", file=sys.stderr)

    try:
        progress = Progress("merge: reports read")
        matrix = merge(
            args.reports,
            on_invalid=args.on_invalid,
            warn=warn,
            include_incomplete=args.include_incomplete,
            progress=progress,
        )
        progress.close()
    except MergeError as exc:
        print(f"sockcompat merge: refused, nothing written\n{exc}", file=sys.stderr)
        return 1
    written = publish(matrix, args.output)
    print(
        f"sockcompat merge: {len(matrix['hosts'])} reports, {len(matrix['rows'])} capabilities, "
        f"{len(matrix['platforms'])} platforms, {len(matrix['skipped'])} skipped; "
        f"{len(written)} files written under {args.output}"
    )
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from sockcompat.errors import ReportError
    from sockcompat.report import matrix as matrix_file

    try:
        matrix = matrix_file.load(args.matrix)
    except ReportError as exc:
        print(f"sockcompat render: {exc}", file=sys.stderr)
        return 1
    written = publish(matrix, args.output)
    print(f"sockcompat render: {len(written)} files written under {args.output}")
    return 0


########################################################################################
# show


def id_tokens(row_id: str) -> set[str]:
    """ "option/AF_UNIX/SOCK_STREAM/0/SOL_SOCKET.SO_REUSEPORT" -> its whole words, lower case."""
    return set(row_id.lower().replace(".", "/").split("/"))


def feature_tokens(feature: dict[str, Any]) -> set[str]:
    """A feature's id and title as whole words ("tcp-fastopen", "tcp", "fast", "open", ...)."""
    words = {feature["id"].lower(), *feature["id"].lower().split("-")}
    return words | set(re.split(r"[^a-z0-9_]+", feature["title"].lower()))


def entry_order(entry: list[Any]) -> tuple[Any, ...]:
    """Index entries by area, the common families first, then id: the likely answer on top."""
    from sockcompat.render.symbols import family_order

    parts = entry[0].split("/")
    family = parts[1] if len(parts) > 1 and parts[1].startswith("AF_") else ""
    return (entry[2], family_order(family), entry[0], entry[1])


def term_tokens(term: str) -> list[str]:
    return term.lower().replace(".", "/").replace("/", " ").split()


class Found:
    """What ``show`` matched: features, rows by whole word, and rows it left out."""

    def __init__(self, index: dict[str, Any], term: str) -> None:
        words = term_tokens(term)
        needle = term.lower()
        entries = index["rows"]
        # a substring test first, so only candidate ids are split into words
        self.rows = [
            e
            for e in entries
            if all(w in e[0].lower() for w in words) and all(w in id_tokens(e[0]) for w in words)
        ]
        self.by_substring = not self.rows
        if self.by_substring:
            self.rows = [e for e in entries if needle in e[0].lower()]
            self.nearby: list[list[Any]] = []
        else:  # the same text inside longer names (SO_REUSEPORT_LB for SO_REUSEPORT): counted, not shown
            matched = {id(e) for e in self.rows}
            self.nearby = [e for e in entries if id(e) not in matched and needle in e[0].lower()]
        keys = {(e[0], e[1]) for e in self.rows}
        self.features = [
            f
            for f in index["features"]
            if all(w in feature_tokens(f) for w in words)
            or (f["rows"] and all((r[0], r[1]) in keys for r in f["rows"]))  # the feature is about TERM
        ]
        self.by_feature = not self.rows and bool(self.features)
        if self.by_feature:  # a feature asked for by name: its rows are the evidence to show
            wanted = {(r[0], r[1]) for f in self.features for r in f["rows"]}
            self.rows = [e for e in entries if (e[0], e[1]) in wanted]


def column_width(platforms: list[dict[str, Any]]) -> int:
    return max((len(p["label"]) for p in platforms), default=0)


def cell_line(cell: dict[str, Any] | None) -> str:
    from sockcompat.render.symbols import badge, cell_words, short_value

    if cell is None:
        return "? not observed"
    words = [badge(cell["status"]), *cell_words(cell)]
    value = short_value(cell["values"])
    if value is not None:
        words.append(f"value {value}")
    if cell["errno"]:
        words.append("(" + ", ".join(cell["errno"]) + ")")
    if cell["conflicts"]:
        words.append("! conflicting reports")
    if cell["status"] == "partial":  # who said what: the reason a column is split
        said = [
            " ".join(filter(None, [s["outcome"], s["errno"], s["python"] and f"on {s['python']}"]))
            for s in cell["statements"]
        ]
        words.append("[" + "; ".join(said) + "]")
    return " ".join(words)


def per_column(platforms: list[dict[str, Any]], texts: list[str]) -> list[str]:
    """One line per column, or one "every column" line when they all say the same."""
    if len(set(texts)) == 1 and len(texts) > 1:
        return [f"  every column: {texts[0]}"]
    width = column_width(platforms)
    return [f"  {p['label']:<{width}}  {t}" for p, t in zip(platforms, texts)]


def show_lines(
    index: dict[str, Any], found: Found, rows: list[dict[str, Any]], term: str, shown: int
) -> list[str]:
    from sockcompat.render.symbols import badge

    platforms = index["platforms"]
    areas: dict[str, int] = {}
    for entry in found.rows:
        areas[entry[2]] = areas.get(entry[2], 0) + 1
    summary = ", ".join(f"{n} {area}" for area, n in sorted(areas.items()))
    lines = [
        f"{term!r}: {len(found.features)} feature{'s' * (len(found.features) != 1)}, "
        f"{len(found.rows)} row{'s' * (len(found.rows) != 1)}"
        + (f" ({summary})" if summary else "")
        + (
            " behind the features"
            if found.by_feature
            else " matched as text inside ids"
            if found.by_substring
            else " matched by whole name"
        )
    ]
    for feature in found.features:
        lines.append("")
        lines.append(f"feature {feature['title']} ({feature['id']}): {feature['description']}")
        lines += per_column(
            platforms,
            [
                badge(feature["answers"][p["id"]]) if p["id"] in feature["answers"] else "? not observed"
                for p in platforms
            ],
        )
    for row in rows[:shown]:
        lines.append("")
        lines.append(f"{row['id']} [{row['step']}]")
        lines += per_column(platforms, [cell_line(row["cells"].get(p["id"])) for p in platforms])
    left_out = []
    if len(rows) > shown:
        left_out.append(f"{len(rows) - shown} more rows (--all shows them, or add a word: '{term} AF_UNIX')")
    if found.nearby:
        names = sorted({e[0].rsplit("/", 1)[-1].rsplit(".", 1)[-1] for e in found.nearby})
        left_out.append(
            f"{len(found.nearby)} rows whose names only contain the text "
            f"({', '.join(names[:5])}{', ...' if len(names) > 5 else ''}): ask for them by name"
        )
    if left_out:
        lines += ["", "left out: " + "; ".join(left_out)]
    return lines


def load_for_show(location: str) -> tuple[dict[str, Any], Path | None, dict[str, Any] | None]:
    """The index (from ``matrix.index.json`` when it matches the file, else built from the whole
    matrix) and, without an index, the matrix itself."""
    from sockcompat.report import matrix as matrix_file

    path = None if "://" in location else Path(location)
    index = matrix_file.load_index(path) if path is not None else None
    if index is not None:
        return index, path, None
    matrix = matrix_file.load(location)
    rows = matrix["rows"]
    built = {
        "platforms": matrix["platforms"],
        "features": matrix["features"],
        "rows": [[r["id"], r["step"], r["area"], n, 0] for n, r in enumerate(rows)],
    }
    return built, None, matrix


def cmd_show(args: argparse.Namespace) -> int:
    from sockcompat.errors import ReportError
    from sockcompat.report import matrix as matrix_file

    if not args.term.strip():
        print(
            "sockcompat show: give a name or a word, e.g. SO_REUSEPORT, AF_VSOCK, tcp-fastopen",
            file=sys.stderr,
        )
        return 2
    try:
        index, path, matrix = load_for_show(args.matrix)
    except ReportError as exc:
        print(f"sockcompat show: {exc}", file=sys.stderr)
        return 2
    found = Found(index, args.term)
    if not found.rows and not found.features:
        if args.json:
            print(json.dumps({"term": args.term, "features": [], "rows": []}))
        print(f"sockcompat show: nothing matches {args.term!r}", file=sys.stderr)
        return 1
    shown = len(found.rows) if args.all or args.json else MAX_SHOWN_ROWS
    found.rows.sort(key=entry_order)
    wanted = found.rows[:shown]
    if path is not None:
        rows = matrix_file.read_rows(path, wanted)
    else:
        assert matrix is not None
        rows = [matrix["rows"][e[3]] for e in wanted]
    rows.sort(key=lambda r: entry_order([r["id"], r["step"], r["area"]]))
    if args.json:
        print(
            json.dumps(
                {
                    "term": args.term,
                    "platforms": index["platforms"],
                    "features": found.features,
                    "rows": rows,
                    "matched_by": "feature"
                    if found.by_feature
                    else "substring"
                    if found.by_substring
                    else "name",
                    "left_out": [[e[0], e[1]] for e in found.nearby],
                },
                ensure_ascii=False,
            )
        )
        return 0
    for line in show_lines(index, found, rows, args.term, shown):
        print(line)
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
    merge = sub.add_parser(
        "merge",
        help="merge host reports into the matrix and render it",
        description="Merge host reports (files or folders; .json or .json.gz) into a "
        "matrix and write matrix.json, its index, index.md with tables/, matrix.csv, "
        "the BCD-shaped compat.json and the static site (site/).",
    )
    merge.add_argument("reports", nargs="+", type=Path, metavar="REPORT", help="report files or folders")
    merge.add_argument(
        "--output",
        type=Path,
        default=Path("reports"),
        metavar="DIR",
        help="folder for the outputs (default: reports)",
    )
    merge.add_argument(
        "--on-invalid",
        choices=("refuse", "skip"),
        default="refuse",
        help="refuse (default): write nothing if any report is invalid; "
        "skip: leave invalid reports out and list them in the outputs",
    )
    merge.add_argument(
        "--include-incomplete",
        action="store_true",
        help="also merge reports of runs that were stopped or narrowed (run.complete false)",
    )
    merge.set_defaults(func=cmd_merge)

    render = sub.add_parser(
        "render",
        help="render a matrix.json again",
        description="Write every view (index.md, tables/, matrix.csv, compat.json, "
        "site/) and the index from a matrix.json.",
    )
    render.add_argument("matrix", metavar="MATRIX", help="matrix.json path or URL")
    render.add_argument("--output", type=Path, default=Path("reports"), metavar="DIR",
                        help="folder for the three views (default: reports)")
    render.set_defaults(func=cmd_render)

    show = sub.add_parser(
        "show",
        help="a feature, option, family or constant across platforms",
        description="Print the features and rows matching TERM, per platform: "
        "features first, then rows; every word of TERM must be a whole part of a row id.",
    )
    show.add_argument(
        "term",
        metavar="TERM",
        help="e.g. SO_REUSEPORT, 'SO_REUSEPORT AF_UNIX', AF_VSOCK, tcp-fastopen, IPPROTO_ICMP",
    )
    show.add_argument(
        "--matrix",
        default=os.environ.get("SOCKCOMPAT_MATRIX", DEFAULT_MATRIX),
        metavar="PATH|URL",
        help=f"the matrix to read (default: $SOCKCOMPAT_MATRIX or {DEFAULT_MATRIX})",
    )
    show.add_argument(
        "--all", action="store_true", help=f"every matching row (default: the first {MAX_SHOWN_ROWS})"
    )
    show.add_argument("--json", action="store_true", help="the matches as JSON, every row")
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
