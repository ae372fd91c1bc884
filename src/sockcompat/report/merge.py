"""Merge host reports into one compatibility matrix (the shape ``matrix.schema.json`` pins).

Rows are capabilities (probe id + step), columns are platforms (OS, release line, architecture,
privilege and the host traits that explain gaps), cells are support statements in the spirit of
MDN browser-compat-data: a status in the hosts' own words, the Python versions it holds for, the
conditions it depends on (structured, like BCD's flags), the errno seen, notes, and the evidence.

Merge never judges an observation again: the requirement and the refusing layer a host recorded
(report schema 3) are carried into the cell as they are; older reports, which recorded neither,
get only what their own words say (a sysctl named in the detail, "a privilege" for
needs-privilege). Each report is read, checked whole and only then folded in, one at a time, into
per-cell groups of hosts that said the same thing: a bad report is never half-merged, and memory
grows with the distinct answers kept, not with the JSON read. Inputs are only read.
"""

from __future__ import annotations

import itertools
import json
import operator
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sockcompat import __version__
from sockcompat.catalog import features as feature_catalog
from sockcompat.catalog.documented import documented
from sockcompat.errors import ReportError
from sockcompat.observation import CONDITION_KINDS, OUTCOMES, STATUS_OF_OUTCOME
from sockcompat.report.host_report import host_id
from sockcompat.report.validate import read_json, read_text

FORMAT = "sockcompat-matrix"
MATRIX_SCHEMA_VERSION = 2

OS_ORDER = ("linux", "darwin", "freebsd", "win32", "wine")
OS_LABELS = {"linux": "Linux", "darwin": "macOS", "freebsd": "FreeBSD", "win32": "Windows", "wine": "Wine"}
PRIVILEGE_ORDER = ("root", "admin", "user")
SUPERUSER_WORD = {"win32": "administrator", "wine": "administrator"}
#: Host traits that explain a gap better than a version does, with the words a column shows.
TRAIT_LABELS = {"no-modules": "no loadable modules", "container": "container"}
#: A report's requirement kind as a matrix condition kind: the superuser is a privilege to hold.
CONDITION_KIND_OF_REQUIREMENT = {"root": "capability", "admin": "capability"}

OUTCOMES_SET = frozenset(OUTCOMES)
#: Outcomes whose cell names the condition that would change the answer.
CONDITIONAL_OUTCOMES = frozenset({"needs-privilege", "unavailable", "blocked"})

MAX_NOTES = 3
MAX_VALUES = 5
MAX_NOTE_CHARS = 200

#: A sysctl named in an older report's detail ("refused by host setting net.ipv4.ping_group_range").
SYSCTL_IN_DETAIL = re.compile(r"\b((?:net|kernel)\.[a-z0-9_]+(?:\.[a-z0-9_]+)+)")


class MergeError(Exception):
    """Merge refused: the message lists every bad input, one per line."""


class Encoded(str):
    """A measured value kept as canonical JSON text (lists, mappings, floats, booleans): hashable,
    and never confused with a string value."""


def answer_value(value: Any) -> Any:
    kind = type(value)
    if value is None or kind is int or kind is str:
        return value
    return Encoded(json.dumps(value, sort_keys=True))


def plain_value(value: Any) -> Any:
    return json.loads(value) if isinstance(value, Encoded) else value


KEY_FIELDS = operator.itemgetter("id", "step")
#: What one observation says, as read from the report (``hashable`` fixes up the unhashable ones).
ANSWER_FIELD_NAMES = ("outcome", "errno", "detail", "value", "layer", "requirement")
ANSWER_FIELDS = operator.itemgetter(*ANSWER_FIELD_NAMES[:4])
ANSWER_FIELDS_V3 = operator.itemgetter(*ANSWER_FIELD_NAMES)


def hashable(said: tuple[Any, ...], obs: dict[str, Any]) -> tuple[Any, ...]:
    """``said`` with the value as JSON text and the requirement as (kind, name, source)."""
    requirement = obs.get("requirement")
    return (
        said[0],
        said[1],
        said[2],
        answer_value(said[3]),
        obs.get("layer"),
        None
        if not requirement
        else (requirement["kind"], requirement["name"], requirement.get("source") or ""),
    )


