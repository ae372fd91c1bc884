"""More real Linux hosts for the matrix: a Debian suite's stock kernel (bullseye 5.10 to sid),
with its loadable modules, on amd64, arm64 or big-endian s390x, booted under qemu (software
emulation), probed as root and as an unprivileged user.

Why a VM: a host without loadable modules never exercises the probes for SCTP, TIPC, CAN, RDS,
vsock and the other families that live in modules; an ordinary Debian box autoloads them. Older
and newer kernels answer "since which kernel?"; other architectures show byte-order bugs.

The flow (``tools/vm-host``):

1. base image, built once per (suite, architecture) and cached: ``debootstrap`` a minimal system
   with the kernel, Python and iproute2 (a foreign architecture in two stages, the second through
   qemu-user-static), add a tiny init, turn the folder into an ext4 image (``mkfs.ext4 -d``).
   Needs root. The Debian mirror is the one this machine's apt uses, or ``--mirror``.
2. per run: a wheel of sockcompat from the working tree, plus wheels of its dependencies for the
   guest's Python (cached), go onto a small second disk (the payload) with the guest program
   (``vm_guest.py``) and its plan.
3. two boots, one per privilege (``sockcompat.phase=root|user``), each a fresh kernel, so each
   report's "modules loaded during the run" is that run's own. The root disk is attached with
   ``snapshot=on`` and stays pristine; the guest writes only to the payload disk. ``-nic none``:
   the guest has no network card, so every packet stays inside it.
4. the guest writes what was set up and how it was booted into each report's
   ``host.provenance`` before validating it; the payload's ``out/`` is read back without mounting
   (``debugfs rdump``), checked against the sha256 the guest computed, validated again, and copied
   into the output folder.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import importlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sockcompat.runners import passthrough, vm_guest

#: Debian suites whose stock kernels span the LTS range (5.10, 6.1, 6.12, then whatever sid has).
SUITES = ("bullseye", "bookworm", "trixie", "sid")
#: Packages of the guest besides the kernel (``Arch.kernel_package``) and the initrd builder.
GUEST_PACKAGES = ("python3", "python3-venv", "iproute2", "kmod", "procps")
#: What builds the initrd: initramfs-tools, except where the suite's kernel wants dracut (sid), whose
#: package conflicts with it.
INITRAMFS_BUILDER: Mapping[str, str] = {"sid": "dracut"}
#: Suite names an apt source line may carry for the Debian archive itself (not -security, -updates).
DEBIAN_ARCHIVE_SUITES = frozenset({*SUITES, "forky", "stable", "testing", "unstable", "oldstable"})


#: ext4 labels of the guest's disks (16 bytes at most)
ROOT_LABEL = "sockcompat-root"
PAYLOAD_LABEL = "sockcompat-pay"


class Arch(NamedTuple):
    """How one Debian architecture is installed and booted under qemu."""

    kernel_package: str
    qemu: str
    machine: tuple[str, ...]
    console: str
    wheel_machine: str
    user_emulator: str
    #: Python requirements PyPI has no binary wheel of for this architecture, installed from Debian
    #: instead (requirement name, Debian package); the guest's venv then sees the system's packages.
    from_debian: tuple[tuple[str, str], ...] = ()
    #: How the guest finds its two disks: by name where they enumerate in order (PCI); by label
    #: where they do not (s390x's channel devices probe in parallel, so vda and vdb swap at random).
    root_device: str = "/dev/vda"
    payload_device: str = "/dev/vdb"


ARCHES: Mapping[str, Arch] = {
    "amd64": Arch("linux-image-amd64", "qemu-system-x86_64", ("-accel", "tcg", "-cpu", "max"), "ttyS0",
                  "x86_64", "qemu-x86_64-static"),
    "arm64": Arch("linux-image-arm64", "qemu-system-aarch64",
                  ("-accel", "tcg", "-machine", "virt", "-cpu", "max"), "ttyAMA0", "aarch64",
                  "qemu-aarch64-static"),
    "s390x": Arch("linux-image-s390x", "qemu-system-s390x",
                  ("-accel", "tcg", "-machine", "s390-ccw-virtio", "-cpu", "max"), "ttysclp0", "s390x",
                  "qemu-s390x-static", (("psutil", "python3-psutil"), ("markupsafe", "python3-markupsafe")),
                  f"LABEL={ROOT_LABEL}", f"LABEL={PAYLOAD_LABEL}"),
}
#: platform.machine() of this machine -> Debian architecture, to know when a build is foreign.
DEBIAN_ARCH_OF_MACHINE = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64",
                          "s390x": "s390x"}
#: Bumped when the base image's layout changes, so an old cache entry is not reused.
BASE_LAYOUT = 1
INIT_PATH = "/sbin/sockcompat-vm-init"
GUEST_HOSTNAME = "sockcompat-guest"
PAYLOAD_MB = 1024
UNPRIVILEGED_ID = 65534  # nobody / nogroup on Debian

def init_stub(payload_device: str) -> str:
    """The guest's init: mount the basics and the payload disk, run the guest program, exit."""
    return f"""\
#!/bin/sh
# sockcompat VM init: mount the basics and the payload disk, run the guest program, then exit.
# Exiting init panics the kernel; with panic=1 and qemu -no-reboot, qemu then quits.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sys /sys
mountpoint -q /dev || mount -t devtmpfs dev /dev
mount -t tmpfs -o mode=1777 tmp /tmp
hostname {GUEST_HOSTNAME}
ip link set dev lo up
mkdir -p /payload
if mount {payload_device} /payload; then
    python3 /payload/vm_guest.py /payload/plan.json
    echo "sockcompat-vm: guest program exited with $?"
    sync
    umount /payload
else
    echo "sockcompat-vm: cannot mount the payload disk"
fi
sync
"""


