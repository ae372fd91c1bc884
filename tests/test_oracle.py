"""An oracle the suites did not write: the same socket(), getsockopt() and setsockopt() calls made
from C (tests/oracle/*.c, compiled here with the system compiler against the C library's headers
and structs), compared with what ``sockcompat run --suite create --suite options`` recorded, as
root and as uid 65534. Every disagreement fails, naming the row.

The C programs check the option numbers against their own macros, build struct values from their
own structs (a row whose bytes differ is a disagreement too) and read with their own struct sizes.
Rows no call answered (no constant, not applicable, timeouts) and rows CPython refused before the
kernel saw them are counted and skipped, with the reason printed.
"""

from __future__ import annotations

import collections
import os
import shutil
import socket
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sockcompat.catalog.option_table import AS_READ
from sockcompat.catalog.option_values import INT_ONLY_FAMILIES, buffer_size, encode
from sockcompat.catalog.options import OptionCase, ResolvedOption, option_cases, resolve_option, spec_named
from sockcompat.probes.options import Unresolvable, resolve_test_value
from sockcompat.report.validate import load

from .conftest import world_writable_dir

ORACLE = Path(__file__).parent / "oracle"
UNPRIVILEGED = ("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups")


def linux_root() -> bool:
    geteuid = getattr(os, "geteuid", None)
    return sys.platform.startswith("linux") and geteuid is not None and geteuid() == 0


pytestmark = [pytest.mark.oracle, pytest.mark.slow,
              pytest.mark.skipif(not linux_root(), reason="needs root on Linux (and uid 65534 via setpriv)")]

#: Outcomes no C call can check: nothing was asked of the kernel.
NOT_ASKED = {"no-constant": "no constant", "not-applicable": "not applicable", "timeout": "timed out",
             "error": "the probe broke"}


@dataclass
class Tally:
    """What was compared, what was skipped and why, and every disagreement."""

    compared: int = 0
    skipped: collections.Counter[str] = field(default_factory=collections.Counter)
    disagreements: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def oracles(shared_dir: Path) -> Iterator[dict[str, Path]]:
    compiler = shutil.which("cc")
    if compiler is None:
        pytest.skip("needs a C compiler (cc)")
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux)")
    built = {}
    for name in ("create", "options"):
        binary = shared_dir / f"oracle-{name}"
        subprocess.run([compiler, "-O1", "-Wall", "-Werror", "-o", str(binary), str(ORACLE / f"{name}.c")],
                       check=True, capture_output=True, timeout=120)
        built[name] = binary
    yield built


def sockcompat_run(venv: Path, shared_dir: Path, prefix: tuple[str, ...]) -> dict[str, Any]:
    out = world_writable_dir(shared_dir)
    command = [*prefix, str(venv / "bin" / "sockcompat"), "run", "--output", str(out),
               "--suite", "create", "--suite", "options"]
    done = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=600, check=False,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return load(next(out.glob("*.json")))


def run_oracle(binary: Path, prefix: tuple[str, ...], rows: list[str]) -> dict[str, str]:
    done = subprocess.run([*prefix, str(binary)], input="\n".join(rows) + "\n", capture_output=True,
                          text=True, timeout=120, check=True)
    answers = {}
    for line in done.stdout.splitlines():
        index, _, answer = line.partition(" ")
        answers[index] = answer
    return answers


def skip_reason(observation: dict[str, Any]) -> str | None:
    """Why a row cannot be checked against C, or None when it can."""
    if observation["outcome"] in NOT_ASKED:
        return NOT_ASKED[observation["outcome"]]
    refused_by_python = observation.get("layer") == "python" or (
        observation["outcome"] not in ("supported", "not-reached") and observation["errno"] is None)
    if refused_by_python:
        return "CPython refused before the kernel saw it"
    return None


########################################################################################
# create rows


Rows = tuple[list[str], dict[str, dict[str, Any]]]


def create_rows(report: dict[str, Any], tally: Tally) -> Rows:
    rows: list[str] = []
    by_index: dict[str, dict[str, Any]] = {}
    for observation in report["observations"]:
        if observation["area"] != "create":
            continue
        reason = skip_reason(observation)
        if reason is not None or observation["family_num"] is None or observation["type_num"] is None:
            tally.skipped[f"create: {reason or 'no number'}"] += 1
            continue
        index = str(len(rows))
        by_index[index] = observation
        rows.append(f"{index} {observation['family']} {observation['family_num']} {observation['type']} "
                    f"{observation['type_num']} {observation['proto_num'] or 0}")
    return rows, by_index


def judge_create(observation: dict[str, Any], answer: str) -> str | None:
    said = "OK" if observation["outcome"] == "supported" else f"ERR {observation['errno']}"
    return None if answer == said else f"sockcompat {said}, C {answer}"