class Answer(NamedTuple):
    """What one host said for one row, reduced to what a cell needs (strings interned)."""

    outcome: str
    errno: str | None
    detail: str
    value: Any  # an int or str as is, anything else as canonical JSON text (Encoded), or None
    layer: str | None
    requirement: tuple[str, str, str] | None  # (kind, name, source)


@dataclass
class RowAccumulator:
    area: str
    family: str | None
    type: str | None
    proto: str | None
    #: column -> answer -> the hosts that gave it
    cells: dict[str, dict[Answer, list[int]]] = field(default_factory=dict)


@dataclass
class Merger:
    """Fold reports in one by one, then ``matrix()``."""

    hosts: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    rows: dict[tuple[str, str], RowAccumulator] = field(default_factory=dict)
    platforms: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: host index -> the sysctl values it recorded (a condition shows the value it had)
    sysctls: list[dict[str, str]] = field(default_factory=list)
    #: (row key, column) -> "observed otherwise than documented" note, from the reports' own lists.
    undocumented: dict[tuple[tuple[str, str], str], str] = field(default_factory=dict)
    labels: PythonLabels = field(default_factory=lambda: PythonLabels([]))
    known_answers: dict[tuple[Any, ...], Answer] = field(default_factory=dict)
    #: cells already built, by column and answers: thousands of rows say the same thing, and an
    #: identical cell is built once and shared (the matrix is only read after merge)
    built: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)

    def add_report(self, report: dict[str, Any], source: str) -> None:
        host = report["host"]
        index = len(self.hosts)
        column = platform_id(host)
        self.hosts.append(host_entry(report, source))
        self.sysctls.append({str(k): str(v) for k, v in (host.get("sysctls") or {}).items()})
        platform = self.platforms.setdefault(column, platform_entry(host))
        platform["hosts"].append(index)
        for row in report.get("documented", ()):
            if not row["agrees"]:
                self.undocumented[((row["id"], row["step"]), column)] = (
                    f"observed {row['observed']}, documented {row['documented']} ({row['source']})"
                )
        if "wine" in host:
            self.undocumented.update(
                ((key, column), note) for key, note in wine_against_windows(report["observations"], host))
        intern = sys.intern
        rows = self.rows
        known = self.known_answers
        observations = report["observations"]
        try:  # the fields every observation carries, pulled out at C speed
            keys = list(map(KEY_FIELDS, observations))
            saids = list(
                map(ANSWER_FIELDS if report["schema_version"] < 3 else ANSWER_FIELDS_V3, observations)
            )
        except KeyError:
            keys = [(o["id"], o["step"]) for o in observations]
            saids = [tuple(o.get(name) for name in ANSWER_FIELD_NAMES) for o in observations]
        for obs, key, said in zip(observations, keys, saids):
            row = rows.get(key)
            if row is None:
                key = (intern(key[0]), intern(key[1]))
                row = rows[key] = RowAccumulator(
                    intern(obs["area"]), obs.get("family"), obs.get("type"), obs.get("proto")
                )
            try:
                answer = known.get(said) or self.answer(said)
            except TypeError:  # a list or mapping value, or a schema 3 requirement: made hashable
                said = hashable(said, obs)
                answer = known.get(said) or self.answer(said)
            column_answers = row.cells.get(column)
            if column_answers is None:
                column_answers = row.cells[column] = {}
            members = column_answers.get(answer)
            if members is None:
                column_answers[answer] = [index]
            else:
                members.append(index)

    def answer(self, said: tuple[Any, ...]) -> Answer:
        """One Answer per distinct thing said, shared across reports (hosts repeat themselves).
        Schema 2 reports say nothing of layer and requirement: those default to None."""
        known = self.known_answers.get(said)
        if known is None:
            outcome, errno, detail, value, layer, requirement = (*said, None, None)[:6]
            known = self.known_answers[said] = Answer(
                sys.intern(outcome),
                errno,
                sys.intern((detail or "")[:MAX_NOTE_CHARS]),
                answer_value(value),
                layer,
                requirement,
            )
        return known

    def skip(self, source: str, error: str) -> None:
        self.skipped.append({"file": source, "error": error})

    def matrix(self) -> dict[str, Any]:
        columns = sorted(self.platforms.values(), key=platform_order)
        self.labels = PythonLabels(self.hosts)
        rows = [self.build_row(key, acc, columns) for key, acc in sorted(self.rows.items())]
        started = [h["started"] for h in self.hosts]
        return {
            "format": FORMAT,
            "schema_version": MATRIX_SCHEMA_VERSION,
            "tool": {"name": "sockcompat", "version": __version__},
            "newest_run": max(started) if started else None,
            "platforms": columns,
            "hosts": self.hosts,
            "skipped": self.skipped,
            "features": feature_answers(rows, columns),
            "rows": rows,
        }

    def build_row(
        self, key: tuple[str, str], acc: RowAccumulator, columns: Sequence[dict[str, Any]]
    ) -> dict[str, Any]:
        cells = {}
        for column in columns:
            answers = acc.cells.get(column["id"])
            if not answers:
                continue
            said = (column["id"], *((answer, tuple(members)) for answer, members in answers.items()))
            cell = self.built.get(said)
            if cell is None:
                cell = self.built[said] = build_cell(answers, self.hosts, self.labels, self.sysctls, column)
            disagreement = self.undocumented.get((key, column["id"]))
            if disagreement is not None:
                cell = {**cell, "notes": [disagreement[:MAX_NOTE_CHARS], *cell["notes"]]}
            cells[column["id"]] = cell
        statuses = {c["status"] for c in cells.values()}
        return {
            "id": key[0],
            "step": key[1],
            "area": acc.area,
            "family": acc.family,
            "type": acc.type,
            "proto": acc.proto,
            "differs": len(statuses) > 1,
            "cells": cells,
        }


