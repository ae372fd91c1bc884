"""Run the real conformance suites inside throwaway hosts: a fresh network namespace with its own
sysctls, optionally an unprivileged uid, a seccomp filter, a descriptor limit, odd folders.

Each run goes through the installed ``sockcompat`` command exactly as a user would start it; the
test then reads the report it wrote.
"""

from __future__ import annotations

import dataclasses
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

from sockcompat.report.validate import load

UNPRIVILEGED = ("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups")


@dataclasses.dataclass(frozen=True)
class Host:
    """A kind of host to imitate. ``setup`` runs as root inside the new network namespace;
    ``wrapper`` prefixes the command (prlimit, a seccomp launcher); ``unprivileged`` drops to
    uid 65534 last, so the setup keeps root."""

    name: str
    setup: tuple[str, ...] = ("ip link set lo up",)
    suites: tuple[str, ...] = ("create",)
    wrapper: tuple[str, ...] = ()
    unprivileged: bool = False
    env: tuple[tuple[str, str], ...] = ()
    pytest_args: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Run:
    returncode: int
    output: str
    report: dict[str, Any]

    def outcome(self, probe_id: str, step: str) -> tuple[str, str | None]:
        for o in self.report["observations"]:
            if (o["id"], o["step"]) == (probe_id, step):
                return o["outcome"], o["errno"]
        raise KeyError(f"{probe_id} [{step}] not in the report")

    def where(self, **fields: Any) -> list[dict[str, Any]]:
        """Observations whose fields equal all of ``fields``."""
        return [o for o in self.report["observations"] if all(o.get(k) == v for k, v in fields.items())]


def sysctl(name: str, value: str) -> str:
    return f"echo {shlex.quote(value)} > /proc/sys/{name.replace('.', '/')}"


def run_on(host: Host, venv: Path, out: Path, cwd: Path, timeout: float = 900) -> Run:
    """Run ``sockcompat run`` on the imitated host; ``out`` and ``cwd`` must be usable by its uid."""
    command = [*host.wrapper, *(UNPRIVILEGED if host.unprivileged else ()), str(venv / "bin" / "sockcompat"),
               "run", "--output", str(out), *(f"--suite={s}" for s in host.suites), "--", *host.pytest_args]
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in host.env)
    script = "set -e\n" + "\n".join(host.setup) + f"\ncd {shlex.quote(str(cwd))}\nexec env {exports} "
    script += " ".join(shlex.quote(part) for part in command)
    unshare = shutil.which("unshare") or "unshare"
    done = subprocess.run([unshare, "--net", "--", "sh", "-c", script], capture_output=True, text=True,
                          timeout=timeout, check=False, stdin=subprocess.DEVNULL)
    output = done.stdout + done.stderr
    reports = sorted(out.glob("*.json"))
    if len(reports) != 1:
        found = f"{host.name}: expected one report in {out}, found {len(reports)}"
        raise AssertionError(f"{found}\n{output[-3000:]}")
    return Run(done.returncode, output, load(reports[0]))
