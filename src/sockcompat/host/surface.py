"""Which socket module the catalog and the probes see: this host's, or a simulated platform's.

A seam in the product, as trio's ``set_custom_socket_factory`` is: tests of Windows, macOS and
FreeBSD code paths swap in a fake socket module built from those platforms' data, run the real
catalog, probes, plugin and report writer over it, and check the result. Nothing else in the
package knows whether it is simulated.
"""

from __future__ import annotations

import contextlib
import socket
import sys
from collections.abc import Iterator
from typing import Any, NamedTuple

from sockcompat.catalog.platforms import platform_key
from sockcompat.host.autoload import AutoloadGuard, modules_to_avoid
from sockcompat.host.privilege import Privilege


class Surface(NamedTuple):
    module: Any
    platform: str
    privilege: Privilege | None  # None: judge this process's own privilege


_simulated: Surface | None = None
_avoided: tuple[dict[int, str], dict[tuple[int, int], str]] | None = None


def current() -> Surface:
    """The simulated surface if one is active, else this host's socket module and platform;
    behind the autoload guard when ``avoid_autoload`` was called."""
    active = _simulated or Surface(socket, platform_key(sys.platform), None)
    if _avoided is not None:
        return active._replace(module=AutoloadGuard(active.module, *_avoided))
    return active


def state() -> tuple[object, object]:
    """What ``current`` depends on, to tell whether a surface judged earlier still holds."""
    return _simulated, _avoided


def avoid_autoload(present_modules: frozenset[str]) -> None:
    """From now on, socket() refuses families and protocols whose module is not ``present``."""
    global _avoided
    _avoided = modules_to_avoid(present_modules)


@contextlib.contextmanager
def simulate(module: Any, platform: str, privilege: Privilege | None = None) -> Iterator[Surface]:
    """Make ``module`` the socket module and ``platform`` the platform until the block ends."""
    global _simulated
    previous, _simulated = _simulated, Surface(module, platform, privilege)
    try:
        yield _simulated
    finally:
        _simulated = previous
