"""Run the suites as another (unprivileged) user in a child process, from a root invocation.

So one root run records both columns of the matrix: root, and the user a developer or service
really runs as. POSIX only (Windows has no setuid; CI makes a standard user there instead).
The child needs an interpreter and installed package that user can read: a virtualenv under
``/root`` (mode 0700) is not, and the error says so instead of failing half-way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sockcompat.runners import passthrough

#: Environment passed to the child: enough to run, nothing of root's session.
KEPT_ENV = ("PATH", "LANG", "LC_ALL", "TZ", "CI", "GITHUB_ACTIONS")


class AsUserError(Exception):
    """Cannot run as that user; the message says what to change."""


def resolve(user: str) -> tuple[int, int]:
    """(uid, gid) for a user name or a numeric uid (a uid with no passwd entry uses gid = uid)."""
    if sys.platform == "win32":
        raise AsUserError("--as-user needs a POSIX system: on Windows run from a standard user's session")
    import pwd

    try:
        entry = pwd.getpwuid(int(user)) if user.isdigit() else pwd.getpwnam(user)
    except KeyError:
        if user.isdigit():
            return int(user), int(user)
        raise AsUserError(f"no user named {user!r} on this host") from None
    return entry.pw_uid, entry.pw_gid


def blocked_folder() -> str:
    """", first closed folder: /x/.tox (mode 0700)" for the interpreter or the environment, when a
    folder on the way lacks the others' search bit (group membership is not considered)."""
    for start in (Path(sys.executable), Path(sys.prefix), Path(sys.base_prefix)):
        for folder in reversed([start, *start.parents] if start.is_dir() else list(start.parents)):
            try:
                mode = folder.stat().st_mode
            except OSError:
                continue
            if not mode & 0o001:
                return f", first closed folder: {folder} (mode {mode & 0o777:04o})"
    return ""


def child_env(home: Path) -> dict[str, str]:
    env = {k: os.environ[k] for k in KEPT_ENV if k in os.environ}
    env.update({k: v for k, v in os.environ.items() if k.startswith("SOCKCOMPAT_")})
    env["HOME"] = str(home)
    return env


def run_as(user: str, run_args: Sequence[str], output: Path) -> int:
    """Run ``sockcompat run RUN_ARGS`` as ``user``; move the report it writes into ``output``.
    Returns the child's exit code."""
    if sys.platform == "win32":
        raise AsUserError("--as-user needs a POSIX system")
    uid, gid = resolve(user)
    if os.geteuid() != 0:
        raise AsUserError(f"--as-user {user} needs root (this process runs as uid {os.geteuid()})")
    work = Path(tempfile.mkdtemp(prefix="sc-user-"))
    try:
        os.chown(work, uid, gid)
        os.chmod(work, 0o700)
        env = child_env(work)
        try:
            probe = subprocess.run([sys.executable, "-c", "import sockcompat.cli.main"], capture_output=True,
                                   text=True, check=False, user=uid, group=gid, extra_groups=[],
                                   cwd=work, env=env)
            last = (probe.stderr.strip().splitlines() or ["no output"])[-1]
        except OSError as exc:
            probe, last = None, exc.strerror or str(exc)
        if probe is None or probe.returncode != 0:
            raise AsUserError(
                f"uid {uid} cannot run {sys.executable} with sockcompat ({last}){blocked_folder()}; use "
                "an interpreter and environment that user can read (not under a 0700 home such as /root)")
        command = [sys.executable, "-m", "sockcompat.cli.main", "run", "--output", str(work), *run_args]
        code = subprocess.call(command, user=uid, group=gid, extra_groups=[], cwd=work, env=env)
        output.mkdir(parents=True, exist_ok=True)
        for report in sorted(work.glob("*.json*")):  # .json and .json.gz
            target = output / report.name
            shutil.copyfile(report, target)
            print(f"sockcompat: report of uid {uid} written to {target}")
        return code
    finally:
        shutil.rmtree(work, ignore_errors=True)


def forwarded(timeout: float | None, baseline: Path | None, pytest_args: Sequence[str],
              suites: Sequence[str] = (), no_autoload: bool = False) -> list[str]:
    """The ``sockcompat run`` arguments the child repeats (not the output folder, not --as-user)."""
    args: list[str] = [f"--suite={name}" for name in suites]
    if no_autoload:
        args.append("--no-autoload")
    if timeout is not None:
        args += ["--timeout", str(timeout)]
    if baseline is not None:
        args += ["--baseline", str(baseline.resolve())]
    extra = passthrough(pytest_args)
    return args + (["--", *extra] if extra else [])


def run_child(user: str, run_args: Sequence[str], output: Path, required: bool) -> int:
    """``run_as`` with its errors printed; when not ``required`` (``--also-as-user``), a host where
    we are not root just notes that this run already is the unprivileged column, and a user who
    cannot run this interpreter is a note too, not a failed run."""
    if not required:
        if sys.platform == "win32":
            print(f"sockcompat: --also-as-user {user} skipped: POSIX only (run again as a standard user)")
            return 0
        if os.geteuid() != 0:
            print(f"sockcompat: not root, so this run is the unprivileged column; "
                  f"--also-as-user {user} skipped")
            return 0
    try:
        return run_as(user, run_args, output)
    except AsUserError as exc:
        if not required:  # the root report stands; the second column is a bonus, said plainly
            print(f"sockcompat: unprivileged column skipped: {exc}", file=sys.stderr)
            return 0
        print(f"sockcompat: {exc}", file=sys.stderr)
        return 2
