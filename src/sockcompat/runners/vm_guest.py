"""The program that runs inside the qemu guest (see ``sockcompat.runners.vm`` for the host side).

The guest boots with a tiny init that mounts the payload disk at ``/payload`` and runs
``python3 /payload/vm_guest.py /payload/plan.json``. This file is copied there as is, so it
imports only the standard library: sockcompat itself is not installed yet when it starts.

One boot runs one phase (``sockcompat.phase=root`` or ``=user`` on the kernel command line):
do the plan's family setup (vcan0, TIPC bearer, ...), install the sockcompat wheel into a venv
on the payload disk (once; later boots reuse it), run the conformance suites as the phase's user,
write what was set up into each report's ``host.provenance``, validate the report with the
installed ``sockcompat validate``, and write ``guest.json`` (exit codes, sha256 of each report)
beside the report for the host to collect.
"""

from __future__ import annotations

import collections
import hashlib
import json
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PAYLOAD = Path("/payload")
VENV = PAYLOAD / "venv"
MARK = "sockcompat-vm:"
OUTPUT_LIMIT = 2000

#: Runs one command; returns (exit code, combined output). Tests pass a fake.
Runner = Callable[..., "tuple[int, str]"]


def say(message: str) -> None:
    """A status line on the serial console; the host echoes lines carrying MARK."""
    print(f"{MARK} {message}", flush=True)


def run_command(argv: Sequence[str], *, timeout: float | None = None, env: dict[str, str] | None = None,
                capture: bool = True) -> tuple[int, str]:
    """Run argv; a missing program or an overrun is an exit code (127, 124), never an exception."""
    try:
        done = subprocess.run(
            list(argv), timeout=timeout, env=env, check=False, text=True, errors="replace",
            stdout=subprocess.PIPE if capture else None, stderr=subprocess.STDOUT if capture else None,
        )
    except FileNotFoundError as exc:
        return 127, str(exc)
    except subprocess.TimeoutExpired:
        return 124, f"timed out after {timeout:g} s"
    return done.returncode, (done.stdout or "")[-OUTPUT_LIMIT:]


def phase_from_cmdline(cmdline: str) -> str | None:
    """The phase named by ``sockcompat.phase=NAME`` on the kernel command line."""
    for word in cmdline.split():
        key, _, value = word.partition("=")
        if key == "sockcompat.phase":
            return value
    return None


def loaded_modules(text: str) -> list[str]:
    """Module names from /proc/modules text, sorted."""
    return sorted(line.split()[0] for line in text.splitlines() if line.strip())


def do_setup(steps: Sequence[dict[str, Any]], runner: Runner = run_command) -> list[dict[str, Any]]:
    """Run each setup step's commands in order, stopping a step at its first failure."""
    done = []
    for step in steps:
        commands = []
        ok = True
        for argv in step["commands"]:
            code, output = runner(argv, timeout=60)
            commands.append({"argv": list(argv), "returncode": code, "output": output.strip()})
            if code != 0:
                ok = False
                break
        done.append({"name": step["name"], "purpose": step["purpose"], "ok": ok, "commands": commands})
        say(f"setup {step['name']}: {'done' if ok else 'FAILED'}")
    return done


def installed_packages(text: str) -> list[str]:
    """"name version" of the installed packages in ``dpkg-query -f '${db:Status-Abbrev}...'`` output."""
    return sorted(line[3:].strip() for line in text.splitlines() if line.startswith("ii "))


def links(runner: Runner = run_command) -> list[dict[str, Any]]:
    """The guest's interfaces: name, link type, state (nothing else; they are all virtual)."""
    code, output = runner(["ip", "-j", "link", "show"], timeout=30)
    if code != 0:
        return []
    try:
        table = json.loads(output)
    except json.JSONDecodeError:
        return []
    return [{key: row.get(key) for key in ("ifname", "link_type", "operstate")} for row in table]


def install(plan: dict[str, Any], runner: Runner = run_command, venv: Path = VENV) -> dict[str, Any]:
    """Create the venv and install the sockcompat wheel from the payload's wheelhouse (no network)."""
    if (venv / "bin" / "sockcompat").exists():
        return {"reused": True, "returncode": 0, "output": ""}
    wheels = PAYLOAD / "wheels"
    system = ["--system-site-packages"] if plan.get("system_site_packages") else []  # Debian's psutil
    steps = [
        [sys.executable, "-m", "venv", *system, str(venv)],
        [str(venv / "bin" / "pip"), "install", "--no-index", "--no-cache-dir", "--disable-pip-version-check",
         "--find-links", str(wheels), f"{wheels / plan['wheel']}[publish]"],  # validate needs the extra
    ]
    for argv in steps:
        code, output = runner(argv, timeout=plan["install_timeout_s"])
        if code != 0:
            return {"reused": False, "returncode": code, "output": output.strip()}
    return {"reused": False, "returncode": 0, "output": ""}