class SetupStep(NamedTuple):
    """Setup a family's users do by hand before using it; socket() autoloads the rest, and what it
    autoloads is recorded by the report itself (``kernel_modules.loaded_during_run``)."""

    name: str
    purpose: str
    commands: tuple[tuple[str, ...], ...]


SETUP: tuple[SetupStep, ...] = (
    SetupStep("can-vcan0",
              "a virtual CAN bus vcan0 for AF_CAN (raw, BCM, ISO-TP, J1939): frames stay in the guest",
              (("modprobe", "vcan"), ("ip", "link", "add", "dev", "vcan0", "type", "vcan"),
               ("ip", "link", "set", "dev", "vcan0", "up"))),
    SetupStep("tipc-udp-loopback", "TIPC node identity and a UDP bearer bound to 127.0.0.1 only",
              (("modprobe", "tipc"), ("tipc", "node", "set", "identity", "1"),
               ("tipc", "bearer", "enable", "media", "udp", "name", "lo0", "localip", "127.0.0.1"))),
    SetupStep("rds-tcp", "the RDS TCP transport (RDS over loopback TCP)", (("modprobe", "rds_tcp"),)),
    SetupStep("vsock-loopback", "the AF_VSOCK loopback transport (CID 1, no hypervisor needed)",
              (("modprobe", "vsock_loopback"),)),
)

#: One boot per phase: who runs the suites.
RUNS: Mapping[str, Mapping[str, int | None]] = {
    "root": {"uid": None, "gid": None},
    "user": {"uid": UNPRIVILEGED_ID, "gid": UNPRIVILEGED_ID},
}


class VmHostError(Exception):
    """A step of the VM pipeline failed; the message says which and what to do."""


@dataclasses.dataclass(frozen=True)
class Config:
    repo: Path
    cache: Path
    output: Path
    suite: str = "trixie"
    arch: str = "amd64"
    mirror: str | None = None
    memory_mb: int = 2048
    cpus: int = 2
    boot_timeout_s: float = 3600.0
    phases: tuple[str, ...] = ("root", "user")
    pytest_args: tuple[str, ...] = ()
    sockcompat_args: tuple[str, ...] = ()
    rebuild: bool = False


@dataclasses.dataclass(frozen=True)
class Base:
    """A built base image: disk, kernel, initrd, and what was recorded when it was built."""

    folder: Path
    info: dict[str, Any]

    @property
    def disk(self) -> Path:
        return self.folder / "disk.img"

    @property
    def kernel(self) -> Path:
        return self.folder / "vmlinuz"

    @property
    def initrd(self) -> Path:
        return self.folder / "initrd.img"


########################################################################################
# pure pieces: names, keys, command lines (unit-tested)


def default_cache(env: Mapping[str, str] = os.environ) -> Path:
    """``$SOCKCOMPAT_VM_CACHE``, else ``$XDG_CACHE_HOME/sockcompat/vm``, else ``~/.cache/sockcompat/vm``."""
    if env.get("SOCKCOMPAT_VM_CACHE"):
        return Path(env["SOCKCOMPAT_VM_CACHE"])
    base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "sockcompat" / "vm"


def digest(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]


