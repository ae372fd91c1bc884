"""The ``sockcompat`` command: run the conformance suites, validate reports.

Every subcommand is a small function taking parsed arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sockcompat import __version__


def conformance_dir() -> Path:
    """The suites: inside the installed wheel, or beside ``src/`` in a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "conformance", package.parents[1] / "conformance"):
        if (candidate / "test_create.py").is_file():
            return candidate
    raise SystemExit("sockcompat: the conformance suites are missing from this installation")


class _ReportPaths:
    """A tiny pytest plugin that remembers where the collector wrote the reports (one per host
    identity: several when xdist workers run other interpreters)."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def pytest_unconfigure(self, config: Any) -> None:
        from sockcompat.collector import Collector

        collector = config.pluginmanager.get_plugin(Collector.NAME)
        self.paths = list(getattr(collector, "written", []))


def cmd_run(args: argparse.Namespace) -> int:
    import pytest

    from sockcompat.runners import as_user, passthrough

    child_args = as_user.forwarded(args.timeout, args.baseline, args.pytest_args, args.suite,
                                        args.no_autoload)
    if args.as_user is not None:
        return as_user.run_child(args.as_user, child_args, args.output, required=True)
    suites = conformance_dir()
    targets = [suites / f"test_{name}.py" for name in args.suite] or [suites]
    missing = [t.name for t in targets if not t.exists()]
    if missing:
        known = sorted(p.stem[len("test_"):] for p in suites.glob("test_*.py"))
        print(f"sockcompat: no suite {', '.join(missing)}; known suites: {', '.join(known)}", file=sys.stderr)
        return 2
    pytest_args = [
        *(str(t) for t in targets),
        "--rootdir", str(suites),
        "-c", str(suites / "pytest.ini"),
        "--sockcompat-report-dir", str(args.output),
    ]
    if args.timeout is not None:
        pytest_args += ["--sockcompat-timeout", str(args.timeout)]
    if args.no_autoload:
        pytest_args.append("--sockcompat-no-autoload")
    if args.baseline is not None:
        pytest_args += ["--sockcompat-baseline", str(args.baseline)]
    extra = passthrough(args.pytest_args)
    catcher = _ReportPaths()
    code = int(pytest.main(pytest_args + extra, plugins=[catcher]))
    if not catcher.paths:
        print("sockcompat: no report written (no probe ran: check the pytest arguments)", file=sys.stderr)
        return code or 2
    for path in catcher.paths:
        print(f"sockcompat: report written to {path}")
    if args.also_as_user is not None:
        child = as_user.run_child(args.also_as_user, child_args, args.output, required=False)
        code = code or child
    return code


def cmd_validate(args: argparse.Namespace) -> int:
    from sockcompat.errors import ReportError
    from sockcompat.report.validate import load

    files: list[Path] = []
    for given in args.files:
        files.extend(sorted([*given.glob("*.json"), *given.glob("*.json.gz")]) if given.is_dir() else [given])
    if not files:
        print("sockcompat validate: no report files given", file=sys.stderr)
        return 2
    bad = 0
    for path in files:
        try:
            load(path)
        except ReportError as exc:
            bad += 1
            print(f"invalid: {exc}", file=sys.stderr)
        else:
            print(f"valid: {path}")
    return 1 if bad else 0


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="sockcompat", description=__doc__.splitlines()[0])
    top.add_argument("--version", action="version", version=f"sockcompat {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="probe this host and write its report",
                         description="Run the conformance suites on this host and write one host report.")
    run.add_argument("--output", type=Path, default=Path("reports/hosts"), metavar="DIR",
                     help="folder for the report, named by host identity (default: reports/hosts)")
    run.add_argument("--timeout", type=_positive, metavar="SECONDS",
                     help="deadline for each probe step (default 5)")
    run.add_argument("--baseline", type=Path, metavar="FILE",
                     help="a stored host report: any changed outcome fails the test item naming it")
    who = run.add_mutually_exclusive_group()
    who.add_argument("--as-user", metavar="NAME|UID",
                     help="as root (Linux/macOS): run the suites as this user in a child, instead")
    who.add_argument("--also-as-user", metavar="NAME|UID",
                     help="as root (Linux/macOS): also run them as this user (the unprivileged column); "
                     "not root: a note, nothing more")
    run.add_argument("--no-autoload", action="store_true",
                     help="Linux: do not probe families whose kernel module is not loaded yet")
    run.add_argument("--suite", action="append", default=[], metavar="NAME",
                     help="run only this suite (create, transfer, ...); repeatable (default: all)")
    run.add_argument("pytest_args", nargs=argparse.REMAINDER, metavar="-- PYTEST_ARGS",
                     help="passed to pytest, e.g. -- -n 2 -k AF_INET")
    run.set_defaults(func=cmd_run)

    validate = sub.add_parser("validate", help="check reports against the schema",
                              description="Check host reports against the shipped JSON Schema.")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE", help="report files or folders")
    validate.set_defaults(func=cmd_validate)

    from sockcompat.cli.publish import add_parsers

    add_parsers(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except BrokenPipeError:
        # The reader went away (``sockcompat show X | head``): stop quietly, as Unix tools do, and
        # keep Python from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
