"""What each OS's documentation says should happen, per (probe id, step), with the source.

Observations are the result; these rows are the yardstick. When a run disagrees with a row, the
report keeps both (``documented`` beside ``outcome``) and the matrix flags the cell, because a
disagreement is either a documentation gap or a host that is not what it claims to be.

A row names the observation it predicts (``id``, ``step``), the outcome word the documented
behaviour maps to, the error the source names (``error`` as the source spells it, ``WSAEACCES``
or ``EPERM``, with its number where the source gives one) and, where the source states one, the
value a ``get`` reads (``value``). ``privilege`` limits a row to runs at that privilege
(``None``: any). ``source`` is the page or file the fact comes from; ``test`` names the Wine
conformance test (file and function) when the fact is one Wine checks on real Windows.

The rows live per OS in ``windows``, ``macos``, ``freebsd`` and ``linux``; this module only
gathers and looks them up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from sockcompat.observation import JSONValue, Outcome


class Documented(NamedTuple):
    """One documented expectation: what the source says (``id``, ``step``) should come out as."""

    platform: str
    id: str
    step: str
    outcome: Outcome
    privilege: str | None
    source: str
    error: str | None = None
    error_value: int | None = None
    value: JSONValue = None
    test: str | None = None
    note: str = ""

    def agrees(self, outcome: str, value: JSONValue) -> bool:
        """Whether an observed outcome (and value, where the source states one) matches."""
        return outcome == self.outcome and (self.value is None or value == self.value)

    @property
    def citation(self) -> str:
        """The source as one string for the report: the Wine test beside the URL when there is one."""
        return f"{self.source} ({self.test})" if self.test else self.source


def _load() -> tuple[Documented, ...]:
    from sockcompat.catalog.documented import freebsd, linux, macos, windows

    return (*linux.ROWS, *macos.ROWS, *freebsd.ROWS, *windows.ROWS)


EXPECTATIONS: tuple[Documented, ...] = _load()

_BY_KEY: Mapping[tuple[str, str, str], tuple[Documented, ...]] = {
    key: tuple(row for row in EXPECTATIONS if (row.platform, row.id, row.step) == key)
    for key in {(row.platform, row.id, row.step) for row in EXPECTATIONS}
}


def rows_for(platform: str) -> tuple[Documented, ...]:
    """Every row for one platform (``sys.platform`` key: linux, darwin, freebsd, win32)."""
    return tuple(row for row in EXPECTATIONS if row.platform == platform)


def documented(platform: str, privilege: str, probe_id: str, step: str) -> Documented | None:
    """The documented outcome for this observation on this platform and privilege, if any."""
    for row in _BY_KEY.get((platform, probe_id, step), ()):
        if row.privilege in (None, privilege):
            return row
    return None