def user_prefix(run: dict[str, Any]) -> list[str]:
    """setpriv arguments that drop to the run's uid/gid with no groups (empty for root)."""
    uid = run.get("uid")
    if uid is None:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={run['gid']}", "--clear-groups", "--inh-caps=-all", "--"]


def suite_command(plan: dict[str, Any], run: dict[str, Any], out: Path, venv: Path = VENV) -> list[str]:
    """The ``sockcompat run`` command line for one phase."""
    return [*user_prefix(run), str(venv / "bin" / "sockcompat"), "run", "--output", str(out),
            *plan["sockcompat_args"], "--", *plan["pytest_args"]]


def suite_env(home: Path, venv: Path = VENV) -> dict[str, str]:
    """A small, fixed environment: the venv first on PATH, a private HOME, no bytecode files."""
    return {
        "PATH": f"{venv / 'bin'}:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_COLOR": "1",
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def outcome_counts(report: Path) -> dict[str, int]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return dict(collections.Counter(o["outcome"] for o in data["observations"]))


def provenance(plan: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """``host.provenance``: the machine the host booted, and the family setup done before the run."""
    return {
        "kind": "qemu-guest",
        "machine": {**plan.get("machine", {}), "kernel_packages": result["kernel_packages"]},
        "setup": result["setup"],
        "interfaces": result["links"],
        "modules_before_setup": result["modules_before_setup"],
        "modules_after_setup": result["modules_after_setup"],
    }


def with_provenance(text: str, facts: dict[str, Any]) -> str:
    """The report text with ``host.provenance`` set, in the layout ``sockcompat run`` writes (head
    indented, one observation per line), so published files diff alike."""
    report = json.loads(text)
    report["host"]["provenance"] = facts
    head = {k: v for k, v in report.items() if k != "observations"}
    rows = ",\n".join(json.dumps(o, sort_keys=True) for o in report["observations"])
    return json.dumps(head, indent=2, sort_keys=True)[:-2] + ',\n  "observations": [\n' + rows + "\n  ]\n}\n"


def run_phase(plan: dict[str, Any], phase: str, runner: Runner = run_command,
              root: Path = PAYLOAD, venv: Path = VENV, proc: Path = Path("/proc")) -> dict[str, Any]:
    """Everything one boot does; returns what goes into ``out/<phase>/guest.json``."""
    run = plan["runs"][phase]
    out = root / "out" / phase
    reports = out / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    home = Path("/tmp") / f"home-{phase}"
    home.mkdir(parents=True, exist_ok=True)
    if run.get("uid") is not None:
        for path in (reports, home):
            shutil.chown(path, run["uid"], run["gid"])
    result: dict[str, Any] = {"phase": phase, "kernel_release": platform.release()}
    query = ["dpkg-query", "-W", "-f", "${db:Status-Abbrev}${Package} ${Version}\\n", "linux-image-*"]
    code, packages = runner(query, timeout=60)
    result["kernel_packages"] = installed_packages(packages) if code == 0 else []
    result["python"] = ".".join(str(n) for n in sys.version_info[:3])
    result["modules_before_setup"] = loaded_modules((proc / "modules").read_text())
    result["setup"] = do_setup(plan["setup"], runner)
    result["modules_after_setup"] = loaded_modules((proc / "modules").read_text())
    result["links"] = links(runner)
    say("installing sockcompat into the guest venv")
    result["install"] = install(plan, runner, venv)
    if result["install"]["returncode"] != 0:
        say(f"install FAILED: {result['install']['output'][-300:]}")
        return result
    command = suite_command(plan, run, reports, venv)
    say(f"running the suites as {phase}: {' '.join(command)}")
    start = time.monotonic()
    code, _ = runner(command, timeout=plan["run_timeout_s"], env=suite_env(home, venv), capture=False)
    result["run"] = {"privilege": phase, "argv": command, "returncode": code,
                     "duration_s": round(time.monotonic() - start, 1)}
    result["reports"] = {}
    facts = provenance(plan, result)
    for report in sorted(reports.glob("*.json")):
        report.write_text(with_provenance(report.read_text(encoding="utf-8"), facts), encoding="utf-8")
        check, message = runner([str(venv / "bin" / "sockcompat"), "validate", str(report)], timeout=300)
        counts = outcome_counts(report) if check == 0 else {}
        result["reports"][report.name] = {"sha256": sha256(report), "valid": check == 0,
                                          "validate_output": message.strip(), "outcomes": counts}
        verdict = "valid" if check == 0 else "INVALID"
        say(f"report {report.name}: {verdict} {json.dumps(counts, sort_keys=True)}")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    plan = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    phase = phase_from_cmdline(Path("/proc/cmdline").read_text())
    if phase is None or phase not in plan["runs"]:
        say(f"no known sockcompat.phase on the kernel command line (got {phase!r})")
        return 2
    result = run_phase(plan, phase)
    target = PAYLOAD / "out" / phase / "guest.json"
    target.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    say(f"phase {phase} finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
