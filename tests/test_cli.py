"""The command line as a newcomer and a CI meet it: help for everything, one-line errors, one
exit-code convention, inputs checked before probing, diff and validate for machines and people,
and a console that cannot show the status symbols."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sockcompat.cli.main import ExitCode, Progress, ascii_fallback, exit_code, known_suites, main, parser
from sockcompat.cli.publish import publish
from sockcompat.report import host_report
from sockcompat.report.merge import merge
from tests.hostreports import Terminal, obs, raw, report, stream


def subparsers() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def python_m(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sockcompat", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False, env={**os.environ, **(env or {})})


def test_help_lists_every_command_with_its_help_and_no_markup(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "``" not in text
    for name, sub in subparsers().items():
        assert name in text
        assert sub.description and "``" not in sub.description
    for code in ExitCode:
        assert f"  {code.value}  " in text


def test_every_option_has_help() -> None:
    for name, sub in subparsers().items():
        for action in sub._actions:
            assert action.help, f"sockcompat {name} {action.option_strings or action.dest} has no help"


def test_run_suite_lists_the_suites(capsys: pytest.CaptureFixture[str]) -> None:
    suites = known_suites()
    assert {"create", "options", "transfer"} <= set(suites)
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert ", ".join(suites) in help_text


BAD_ARGUMENTS = [
    (["run", "--timeout", "abc"], "expected a positive number of seconds, got 'abc'"),
    (["run", "--timeout", "-1"], "expected a positive number of seconds, got '-1'"),
    (["run", "--suite", "nosuch"], "invalid choice: 'nosuch'"),
    (["diff", "only-one"], "the following arguments are required: B"),
    (["nosuch"], "invalid choice: 'nosuch'"),
]


@pytest.mark.parametrize(("argv", "says"), BAD_ARGUMENTS, ids=[" ".join(b[0]) for b in BAD_ARGUMENTS])
def test_bad_arguments_are_one_plain_line(capsys: pytest.CaptureFixture[str], argv: list[str],
                                          says: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err, err
    assert "_positive" not in err


def a_matrix(folder: Path) -> Path:
    publish(merge([host_report.write(report([stream()]), folder / "hosts" / "a.json")]), folder / "published")
    return folder / "published" / "matrix.json"


BAD_RUN_INPUTS = [
    ("output under a file", lambda d: ["--output", str((d / "f", (d / "f").write_text(""))[0] / "sub")],
     "cannot write to --output"),
    ("missing baseline", lambda d: ["--baseline", str(d / "none.json")], "no such file"),
    ("baseline folder", lambda d: ["--baseline", str(d)], "a folder"),
    ("baseline matrix", lambda d: ["--baseline", str(a_matrix(d))], "a matrix"),
]


def another_identity(folder: Path) -> list[str]:
    """A report of this host's identity but for another Python implementation."""
    other = host_report.write(report([stream()], implementation="graalpy"), folder / "g.json")
    return ["--baseline", str(other)]


BAD_RUN_INPUTS.append(("baseline of another host", another_identity, "is a baseline of linux x86_64 graalpy"))


@pytest.mark.parametrize(("what", "make", "says"), BAD_RUN_INPUTS, ids=[b[0] for b in BAD_RUN_INPUTS])
def test_run_checks_its_inputs_before_probing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              what: str, make: Any, says: str) -> None:
    args = make(tmp_path)
    if "--output" not in args:
        args += ["--output", str(tmp_path / "out")]
    assert main(["run", *args]) == ExitCode.USAGE, what
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and says in captured.err, captured.err
    assert captured.out == ""  # pytest never started


class Watched:
    def __init__(self, errors: int = 0, failing_changes: int = 0) -> None:
        self.errors, self.failing_changes = errors, failing_changes
        self.paths: list[Path] = []