def base_key(suite: str, arch: str) -> str:
    """Names the cached base image by everything that shapes it (not by the mirror)."""
    from_debian = ARCHES[arch].from_debian  # named only where there are some: older keys hold
    return digest({"suite": suite, "arch": arch, "packages": GUEST_PACKAGES,
                   "initramfs": initramfs_builder(suite), "kernel": ARCHES[arch].kernel_package,
                   **({"from_debian": from_debian} if from_debian else {}),
                   "init": init_stub(ARCHES[arch].payload_device), "hostname": GUEST_HOSTNAME,
                   "layout": BASE_LAYOUT})


def initramfs_builder(suite: str) -> str:
    return INITRAMFS_BUILDER.get(suite, "initramfs-tools")


def base_folder(cache: Path, suite: str, arch: str) -> Path:
    """One cached image per (suite, architecture)."""
    return cache / f"base-{suite}-{arch}-{base_key(suite, arch)}"


def apt_source_lines(text: str) -> list[tuple[str, list[str]]]:
    """(URI, suites) of each ``deb`` line in one-line ``sources.list`` format."""
    entries: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if not words or words[0] != "deb":
            continue
        words = words[1:]
        if words and words[0].startswith("["):  # options: [arch=amd64 signed-by=...]
            while words and not words[0].endswith("]"):
                words = words[1:]
            words = words[1:]
        if len(words) >= 2:
            entries.append((words[0], [words[1]]))
    return entries


def apt_source_stanzas(text: str) -> list[tuple[str, list[str]]]:
    """(URI, suites) of each enabled ``Types: deb`` stanza in deb822 ``.sources`` format."""
    entries: list[tuple[str, list[str]]] = []
    for stanza in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[:1].isspace():
                continue
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
        if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes").lower() == "no":
            continue
        entries.extend((uri, fields.get("suites", "").split()) for uri in fields.get("uris", "").split())
    return entries


def apt_mirror(etc_apt: Path = Path("/etc/apt")) -> str | None:
    """The Debian archive this machine's apt already uses, so users behind their own mirror or
    proxy need no option; None when no source names a Debian release suite."""
    files = [etc_apt / "sources.list", *sorted((etc_apt / "sources.list.d").glob("*.list"))]
    entries = []
    for path in files:
        if path.is_file():
            entries += apt_source_lines(path.read_text(encoding="utf-8", errors="replace"))
    for path in sorted((etc_apt / "sources.list.d").glob("*.sources")):
        entries += apt_source_stanzas(path.read_text(encoding="utf-8", errors="replace"))
    for uri, suites in entries:
        if DEBIAN_ARCHIVE_SUITES & set(suites):
            return uri
    return None


def host_arch(machine: str = platform.machine()) -> str | None:
    """This machine's Debian architecture, or None when it has none of ours."""
    return DEBIAN_ARCH_OF_MACHINE.get(machine.lower())


def debootstrap_command(rootfs: Path, mirror: str, suite: str, arch: str, foreign: bool) -> list[str]:
    """First (or only) stage; a foreign architecture finishes with ``second_stage_command``."""
    packages = (*GUEST_PACKAGES, initramfs_builder(suite), ARCHES[arch].kernel_package,
                *(package for _, package in ARCHES[arch].from_debian))
    return ["debootstrap", "--variant=minbase", f"--arch={arch}", *(["--foreign"] if foreign else []),
            "--include=" + ",".join(packages), suite, str(rootfs), mirror]


def mounts_below(folder: Path, mounts: str) -> list[Path]:
    """Mount points inside ``folder`` (from /proc/self/mounts text), deepest first: a second stage
    that was stopped leaves the chroot's proc and sys mounted, and removing through them must not be
    tried."""
    inside = []
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) > 1:
            point = Path(fields[1].replace("\\040", " "))
            if point.is_relative_to(folder) and point != folder:
                inside.append(point)
    return sorted(inside, key=lambda p: len(p.parts), reverse=True)


def second_stage_command(rootfs: Path) -> list[str]:
    """Finish a foreign root filesystem: its programs run through qemu-user-static (binfmt_misc)."""
    return ["chroot", str(rootfs), "/debootstrap/debootstrap", "--second-stage"]


def mkfs_command(folder: Path, image: Path, size_mb: int, label: str) -> list[str]:
    """An ext4 image filled from a folder, no mount and no loop device needed."""
    return ["mkfs.ext4", "-q", "-F", "-L", label, "-d", str(folder), str(image), f"{size_mb}M"]


def kernel_append(phase: str, console: str = "ttyS0", root: str = "/dev/vda") -> str:
    """The guest kernel's command line; ``sockcompat.phase`` tells the guest program what to run."""
    return (f"root={root} rw console={console} quiet panic=1 init={INIT_PATH} "
            f"sockcompat.phase={phase}")


