"""Probing without loading kernel modules: a socket module whose socket() refuses, before the
kernel is asked, the families and protocols that would make Linux load a module.

Off unless asked for (``--no-autoload``); which modules are already there comes from
/proc/modules and the kernel's modules.builtin, read once before probing.
"""

from __future__ import annotations

import platform
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sockcompat.catalog.modules import FAMILY_MODULES, PROTOCOL_MODULES
from sockcompat.catalog.platforms import FAMILIES, FAMILY_PROTOCOLS, IP_PROTOCOLS
from sockcompat.errors import AutoloadAvoided


def builtin_modules(release: str | None = None) -> frozenset[str]:
    """Module names compiled into the running kernel (modules.builtin), normalized to '_'."""
    path = Path("/lib/modules") / (release or platform.release()) / "modules.builtin"
    try:
        lines = path.read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return frozenset()
    return frozenset(Path(line).name.removesuffix(".ko").replace("-", "_") for line in lines if line)


def modules_to_avoid(present: frozenset[str]) -> tuple[dict[int, str], dict[tuple[int, int], str]]:
    """(family number -> module, (family, protocol) numbers -> module) for modules not ``present``."""
    families = FAMILIES["linux"]
    families_avoided = {
        families[name]: module for name, module in FAMILY_MODULES.items() if module not in present
    }
    protocols_avoided = {}
    for (family, proto), module in PROTOCOL_MODULES.items():
        number = IP_PROTOCOLS["linux"].get(proto, FAMILY_PROTOCOLS["linux"].get(family, {}).get(proto))
        if number is not None and module not in present:
            protocols_avoided[(families[family], number)] = module
    return families_avoided, protocols_avoided


class AutoloadGuard:
    """The socket module, except that socket() of an avoided family or protocol raises."""

    def __init__(self, module: Any, families: Mapping[int, str], protocols: Mapping[tuple[int, int], str]):
        self._module = module
        self._families = dict(families)
        self._protocols = dict(protocols)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    @property
    def module(self) -> Any:
        """The socket module behind the guard."""
        return self._module

    def to_json(self) -> dict[str, list[Any]]:
        """What a child interpreter needs to guard its own socket module the same way."""
        return {"families": [[number, module] for number, module in self._families.items()],
                "protocols": [[*key, module] for key, module in self._protocols.items()]}

    @classmethod
    def from_json(cls, module: Any, data: dict[str, list[Any]]) -> AutoloadGuard:
        return cls(module, {int(number): str(name) for number, name in data["families"]},
                   {(int(family), int(proto)): str(name) for family, proto, name in data["protocols"]})

    def socket(self, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None) -> Any:
        module = self._families.get(int(family)) or self._protocols.get((int(family), int(proto)))
        if module is not None:
            raise AutoloadAvoided(f"not probed: socket() would load kernel module {module} (--no-autoload)")
        return self._module.socket(family, type, proto, fileno)


def unguarded(module: Any) -> Any:
    """The socket module behind a guard, or ``module`` itself: is this the real one?"""
    return module.module if isinstance(module, AutoloadGuard) else module
