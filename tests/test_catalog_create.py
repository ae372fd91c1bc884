"""The create matrix rule, on this host's Python and on simulated surfaces of other platforms."""

from __future__ import annotations

import re
import socket
import sys
import types

from sockcompat.catalog.constants import NOT_A_TYPE
from sockcompat.catalog.create import create_cases
from sockcompat.catalog.platforms import FAMILIES

from .surfaces import WINDOWS_PYTHON_FAMILIES, surface

ID = re.compile(r"^create/[A-Za-z0-9_]+/[A-Z0-9_]+/[A-Za-z0-9_]+$")


def python_names(prefix: str, excluded: frozenset[str] = frozenset()) -> set[str]:
    return {n for n in dir(socket) if n.startswith(prefix) and n not in excluded}


def test_every_python_family_type_protocol_is_crossed() -> None:
    families = python_names("AF_")
    types_ = python_names("SOCK_", NOT_A_TYPE)
    protocols = python_names("IPPROTO_", frozenset({"IPPROTO_MAX"})) | {"0"}
    ids = {case.id for case in create_cases(socket, sys.platform)}
    expected = {f"create/{f}/{t}/{p}" for f in families for t in types_ for p in protocols}
    assert expected <= ids, sorted(expected - ids)[:5]


def test_ids_are_unique_sorted_and_well_formed() -> None:
    ids = [case.id for case in create_cases(socket, sys.platform)]
    assert ids == sorted(set(ids))
    assert all(ID.match(i) for i in ids), [i for i in ids if not ID.match(i)][:5]


def test_family_protocols_belong_to_their_family_only() -> None:
    cases = create_cases(surface("linux"), "linux")
    netlink = {c.family.name for c in cases if c.proto.name.startswith("NETLINK_")}
    assert netlink == {"AF_NETLINK"}
    packet = [c for c in cases if c.proto.name == "ETH_P_ALL"]
    assert packet and all(c.proto_argument == socket.htons(3) for c in packet)


def test_fewer_constants_probe_by_number_and_mark_it() -> None:
    """A Python without AF_PACKET still probes it, by the Linux header number."""
    sparse = types.SimpleNamespace(AF_INET=2, SOCK_STREAM=1, SOCK_DGRAM=2, IPPROTO_TCP=6)
    cases = {c.id: c for c in create_cases(sparse, "linux")}
    packet = cases["create/AF_PACKET/SOCK_RAW/0"]
    assert packet.family.number == 17 and not packet.family.python_constant
    assert not packet.missing
    tcp = cases["create/AF_INET/SOCK_STREAM/IPPROTO_TCP"]
    assert tcp.proto.python_constant
    # header-only families are probed with protocol 0 and their own protocols, not every IPPROTO_*
    assert "create/AF_PACKET/SOCK_RAW/IPPROTO_TCP" not in cases


def test_names_from_other_platforms_become_no_constant_rows() -> None:
    cases = {c.id: c for c in create_cases(surface("linux"), "linux")}
    assert cases["create/AF_HYPERV/SOCK_STREAM/0"].missing == ["AF_HYPERV"]
    assert cases["create/AF_INET/SOCK_RAW/IPPROTO_CBT"].missing == ["IPPROTO_CBT"]


def test_windows_without_af_unix_probes_it_by_number() -> None:
    windows = surface("win32", families=WINDOWS_PYTHON_FAMILIES)
    cases = {c.id: c for c in create_cases(windows, "win32")}
    unix = cases["create/AF_UNIX/SOCK_STREAM/0"]
    assert (unix.family.number, unix.family.python_constant) == (1, False)
    assert cases["create/AF_INET/SOCK_RAW/IPPROTO_CBT"].proto.number == 7
    assert cases["create/AF_NETLINK/SOCK_RAW/0"].missing == ["AF_NETLINK"]


def test_darwin_has_no_linux_only_types() -> None:
    cases = {c.id: c for c in create_cases(surface("darwin"), "darwin")}
    assert cases["create/AF_INET/SOCK_DCCP/0"].missing == ["SOCK_DCCP"]
    assert cases["create/AF_UNIX/SOCK_SEQPACKET/0"].family.number == FAMILIES["darwin"]["AF_UNIX"]


def test_every_platform_gives_a_comparable_family_axis() -> None:
    """Each host gets a row per family name any platform knows, so matrices line up."""
    axes = []
    for platform in FAMILIES:
        cases = create_cases(surface(platform), platform)
        axes.append({c.family.name for c in cases if c.type.name == "SOCK_STREAM" and c.proto.name == "0"})
    assert all(axis == axes[0] for axis in axes)