########################################################################################
# platforms and hosts


def series_of(os_name: str, release: str) -> str:
    """The part of a release that changes socket behaviour: a Linux kernel's or Wine's major.minor
    (6.1 with modules and 6.18 without are different hosts to a socket), else the major number."""
    numbers = re.findall(r"\d+", release)
    if not numbers:
        return release
    return ".".join(numbers[:2]) if os_name in ("linux", "wine") else numbers[0]


def release_series(host: dict[str, Any]) -> str:
    return series_of(host["os"], str(host["release"]))


def host_traits(host: dict[str, Any]) -> list[str]:
    """The facts that explain a gap better than a release does: a kernel built without loadable
    modules (SCTP, CAN, TIPC absent for that reason, not because 6.18 dropped them), a container.
    (Wine is no trait: it is a platform of its own, see ``platform_entry``.)"""
    traits = []
    modules = host.get("kernel_modules")
    if isinstance(modules, dict) and modules.get("loadable") is False:
        traits.append("no-modules")
    container = host.get("container")
    if isinstance(container, dict) and any(v is True for k, v in container.items() if k != "wsl"):
        traits.append("container")
    return traits


def platform_id(host: dict[str, Any]) -> str:
    return str(platform_entry(host)["id"])


def platform_entry(host: dict[str, Any]) -> dict[str, Any]:
    """The column a host falls in. Wine is a platform of its own, never a Windows column: its
    answers are Wine's and its kernel's, so the column names both."""
    privilege = host["privilege"]["label"]
    if "wine" in host:
        wine, machine = host["wine"], host["machine"]
        series = series_of("wine", wine["version"])
        kernel = series_of("linux", wine.get("host_release", ""))
        below = f"{wine.get('host_system', 'an unknown OS')} {kernel}".strip()
        ident = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"wine-{series}-{machine}-{below}-{privilege}").lower()
        return {
            "id": ident,
            "os": "wine",
            "os_label": "Wine",
            "series": series,
            "machine": machine,
            "privilege": privilege,
            "traits": host_traits(host),
            "label": f"Wine {series} {machine} ({privilege}) · Windows API on {below}",
            "hosts": [],
        }
    os_name = host["os"]
    os_label = OS_LABELS.get(os_name, os_name)
    series = release_series(host)
    traits = host_traits(host)
    label = f"{os_label} {series} {host['machine']} ({privilege})"
    if traits:
        label += " · " + ", ".join(TRAIT_LABELS[t] for t in traits)
    parts = [os_name, series, host["machine"], privilege, *traits]
    return {
        "id": "-".join(re.sub(r"[^A-Za-z0-9_.-]", "_", str(p)) for p in parts),
        "os": os_name,
        "os_label": os_label,
        "series": series,
        "machine": host["machine"],
        "privilege": privilege,
        "traits": traits,
        "label": label,
        "hosts": [],
    }


