"""The evidence classification needs about privilege: who we are, and which capabilities we hold.

Judged once per process; ``classify`` turns EPERM/EACCES into ``needs-privilege`` only when the
privilege a call needs is really missing, and into ``blocked`` when it is held.
"""

from __future__ import annotations

import ctypes
import dataclasses
import os
import sys
from typing import Any

#: Linux capability bit numbers (include/uapi/linux/capability.h) for the ones sockets care about.
CAPABILITY_BITS = {
    "CAP_NET_BIND_SERVICE": 10,
    "CAP_NET_BROADCAST": 11,
    "CAP_NET_ADMIN": 12,
    "CAP_NET_RAW": 13,
    "CAP_SYS_ADMIN": 21,
    "CAP_SYS_RESOURCE": 24,
}


@dataclasses.dataclass(frozen=True)
class Privilege:
    """``superuser``: uid 0 or Windows administrator. ``capabilities``: the effective Linux
    capabilities we care about, or None where the OS has no capabilities."""

    superuser: bool
    label: str
    uid: int | None = None
    capabilities: frozenset[str] | None = None

    def holds(self, requirement: str) -> bool:
        """True when the named capability, ``superuser`` or ``administrator`` is held."""
        if self.capabilities is not None and requirement.startswith("CAP_"):
            return requirement in self.capabilities
        return self.superuser

    def to_json(self) -> dict[str, object]:
        caps = None if self.capabilities is None else sorted(self.capabilities)
        return {"superuser": self.superuser, "label": self.label, "uid": self.uid, "capabilities": caps}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Privilege:
        """The privilege ``to_json`` wrote (handed to a child interpreter that must judge alike)."""
        caps = data.get("capabilities")
        return cls(superuser=bool(data["superuser"]), label=str(data["label"]), uid=data.get("uid"),
                   capabilities=None if caps is None else frozenset(caps))


def parse_cap_eff(status_text: str) -> frozenset[str] | None:
    """The named capabilities set in the ``CapEff:`` line of /proc/self/status."""
    for line in status_text.splitlines():
        if line.startswith("CapEff:"):
            mask = int(line.split()[1], 16)
            return frozenset(name for name, bit in CAPABILITY_BITS.items() if mask >> bit & 1)
    return None


def _windows_is_admin() -> bool:
    if sys.platform != "win32":
        return False
    try:
        return bool(ctypes.windll.shell32.IsUserAnAdmin())
    except (AttributeError, OSError):
        return False


def current() -> Privilege:
    """This process's privilege, from the OS (not from what a probe happened to be allowed)."""
    if sys.platform == "win32":
        admin = _windows_is_admin()
        return Privilege(superuser=admin, label="admin" if admin else "user")
    uid = os.geteuid()
    capabilities = None
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/status", encoding="ascii", errors="replace") as status:
                capabilities = parse_cap_eff(status.read())
        except OSError:
            capabilities = None
    return Privilege(superuser=uid == 0, label="root" if uid == 0 else "user", uid=uid,
                     capabilities=capabilities)