########################################################################################
# option rows


def resolved_options() -> dict[str, tuple[OptionCase, ResolvedOption]]:
    return {case.option_id(option): (case, option)
            for case in option_cases(socket, sys.platform) for option in case.options}


def value_hex(option: ResolvedOption, family: str, default: Any) -> str:
    spec = option.spec
    if spec.test == AS_READ:
        return "asread"
    value = resolve_test_value(spec.test, default, "linux", socket, family)
    int_only = family in INT_ONLY_FAMILIES
    if int_only and spec.kind != "u64":
        raise ValueError("CPython passes one 64-bit integer on this family, not this option's value")
    encoded = encode(spec.kind, value, "linux", int_only)
    if isinstance(encoded, int):  # CPython passes a C int, or one 64-bit integer on int-only families
        encoded = struct.pack("=Q" if int_only else "=i", encoded)
    return encoded.hex() or "-"


def prerequisites(option: ResolvedOption) -> list[str]:
    tokens = [str(len(option.spec.after))]
    for name in option.spec.after:
        spec = spec_named("linux", option.spec.level, name)
        assert spec is not None, name
        before = resolve_option(socket, "linux", spec)
        tokens += [name, str(before.level.number), str(before.option.number),
                   value_hex(before, "AF_INET", None)]
    return tokens


def option_rows(report: dict[str, Any], tally: Tally) -> Rows:
    known = resolved_options()
    observed = {(o["id"], o["step"]): o for o in report["observations"] if o["area"] == "option"}
    rows: list[str] = []
    by_index: dict[str, dict[str, Any]] = {}
    for (row_id, step), observation in sorted(observed.items()):
        reason = skip_reason(observation)
        if reason is not None:
            tally.skipped[f"option: {reason}"] += 1
            continue
        case, option = known[row_id]
        family = observation["family"]
        default = observed.get((row_id, "get"), {}).get("value")
        try:
            value = value_hex(option, family, default) if step == "set" else "-"
        except (ValueError, Unresolvable) as exc:
            tally.skipped[f"option: {exc}"] += 1
            continue
        size = buffer_size(option.spec.kind, "linux", option.spec.size, family)
        index = str(len(rows))
        by_index[index] = observation
        sock = case.socket
        rows.append(" ".join([
            index, step, str(sock.family.number), str(sock.type.number), str(sock.proto_argument),
            option.spec.level, str(option.level.number), option.spec.name, str(option.option.number),
            option.spec.needs or "-", str(-1 if size is None else size), value, *prerequisites(option)]))
    return rows, by_index


def judge_option(observation: dict[str, Any], answer: str) -> str | None:
    words = answer.split()
    if len(words) > 2 and words[0] in ("OK", "ERR") and words[-1].startswith(("c=", "row=")):
        return f"C built another value or read size: {answer}"
    if observation["outcome"] == "not-reached":
        agreed = words[0] in ("PRE", "CONNECT") and words[-1] in (observation["detail"] or "")
    elif observation["outcome"] == "supported":
        agreed = words[0] == "OK"
    elif (observation["detail"] or "").startswith("socket():"):
        agreed = words[:2] == ["SOCKET", observation["errno"]]
    else:
        agreed = words[:2] == ["ERR", observation["errno"]]
    if agreed:
        return None
    said = observation["outcome"] + (f" {observation['errno']}" if observation["errno"] else "")
    return f"sockcompat {said} ({observation['detail']}), C {answer}"


########################################################################################


@pytest.mark.parametrize("who", ["root", "uid 65534"])
def test_c_agrees_with_every_create_verdict_and_option_call(
    who: str, oracles: dict[str, Path], wheel_venv: Path, shared_dir: Path
) -> None:
    prefix = UNPRIVILEGED if who != "root" else ()
    report = sockcompat_run(wheel_venv, shared_dir, prefix)
    tally = Tally()
    for area, build, judge in (("create", create_rows, judge_create), ("options", option_rows, judge_option)):
        rows, by_index = build(report, tally)
        answers = run_oracle(oracles[area], prefix, rows)
        for index, observation in by_index.items():
            tally.compared += 1
            verdict = judge(observation, answers.get(index, "no answer"))
            if verdict is not None:
                tally.disagreements.append(f"{observation['id']} {observation['step']}: {verdict}")
    print(f"\n{who}: {tally.compared} rows compared with C, {len(tally.disagreements)} disagree; skipped:",
          dict(tally.skipped))
    assert tally.compared > 1000, "the oracle compared too few rows to mean anything"
    assert not tally.disagreements, "\n".join(tally.disagreements[:60])