def platform_order(platform: dict[str, Any]) -> tuple[Any, ...]:
    """OS, then newest release first, then privilege."""
    os_name, privilege = platform["os"], platform["privilege"]
    os_rank = OS_ORDER.index(os_name) if os_name in OS_ORDER else len(OS_ORDER)
    priv_rank = PRIVILEGE_ORDER.index(privilege) if privilege in PRIVILEGE_ORDER else len(PRIVILEGE_ORDER)
    newest_first = tuple(-int(n) for n in re.findall(r"\d+", platform["series"]))
    return (os_rank, os_name, newest_first, platform["machine"], priv_rank, privilege, platform["traits"])


def host_entry(report: dict[str, Any], source: str) -> dict[str, Any]:
    host = report["host"]
    python = host["python"]
    return {
        "id": host_id(host),
        "file": source,
        "os": host["os"],
        "release": host["release"],
        "machine": host["machine"],
        "implementation": python["implementation"],
        "python": python["version"],
        "privilege": host["privilege"]["label"],
        "traits": host_traits(host),
        "tool_version": report["tool"]["version"],
        "started": report["run"]["started"],
        "observations": len(report["observations"]),
    }


########################################################################################
# cells


def minor(version: str) -> tuple[int, ...]:
    """(3, 11) from "3.11.7" (and from "3.13.0rc1")."""
    parts = []
    for piece in version.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit()) or "0"
        parts.append(int(digits))
    return tuple(parts)


def minor_text(version: tuple[int, ...]) -> str:
    return ".".join(str(p) for p in version)


def version_range(chosen: set[tuple[int, ...]], observed: Sequence[tuple[int, ...]]) -> str:
    """ "3.10+", "≤3.11", "3.9-3.11" or a list, from the versions a statement holds for among those
    seen (Python minors here; release lines in the BCD export)."""
    ordered = sorted(set(observed))
    picked = [v for v in ordered if v in chosen]
    if not picked:
        return ""
    first, last = ordered.index(picked[0]), ordered.index(picked[-1])
    contiguous = ordered[first : last + 1] == picked
    if contiguous and last == len(ordered) - 1 and len(ordered) > len(picked):
        return f"{minor_text(picked[0])}+"
    if contiguous and first == 0 and len(ordered) > len(picked):
        return f"≤{minor_text(picked[-1])}"
    if contiguous and len(picked) > 1:
        return f"{minor_text(picked[0])}-{minor_text(picked[-1])}"
    return ", ".join(minor_text(v) for v in picked)


class PythonLabels:
    """Which Pythons a group of hosts are, as ranges over the Pythons the column has seen. Most
    cells of a column name the same few host groups, so each label is worked out once."""

    def __init__(self, hosts: Sequence[dict[str, Any]]) -> None:
        self.versions = [(h["implementation"], minor(h["python"])) for h in hosts]
        self.cache: dict[tuple[str, tuple[int, ...]], str] = {}

    def label(self, members: Iterable[int], column: dict[str, Any]) -> str:
        key = (column["id"], tuple(sorted(members)))
        text = self.cache.get(key)
        if text is None:
            text = self.cache[key] = self.compute(key[1], column["hosts"])
        return text

    def compute(self, members: Sequence[int], column_hosts: Sequence[int]) -> str:
        seen: dict[str, list[tuple[int, ...]]] = defaultdict(list)
        for index in column_hosts:
            implementation, version = self.versions[index]
            seen[implementation].append(version)
        chosen: dict[str, set[tuple[int, ...]]] = defaultdict(set)
        for index in members:
            implementation, version = self.versions[index]
            chosen[implementation].add(version)
        labels = []
        for implementation in sorted(chosen):
            text = version_range(chosen[implementation], seen[implementation])
            labels.append(f"{implementation} {text}" if len(seen) > 1 else text)
        return "; ".join(labels)


