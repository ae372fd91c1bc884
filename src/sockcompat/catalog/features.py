"""Named capabilities, the way caniuse and MDN browser-compat-data name theirs, and how one matrix
column answers each.

``features.json`` (shape: ``features.schema.json``, prose: docs/features.md) names the questions
people ask ("TCP Fast Open", "SO_REUSEPORT on AF_UNIX stream") and the observation rows that decide
them. This module loads it as typed records and evaluates a feature against one column's
``{(id, step): status}``. Evaluation is pure: it reads nothing and never looks at hosts, so the
site, index.md and ``show`` all give the same answer for the same column.

Only the standard library is imported: ``show`` must start fast, and full schema validation
(jsonschema) belongs to the tests and ``validate``, not to every read.
"""

from __future__ import annotations

import bisect
import dataclasses
import fnmatch
import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any, Literal, get_args

#: The catalog format this module reads; bump it (and the schema's ``$id``) when a field changes.
VERSION = "features-1"

#: A matrix cell's status: the nine words of the verdict work, a superset of ``observation.Status``
#: (tests hold it so); once that carries all nine, this should become an import of it.
Status = Literal["supported", "partial", "needs-privilege", "blocked", "unavailable", "not-applicable",
                 "no-constant", "unsupported", "unknown"]
STATUSES: tuple[Status, ...] = get_args(Status)

Combine = Literal["all", "any", "each"]
COMBINES: tuple[Combine, ...] = get_args(Combine)

#: (id, step): one observation row of the matrix.
RowKey = tuple[str, str]

#: When a feature is not supported, the status that explains it best, first: a definite "no" (the
#: OS refused; Python has no name) beats a conditional one (privilege, policy, absent device),
#: which beats "we could not tell". Used by ``all``, and by ``each`` when nothing is supported.
WHY_NOT: tuple[Status, ...] = ("unsupported", "no-constant", "not-applicable", "unavailable", "blocked",
                               "needs-privilege", "partial", "unknown")
#: For ``any`` with no supported row, and ``each`` with no supported id: the status closest to a
#: yes, first (what would unlock one of them).
CLOSEST_TO_YES: tuple[Status, ...] = ("partial", "needs-privilege", "blocked", "unavailable", "unknown",
                                      "not-applicable", "unsupported", "no-constant")

GLOB_CHARACTERS = re.compile(r"[*?\[]")


class FeatureCatalogError(ValueError):
    """features.json is not in the format this module reads (e.g. a newer ``version``)."""


@dataclasses.dataclass(frozen=True)
class RowPattern:
    """Which rows a feature looks at: ``id`` is an observation id or an fnmatch-style glob over
    ids (case-sensitive; ``*`` also spans '/'), ``step`` is matched exactly."""

    id: str
    step: str

    @property
    def literal_prefix(self) -> str:
        """The part before the first wildcard: a sorted id list is searched from there on."""
        match = GLOB_CHARACTERS.search(self.id)
        return self.id if match is None else self.id[:match.start()]

    @property
    def is_glob(self) -> bool:
        return GLOB_CHARACTERS.search(self.id) is not None


@dataclasses.dataclass(frozen=True)
class Feature:
    id: str
    title: str
    category: str
    description: str
    combine: Combine
    decided_by: tuple[RowPattern, ...]


@dataclasses.dataclass(frozen=True)
class Answer:
    """A feature's status in one column and the rows that decided it (sorted, for stable output)."""

    status: Status
    rows: tuple[RowKey, ...]


# ---- loading ------------------------------------------------------------------------------------

def parse(data: Mapping[str, Any]) -> tuple[Feature, ...]:
    """Typed features from parsed JSON. Checks the version and the combine words only: the full
    shape is the schema's job (tests and ``validate`` run it)."""
    if data.get("version") != VERSION:
        raise FeatureCatalogError(f"feature catalog version {data.get('version')!r}; this sockcompat "
                                  f"reads {VERSION!r}")
    features = []
    for entry in data["features"]:
        combine = entry["combine"]
        if combine not in COMBINES:
            raise FeatureCatalogError(f"{entry['id']}: combine {combine!r} is not one of {COMBINES}")
        features.append(Feature(
            id=entry["id"], title=entry["title"], category=entry["category"],
            description=entry["description"], combine=combine,
            decided_by=tuple(RowPattern(p["id"], p["step"]) for p in entry["decided_by"]),
        ))
    return tuple(features)


@functools.cache
def load() -> tuple[Feature, ...]:
    """The packaged catalog, parsed once per process."""
    text = resources.files("sockcompat.catalog").joinpath("features.json").read_text("utf-8")
    return parse(json.loads(text))


