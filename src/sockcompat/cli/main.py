"""The sockcompat command: probe this host, check reports, merge and publish them.

Every subcommand is a small function taking parsed arguments and returning an exit code from
``ExitCode``: one convention for every command, so a CI can tell a change from a broken run.
"""

from __future__ import annotations

import argparse
import codecs
import enum
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

from sockcompat import __version__


class ExitCode(enum.IntEnum):
    SAME = 0  # nothing changed, everything valid
    CHANGED = 1  # a baseline or diff found changes; a report is invalid; nothing matched
    USAGE = 2  # bad arguments or input files: nothing was probed
    PROBE_ERROR = 3  # probing broke: a probe raised, pytest could not run, or the run was interrupted


EXIT_CODES = """exit codes (every command):
  0  same: no change, every report valid
  1  changed: a baseline or diff found changes, a report is invalid or partial (--require-complete)
  2  usage error: bad arguments or input files; nothing was probed
  3  probing broke: a probe raised an error, pytest could not run, or the run was interrupted"""

#: pytest's exit codes that mean the run itself broke (interrupted, internal error, nothing collected)
PYTEST_BROKE = {2, 3, 5}
PYTEST_USAGE_ERROR = 4


def conformance_dir() -> Path:
    """The suites: inside the installed wheel, or beside ``src/`` in a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "conformance", package.parents[1] / "conformance"):
        if (candidate / "test_create.py").is_file():
            return candidate
    raise SystemExit("sockcompat: the conformance suites are missing from this installation")


def known_suites() -> list[str]:
    try:
        folder = conformance_dir()
    except SystemExit:
        return []
    return sorted(p.stem[len("test_"):] for p in folder.glob("test_*.py"))


class _RunWatcher:
    """A tiny pytest plugin that keeps what the collector knew at the end: the reports it wrote
    (one per host identity), the probes that broke and the baseline changes that count."""

    def __init__(self) -> None:
        self.paths: list[Path] = []
        self.errors = 0
        self.failing_changes = 0

    def pytest_unconfigure(self, config: Any) -> None:
        from sockcompat.collector import Collector

        collector = config.pluginmanager.get_plugin(Collector.NAME)
        if isinstance(collector, Collector):
            self.paths = list(collector.written)
            self.errors = collector.errors
            self.failing_changes = collector.failing_changes


def check_output(folder: Path) -> str | None:
    """Why ``folder`` cannot take a report, or None: asked before probing, not after."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return f"cannot write to --output {folder}: {exc.strerror or exc}"
    return None


def check_baseline(path: Path, any_host: bool) -> str | None:
    """Why ``path`` cannot be this run's baseline (unreadable, not a host report, or a report of
    another host identity unless ``any_host``), or None."""
    from sockcompat.errors import ReportError
    from sockcompat.host import environment, privilege, surface
    from sockcompat.report.baseline import Baseline

    try:
        baseline = Baseline.load(path)
    except ReportError as exc:
        return f"--baseline {exc}"
    if any_host:
        return None
    refusal = baseline.refusal(environment.collect(surface.current().privilege or privilege.current(), None))
    return None if refusal is None else f"--baseline {refusal}"


def exit_code(pytest_code: int, watcher: _RunWatcher) -> ExitCode:
    """pytest's exit code and what the run found, in the convention every command shares."""
    if pytest_code == PYTEST_USAGE_ERROR:
        return ExitCode.USAGE
    if watcher.errors or pytest_code in PYTEST_BROKE:
        return ExitCode.PROBE_ERROR
    if watcher.failing_changes:
        return ExitCode.CHANGED
    return ExitCode.PROBE_ERROR if pytest_code else ExitCode.SAME


def child_baseline(args: argparse.Namespace) -> Path | None:
    """The baseline the user's child compares with: with ``--as-user`` the one given (the child
    checks it against its own identity); with ``--also-as-user`` none, since a baseline holds one
    privilege and the one given is this run's, unless ``--baseline-any-host`` says any will do."""
    if args.baseline is None or args.as_user is not None or args.baseline_any_host:
        return args.baseline  # type: ignore[no-any-return]
    if args.also_as_user is not None:
        print(f"sockcompat run: the {args.also_as_user} run is not compared with {args.baseline} "
              "(a baseline holds one privilege; --baseline-any-host compares it anyway)", file=sys.stderr)
    return None