def conditions(
    answers: Iterable[tuple[Answer, list[int]]], os_name: str, sysctls: Sequence[dict[str, str]]
) -> list[dict[str, Any]]:
    """The conditions the hosts themselves named, as data: {kind, name, value, source}. A sysctl
    carries the value the first host that named it had (what the reader would change)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for answer, members in answers:
        if answer.outcome not in CONDITIONAL_OUTCOMES:
            continue
        if answer.requirement is not None:
            kind, name, source = answer.requirement
            kind = CONDITION_KIND_OF_REQUIREMENT.get(kind, kind)
            if kind not in CONDITION_KINDS:  # a kind newer than this matrix schema: still a requirement
                kind = "capability"
        elif sysctl := SYSCTL_IN_DETAIL.search(answer.detail):
            kind, name, source = "sysctl", sysctl.group(1), "the host's detail"
        elif answer.outcome == "needs-privilege":
            kind, name, source = "capability", SUPERUSER_WORD.get(os_name, "root"), "the privilege label"
        else:
            continue
        value = sysctls[members[0]].get(name) if kind == "sysctl" else None
        found.setdefault((kind, name), {"kind": kind, "name": name, "value": value, "source": source})
    return [found[key] for key in sorted(found)]


def refusing_layer(answers: Iterable[Answer]) -> str | None:
    """ "python" when every refusal in the cell came from the interpreter, "os" when from the OS,
    "mixed" when both, None when nothing was refused or no host said which."""
    layers = {a.layer for a in answers if a.outcome != "supported" and a.layer}
    if not layers:
        return None
    return layers.pop() if len(layers) == 1 else "mixed"


def version_split(
    by_host: dict[int, set[str]], labels: PythonLabels, column_hosts: Sequence[int]
) -> str | None:
    """When support is exactly "these Python versions" (one implementation, one status per minor,
    supported on a contiguous newest or oldest run), the range: MDN's version_added."""
    implementations = {labels.versions[i][0] for i in column_hosts}
    if len(implementations) != 1:
        return None
    per_minor: dict[tuple[int, ...], set[str]] = defaultdict(set)
    for index, statuses in by_host.items():
        per_minor[labels.versions[index][1]] |= statuses
    if any(len(s) != 1 for s in per_minor.values()):
        return None
    supported = {v for v, s in per_minor.items() if s == {"supported"}}
    others = {next(iter(s)) for s in per_minor.values() if s != {"supported"}}
    if not supported or len(others) != 1:
        return None
    text = version_range(supported, list(per_minor))
    return text if text.endswith("+") or text.startswith("≤") else None


def cell_status(
    answers: dict[Answer, list[int]], labels: PythonLabels, column: dict[str, Any]
) -> tuple[str, str | None]:
    """The cell's status and, when support depends on the Python version, the range."""
    statuses = {STATUS_OF_OUTCOME[a.outcome] for a in answers}
    if len(statuses) == 1:
        return next(iter(statuses)), None
    by_host: dict[int, set[str]] = defaultdict(set)
    for answer, members in answers.items():
        for index in members:
            by_host[index].add(STATUS_OF_OUTCOME[answer.outcome])
    versions = version_split(by_host, labels, column["hosts"])
    if versions:
        return "supported", versions
    known = statuses - {"unknown"}
    if len(known) == 1:
        return next(iter(known)), None  # e.g. supported, plus a timeout somewhere: in the statements
    return "partial", None