EXIT_CODES = [
    # (pytest's code, probes that broke, baseline changes that count, ours)
    (0, 0, 0, ExitCode.SAME),
    (1, 0, 2, ExitCode.CHANGED),
    (1, 1, 2, ExitCode.PROBE_ERROR),
    (1, 0, 0, ExitCode.PROBE_ERROR),  # a test failed for another reason: the run broke
    (2, 0, 0, ExitCode.PROBE_ERROR),  # interrupted
    (4, 0, 0, ExitCode.USAGE),
    (5, 0, 0, ExitCode.PROBE_ERROR),  # nothing collected
]


@pytest.mark.parametrize(("pytest_code", "errors", "changes", "ours"), EXIT_CODES)
def test_exit_code_convention(pytest_code: int, errors: int, changes: int, ours: ExitCode) -> None:
    assert exit_code(pytest_code, Watched(errors, changes)) == ours  # type: ignore[arg-type]


def partial_report(folder: Path) -> Path:
    data = report([stream()])
    data["run"].update(complete=False, incomplete=["-k AF_INET"], selection={"keyword": "AF_INET"})
    return host_report.write(data, folder / "h.partial.json")


@pytest.mark.parametrize(("flags", "code", "says"), [
    ([], ExitCode.SAME, "valid, partial (-k AF_INET): "),
    (["--require-complete"], ExitCode.CHANGED, "invalid (--require-complete): partial (-k AF_INET): "),
])
def test_validate_names_a_partial_report(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         flags: list[str], code: int, says: str) -> None:
    path = partial_report(tmp_path)
    assert main(["validate", *flags, str(path)]) == code
    captured = capsys.readouterr()
    assert says + str(path) in captured.out + captured.err


def test_validate_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    partial = partial_report(tmp_path)
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="utf-8")
    assert main(["validate", "--json", str(tmp_path)]) == ExitCode.CHANGED
    results = {Path(r["path"]).name: r for r in json.loads(capsys.readouterr().out)}
    assert results[partial.name]["valid"] is True and results[partial.name]["complete"] is False
    assert results["broken.json"]["valid"] is False and "broken.json" in results["broken.json"]["error"]


def without(tmp_path: Path, *modules: str) -> dict[str, str]:
    """An environment where importing ``modules`` fails, as on an install without the extra."""
    blocker = tmp_path / "block"
    blocker.mkdir(exist_ok=True)
    for module in modules:
        (blocker / f"{module}.py").write_text("raise ImportError('not installed here')\n", encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(blocker), os.environ.get("PYTHONPATH", "")])}


@pytest.mark.parametrize("missing", [("jsonschema",), ("jsonschema", "fastjsonschema")],
                         ids=["no jsonschema", "neither library"])
def test_validate_without_the_publish_extra_still_checks(tmp_path: Path, missing: tuple[str, ...]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema_version": 2}), encoding="utf-8")
    good = host_report.write(report([stream()]), tmp_path / "good.json")
    env = without(tmp_path, *missing)
    assert python_m("validate", str(good), cwd=tmp_path, env=env).returncode == ExitCode.SAME
    done = python_m("validate", str(bad), cwd=tmp_path, env=env)
    assert done.returncode == ExitCode.CHANGED
    assert done.stderr.startswith("invalid: ") and "Traceback" not in done.stderr


@pytest.mark.slow
def test_the_light_install_probes(tmp_path: Path) -> None:
    env = without(tmp_path, "jsonschema", "fastjsonschema", "jinja2")
    done = python_m("run", "--output", "out", "--suite", "constants", cwd=tmp_path, env=env)
    assert done.returncode == ExitCode.SAME, done.stdout[-2000:] + done.stderr[-2000:]
    assert list((tmp_path / "out").glob("*.partial.json"))


def root_and_user(tmp_path: Path) -> tuple[Path, Path]:
    root = host_report.write(report([raw("supported"), stream(), obs("constant/SO_X", "supported", value=1),
                                     obs("option/SO_Y", "supported", step="get")]),
                             tmp_path / "root.json")
    user = host_report.write(report([raw("needs-privilege", "EPERM"), stream("unsupported")],
                                    privilege="user"),
                             tmp_path / "user.json")
    return root, user


def test_diff_leads_with_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, user = root_and_user(tmp_path)
    assert main(["diff", str(root), str(user)]) == ExitCode.CHANGED
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "4 differ: 2 changed, 2 only in A, 0 only in B (constant 1, create 2, option 1)"


CREATE_ROWS = {"create/AF_INET/SOCK_RAW/IPPROTO_ICMP [create]", "create/AF_INET/SOCK_STREAM/0 [create]"}


@pytest.mark.parametrize(("flags", "capabilities"), [
    (["--changed-only"], CREATE_ROWS),
    (["--area", "constant", "--area", "option"], {"constant/SO_X [lookup]", "option/SO_Y [get]"}),
    (["--area", "create", "--changed-only"], CREATE_ROWS),
])
def test_diff_filters_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str],
                               capabilities: set[str]) -> None:
    root, user = root_and_user(tmp_path)
    assert main(["diff", "--json", *flags, str(root), str(user)]) == ExitCode.CHANGED
    data = json.loads(capsys.readouterr().out)
    assert {c["capability"] for c in data["changes"]} == capabilities
    assert data["summary"]["differ"] == len(capabilities)


