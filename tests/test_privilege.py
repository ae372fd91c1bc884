"""Privilege evidence: capabilities from /proc/self/status, and what ``holds`` means."""

from __future__ import annotations

from sockcompat.host.privilege import Privilege, parse_cap_eff


def test_parse_cap_eff_full_set() -> None:
    caps = parse_cap_eff("Name:\tx\nCapEff:\t000001fffeffffff\n")
    assert caps is not None
    assert {"CAP_NET_RAW", "CAP_NET_ADMIN"} <= caps
    assert "CAP_SYS_RESOURCE" not in caps  # bit 24 is clear in that mask


def test_parse_cap_eff_only_net_raw() -> None:
    assert parse_cap_eff(f"CapEff:\t{1 << 13:016x}\n") == frozenset({"CAP_NET_RAW"})


def test_parse_cap_eff_missing_line() -> None:
    assert parse_cap_eff("Name:\tx\n") is None


def test_holds_uses_capabilities_when_known() -> None:
    root_without_raw = Privilege(superuser=True, label="root", uid=0, capabilities=frozenset())
    assert not root_without_raw.holds("CAP_NET_RAW")
    assert root_without_raw.holds("superuser")


def test_holds_falls_back_to_superuser_without_capabilities() -> None:
    assert Privilege(superuser=True, label="admin").holds("administrator")
    assert not Privilege(superuser=False, label="user").holds("administrator")
    assert not Privilege(superuser=False, label="user").holds("CAP_NET_RAW")