def qemu_command(base: Base, payload: Path, phase: str, memory_mb: int, cpus: int) -> list[str]:
    """Software emulation (KVM hangs nested here), no network card, the root disk as a snapshot."""
    arch = ARCHES[base.info.get("arch", "amd64")]
    return [
        arch.qemu, *arch.machine, "-m", f"{memory_mb}M", "-smp", str(cpus),
        "-kernel", str(base.kernel), "-initrd", str(base.initrd),
        "-drive", f"file={base.disk},if=virtio,format=raw,snapshot=on",
        "-drive", f"file={payload},if=virtio,format=raw",
        "-append", kernel_append(phase, arch.console, arch.root_device),
        "-nographic", "-no-reboot", "-nic", "none",
    ]


def manylinux_platforms(glibc: tuple[int, int], machine: str = "x86_64") -> list[str]:
    """pip ``--platform`` tags a glibc of this version can load on this machine, newest first."""
    major, minor = glibc
    tags = [f"manylinux_{major}_{m}_{machine}" for m in range(minor, 4, -1)]
    legacy = ["manylinux2014"] + (["manylinux2010", "manylinux1"] if machine == "x86_64" else [])
    return [*tags, *(f"{name}_{machine}" for name in legacy)]


def download_command(dest: Path, requirements: Sequence[str], python_version: str,
                     glibc: tuple[int, int], machine: str, with_dependencies: bool = True) -> list[str]:
    """``pip download`` of binary wheels for the guest's CPython, whatever Python runs this; without
    dependencies when some come from Debian (``missing_requirements`` then finds the rest)."""
    platforms = [arg for tag in manylinux_platforms(glibc, machine) for arg in ("--platform", tag)]
    return [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--only-binary=:all:",
            *([] if with_dependencies else ["--no-deps"]),
            "--implementation", "cp", "--python-version", python_version, *platforms,
            "--dest", str(dest), *requirements]


def wheel_requirements(wheel: Path, extras: bool = False) -> list[str]:
    """The wheel's ``Requires-Dist``: the runtime ones and the ``publish`` extra's (the guest
    validates its own report), or every one, markers kept, with ``extras``."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode("utf-8")
    requirements = []
    for line in metadata.splitlines():
        if not line.strip():
            break  # the headers end at the first blank line
        key, _, value = line.partition(":")
        if key != "Requires-Dist":
            continue
        requirement, _, marker = value.partition(";")
        if extras or "extra ==" not in marker:
            requirements.append(value.strip())
        elif marker.strip() in ("extra == 'publish'", 'extra == "publish"'):
            requirements.append(requirement.strip())
    return requirements


def normalized(name: str) -> str:
    """A project name as PEP 503 compares them: lower case, runs of -_. as one -."""
    return "-".join(part for part in name.lower().replace("_", "-").replace(".", "-").split("-") if part)


def marker_environment(python_version: str, machine: str) -> dict[str, str]:
    """PEP 508 marker values of the guest's CPython on Linux."""
    full = python_version if python_version.count(".") == 2 else python_version + ".0"
    return {"python_version": ".".join(python_version.split(".")[:2]), "python_full_version": full,
            "implementation_name": "cpython", "implementation_version": full,
            "platform_python_implementation": "CPython", "sys_platform": "linux", "platform_system": "Linux",
            "os_name": "posix", "platform_machine": machine, "platform_release": "", "platform_version": "",
            "extra": ""}


def requirement_type() -> Any:
    """packaging's ``Requirement``, or pip's copy of it (pip this tool needs anyway)."""
    try:
        return importlib.import_module("packaging.requirements").Requirement
    except ImportError:
        return importlib.import_module("pip._vendor.packaging.requirements").Requirement


def not_provided(requirements: Iterable[str], provided: Iterable[str]) -> list[str]:
    """The requirements whose project is not among ``provided`` (names Debian installs)."""
    skip = {normalized(name) for name in provided}
    return [text for text in requirements if normalized(requirement_type()(text).name) not in skip]


def missing_requirements(wheelhouse: Path, environment: Mapping[str, str],
                         provided: Iterable[str] = ()) -> list[str]:
    """Requirements of the wheels in ``wheelhouse`` that apply to the guest but have no wheel there
    (nor come from Debian). ``pip download --python-version`` judges markers by the Python running
    it, so a guest older than this one misses what its version needs (pytest's ``exceptiongroup``
    below 3.11)."""
    present = {normalized(w.name.split("-")[0]) for w in wheelhouse.glob("*.whl")}
    present |= {normalized(name) for name in provided}
    missing = set()
    for wheel in sorted(wheelhouse.glob("*.whl")):
        for text in wheel_requirements(wheel, extras=True):
            requirement = requirement_type()(text)
            if requirement.marker is not None and not requirement.marker.evaluate(dict(environment)):
                continue
            if normalized(requirement.name) not in present:
                missing.add(f"{requirement.name}{requirement.specifier}")
    return sorted(missing)


