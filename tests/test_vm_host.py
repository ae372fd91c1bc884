"""The qemu host tooling: command lines, init, plan, the guest program (with a fake runner),
result collection; and, marked ``vm``, the whole thing end to end."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from sockcompat.catalog.requirements import requirement_for
from sockcompat.classify import classify
from sockcompat.errors import ReportError
from sockcompat.host import environment, privilege
from sockcompat.observation import Observation
from sockcompat.report import host_report
from sockcompat.report.validate import check
from sockcompat.runners import vm, vm_guest

REPO = Path(__file__).resolve().parent.parent
RUN_FACTS = {"started": "2026-11-24T17:00:00+00:00", "duration_s": 1.5, "pytest_args": [], "workers": 0,
             "deadline_s": 5.0}
HAVE_E2FS = shutil.which("mkfs.ext4") is not None and shutil.which("debugfs") is not None
needs_e2fs = pytest.mark.skipif(not HAVE_E2FS, reason="needs mkfs.ext4 and debugfs (e2fsprogs)")


def a_base(tmp_path: Path, arch: str = "amd64") -> vm.Base:
    return vm.Base(tmp_path / "base", {"suite": "trixie", "arch": arch, "python": "3.13", "glibc": [2, 41]})


########################################################################################
# command lines and names


def test_qemu_command_keeps_the_guest_off_every_network(tmp_path: Path) -> None:
    command = vm.qemu_command(a_base(tmp_path), tmp_path / "payload.img", "user", 1024, 2)
    assert command[command.index("-nic") + 1] == "none"
    assert not any(arg.startswith(("-netdev", "-net ")) or arg == "-net" for arg in command)
    assert command[command.index("-accel") + 1] == "tcg"
    drives = [command[i + 1] for i, arg in enumerate(command) if arg == "-drive"]
    assert drives[0].startswith(f"file={tmp_path / 'base' / 'disk.img'},") and "snapshot=on" in drives[0]
    assert drives[1].startswith(f"file={tmp_path / 'payload.img'},") and "snapshot" not in drives[1]
    assert command[command.index("-m") + 1] == "1024M"
    assert "-no-reboot" in command


@pytest.mark.parametrize(("arch", "program", "console"), [
    ("amd64", "qemu-system-x86_64", "console=ttyS0"),
    ("arm64", "qemu-system-aarch64", "console=ttyAMA0"),
    ("s390x", "qemu-system-s390x", "console=ttysclp0"),
])
def test_qemu_command_boots_each_architecture_on_its_console(tmp_path: Path, arch: str, program: str,
                                                            console: str) -> None:
    command = vm.qemu_command(a_base(tmp_path, arch), tmp_path / "payload.img", "root", 1024, 2)
    assert command[0] == program
    assert console in command[command.index("-append") + 1].split()
    assert command[command.index("-nic") + 1] == "none" and command[command.index("-accel") + 1] == "tcg"


@pytest.mark.parametrize("phase", ["root", "user"])
def test_kernel_command_line_names_init_and_phase(phase: str) -> None:
    append = vm.kernel_append(phase)
    assert f"init={vm.INIT_PATH}" in append.split()
    assert "panic=1" in append.split()
    assert vm_guest.phase_from_cmdline(append) == phase


@pytest.mark.parametrize(("suite", "arch", "foreign", "kernel", "initrd"), [
    ("bullseye", "amd64", False, "linux-image-amd64", "initramfs-tools"),
    ("trixie", "arm64", True, "linux-image-arm64", "initramfs-tools"),
    ("sid", "s390x", True, "linux-image-s390x", "dracut"),  # sid's kernel wants it; it conflicts
])
def test_debootstrap_includes_the_kernel_python_and_tools(tmp_path: Path, suite: str, arch: str,
                                                          foreign: bool, kernel: str, initrd: str) -> None:
    mirror = "http://mirror.example/debian"
    command = vm.debootstrap_command(tmp_path / "rootfs", mirror, suite, arch, foreign)
    include = next(a for a in command if a.startswith("--include=")).partition("=")[2].split(",")
    assert {kernel, "python3", "python3-venv", "iproute2", "kmod", initrd} <= set(include)
    assert {"dracut", "initramfs-tools"} - {initrd} <= {"dracut", "initramfs-tools"} - set(include)
    assert f"--arch={arch}" in command and ("--foreign" in command) == foreign
    assert command[-3:] == [suite, str(tmp_path / "rootfs"), "http://mirror.example/debian"]


@pytest.mark.parametrize(("machine", "legacy", "not_for_it"), [
    ("x86_64", {"manylinux2014_x86_64", "manylinux1_x86_64"}, set()),
    ("s390x", {"manylinux2014_s390x"}, {"manylinux1_s390x"}),
])
def test_manylinux_tags_stop_at_the_guest_glibc(machine: str, legacy: set[str], not_for_it: set[str]) -> None:
    tags = vm.manylinux_platforms((2, 36), machine)
    assert tags[0] == f"manylinux_2_36_{machine}"
    assert {f"manylinux_2_17_{machine}", *legacy} <= set(tags)
    assert not ({f"manylinux_2_37_{machine}", f"manylinux_2_4_{machine}", *not_for_it} & set(tags))


def test_download_command_asks_for_binary_wheels_of_the_guest_python(tmp_path: Path) -> None:
    command = vm.download_command(tmp_path, ["psutil>=5.9"], "3.11", (2, 36), "aarch64")
    assert "--only-binary=:all:" in command
    assert command[command.index("--platform") + 1] == "manylinux_2_36_aarch64"
    assert command[command.index("--python-version") + 1] == "3.11"
    assert command[command.index("--dest") + 1] == str(tmp_path)
    assert command[-1] == "psutil>=5.9"
    assert "--no-deps" not in command
    assert "--no-deps" in vm.download_command(tmp_path, ["pytest"], "3.13", (2, 41), "s390x", False)


def test_a_boot_counts_as_started_once_the_guest_program_speaks(tmp_path: Path) -> None:
    console = tmp_path / "console.log"
    console.write_text("Target filesystem doesn't have requested /sbin/sockcompat-vm-init.\n")
    assert not vm.guest_started(console)
    console.write_text(f"KASLR disabled\n{vm_guest.MARK} setup can-vcan0: done\n")
    assert vm.guest_started(console)


def test_mounts_a_stopped_second_stage_left_are_found_deepest_first() -> None:
    mounts = ("proc /proc proc rw 0 0\n"
              "proc /c/base-x.partial/rootfs/proc proc rw 0 0\n"
              "sysfs /c/base-x.partial/rootfs/sys sysfs rw 0 0\n"
              "tmpfs /c/base-x.partial/rootfs/sys/fs/cgroup tmpfs rw 0 0\n"
              "tmpfs /c/base-x.partial2 tmpfs rw 0 0\n")
    assert vm.mounts_below(Path("/c/base-x.partial"), mounts) == [
        Path("/c/base-x.partial/rootfs/sys/fs/cgroup"), Path("/c/base-x.partial/rootfs/proc"),
        Path("/c/base-x.partial/rootfs/sys")]
    assert vm.mounts_below(Path("/elsewhere"), mounts) == []


def test_what_debian_provides_is_neither_downloaded_nor_missing(tmp_path: Path) -> None:
    provided = [name for name, _ in vm.ARCHES["s390x"].from_debian]
    wanted = ["pytest>=7.4", "psutil>=5.9", "Jinja2>=3.1"]
    assert vm.not_provided(wanted, provided) == ["pytest>=7.4", "Jinja2>=3.1"]
    assert vm.not_provided(wanted, []) == wanted
    _wheel(tmp_path / "jinja2-3.1-py3-none-any.whl", "Name: jinja2\nRequires-Dist: MarkupSafe>=2.0\n")
    environment = vm.marker_environment("3.13", "s390x")
    assert vm.missing_requirements(tmp_path, environment) == ["MarkupSafe>=2.0"]
    assert vm.missing_requirements(tmp_path, environment, provided) == []


@pytest.mark.parametrize("arch", sorted(vm.ARCHES))
def test_debian_python_packages_are_in_the_image_and_seen_by_the_venv(tmp_path: Path, arch: str) -> None:
    command = vm.debootstrap_command(tmp_path, "http://mirror.example/debian", "trixie", arch, True)
    include = next(a for a in command if a.startswith("--include=")).partition("=")[2].split(",")
    packages = {package for _, package in vm.ARCHES[arch].from_debian}
    assert packages <= set(include)
    config = vm.Config(repo=tmp_path, cache=tmp_path, output=tmp_path, arch=arch)
    plan = vm.make_plan("w.whl", config, run_timeout_s=100)
    assert plan["system_site_packages"] == bool(packages)
    runner = FakeRunner({"pip": (1, "stop")})
    vm_guest.install({**plan, "install_timeout_s": 1}, runner, tmp_path / "venv")
    assert ("--system-site-packages" in runner.calls[0]) == bool(packages)


@pytest.mark.parametrize(("env", "expected"), [
    ({"SOCKCOMPAT_VM_CACHE": "/c/vm", "XDG_CACHE_HOME": "/x"}, Path("/c/vm")),
    ({"XDG_CACHE_HOME": "/x"}, Path("/x/sockcompat/vm")),
    ({}, Path.home() / ".cache" / "sockcompat" / "vm"),
])
def test_default_cache(env: dict[str, str], expected: Path) -> None:
    assert vm.default_cache(env) == expected


def test_base_key_follows_suite_architecture_and_package_list(monkeypatch: pytest.MonkeyPatch) -> None:
    first = vm.base_key("trixie", "amd64")
    assert vm.base_key("trixie", "amd64") == first
    assert len({first, vm.base_key("bullseye", "amd64"), vm.base_key("trixie", "arm64")}) == 3
    monkeypatch.setattr(vm, "GUEST_PACKAGES", (*vm.GUEST_PACKAGES, "can-utils"))
    assert vm.base_key("trixie", "amd64") != first


SOURCES_LIST = """\
# deb http://commented.example/debian bookworm main
deb [arch=amd64 signed-by=/k.gpg] https://packages.example/apt cloud-sdk main
deb http://mirror.example/debian bookworm main contrib
deb http://mirror.example/debian-security bookworm-security main
"""
DEB822 = """\
Types: deb-src
URIs: http://source-only.example/debian
Suites: trixie

