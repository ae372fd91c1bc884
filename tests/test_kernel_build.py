"""Host facts that name a Linux kernel's build traits: which families are built in, modules, or
absent, so a gap is read as how the kernel was built, not as what its version can do."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest

from sockcompat.host import environment

CONFIG = """\
# Linux/x86 6.12.57 Kernel Configuration
CONFIG_UNIX=y
CONFIG_IP_SCTP=m
# CONFIG_IP_DCCP is not set
CONFIG_CAN=m
CONFIG_CAN_ISOTP=m
CONFIG_TIPC=y
CONFIG_VSOCKETS=m
CONFIG_IPV6=y
"""


@pytest.mark.parametrize(("family", "build"), [
    ("AF_UNIX", "built-in"),
    ("IPPROTO_SCTP", "module"),
    ("IPPROTO_DCCP", "absent"),  # "is not set"
    ("AF_RDS", "absent"),  # not mentioned at all
    ("CAN_ISOTP", "module"),
    ("AF_TIPC", "built-in"),
    ("AF_VSOCK", "module"),
])
def test_kernel_build_reads_each_family_option(family: str, build: str) -> None:
    assert environment.kernel_build(CONFIG)[family] == build


def test_kernel_build_names_every_listed_family() -> None:
    assert set(environment.kernel_build("")) == set(environment.KERNEL_OPTIONS)
    assert set(environment.kernel_build("").values()) == {"absent"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux kernel configuration")
def test_kernel_config_falls_back_to_boot_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real_open = open

    def fake_open(path: str, *args: object, **kwargs: object) -> object:
        opened.append(path)
        if path == "/boot/config-9.9.9-test":
            return real_open(tmp_path / "config", "rt", encoding="ascii")
        raise FileNotFoundError(path)

    (tmp_path / "config").write_text(CONFIG)
    monkeypatch.setattr(gzip, "open", fake_open)
    monkeypatch.setattr("builtins.open", fake_open)
    facts = environment.kernel_config("9.9.9-test")
    assert opened == ["/proc/config.gz", "/boot/config-9.9.9-test"]
    assert facts is not None and facts["source"] == "/boot/config-9.9.9-test"
    assert facts["families"]["IPPROTO_SCTP"] == "module"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux kernel configuration")
def test_kernel_config_is_none_when_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: str, *args: object, **kwargs: object) -> object:
        raise PermissionError(path)

    monkeypatch.setattr(gzip, "open", refuse)
    monkeypatch.setattr("builtins.open", refuse)
    assert environment.kernel_config("9.9.9-test") is None


@pytest.mark.skipif(not Path("/proc/config.gz").is_file(), reason="this kernel exposes no /proc/config.gz")
def test_kernel_config_here_agrees_with_proc_modules() -> None:
    facts = environment.kernel_config()
    assert facts is not None and facts["source"] == "/proc/config.gz"
    with gzip.open("/proc/config.gz", "rt") as stream:
        modular = "CONFIG_MODULES=y" in stream.read().splitlines()
    assert modular == (environment.loaded_modules() is not None)
    if not modular:
        assert "module" not in facts["families"].values()