def make_plan(wheel_name: str, config: Config, run_timeout_s: float,
              machine: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What the guest program does; JSON, written onto the payload disk."""
    return {
        "wheel": wheel_name,
        "machine": dict(machine or {}),
        "setup": [{"name": s.name, "purpose": s.purpose, "commands": [list(c) for c in s.commands]}
                  for s in SETUP],
        "runs": {phase: dict(RUNS[phase]) for phase in config.phases},
        "sockcompat_args": list(config.sockcompat_args),
        "pytest_args": list(config.pytest_args),
        "system_site_packages": bool(ARCHES[config.arch].from_debian),
        "install_timeout_s": 900,
        "run_timeout_s": run_timeout_s,
    }


def python_version_of(rootfs: Path) -> str:
    """The major.minor of the rootfs's Python 3 (``usr/lib/python3.N``)."""
    found = sorted((p.name for p in (rootfs / "usr" / "lib").glob("python3.*") if p.name[8:].isdigit()),
                   key=lambda n: int(n[8:]))
    if not found:
        raise VmHostError(f"no Python 3 in {rootfs}: debootstrap did not install python3")
    return found[-1][len("python"):]


def glibc_of(rootfs: Path) -> tuple[int, int]:
    """The rootfs's glibc (``libc6`` in its dpkg status), for choosing manylinux wheels."""
    status = (rootfs / "var" / "lib" / "dpkg" / "status").read_text(encoding="utf-8", errors="replace")
    for stanza in status.split("\n\n"):
        if "Package: libc6\n" in stanza + "\n":
            version = next(line.split(":", 1)[1].strip() for line in stanza.splitlines()
                           if line.startswith("Version:"))
            major, minor = version.split(":")[-1].split("-")[0].split(".")[:2]
            return int(major), int(minor)
    raise VmHostError(f"no libc6 in {rootfs}'s dpkg status")


def machine_provenance(base: Mapping[str, Any], qemu: Sequence[str]) -> dict[str, Any]:
    """How the guest was made and booted; the guest adds what it set up (``vm_guest.provenance``)."""
    start = qemu.index("-m")
    return {
        "distribution": f"debian {base['suite']}",
        "architecture": base.get("arch", "amd64"),
        "emulator": " ".join(qemu[:start]) + " (software emulation)",
        "memory_mb": int(qemu[start + 1].rstrip("M")),
        "cpus": int(qemu[qemu.index("-smp") + 1]),
        "network": "no network card (-nic none): loopback and the guest's own virtual interfaces only",
    }


########################################################################################
# steps with side effects


def run(argv: Sequence[str], what: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a host command; a failure becomes a VmHostError naming the step and its output's tail."""
    try:
        done = subprocess.run(list(argv), check=False, text=True, capture_output=True, **kwargs)
    except FileNotFoundError as exc:
        raise VmHostError(f"{what}: {argv[0]} is not installed") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip()[-1500:]
        raise VmHostError(f"{what} failed (exit {done.returncode}): {' '.join(argv[:4])} ...\n{tail}")
    return done


def require_tools(names: Iterable[str]) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        raise VmHostError("missing: " + ", ".join(missing) + " (Debian: apt-get install qemu-system-x86 "
                          "qemu-system-arm qemu-system-misc qemu-user-static debootstrap e2fsprogs)")


def is_root() -> bool:
    return sys.platform != "win32" and os.geteuid() == 0


def log(message: str) -> None:
    print(f"vm-host: {message}", flush=True)


def build_base(config: Config) -> Base:
    """The cached base image of (suite, architecture), built when missing (or with ``rebuild``)."""
    folder = base_folder(config.cache, config.suite, config.arch)
    if (folder / "base.json").is_file() and not config.rebuild:
        return Base(folder, json.loads((folder / "base.json").read_text(encoding="utf-8")))
    foreign = host_arch() != config.arch
    arch = ARCHES[config.arch]
    require_tools(["debootstrap", "mkfs.ext4", *([arch.user_emulator] if foreign else [])])
    if not is_root():
        raise VmHostError("building the guest image needs root (debootstrap); run this once as root, "
                          "later runs reuse the cached image")
    mirror = config.mirror or apt_mirror()
    if mirror is None:
        raise VmHostError("no Debian archive in this machine's apt sources: name one with --mirror")
    config.cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="base-", suffix=".partial", dir=config.cache))
    try:
        rootfs = work / "rootfs"
        log(f"debootstrap {config.suite}/{config.arch} into {rootfs} (minutes, network to {mirror})")
        start = time.monotonic()
        try:
            run(debootstrap_command(rootfs, mirror, config.suite, config.arch, foreign), "debootstrap")
        except VmHostError as exc:  # its own log says which package failed and why; it goes with work
            details = rootfs / "debootstrap" / "debootstrap.log"
            tail = details.read_text(errors="replace")[-1500:] if details.is_file() else ""
            raise VmHostError(f"{exc}\n--- debootstrap.log (tail) ---\n{tail}") from exc
        if foreign:
            log("second stage through qemu-user-static (slow)")
            run(second_stage_command(rootfs), "debootstrap --second-stage (binfmt_misc and "
                f"{arch.user_emulator} registered?)")
        (rootfs / "etc" / "hostname").write_text(GUEST_HOSTNAME + "\n", encoding="ascii")
        init = rootfs / INIT_PATH.lstrip("/")
        init.write_text(init_stub(arch.payload_device), encoding="ascii")
        init.chmod(0o755)
        kernels = sorted((rootfs / "boot").glob("vmlinuz-*")) or sorted((rootfs / "boot").glob("vmlinux-*"))
        initrds = sorted((rootfs / "boot").glob("initrd.img-*"))
        if not kernels or not initrds:
            raise VmHostError(f"no kernel or initrd in {rootfs / 'boot'}")
        shutil.copyfile(kernels[-1], work / "vmlinuz")
        shutil.copyfile(initrds[-1], work / "initrd.img")
        used_mb = int(run(["du", "-sm", str(rootfs)], "du").stdout.split()[0])
        run(mkfs_command(rootfs, work / "disk.img", used_mb + 1024, ROOT_LABEL), "mkfs.ext4")
        info = {"suite": config.suite, "arch": config.arch, "packages": list(GUEST_PACKAGES),
                "key": base_key(config.suite, config.arch), "python": python_version_of(rootfs),
                "glibc": list(glibc_of(rootfs)), "kernel_file": kernels[-1].name,
                "built": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "build_s": round(time.monotonic() - start, 1)}
        (work / "base.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        shutil.rmtree(rootfs)
        if folder.exists():
            shutil.rmtree(folder)
        work.rename(folder)
    finally:
        for mount in mounts_below(work, Path("/proc/self/mounts").read_text(encoding="utf-8")):
            subprocess.run(["umount", "--lazy", str(mount)], check=False)  # proc, sys of a stopped stage
        if work.exists():
            shutil.rmtree(work)
    log(f"base image ready: {folder} ({info['build_s']} s)")
    return Base(folder, info)


def build_wheel(repo: Path, dest: Path) -> Path:
    """A wheel of the working tree (what is checked out now, conformance suites included)."""
    dest.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-w", str(dest),
         str(repo)], "building the sockcompat wheel")
    wheels = sorted(dest.glob("sockcompat-*.whl"))
    if not wheels:
        raise VmHostError(f"pip wheel left no sockcompat wheel in {dest}")
    return wheels[-1]


