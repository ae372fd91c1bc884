"""Look one name up in the socket module: the constants inventory, one observation per name.

No socket is made: the observation says whether this Python names the constant and with which
value, so the matrix can answer "does Python on Windows have TCP_KEEPCNT, and with which value?".
"""

from __future__ import annotations

from sockcompat.catalog.inventory import constant_value, header_number
from sockcompat.observation import Observation
from sockcompat.probes.context import ProbeContext


def constant_id(name: str) -> str:
    return f"constant/{name}"


def probe(name: str, ctx: ProbeContext) -> Observation:
    """``supported`` with the value when the socket module has the name, else ``no-constant``."""
    value = constant_value(ctx.surface, name)
    if value is not None:
        return Observation(id=constant_id(name), area="constant", step="lookup", outcome="supported",
                           value=value)
    detail = f"this Python's socket module has no {name}"
    number = header_number(ctx.platform, name)
    if number is not None:
        detail += f"; the {ctx.platform} headers define it as {number}"
    return Observation(id=constant_id(name), area="constant", step="lookup", outcome="no-constant",
                       detail=detail)
