"""The unit of data: one Observation per (probe id, step), and the outcome vocabulary.

This module is the data contract shared by probes, the plugin, the report schema and every
renderer; change a field or an outcome word only together with ``report/schema.json``, its
``SCHEMA_VERSION`` and the README changelog.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol, Union, get_args

Outcome = Literal[
    "supported",
    "unsupported",
    "no-constant",
    "needs-privilege",
    "blocked",
    "unavailable",
    "timeout",
    "not-applicable",
    "not-reached",
    "error",
]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)

#: What a matrix cell says of a column's hosts, in the hosts' own words (MDN's yes / no / flag / ?
#: kept apart: a reader acts differently on "needs privilege", "blocked by policy", "unavailable
#: here", "not applicable" and "not in Python"); ``matrix.schema.json``.
Status = Literal["supported", "partial", "needs-privilege", "blocked", "unavailable", "not-applicable",
                 "no-constant", "unsupported", "unknown"]
STATUSES: tuple[Status, ...] = get_args(Status)

#: Observation outcome -> the status a cell shows: only "we could not tell" outcomes fold together.
STATUS_OF_OUTCOME: Mapping[str, Status] = {
    "supported": "supported",
    "unsupported": "unsupported",
    "no-constant": "no-constant",
    "not-applicable": "not-applicable",
    "blocked": "blocked",
    "unavailable": "unavailable",
    "needs-privilege": "needs-privilege",
    "timeout": "unknown",
    "not-reached": "unknown",
    "error": "unknown",
}

#: What a condition in a matrix cell names: a report's requirement (its ``root``/``admin`` kinds are
#: a privilege, so ``capability``), or what an unavailable answer lacked.
ConditionKind = Literal["capability", "sysctl", "module", "device", "mode", "address"]
CONDITION_KINDS: tuple[ConditionKind, ...] = get_args(ConditionKind)

Verdict = Literal["echoed", "changed", "ignored"]

#: Who refused a call: the OS (kernel, Winsock) or the interpreter before the OS was asked.
Layer = Literal["os", "python"]
LAYERS: tuple[Layer, ...] = get_args(Layer)

#: What a requirement is: a Linux capability, the superuser, a Windows administrator, a host setting.
RequirementKind = Literal["capability", "root", "admin", "sysctl"]
REQUIREMENT_KINDS: tuple[RequirementKind, ...] = get_args(RequirementKind)

class Failure(Protocol):
    """What a refused step left behind (``classify.Classified`` is one)."""

    @property
    def outcome(self) -> Outcome: ...
    @property
    def errno(self) -> str | None: ...
    @property
    def winerror(self) -> int | None: ...
    @property
    def detail(self) -> str: ...
    @property
    def layer(self) -> Layer | None: ...
    @property
    def requirement(self) -> dict[str, str] | None: ...


#: The JSON types a measured value may take (a number, a string, a list of them, or a small mapping).
JSONValue = Any


@dataclasses.dataclass(frozen=True)
class Observation:
    """What one call (``step``) of one probe (``id``) did on this host.

    ``family``/``type``/``proto`` are names as the socket module spells them ("0" for the default
    protocol); the ``*_num`` fields carry the numbers that were passed to the OS.
    ``python_constant`` is False when a number came from the OS-header tables because this
    Python build has no name for it. ``layer`` says who refused a failed call (None when it
    succeeded or no call was made); ``requirement`` is the documented requirement
    (``{"kind", "name", "source"}``) the outcome was judged against, if one was.
    """

    id: str
    area: str
    step: str
    outcome: Outcome
    family: str | None = None
    family_num: int | None = None
    type: str | None = None
    type_num: int | None = None
    proto: str | None = None
    proto_num: int | None = None
    python_constant: bool = True
    errno: str | None = None
    winerror: int | None = None
    detail: str = ""
    value: JSONValue = None
    verdict: Verdict | None = None
    layer: Layer | None = None
    requirement: dict[str, str] | None = None
    duration_s: float = 0.0

    @classmethod
    def failed(cls, fields: dict[str, Any], step: str, failure: Failure, *, duration_s: float = 0.0,
               context: str = "") -> Observation:
        """The observation of a step that did not succeed: outcome, errno, winerror, detail, layer
        and requirement from the failure (``context`` prefixes the detail, e.g. "isolated probe: ")."""
        return cls(**fields, step=step, outcome=failure.outcome, errno=failure.errno,
                   winerror=failure.winerror, detail=context + failure.detail, layer=failure.layer,
                   requirement=failure.requirement, duration_s=duration_s)

    @property
    def key(self) -> tuple[str, str]:
        """(id, step): what makes an observation unique within one host report."""
        return (self.id, self.step)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON builtins, the shape ``report/schema.json`` describes. A shallow copy:
        ``dataclasses.asdict`` deep-copies every value and cost ~60 us per observation."""
        return {name: getattr(self, name) for name in _FIELD_NAMES}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Observation:
        """Rebuild an Observation from ``to_json`` output (e.g. after crossing an xdist worker)."""
        return cls(**data)

    def skip_reason(self) -> str:
        """The pytest skip reason: ``<outcome>: <ERRNO> <detail>``, with ``python refused:`` before
        the detail when the interpreter, not the OS, said no."""
        refused_by = "python refused:" if self.layer == "python" else ""
        parts = [p for p in (self.errno, refused_by, self.detail) if p]
        return f"{self.outcome}: {' '.join(parts)}".rstrip()


_FIELD_NAMES = tuple(f.name for f in dataclasses.fields(Observation))


#: What a ``sockcompat``-marked test returns: one observation, or a sequence of them.
Observed = Union[Observation, Sequence[Observation]]  # Union: a runtime alias on 3.9
