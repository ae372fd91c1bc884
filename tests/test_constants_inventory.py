"""The constants inventory on simulated surfaces: which names are asked, what each host answers."""

from __future__ import annotations

import types

import pytest

from sockcompat.catalog.inventory import KNOWN_NAMES, is_socket_constant, names
from sockcompat.host.privilege import Privilege
from sockcompat.probes import constants
from sockcompat.probes.context import ProbeContext
from tests.surfaces import surface

NAME_RULE = [
    ("TCP_KEEPCNT", True),
    ("SIO_RCVALL", True),
    ("EAGAIN", False),
    ("POLLIN", False),
    ("has_ipv6", False),
    ("SocketType", False),
]


@pytest.mark.parametrize(("name", "want"), NAME_RULE)
def test_which_names_are_constants(name: str, want: bool) -> None:
    assert is_socket_constant(name) is want


def context(platform: str, surf: object) -> ProbeContext:
    return ProbeContext(platform=platform, privilege=Privilege(superuser=False, label="user"), surface=surf)


PROBES = [
    # platform, surface extras, name, outcome, value, detail fragment
    ("linux", {"TCP_KEEPCNT": 6}, "TCP_KEEPCNT", "supported", 6, ""),
    ("win32", {}, "TCP_KEEPCNT", "no-constant", None, "socket module has no TCP_KEEPCNT"),
    ("win32", {"SIO_RCVALL": 0x98000001}, "SIO_RCVALL", "supported", 0x98000001, ""),
    ("darwin", {}, "AF_SYSTEM", "no-constant", None, "the darwin headers define it as 32"),
    (
        "linux",
        {"HV_GUID_ZERO": "00000000-0000-0000-0000-000000000000"},
        "HV_GUID_ZERO",
        "supported",
        "00000000-0000-0000-0000-000000000000",
        "",
    ),
    ("linux", {"SO_FLAG": True}, "SO_FLAG", "no-constant", None, ""),
]


@pytest.mark.parametrize(("platform", "extra", "name", "outcome", "value", "detail"), PROBES)
def test_probe(
    platform: str, extra: dict[str, object], name: str, outcome: str, value: object, detail: str
) -> None:
    surf = surface(platform, families=["AF_INET"], extra=extra)  # type: ignore[arg-type]
    got = constants.probe(name, context(platform, surf))
    assert (got.id, got.area, got.step) == (f"constant/{name}", "constant", "lookup")
    assert (got.outcome, got.value) == (outcome, value), f"{name} on {platform}: got {got}"
    assert detail in got.detail


def test_every_host_is_asked_every_known_name_and_its_own() -> None:
    own = types.SimpleNamespace(SO_ONLY_HERE=99, EBADF=9, POLLIN=1, AF_INET=2)
    listed = names(own)
    assert "SO_ONLY_HERE" in listed and "EBADF" not in listed and "POLLIN" not in listed
    assert set(listed) >= KNOWN_NAMES
    assert {"TCP_KEEPCNT", "SIO_RCVALL", "AF_SYSTEM", "NETLINK_ROUTE"} <= set(listed)
    assert listed == sorted(listed)