def fetch_wheels(cache: Path, requirements: Sequence[str], base: Mapping[str, Any]) -> Path:
    """Binary wheels of the dependencies for the guest's Python, cached by what was asked."""
    arch = ARCHES[base.get("arch", "amd64")]
    python_version, machine = base["python"], arch.wheel_machine
    provided = [name for name, _ in arch.from_debian]
    requirements = not_provided(requirements, provided)
    glibc = (int(base["glibc"][0]), int(base["glibc"][1]))
    key = digest([sorted(requirements), glibc, machine])
    folder = cache / f"wheels-cp{python_version.replace('.', '')}-{machine}-{key}"
    if (folder / ".complete").is_file():
        return folder
    log(f"downloading dependency wheels for the guest's Python {python_version}: {', '.join(requirements)}")
    folder.mkdir(parents=True, exist_ok=True)
    resolve = not provided
    run(download_command(folder, requirements, python_version, glibc, machine, resolve), "pip download")
    environment = marker_environment(python_version, machine)
    for _ in range(8):  # each round may bring wheels with requirements of their own
        missing = missing_requirements(folder, environment, provided)
        if not missing:
            break
        log(f"and what the guest's Python {python_version} needs besides: {', '.join(missing)}")
        run(download_command(folder, missing, python_version, glibc, machine, resolve), "pip download")
    (folder / ".complete").write_text("\n".join(sorted(requirements)) + "\n", encoding="utf-8")
    return folder