def cmd_run(args: argparse.Namespace) -> int:
    import pytest

    from sockcompat.runners import as_user, passthrough

    own = [f"--fail-on={args.fail_on}"] + ["--baseline-any-host"] * args.baseline_any_host
    own += ["--compress"] * args.compress
    child_args = own + as_user.forwarded(args.timeout, child_baseline(args), args.pytest_args, args.suite,
                                         args.no_autoload)
    # as another user the child checks the baseline against its own identity
    any_host = args.baseline_any_host or args.as_user is not None
    problem = check_output(args.output)
    if problem is None and args.baseline is not None:
        problem = check_baseline(args.baseline, any_host)
    if problem:
        print(f"sockcompat run: {problem}", file=sys.stderr)
        return ExitCode.USAGE
    if args.as_user is not None:
        return as_user.run_child(args.as_user, child_args, args.output, required=True)
    suites = conformance_dir()
    targets = [suites / f"test_{name}.py" for name in args.suite] or [suites]
    pytest_args = [
        *(str(t) for t in targets),
        "--rootdir", str(suites),
        "-c", str(suites / "pytest.ini"),
        "--sockcompat-report-dir", str(args.output),
        "--sockcompat-fail-on", args.fail_on,
    ]
    if args.timeout is not None:
        pytest_args += ["--sockcompat-timeout", str(args.timeout)]
    flags = {"--sockcompat-no-autoload": args.no_autoload, "--sockcompat-compress": args.compress,
             "--sockcompat-baseline-any-host": args.baseline_any_host}
    pytest_args += [flag for flag, given in flags.items() if given]
    if args.baseline is not None:
        pytest_args += ["--sockcompat-baseline", str(args.baseline)]
    watcher = _RunWatcher()
    pytest_code = int(pytest.main(pytest_args + passthrough(args.pytest_args), plugins=[watcher]))
    code = exit_code(pytest_code, watcher)
    if not watcher.paths:
        if code != ExitCode.USAGE:
            print("sockcompat run: no report written (no probe ran: check the pytest arguments)",
                  file=sys.stderr)
        return code if code != ExitCode.SAME else ExitCode.USAGE
    for path in watcher.paths:
        print(f"sockcompat: report written to {path}")
    if args.also_as_user is not None:
        child = as_user.run_child(args.also_as_user, child_args, args.output, required=False)
        code = ExitCode(max(int(code), min(child, ExitCode.PROBE_ERROR)))
    return code


def report_files(given: Sequence[Path]) -> list[Path]:
    """The files named, and the reports (``.json``, ``.json.gz``) in the folders named."""
    files: list[Path] = []
    for path in given:
        files.extend(sorted([*path.glob("*.json"), *path.glob("*.json.gz")]) if path.is_dir() else [path])
    return files


def cmd_validate(args: argparse.Namespace) -> int:
    from sockcompat.errors import ReportError
    from sockcompat.report.validate import load

    files = report_files(args.files)
    if not files:
        print("sockcompat validate: no report files given", file=sys.stderr)
        return ExitCode.USAGE
    results: list[dict[str, Any]] = []
    progress = Progress("validating", len(files))
    for done, path in enumerate(files, 1):
        progress.update(done)
        try:
            run = load(path)["run"]
        except ReportError as exc:
            results.append({"path": str(path), "valid": False, "error": str(exc)})
            continue
        incomplete = run.get("incomplete", []) if run.get("complete", True) is False else []
        valid = not (incomplete and args.require_complete)
        results.append({"path": str(path), "valid": valid, "complete": not incomplete,
                        "incomplete": incomplete})
    progress.close()
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for result in results:
            if "error" in result:
                print(f"invalid: {result['error']}", file=sys.stderr)
            elif result["incomplete"]:
                state = "valid, partial" if result["valid"] else "invalid (--require-complete): partial"
                print(f"{state} ({'; '.join(result['incomplete'])}): {result['path']}",
                      file=sys.stdout if result["valid"] else sys.stderr)
            else:
                print(f"valid: {result['path']}")
    return ExitCode.CHANGED if any(not r["valid"] for r in results) else ExitCode.SAME