def test_a_cp1252_console_gets_ascii_symbols(tmp_path: Path) -> None:
    matrix = a_matrix(tmp_path)
    done = python_m("show", "AF_INET/SOCK_STREAM", "--matrix", str(matrix), cwd=tmp_path,
                    env={"PYTHONIOENCODING": "cp1252"})
    assert done.returncode == ExitCode.SAME, done.stderr
    assert "Y yes" in done.stdout and "UnicodeEncodeError" not in done.stderr


def test_ascii_fallback_leaves_a_capable_console_alone() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    ascii_fallback(stream)
    assert stream.errors == "strict"


@pytest.mark.parametrize(("tty", "elapsed", "shown"),
                         [(True, 2.0, True), (True, 0.5, False), (False, 2.0, False)])
def test_progress_only_on_a_terminal_and_only_for_slow_steps(tty: bool, elapsed: float, shown: bool) -> None:
    now = [0.0]
    terminal = Terminal(tty)
    progress = Progress("validating", 3, stream=terminal, clock=lambda: now[0])
    now[0] = elapsed
    progress.update(2)
    assert ("validating 2/3" in terminal.getvalue()) == shown
    progress.close()
    assert terminal.getvalue().endswith("\r") == shown


def test_show_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    matrix = a_matrix(tmp_path)
    assert main(["show", "--json", "--matrix", str(matrix), "AF_INET/SOCK_STREAM"]) == ExitCode.SAME
    data = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in data["rows"]] == ["create/AF_INET/SOCK_STREAM/0"]
    (cell,) = data["rows"][0]["cells"].values()
    assert cell["status"] == "supported"
    assert main(["show", "--json", "--matrix", str(matrix), "NOSUCH"]) == ExitCode.CHANGED
    assert json.loads(capsys.readouterr().out)["rows"] == []


@pytest.mark.parametrize(("flags", "passed"), [
    (["--baseline", "b.json", "--as-user", "nobody"], True),  # the child checks it as itself
    (["--baseline", "b.json", "--also-as-user", "nobody"], False),  # root's baseline, not the user's
    (["--baseline", "b.json", "--also-as-user", "nobody", "--baseline-any-host"], True),
    (["--also-as-user", "nobody"], False),
])
def test_the_user_child_gets_a_baseline_only_where_it_fits(flags: list[str], passed: bool,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from sockcompat.cli.main import child_baseline

    args = parser().parse_args(["run", *flags])
    assert child_baseline(args) == (Path("b.json") if passed else None)
    noted = "is not compared with b.json" in capsys.readouterr().err
    assert noted == ("--baseline" in flags and not passed)