def make_payload(work: Path, wheel: Path, wheelhouse: Path, plan: Mapping[str, Any]) -> Path:
    """The second disk: guest program, plan, wheels, and an empty ``out/``."""
    folder = work / "payload"
    (folder / "wheels").mkdir(parents=True)
    (folder / "out").mkdir()
    folder.chmod(0o755)
    shutil.copyfile(vm_guest.__file__, folder / "vm_guest.py")
    (folder / "plan.json").write_text(json.dumps(plan, indent=2) + "\n", encoding="utf-8")
    for source in [wheel, *sorted(wheelhouse.glob("*.whl"))]:
        shutil.copyfile(source, folder / "wheels" / source.name)
    image = work / "payload.img"
    run(mkfs_command(folder, image, PAYLOAD_MB, PAYLOAD_LABEL), "mkfs.ext4 (payload)")
    shutil.rmtree(folder)
    return image


def boot(command: Sequence[str], console_log: Path, timeout_s: float) -> float:
    """Run qemu to the guest's end, console to the log, status lines to the terminal; seconds taken."""
    start = time.monotonic()
    with console_log.open("w", encoding="utf-8", errors="replace", buffering=1) as sink:
        process = subprocess.Popen(list(command), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, errors="replace")
        timer = threading.Timer(timeout_s, process.kill)
        timer.start()
        try:
            assert process.stdout is not None
            for line in process.stdout:
                sink.write(line)
                if vm_guest.MARK in line:
                    print("  guest: " + line[line.index(vm_guest.MARK) + len(vm_guest.MARK):].strip(),
                          flush=True)
            code = process.wait()
            sink.write(f"\n[vm-host: qemu exited with status {code}]\n")
        finally:
            timer.cancel()
    elapsed = time.monotonic() - start
    if elapsed >= timeout_s:
        raise VmHostError(f"qemu ran past {timeout_s:g} s and was stopped; console: {console_log}")
    return elapsed


def guest_started(console_log: Path) -> bool:
    """Did the guest program speak? A boot that never reached it (seen once on s390x under load:
    the initramfs gave up on the root disk) is worth one more try."""
    return vm_guest.MARK in console_log.read_text(encoding="utf-8", errors="replace")


def extract(image: Path, dest: Path) -> Path:
    """Copy the payload's ``out/`` folder to ``dest`` without mounting (debugfs rdump)."""
    dest.mkdir(parents=True, exist_ok=True)
    run(["debugfs", "-R", f"rdump /out {dest}", str(image)], "debugfs rdump")
    return dest / "out"


def host_validate(path: Path) -> str | None:
    """Validate on the host too when jsonschema is importable here; the error text, or None."""
    try:
        from sockcompat.errors import ReportError
        from sockcompat.report.validate import load
    except ImportError:
        return None
    try:
        load(path)
    except ReportError as exc:
        return str(exc)
    return None


def collect(out: Path, phases: Iterable[str], output: Path) -> list[Path]:
    """Check each phase's report (sha256, validation, provenance inside), then copy it out."""
    written = []
    for phase in phases:
        guest_file = out / phase / "guest.json"
        if not guest_file.is_file():
            raise VmHostError(f"the {phase} boot left no guest.json: see its console log")
        guest = json.loads(guest_file.read_text(encoding="utf-8"))
        if guest.get("install", {}).get("returncode", 1) != 0:
            tail = guest["install"]["output"][-800:]
            raise VmHostError(f"installing sockcompat in the guest failed: {tail}")
        if not guest.get("reports"):
            code = guest.get("run", {}).get("returncode")
            raise VmHostError(f"the {phase} run wrote no report (exit {code}); see its console log")
        for name, facts in sorted(guest["reports"].items()):
            report = out / phase / "reports" / name
            if vm_guest.sha256(report) != facts["sha256"]:
                raise VmHostError(f"{report} differs from what the guest wrote (sha256)")
            if not facts["valid"]:
                raise VmHostError(f"the guest found {name} invalid: {facts['validate_output']}")
            problem = host_validate(report)
            if problem is not None:
                raise VmHostError(f"invalid report: {problem}")
            if "provenance" not in json.loads(report.read_text(encoding="utf-8"))["host"]:
                raise VmHostError(f"{name} carries no host.provenance: the guest program did not add it")
            output.mkdir(parents=True, exist_ok=True)
            target = output / name
            shutil.copyfile(report, target)
            log(f"{phase}: {target} ({facts['outcomes']})")
            written.append(target)
    return written