class Progress:
    """``validating 12/300`` rewritten in place on a terminal, once a step has taken over a
    second; nothing at all when the stream is a pipe or a file (a CI log)."""

    DELAY_S = 1.0

    def __init__(self, label: str, total: int, stream: IO[str] | None = None,
                 clock: Any = time.monotonic) -> None:
        self.label, self.total, self.clock = label, total, clock
        self.stream = stream if stream is not None else sys.stderr
        self.started = clock()
        self.width = 0

    def update(self, done: int) -> None:
        if not self.stream.isatty() or self.clock() - self.started < self.DELAY_S:
            return
        text = f"{self.label} {done}/{self.total}"
        self.stream.write("\r" + text)
        self.stream.flush()
        self.width = len(text)

    def close(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


#: status symbols the views print, and what a console that cannot show them gets instead
ASCII = {"✅": "[+]", "◐": "[~]", "🔒": "[priv]", "❌": "[-]", "❔": "[?]", "⚠": "[!]", "…": "...", "→": "->",
         "·": "-"}


def _ascii_replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start:error.end]
    return "".join(ASCII.get(char, "?") for char in bad), error.end


codecs.register_error("sockcompat-ascii", _ascii_replace)


def ascii_fallback(stream: Any) -> None:
    """A console that cannot encode the status symbols (Windows cp1252) gets ASCII stand-ins
    instead of a UnicodeEncodeError in the middle of the output."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "".join(ASCII).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="sockcompat-ascii")


class Parser(argparse.ArgumentParser):
    """Errors in one line with the command's name (argparse prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    top = Parser(prog="sockcompat", description=__doc__.splitlines()[0], epilog=EXIT_CODES,
                 formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"sockcompat {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")

    suites = known_suites()
    run = sub.add_parser("run", help="probe this host and write its report", epilog=EXIT_CODES,
                         formatter_class=argparse.RawDescriptionHelpFormatter,
                         description="Run the conformance suites on this host and write one host report. "
                         "A run narrowed (--suite, -k) or interrupted writes <host-id>.partial.json beside "
                         "the complete report, never over it.")
    run.add_argument("--output", type=Path, default=Path("reports/hosts"), metavar="DIR",
                     help="folder for the report, named by host identity (default: reports/hosts)")
    run.add_argument("--compress", action="store_true", help="write the report gzip-compressed (.json.gz)")
    run.add_argument("--timeout", type=_positive, metavar="SECONDS",
                     help="deadline for each probe step (default 5; also $SOCKCOMPAT_TIMEOUT)")
    run.add_argument("--baseline", type=Path, metavar="FILE",
                     help="a stored report of this host identity: a changed outcome fails the item naming it")
    run.add_argument("--baseline-any-host", action="store_true",
                     help="compare against a baseline of another OS, machine, Python or privilege")
    run.add_argument("--fail-on", choices=("regressions", "changes"), default="changes",
                     help="which baseline changes fail the run: regressions (was supported, is not) "
                     "or any change (default)")
    who = run.add_mutually_exclusive_group()
    who.add_argument("--as-user", metavar="NAME|UID",
                     help="as root (Linux/macOS): run the suites as this user in a child, instead")
    who.add_argument("--also-as-user", metavar="NAME|UID",
                     help="as root (Linux/macOS): also run them as this user (the unprivileged column); "
                     "not root: a note, nothing more")
    run.add_argument("--no-autoload", action="store_true",
                     help="Linux: do not probe families whose kernel module is not loaded yet")
    run.add_argument("--suite", action="append", default=[], choices=suites or None, metavar="NAME",
                     help=f"run only this suite, repeatable (default: all): {', '.join(suites)}")
    run.add_argument("pytest_args", nargs=argparse.REMAINDER, metavar="-- PYTEST_ARGS",
                     help="passed to pytest, e.g. -- -n 2 -k AF_INET")
    run.set_defaults(func=cmd_run)

    validate = sub.add_parser("validate", help="check reports against the schema",
                              description="Check host reports (.json or .json.gz) against the shipped "
                              "JSON Schema; a partial report is valid unless --require-complete.")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE", help="report files or folders")
    validate.add_argument("--require-complete", action="store_true",
                          help="count a partial report (interrupted, narrowed by --suite or -k) as invalid")
    validate.add_argument("--json", action="store_true", help="print the results as JSON")
    validate.set_defaults(func=cmd_validate)

    from sockcompat.cli.publish import add_parsers

    add_parsers(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    ascii_fallback(sys.stdout)
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except BrokenPipeError:
        # The reader went away (``sockcompat show X | head``): stop quietly, as Unix tools do, and
        # keep Python from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.CHANGED
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