def cell_conflicts(answers: dict[Answer, list[int]], hosts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reports of one host identity that answered differently (re-runs that disagree)."""
    if len(answers) == 1:
        return []
    by_identity: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for answer, members in answers.items():
        word = f"{answer.outcome} {answer.errno or ''}".strip()
        for index in members:
            by_identity[hosts[index]["id"]][word].add(index)
    return [
        {"host": identity, "outcomes": sorted(seen), "reports": sorted(set().union(*seen.values()))}
        for identity, seen in sorted(by_identity.items())
        if len(seen) > 1
    ]


def build_cell(
    answers: dict[Answer, list[int]],
    hosts: Sequence[dict[str, Any]],
    labels: PythonLabels,
    sysctls: Sequence[dict[str, str]],
    column: dict[str, Any],
) -> dict[str, Any]:
    groups: dict[tuple[str, str | None, str | None], set[int]] = defaultdict(set)
    notes: dict[str, None] = {}
    values: dict[Any, None] = {}
    conditional = False
    for answer, members in answers.items():
        groups[(answer.outcome, answer.errno, answer.layer)].update(members)
        conditional = conditional or answer.outcome in CONDITIONAL_OUTCOMES
        if answer.detail and len(notes) <= MAX_NOTES:
            notes[answer.detail] = None
        if answer.value is not None and len(values) <= MAX_VALUES:
            values[answer.value] = None
    status, versions = cell_status(answers, labels, column)
    statements = [
        {
            "outcome": outcome,
            "errno": errno,
            "layer": layer,
            "python": labels.label(members, column),
            "hosts": sorted(members),
        }
        for (outcome, errno, layer), members in sorted(
            groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2] or "")
        )
    ]
    note_list = list(notes)[:MAX_NOTES]
    if len(notes) > MAX_NOTES:
        note_list.append("(more notes in the host reports)")
    return {
        "status": status,
        "versions": versions,
        "conditions": conditions(answers.items(), column["os"], sysctls) if conditional else [],
        "layer": refusing_layer(answers),
        "errno": sorted({e for _, e, _ in groups if e}),
        "notes": note_list,
        "values": [plain_value(v) for v in list(values)[:MAX_VALUES]],
        "statements": statements,
        "evidence": sorted(set().union(*groups.values())),
        "conflicts": cell_conflicts(answers, hosts),
    }


########################################################################################
# features: the catalog's named capabilities, answered per column


def feature_answers(
    rows: Sequence[dict[str, Any]], columns: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every catalog feature with its answer per column and the rows that decide it, so every view
    (site, index.md, show) states the same answer."""
    catalog = feature_catalog.load()
    per_column = {}
    for column in columns:
        statuses = {
            (r["id"], r["step"]): r["cells"][column["id"]]["status"]
            for r in rows
            if column["id"] in r["cells"]
        }
        per_column[column["id"]] = feature_catalog.evaluate_all(catalog, statuses)
    everything = feature_catalog.Column({(r["id"], r["step"]): "unknown" for r in rows})
    result = []
    for feature in catalog:
        decided = sorted({key for pattern in feature.decided_by for key in everything.rows_matching(pattern)})
        result.append(
            {
                "id": feature.id,
                "title": feature.title,
                "category": feature.category,
                "description": feature.description,
                "combine": feature.combine,
                "rows": [list(key) for key in decided],
                "answers": {cid: answers[feature.id].status for cid, answers in per_column.items()},
            }
        )
    return result


########################################################################################
# inputs and the whole merge


#: Sidecars that sit among reports but are not reports: the provenance ``tools/vm-host`` writes.
NOT_REPORTS = ("*.setup.json", "*.setup.json.gz")
REPORT_SUFFIXES = (".json", ".json.gz")


def wine_against_windows(observations: Iterable[dict[str, Any]],
                         host: dict[str, Any]) -> Iterator[tuple[tuple[str, str], str]]:
    """Where Wine answered otherwise than Windows is documented to: a note for the Wine column
    (its report lists no comparison, since Wine's answers say nothing about Windows itself)."""
    privilege = host["privilege"]["label"]
    for o in observations:
        row = documented("win32", privilege, o["id"], o["step"])
        if row is not None and o["outcome"] != "no-constant" and not row.agrees(o["outcome"], o["value"]):
            yield (o["id"], o["step"]), (f"Wine answered {o['outcome']}; Windows documents {row.outcome}"
                                         f" ({row.citation})")


def report_files(inputs: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders searched recursively for ``*.json`` and ``*.json.gz`` (hidden and
    temp files, and the ``NOT_REPORTS`` sidecars, skipped)."""
    for given in inputs:
        if given.is_dir():
            found = [p for p in given.rglob("*") if p.name.endswith(REPORT_SUFFIXES)]
            for path in sorted(found):
                hidden = any(part.startswith(".") for part in path.relative_to(given).parts)
                if not hidden and not any(path.match(pattern) for pattern in NOT_REPORTS):
                    yield path
        else:
            yield given


#: Report schema versions merge reads: 2, and 3 (which adds ``requirement`` and ``layer``).
READABLE_REPORT_VERSIONS = frozenset({2, 3})
REQUIRED_FIELDS: tuple[tuple[str, type], ...] = (
    ("schema_version", int),
    ("tool", dict),
    ("host", dict),
    ("run", dict),
    ("observations", list),
)
REQUIRED_HOST_FIELDS: tuple[tuple[str, type], ...] = (
    ("os", str),
    ("release", str),
    ("machine", str),
    ("python", dict),
    ("privilege", dict),
)
REQUIRED_OBSERVATION_FIELDS = ("id", "step", "area", "outcome")
OBSERVATION_FIELDS = operator.itemgetter(*REQUIRED_OBSERVATION_FIELDS)


def shape_error(data: Any) -> str | None:
    """What makes ``data`` unmergeable, or None. Only the fields merge reads are checked, so a
    merge of 100 reports costs about what parsing them does; the whole schema is
    ``sockcompat validate``'s job (fastjsonschema alone took 5x the parse time)."""
    if not isinstance(data, dict):
        return "not a host report (top level is not an object)"
    for name, kind in REQUIRED_FIELDS:
        if not isinstance(data.get(name), kind):
            return f"{name}: missing required property or not a {kind.__name__}"
    if data["schema_version"] not in READABLE_REPORT_VERSIONS:
        readable = sorted(READABLE_REPORT_VERSIONS)
        return f"schema_version {data['schema_version']}: this sockcompat merges {readable}"
    host = data["host"]
    for name, kind in REQUIRED_HOST_FIELDS:
        if not isinstance(host.get(name), kind):
            return f"host.{name}: missing required property or not a {kind.__name__}"
    if not isinstance(data["run"].get("started"), str):
        return "run.started: missing required property"
    observations = data["observations"]
    try:  # C-speed passes over every observation; the slow loop below only names the culprit
        fields = list(map(OBSERVATION_FIELDS, observations))
        if (
            set(map(type, itertools.chain.from_iterable(fields))) <= {str}
            and {f[3] for f in fields} <= OUTCOMES_SET
        ):
            return None
    except (KeyError, TypeError):
        pass
    for number, obs in enumerate(observations):
        if not isinstance(obs, dict) or any(
            not isinstance(obs.get(k), str) for k in REQUIRED_OBSERVATION_FIELDS
        ):
            return f"observations[{number}]: missing required property (id, step, area, outcome)"
        if obs["outcome"] not in OUTCOMES_SET:
            return f"observations[{number}].outcome: {obs['outcome']!r} is not an outcome"
    return None


def read_report(path: Path) -> dict[str, Any]:
    """One report, plain or gzip-compressed, with the fields merge reads checked."""
    data = read_json(str(path), lambda: read_text(path))
    error = shape_error(data)
    if error is not None:
        raise ReportError(f"{path}: {error}")
    result: dict[str, Any] = data
    return result


def merge(
    inputs: Iterable[Path],
    on_invalid: str = "refuse",
    warn: Callable[[str], None] | None = None,
    include_incomplete: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The matrix for every report under ``inputs``. ``on_invalid``: ``refuse`` raises MergeError
    naming every bad file and returns nothing; ``skip`` leaves bad files out and lists them in the
    matrix's ``skipped``. Reports of runs that did not complete (``run.complete`` false) are left
    out and listed unless ``include_incomplete``. ``warn`` hears about each skipped file,
    ``progress(done, total)`` after each report."""
    merger = Merger()
    errors: list[str] = []
    paths = list(report_files(inputs))
    for done, path in enumerate(paths, 1):
        try:
            report = read_report(path)
        except ReportError as exc:
            errors.append(str(exc))
            merger.skip(path.name, str(exc))
            if warn is not None:
                warn(f"skipped: {exc}")
            continue
        finally:
            if progress is not None:
                progress(done, len(paths))
        if report["run"].get("complete") is False and not include_incomplete:
            reason = f"{path}: incomplete run (use --include-incomplete to merge it anyway)"
            merger.skip(path.name, reason)
            if warn is not None:
                warn(f"skipped: {reason}")
            continue
        merger.add_report(report, path.name)
        del report
    if errors and on_invalid == "refuse":
        raise MergeError("\n".join(f"invalid: {e}" for e in errors))
    if not merger.hosts:
        raise MergeError("no valid host report found" if paths else "no report files given")
    return merger.matrix()