def run_all(config: Config) -> list[Path]:
    """Build (cached), boot once per phase, collect; returns the report files written."""
    require_tools([ARCHES[config.arch].qemu, "mkfs.ext4", "debugfs"])
    t0 = time.monotonic()
    base = build_base(config)
    runs = config.cache / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-") + f"{config.suite}-{config.arch}-",
                                 dir=runs))
    log(f"work folder (console logs): {work}")
    wheel = build_wheel(config.repo, work / "dist")
    wheelhouse = fetch_wheels(config.cache, wheel_requirements(wheel), base.info)
    machine = machine_provenance(base.info, qemu_command(base, work / "payload.img", "root", config.memory_mb,
                                                         config.cpus))
    plan = make_plan(wheel.name, config, run_timeout_s=config.boot_timeout_s - 300, machine=machine)
    payload = make_payload(work, wheel, wheelhouse, plan)
    for phase in config.phases:
        command = qemu_command(base, payload, phase, config.memory_mb, config.cpus)
        for attempt in ("", "-again"):
            log(f"booting the guest for the {phase} run" + (" once more" if attempt else ""))
            console = work / f"console-{phase}{attempt}.log"
            seconds = boot(command, console, config.boot_timeout_s)
            log(f"{phase} boot finished in {seconds:.0f} s")
            if guest_started(console):
                break
            log(f"the guest program never started: see {console}")
    out = extract(payload, work / "extracted")
    written = collect(out, config.phases, config.output)
    payload.unlink()
    log(f"done in {time.monotonic() - t0:.0f} s")
    return written


########################################################################################
# command line


def parser(repo: Path) -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="vm-host", description="Probe a Debian suite's stock kernel (with modules) under qemu, as "
        "root and as an unprivileged user, and write the validated host reports.")
    top.add_argument("--suite", choices=SUITES, default="trixie",
                     help="Debian suite, i.e. kernel series (default trixie: 6.12)")
    top.add_argument("--arch", choices=sorted(ARCHES), default="amd64",
                     help="guest architecture (default amd64; s390x is big-endian)")
    top.add_argument("--output", type=Path, default=repo / "reports" / "hosts", metavar="DIR",
                     help="where the reports go (default: reports/hosts of the checkout)")
    top.add_argument("--cache", type=Path, default=default_cache(), metavar="DIR",
                     help="base image, wheels and run logs (default: $SOCKCOMPAT_VM_CACHE or "
                     "~/.cache/sockcompat/vm)")
    top.add_argument("--mirror", help="Debian archive for building the image (default: the one in this "
                     "machine's apt sources)")
    top.add_argument("--rebuild", action="store_true", help="rebuild the base image even if cached")
    top.add_argument("--build-only", action="store_true", help="only build (or check) the base image")
    top.add_argument("--phase", choices=sorted(RUNS), action="append",
                     help="run only this privilege (repeatable; default: root and user)")
    top.add_argument("--memory", type=int, default=2048, metavar="MB", help="guest memory (default 2048)")
    top.add_argument("--cpus", type=int, default=2, help="guest CPUs (default 2)")
    top.add_argument("--timeout", type=float, default=3600.0, metavar="SECONDS",
                     help="stop a boot that runs longer (default 3600)")
    top.add_argument("--sockcompat-timeout", type=float, metavar="SECONDS",
                     help="deadline per probe step inside the guest (sockcompat run --timeout)")
    top.add_argument("--suite-args", dest="suites", action="append", default=[], metavar="NAME",
                     help="run only this conformance suite in the guest (create, options, transfer, ...; "
                     "repeatable; sockcompat run --suite)")
    top.add_argument("pytest_args", nargs=argparse.REMAINDER, metavar="-- PYTEST_ARGS",
                     help="passed to pytest inside the guest, e.g. -- -k AF_CAN")
    return top


def main(argv: Sequence[str] | None = None, repo: Path | None = None) -> int:
    repo = (repo or Path.cwd()).resolve()
    args = parser(repo).parse_args(argv)
    extra = passthrough(args.pytest_args)
    timeout = () if args.sockcompat_timeout is None else ("--timeout", f"{args.sockcompat_timeout:g}")
    suites = tuple(arg for name in args.suites for arg in ("--suite", name))
    config = Config(
        repo=repo, cache=args.cache.resolve(), output=args.output.resolve(), suite=args.suite,
        arch=args.arch, mirror=args.mirror,
        memory_mb=args.memory, cpus=args.cpus, boot_timeout_s=args.timeout,
        phases=tuple(args.phase or RUNS), pytest_args=tuple(extra),
        sockcompat_args=(*timeout, *suites),
        rebuild=args.rebuild,
    )
    try:
        if args.build_only:
            build_base(config)
        else:
            run_all(config)
    except VmHostError as exc:
        print(f"vm-host: {exc}", file=sys.stderr)
        return 1
    return 0