Types: deb
URIs: https://nodes.example/node_20.x
Suites: nodistro
Components: main

Types: deb
# a comment inside the stanza
URIs: http://proxy.example:3142/debian
Suites: trixie trixie-updates
Components: main
"""


@pytest.mark.parametrize(("files", "mirror"), [
    ({"sources.list": SOURCES_LIST}, "http://mirror.example/debian"),
    ({"sources.list.d/debian.sources": DEB822}, "http://proxy.example:3142/debian"),
    ({"sources.list.d/a.list": "deb http://only-security.example/d bookworm-security main\n",
      "sources.list.d/b.sources": DEB822.replace("Types: deb\n#", "Enabled: no\nTypes: deb\n#")}, None),
    ({}, None),
])
def test_apt_mirror_is_the_debian_archive_apt_already_uses(tmp_path: Path, files: dict[str, str],
                                                           mirror: str | None) -> None:
    (tmp_path / "sources.list.d").mkdir()
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert vm.apt_mirror(tmp_path) == mirror


def test_no_mirror_url_is_written_into_the_code() -> None:
    source = Path(vm.__file__).read_text()
    assert "deb.debian.org" not in source and "http://" not in source and "https://" not in source


@pytest.mark.parametrize(("version", "glibc"), [("2.36-9+deb12u4", (2, 36)), ("1:2.41-12", (2, 41))])
def test_glibc_of_rootfs(tmp_path: Path, version: str, glibc: tuple[int, int]) -> None:
    status = tmp_path / "var" / "lib" / "dpkg" / "status"
    status.parent.mkdir(parents=True)
    status.write_text(f"Package: libc6-dev\nVersion: 9.9\n\nPackage: libc6\nStatus: ok\nVersion: {version}\n")
    assert vm.glibc_of(tmp_path) == glibc


@pytest.mark.parametrize(("machine", "arch"), [("x86_64", "amd64"), ("aarch64", "arm64"), ("mips", None)])
def test_host_arch(machine: str, arch: str | None) -> None:
    assert vm.host_arch(machine) == arch


def test_parser_takes_suite_architecture_and_suites(tmp_path: Path) -> None:
    args = vm.parser(tmp_path).parse_args(["--suite", "bullseye", "--arch", "s390x", "--suite-args", "create",
                                           "--suite-args", "transfer"])
    assert (args.suite, args.arch, args.suites, args.mirror) == ("bullseye", "s390x", ["create", "transfer"],
                                                                 None)
    with pytest.raises(SystemExit):
        vm.parser(tmp_path).parse_args(["--suite", "buster"])


def _wheel(path: Path, metadata: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("demo-1.0.dist-info/METADATA", metadata)
    return path


def test_wheel_requirements_skip_extras_and_the_body(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path / "demo-1.0-py3-none-any.whl", (
        "Metadata-Version: 2.3\nName: demo\nRequires-Dist: pytest>=7.4\nRequires-Dist: psutil>=5.9\n"
        "Requires-Dist: mypy>=1.10; extra == 'lint'\nRequires-Dist: jinja2>=3.1; extra == 'publish'\n\n"
        "Requires-Dist: not-a-header\n"))
    assert vm.wheel_requirements(wheel) == ["pytest>=7.4", "psutil>=5.9", "jinja2>=3.1"]


PYTEST_METADATA = ("Metadata-Version: 2.1\nName: pytest\nRequires-Dist: iniconfig\n"
                   "Requires-Dist: exceptiongroup>=1; python_version < \"3.11\"\n"
                   "Requires-Dist: colorama; sys_platform == \"win32\"\n"
                   "Requires-Dist: Typing_Extensions>=4; platform_machine == \"s390x\"\n"
                   "Requires-Dist: hypothesis; extra == \"testing\"\n")


@pytest.mark.parametrize(("python", "machine", "missing"), [
    ("3.9", "x86_64", ["exceptiongroup>=1"]),
    ("3.13", "x86_64", []),
    ("3.13", "s390x", ["Typing_Extensions>=4"]),
])
def test_missing_requirements_follow_the_guest_markers(tmp_path: Path, python: str, machine: str,
                                                       missing: list[str]) -> None:
    _wheel(tmp_path / "pytest-8.0-py3-none-any.whl", PYTEST_METADATA)
    _wheel(tmp_path / "iniconfig-2.0-py3-none-any.whl", "Name: iniconfig\n")
    assert vm.missing_requirements(tmp_path, vm.marker_environment(python, machine)) == missing
    _wheel(tmp_path / "typing_extensions-4.12-py3-none-any.whl", "Name: typing_extensions\n")
    _wheel(tmp_path / "exceptiongroup-1.2-py3-none-any.whl", "Name: exceptiongroup\n")
    assert vm.missing_requirements(tmp_path, vm.marker_environment(python, machine)) == []


@pytest.mark.parametrize(("dirs", "expected"), [
    (["python3", "python3.9", "python3.11"], "3.11"),
    (["python3.11", "python3.13"], "3.13"),
])
def test_python_version_of_rootfs(tmp_path: Path, dirs: list[str], expected: str) -> None:
    for name in dirs:
        (tmp_path / "usr" / "lib" / name).mkdir(parents=True)
    assert vm.python_version_of(tmp_path) == expected


def test_python_version_of_rootfs_without_python(tmp_path: Path) -> None:
    (tmp_path / "usr" / "lib").mkdir(parents=True)
    with pytest.raises(vm.VmHostError, match="no Python 3"):
        vm.python_version_of(tmp_path)


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
@pytest.mark.parametrize("arch", sorted(vm.ARCHES))
def test_init_stub_is_valid_shell_that_runs_the_guest_program(tmp_path: Path, arch: str) -> None:
    stub = vm.init_stub(vm.ARCHES[arch].payload_device)
    script = tmp_path / "init"
    script.write_text(stub)
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0
    assert stub.startswith("#!/bin/sh\n")
    assert "python3 /payload/vm_guest.py /payload/plan.json" in stub
    assert f"mount {vm.ARCHES[arch].payload_device} /payload" in stub


@pytest.mark.parametrize(("arch", "root", "payload"), [
    ("amd64", "/dev/vda", "/dev/vdb"),  # PCI: the disks enumerate in the order given
    ("arm64", "/dev/vda", "/dev/vdb"),
    ("s390x", "LABEL=sockcompat-root", "LABEL=sockcompat-pay"),  # channel devices race for names
])
def test_each_machine_finds_its_disks(tmp_path: Path, arch: str, root: str, payload: str) -> None:
    command = vm.qemu_command(a_base(tmp_path, arch), tmp_path / "payload.img", "root", 2048, 2)
    assert f"root={root} " in command[command.index("-append") + 1]
    assert f"mount {payload} /payload" in vm.init_stub(vm.ARCHES[arch].payload_device)
    for label in (vm.ROOT_LABEL, vm.PAYLOAD_LABEL):
        assert len(label.encode()) <= 16  # ext4 truncates longer labels


def test_plan_lists_setup_and_the_chosen_phases(tmp_path: Path) -> None:
    config = vm.Config(repo=tmp_path, cache=tmp_path, output=tmp_path, phases=("user",),
                           pytest_args=("-k", "AF_CAN"))
    plan = vm.make_plan("sockcompat-0.1.0-py3-none-any.whl", config, run_timeout_s=100)
    assert json.loads(json.dumps(plan)) == plan
    assert plan["runs"] == {"user": {"uid": vm.UNPRIVILEGED_ID, "gid": vm.UNPRIVILEGED_ID}}
    names = [step["name"] for step in plan["setup"]]
    assert {"can-vcan0", "tipc-udp-loopback", "rds-tcp", "vsock-loopback"} <= set(names)
    vcan = plan["setup"][names.index("can-vcan0")]["commands"]
    assert ["ip", "link", "add", "dev", "vcan0", "type", "vcan"] in vcan
    assert plan["pytest_args"] == ["-k", "AF_CAN"]


def test_tipc_bearer_is_bound_to_loopback_only() -> None:
    tipc = next(step for step in vm.SETUP if step.name == "tipc-udp-loopback")
    bearer = next(c for c in tipc.commands if "bearer" in c)
    assert bearer[bearer.index("localip") + 1] == "127.0.0.1"


def test_machine_provenance_names_emulator_and_size(tmp_path: Path) -> None:
    base = a_base(tmp_path, "arm64")
    command = vm.qemu_command(base, tmp_path / "p.img", "user", 2048, 2)
    machine = vm.machine_provenance(base.info, command)
    assert machine["memory_mb"] == 2048 and machine["cpus"] == 2
    assert machine["distribution"] == "debian trixie" and machine["architecture"] == "arm64"
    assert machine["emulator"].startswith("qemu-system-aarch64 -accel tcg")


########################################################################################
# what the 6.1 guest revealed: EPERM rows that had no documented requirement


@pytest.mark.parametrize(("family", "type_", "proto", "needs"), [
    ("AF_LLC", "SOCK_DGRAM", "0", "CAP_NET_RAW"),
    ("AF_XDP", "SOCK_RAW", "0", "CAP_NET_RAW"),
    ("AF_NFC", "SOCK_RAW", "0", "CAP_NET_RAW"),
    ("AF_BLUETOOTH", "SOCK_RAW", "BTPROTO_L2CAP", "CAP_NET_RAW"),
    ("AF_PHONET", "SOCK_DGRAM", "0", "CAP_SYS_ADMIN"),
])
def test_guest_eperm_rows_name_their_capability(family: str, type_: str, proto: str, needs: str) -> None:
    requirement = requirement_for("linux", family, type_, proto)
    assert requirement is not None and requirement.requires == needs
    unprivileged = privilege.Privilege(superuser=False, label="user", uid=65534, capabilities=frozenset())
    failure = classify(PermissionError(errno.EPERM, "Operation not permitted"), privilege=unprivileged,
                       requirement=requirement)
    assert failure.outcome == "needs-privilege" and failure.errno == "EPERM"
    assert needs in failure.detail


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux kernel-internal errno")
def test_a_leaked_kernel_enotsupp_is_unsupported_not_an_error() -> None:
    # Debian's 5.10: setsockopt(SO_ZEROCOPY) on e.g. AF_ALG returned 524, which the errno module
    # does not name; it was recorded as an "error" (errno524).
    root = privilege.Privilege(superuser=True, label="root", uid=0, capabilities=frozenset())
    failure = classify(OSError(524, "Unknown error 524"), privilege=root)
    assert (failure.outcome, failure.errno) == ("unsupported", "ENOTSUPP")


def test_nfc_stream_sockets_need_no_capability() -> None:
    assert requirement_for("linux", "AF_NFC", "SOCK_SEQPACKET", "0") is None


########################################################################################
# the guest program, with a fake command runner


class FakeRunner:
    """Records commands; answers from a table keyed by the program name; the suite command
    writes a report where ``sockcompat run`` would."""

    def __init__(self, answers: dict[str, tuple[int, str]] | None = None, report: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.answers = answers or {}
        self.report = report

    def __call__(self, argv: Sequence[str], **kwargs: Any) -> tuple[int, str]:
        argv = list(argv)
        self.calls.append(argv)
        if self.report is not None and "run" in argv and "--output" in argv:
            out = Path(argv[argv.index("--output") + 1])
            (out / "linux-demo-root.json").write_text(self.report)
            return 0, ""
        return self.answers.get(Path(argv[0]).name, (0, ""))


@pytest.mark.parametrize(("cmdline", "phase"), [
    ("root=/dev/vda rw sockcompat.phase=user quiet", "user"),
    ("sockcompat.phase=root", "root"),
    ("root=/dev/vda sockcompat.phases=root", None),
    ("", None),
])
def test_phase_from_cmdline(cmdline: str, phase: str | None) -> None:
    assert vm_guest.phase_from_cmdline(cmdline) == phase


def test_loaded_modules_from_proc_modules() -> None:
    text = "sctp 430080 2 - Live 0x0\ncan_raw 20480 0 - Live 0x0\n\n"
    assert vm_guest.loaded_modules(text) == ["can_raw", "sctp"]


def test_setup_stops_a_step_at_its_first_failure() -> None:
    runner = FakeRunner({"tipc": (1, "error: no such family\n")})
    tipc = [["modprobe", "tipc"], ["tipc", "x"], ["tipc", "y"]]
    steps = [{"name": "tipc", "purpose": "p", "commands": tipc},
             {"name": "rds", "purpose": "q", "commands": [["modprobe", "rds_tcp"]]}]
    done = vm_guest.do_setup(steps, runner)
    assert [d["ok"] for d in done] == [False, True]
    assert [c["argv"] for c in done[0]["commands"]] == [["modprobe", "tipc"], ["tipc", "x"]]
    failed = {"argv": ["tipc", "x"], "returncode": 1, "output": "error: no such family"}
    assert done[0]["commands"][1] == failed
    assert runner.calls[-1] == ["modprobe", "rds_tcp"]


@pytest.mark.parametrize(("run", "prefix"), [
    ({"uid": None, "gid": None}, []),
    ({"uid": 65534, "gid": 65534},
     ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--"]),
])
def test_user_prefix(run: dict[str, Any], prefix: list[str]) -> None:
    assert vm_guest.user_prefix(run) == prefix


def test_suite_command_runs_sockcompat_from_the_venv(tmp_path: Path) -> None:
    plan = {"sockcompat_args": ["--timeout", "10"], "pytest_args": ["-k", "AF_CAN"]}
    command = vm_guest.suite_command(plan, {"uid": 65534, "gid": 65534}, tmp_path / "o", tmp_path / "v")
    assert command[0] == "setpriv"
    tail = command[command.index(str(tmp_path / "v" / "bin" / "sockcompat")):]
    assert tail == [str(tmp_path / "v" / "bin" / "sockcompat"), "run", "--output", str(tmp_path / "o"),
                    "--timeout", "10", "--", "-k", "AF_CAN"]


def test_install_reuses_an_existing_venv(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "sockcompat").touch()
    runner = FakeRunner()
    assert vm_guest.install({"wheel": "w.whl", "install_timeout_s": 1}, runner, tmp_path)["reused"]
    assert runner.calls == []


def test_install_stops_when_pip_fails(tmp_path: Path) -> None:
    runner = FakeRunner({"pip": (1, "No matching distribution found for psutil")})
    result = vm_guest.install({"wheel": "w.whl", "install_timeout_s": 1}, runner, tmp_path / "venv")
    assert result == {"reused": False, "returncode": 1, "output": "No matching distribution found for psutil"}
    assert runner.calls[0][1:3] == ["-m", "venv"]
    assert "--no-index" in runner.calls[1]


@pytest.fixture(scope="module")
def report_text() -> str:
    observations = [
        Observation(id="create/AF_CAN/SOCK_RAW/CAN_RAW", area="create", step="create", outcome="supported",
                    family="AF_CAN", family_num=29, type="SOCK_RAW", type_num=3, proto="CAN_RAW",
                    proto_num=1),
        Observation(id="create/AF_TIPC/SOCK_RAW/0", area="create", step="create", outcome="unsupported",
                    errno="ESOCKTNOSUPPORT"),
    ]
    host = environment.collect(privilege.current(), None)
    return host_report.dumps(host_report.build(observations, host, RUN_FACTS))


@pytest.mark.skipif(sys.platform == "win32", reason="the guest program runs on Linux")
def test_run_phase_writes_what_the_host_collects(tmp_path: Path, report_text: str) -> None:
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "modules").write_text("vcan 16384 0 - Live 0x0\n")
    plan = {"wheel": "w.whl", "install_timeout_s": 1, "run_timeout_s": 1, "sockcompat_args": [],
            "pytest_args": [], "runs": {"root": {"uid": None, "gid": None}},
            "setup": [{"name": "rds-tcp", "purpose": "p", "commands": [["modprobe", "rds_tcp"]]}]}
    packages = "ii linux-image-6.1.0-50-amd64 6.1.176-1\nun linux-image-generic \n"
    runner = FakeRunner({"dpkg-query": (0, packages)}, report=report_text)
    result = vm_guest.run_phase(plan, "root", runner, root=tmp_path, venv=tmp_path / "venv", proc=proc)
    report = tmp_path / "out" / "root" / "reports" / "linux-demo-root.json"
    assert result["kernel_packages"] == ["linux-image-6.1.0-50-amd64 6.1.176-1"]
    assert result["modules_after_setup"] == ["vcan"]
    assert result["setup"][0]["ok"] and result["run"]["returncode"] == 0
    assert result["reports"]["linux-demo-root.json"]["sha256"] == vm_guest.sha256(report)
    assert result["reports"]["linux-demo-root.json"]["outcomes"] == {"supported": 1, "unsupported": 1}
    validate = [c for c in runner.calls if "validate" in c]
    assert validate == [[str(tmp_path / "venv" / "bin" / "sockcompat"), "validate", str(report)]]
    written = json.loads(report.read_text())
    facts = written["host"]["provenance"]
    assert facts["setup"] == result["setup"] and facts["modules_after_setup"] == ["vcan"]
    assert facts["machine"]["kernel_packages"] == result["kernel_packages"]
    assert report.read_text() == host_report.dumps(written)  # the layout sockcompat run writes


def test_a_report_with_provenance_is_valid(report_text: str) -> None:
    facts = {"kind": "qemu-guest", "machine": {"architecture": "s390x"},
             "setup": [{"name": "rds-tcp", "purpose": "p", "ok": False,
                        "commands": [{"argv": ["modprobe", "rds_tcp"], "returncode": 1, "output": "x"}]}],
             "interfaces": [], "modules_before_setup": [], "modules_after_setup": ["rds"]}
    check(json.loads(vm_guest.with_provenance(report_text, facts)), "r")
    broken = {**facts, "setup": [{"name": "rds-tcp"}]}
    with pytest.raises(ReportError, match="provenance"):
        check(json.loads(vm_guest.with_provenance(report_text, broken)), "r")


########################################################################################
# collecting results on the host


PROVENANCE = {"kind": "qemu-guest", "setup": [{"name": "can-vcan0", "ok": True, "commands": []}]}


def _guest_out(tmp_path: Path, report_text: str, **changes: Any) -> Path:
    out = tmp_path / "extracted" / "out"
    reports = out / "user" / "reports"
    reports.mkdir(parents=True)
    (reports / "linux-demo-user.json").write_text(vm_guest.with_provenance(report_text, PROVENANCE))
    facts = {"sha256": vm_guest.sha256(reports / "linux-demo-user.json"), "valid": True,
             "validate_output": "", "outcomes": {"supported": 1}}
    facts.update(changes)
    guest = {"phase": "user", "install": {"returncode": 0}, "run": {"returncode": 0},
             "setup": [{"name": "can-vcan0", "ok": True}], "reports": {"linux-demo-user.json": facts}}
    (out / "user" / "guest.json").write_text(json.dumps(guest))
    return out


def test_collect_copies_the_report_alone(tmp_path: Path, report_text: str) -> None:
    out = _guest_out(tmp_path, report_text)
    written = vm.collect(out, ["user"], tmp_path / "hosts")
    assert written == [tmp_path / "hosts" / "linux-demo-user.json"]
    assert json.loads(written[0].read_text())["host"]["provenance"] == PROVENANCE
    assert sorted(p.name for p in (tmp_path / "hosts").rglob("*")) == ["linux-demo-user.json"]


def test_collect_refuses_a_report_without_provenance(tmp_path: Path, report_text: str) -> None:
    out = _guest_out(tmp_path, report_text)
    report = out / "user" / "reports" / "linux-demo-user.json"
    report.write_text(report_text)
    guest = json.loads((out / "user" / "guest.json").read_text())
    guest["reports"]["linux-demo-user.json"]["sha256"] = vm_guest.sha256(report)
    (out / "user" / "guest.json").write_text(json.dumps(guest))
    with pytest.raises(vm.VmHostError, match=r"no host\.provenance"):
        vm.collect(out, ["user"], tmp_path / "hosts")


@pytest.mark.parametrize(("changes", "message"), [
    ({"sha256": "0" * 64}, "differs from what the guest wrote"),
    ({"valid": False, "validate_output": "invalid: x"}, "the guest found linux-demo-user.json invalid"),
])
def test_collect_refuses_bad_reports(tmp_path: Path, report_text: str, changes: dict[str, Any],
                                     message: str) -> None:
    out = _guest_out(tmp_path, report_text, **changes)
    with pytest.raises(vm.VmHostError, match=message):
        vm.collect(out, ["user"], tmp_path / "hosts")
    assert not (tmp_path / "hosts").exists()


def test_collect_validates_on_the_host_too(tmp_path: Path, report_text: str) -> None:
    broken = json.loads(report_text)
    broken["observations"][0]["outcome"] = "maybe"
    out = _guest_out(tmp_path, host_report.dumps(broken))
    with pytest.raises(vm.VmHostError, match=r"invalid report: .*observations\[0\]\.outcome"):
        vm.collect(out, ["user"], tmp_path / "hosts")


def test_collect_names_a_missing_phase(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(vm.VmHostError, match=r"the root boot left no guest\.json"):
        vm.collect(tmp_path / "out", ["root"], tmp_path / "hosts")


def test_boot_logs_the_console_and_echoes_guest_lines(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    command = [sys.executable, "-c", "print('[ 1.0] kernel noise'); print('sockcompat-vm: setup done')"]
    vm.boot(command, tmp_path / "console.log", timeout_s=120)
    console = (tmp_path / "console.log").read_text()
    assert "kernel noise" in console and "qemu exited with status 0" in console
    shown = capsys.readouterr().out
    assert "guest: setup done" in shown and "kernel noise" not in shown


def test_boot_stops_a_guest_that_overruns(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "import time; time.sleep(60)"]
    with pytest.raises(vm.VmHostError, match="ran past"):
        vm.boot(command, tmp_path / "console.log", timeout_s=0.5)


@needs_e2fs
def test_payload_round_trip_through_an_ext4_image(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path / "sockcompat-0.1.0-py3-none-any.whl", "Name: sockcompat\n")
    house = tmp_path / "house"
    house.mkdir()
    _wheel(house / "dep-1.0-py3-none-any.whl", "Name: dep\n")
    image = vm.make_payload(tmp_path / "work", wheel, house, {"wheel": wheel.name})
    shown = subprocess.run(["debugfs", "-R", "ls -p /wheels", str(image)], capture_output=True, text=True,
                           check=True).stdout
    assert "sockcompat-0.1.0-py3-none-any.whl" in shown and "dep-1.0-py3-none-any.whl" in shown
    plan = subprocess.run(["debugfs", "-R", "cat /plan.json", str(image)], capture_output=True, text=True,
                          check=True).stdout
    assert json.loads(plan) == {"wheel": wheel.name}
    out = vm.extract(image, tmp_path / "extracted")
    assert out.is_dir() and list(out.iterdir()) == []


########################################################################################
# end to end: boots the guest (minutes; a cold build needs root and network to a Debian mirror)

#: The one guest CI boots: trixie's 6.12 on amd64 (the fastest architecture under emulation), as root,
#: the transfer suite only: the client-server sequences that need the guest's modules and setup.
CI_GUEST = ["--suite", "trixie", "--arch", "amd64", "--phase", "root", "--suite-args", "transfer"]


def _vm_skip_reason() -> str | None:
    missing = [t for t in ("qemu-system-x86_64", "mkfs.ext4", "debugfs") if shutil.which(t) is None]
    if missing:
        return "needs " + ", ".join(missing) + " (apt-get install qemu-system-x86 debootstrap e2fsprogs)"
    cached = (vm.base_folder(vm.default_cache(), "trixie", "amd64") / "base.json").is_file()
    if not cached and shutil.which("debootstrap") is None:
        return "needs debootstrap to build the guest image (apt-get install debootstrap)"
    if not cached and not vm.is_root():
        return "building the guest image needs root (debootstrap); no cached image"
    return None


@pytest.mark.vm
def test_vm_host_end_to_end(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if "vm" not in (request.config.option.markexpr or "") and not os.environ.get("SOCKCOMPAT_VM"):
        pytest.skip("boots a qemu guest for minutes: select it with -m vm or SOCKCOMPAT_VM=1")
    reason = _vm_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    assert vm.main([*CI_GUEST, "--output", str(tmp_path)], repo=REPO) == 0
    [path] = sorted(tmp_path.glob("*.json"))
    host = json.loads(path.read_text())["host"]
    assert host["privilege"]["label"] == "root" and host["release"].startswith("6.12.")
    # build traits: a modular kernel, SCTP/CAN/RDS/vsock as modules (Debian builds them so)
    assert host["kernel_modules"]["loadable"] is True
    assert host["kernel_config"]["source"].startswith("/boot/config-")
    families = host["kernel_config"]["families"]
    assert {families[name] for name in ("IPPROTO_SCTP", "AF_CAN", "AF_RDS", "AF_VSOCK")} == {"module"}
    assert families["AF_UNIX"] == "built-in"
    # the setup, recorded inside the report, and its effect
    provenance = host["provenance"]
    assert all(step["ok"] for step in provenance["setup"]), provenance["setup"]
    assert {"ifname": "vcan0", "link_type": "can", "operstate": "UNKNOWN"} in provenance["interfaces"]
    assert provenance["machine"]["distribution"] == "debian trixie"
    outcomes = {(o["id"], o["step"]): o["outcome"] for o in json.loads(path.read_text())["observations"]}
    for exchange in ("transfer/AF_INET/SOCK_STREAM/IPPROTO_SCTP",
                     "transfer/AF_INET6/SOCK_STREAM/IPPROTO_SCTP", "transfer/AF_CAN/SOCK_RAW/CAN_RAW",
                     "transfer/AF_RDS/SOCK_SEQPACKET/0", "transfer/AF_VSOCK/SOCK_STREAM/0"):
        steps = {step: outcome for (id_, step), outcome in outcomes.items() if id_ == exchange}
        assert steps and set(steps.values()) == {"supported"}, (exchange, steps)
