"""sockcompat: what a host's sockets can do, measured through Python's socket module.

The flow runs one way: catalog (what to probe) -> probes (how) -> classify (what an error means)
-> Observation -> pytest plugin -> host report JSON -> merge -> render.

The names below are the public face the shipped conformance suites import, so a copy of
``conformance/`` keeps working when modules move. They load on first use (PEP 562): importing the
package for ``__version__`` costs nothing.

PYTEST_DONT_REWRITE: the CLI imports this package before starting pytest, so pytest could not
rewrite it anyway; the marker keeps pytest from warning about that.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> the module that defines it
_EXPORTS = {
    "Observation": "sockcompat.observation",
    "Observed": "sockcompat.observation",
    "ProbeContext": "sockcompat.probes.context",
    "Recorder": "sockcompat.plugin",
    "run_context": "sockcompat.probes.context",
    "current_surface": "sockcompat.host.surface",
    "CreateCase": "sockcompat.catalog.create",
    "create_cases": "sockcompat.catalog.create",
    "OptionCase": "sockcompat.catalog.options",
    "option_cases": "sockcompat.catalog.options",
    "TransferCase": "sockcompat.catalog.transfer",
    "FlagCase": "sockcompat.catalog.transfer",
    "transfer_cases": "sockcompat.catalog.transfer",
    "no_address_candidates": "sockcompat.catalog.transfer",
    "MSG_FLAG_CASES": "sockcompat.catalog.transfer",
    "NONBLOCKING_FAMILIES": "sockcompat.catalog.transfer",
    "PYTHON_API_FAMILIES": "sockcompat.catalog.transfer",
    "SOCKETPAIR_FAMILIES": "sockcompat.catalog.transfer",
    "SOCKETPAIR_TYPES": "sockcompat.catalog.transfer",
    "LIMITS": "sockcompat.catalog.limits",
    "LimitCase": "sockcompat.catalog.limits",
    "RAW_CASES": "sockcompat.catalog.raw",
    "RawCase": "sockcompat.catalog.raw",
    "constant_names": "sockcompat.catalog.inventory",
    "PEER_CREDENTIALS": "sockcompat.catalog.unix",
    "SCM_RIGHTS_TYPES": "sockcompat.catalog.unix",
    "PeerCredentials": "sockcompat.catalog.unix",
}

#: names whose defining module spells them otherwise
_RENAMED = {"current_surface": "current", "constant_names": "names"}

__all__ = [  # literal, so type checkers see the exports; a test keeps it equal to _EXPORTS
    "LIMITS",
    "MSG_FLAG_CASES",
    "NONBLOCKING_FAMILIES",
    "PEER_CREDENTIALS",
    "PYTHON_API_FAMILIES",
    "RAW_CASES",
    "SCM_RIGHTS_TYPES",
    "SOCKETPAIR_FAMILIES",
    "SOCKETPAIR_TYPES",
    "CreateCase",
    "FlagCase",
    "LimitCase",
    "Observation",
    "Observed",
    "OptionCase",
    "PeerCredentials",
    "ProbeContext",
    "RawCase",
    "Recorder",
    "TransferCase",
    "__version__",
    "constant_names",
    "create_cases",
    "current_surface",
    "no_address_candidates",
    "option_cases",
    "run_context",
    "transfer_cases",
]

if TYPE_CHECKING:  # the names as the type checker sees them (redundant aliases mark them exported)
    from sockcompat.catalog.create import CreateCase, create_cases
    from sockcompat.catalog.inventory import names as constant_names
    from sockcompat.catalog.limits import LIMITS, LimitCase
    from sockcompat.catalog.options import OptionCase, option_cases
    from sockcompat.catalog.raw import RAW_CASES, RawCase
    from sockcompat.catalog.transfer import (
        MSG_FLAG_CASES,
        NONBLOCKING_FAMILIES,
        PYTHON_API_FAMILIES,
        SOCKETPAIR_FAMILIES,
        SOCKETPAIR_TYPES,
        FlagCase,
        TransferCase,
        no_address_candidates,
        transfer_cases,
    )
    from sockcompat.catalog.unix import PEER_CREDENTIALS, SCM_RIGHTS_TYPES, PeerCredentials
    from sockcompat.host.surface import current as current_surface
    from sockcompat.observation import Observation, Observed
    from sockcompat.plugin import Recorder
    from sockcompat.probes.context import ProbeContext, run_context

def __getattr__(name: str) -> Any:
    """Load a public name from its module the first time it is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sockcompat' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), _RENAMED.get(name, name))
    globals()[name] = value
    return value