def schema() -> dict[str, Any]:
    """The catalog's JSON Schema, for validators and for publishing beside the data."""
    text = resources.files("sockcompat.catalog").joinpath("features.schema.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


# ---- evaluation ---------------------------------------------------------------------------------

class Column:
    """One matrix column's statuses, indexed by step and sorted id so that a glob only scans the
    ids sharing its literal prefix: 150 features over 25,000 rows take milliseconds, not seconds."""

    def __init__(self, statuses: Mapping[RowKey, Status]) -> None:
        self.statuses = statuses
        ids_by_step: dict[str, list[str]] = {}
        for id_, step in statuses:
            ids_by_step.setdefault(step, []).append(id_)
        self._sorted_ids = {step: sorted(ids) for step, ids in ids_by_step.items()}

    def rows_matching(self, pattern: RowPattern) -> list[RowKey]:
        if not pattern.is_glob:
            key = (pattern.id, pattern.step)
            return [key] if key in self.statuses else []
        ids = self._sorted_ids.get(pattern.step, [])
        prefix, regex = pattern.literal_prefix, _compiled(pattern.id)
        found = []
        for id_ in ids[bisect.bisect_left(ids, prefix):]:
            if not id_.startswith(prefix):
                break
            if regex.match(id_):
                found.append((id_, pattern.step))
        return found


@functools.lru_cache(maxsize=1024)
def _compiled(glob: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(glob))


def evaluate(feature: Feature, column: Column | Mapping[RowKey, Status]) -> Answer:
    """The feature's status in one column, by its combine rule (docs/features.md):

    - ``all``: supported when every matched row is; otherwise the matched rows' most telling
      status (``WHY_NOT`` order), e.g. a refused ``create`` outranks the ``unknown`` steps after it.
    - ``any``: supported when one matched row is; otherwise the status closest to a yes.
    - ``each``: one answer per matched id (its steps combined as ``all``); supported when every id
      is, partial when some are and some are not, unknown when the rest could not be told; when
      none is, the status closest to a yes (as for ``any``).

    No matched row at all means the column holds no evidence: ``unknown``.
    """
    indexed = column if isinstance(column, Column) else Column(column)
    rows = sorted({key for pattern in feature.decided_by for key in indexed.rows_matching(pattern)})
    statuses = indexed.statuses
    if not rows:
        return Answer("unknown", ())
    if feature.combine == "all":
        return _all(rows, statuses)
    if feature.combine == "any":
        return _any(rows, statuses)
    return _each(rows, statuses)


def evaluate_all(features: Iterable[Feature], statuses: Mapping[RowKey, Status]) -> dict[str, Answer]:
    """Every feature against one column, indexing the column once."""
    column = Column(statuses)
    return {feature.id: evaluate(feature, column) for feature in features}


def _all(rows: Sequence[RowKey], statuses: Mapping[RowKey, Status]) -> Answer:
    present = {statuses[row] for row in rows}
    if present == {"supported"}:
        return Answer("supported", tuple(rows))
    return _first_of(WHY_NOT, rows, statuses)


def _any(rows: Sequence[RowKey], statuses: Mapping[RowKey, Status]) -> Answer:
    yes = tuple(row for row in rows if statuses[row] == "supported")
    if yes:
        return Answer("supported", yes)
    return _first_of(CLOSEST_TO_YES, rows, statuses)


def _each(rows: Sequence[RowKey], statuses: Mapping[RowKey, Status]) -> Answer:
    by_id: dict[str, list[RowKey]] = {}
    for row in rows:
        by_id.setdefault(row[0], []).append(row)
    answers = [_all(id_rows, statuses) for id_rows in by_id.values()]
    present = {answer.status for answer in answers}
    if present == {"supported"}:
        return Answer("supported", tuple(rows))
    some_yes = bool(present & {"supported", "partial"})
    known_no = present - {"supported", "partial", "unknown"}
    if some_yes and (known_no or "partial" in present):
        return Answer("partial", tuple(rows))
    if some_yes:  # supported where it could be told, unknown elsewhere: not a proven gap
        return Answer("unknown", _rows_of(answers, "unknown"))
    status = next(s for s in CLOSEST_TO_YES if s in present)  # what would unlock some of them
    return Answer(status, _rows_of(answers, status))


def _first_of(order: Sequence[Status], rows: Sequence[RowKey], statuses: Mapping[RowKey, Status]) -> Answer:
    present = {statuses[row] for row in rows}
    status = next(s for s in order if s in present)
    return Answer(status, tuple(row for row in rows if statuses[row] == status))


def _rows_of(answers: Iterable[Answer], status: Status) -> tuple[RowKey, ...]:
    return tuple(sorted(row for answer in answers if answer.status == status for row in answer.rows))
