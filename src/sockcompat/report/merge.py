"""Merge host reports into one compatibility matrix (the shape ``matrix.schema.json`` pins).

Rows are capabilities (probe id + step), columns are platforms (OS family x privilege), cells are
support statements in the spirit of MDN browser-compat-data: a status, the Python versions it holds
for, the conditions it depends on, the errno seen, notes, and which hosts are the evidence.

Each report is read, validated whole and only then folded in, one at a time, into compact
per-cell tuples: a bad report is never half-merged, memory grows with the observations kept (not
with the JSON read), and time is linear in the number of reports. Inputs are only read.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sockcompat import __version__
from sockcompat.catalog.requirements import requirement_for
from sockcompat.errors import ReportError
from sockcompat.observation import STATUS_OF_OUTCOME
from sockcompat.report.host_report import host_id
from sockcompat.report.validate import load

FORMAT = "sockcompat-matrix"
MATRIX_SCHEMA_VERSION = 1

#: Outcomes whose cell names the condition that would change the answer.
CONDITIONAL_OUTCOMES = frozenset({"needs-privilege", "unavailable", "blocked"})

OS_ORDER = ("linux", "darwin", "freebsd", "win32", "wine")
OS_LABELS = {"linux": "Linux", "darwin": "macOS", "freebsd": "FreeBSD", "win32": "Windows", "wine": "Wine"}
PRIVILEGE_ORDER = ("root", "admin", "user")
SUPERUSER_WORD = {"win32": "administrator", "wine": "administrator"}

MAX_NOTES = 3
MAX_VALUES = 5
MAX_NOTE_CHARS = 200


class MergeError(Exception):
    """Merge refused: the message lists every bad input, one per line."""


class Entry(NamedTuple):
    """One observation, reduced to what a cell needs (strings interned: many hosts repeat them)."""

    host: int
    outcome: str
    errno: str | None
    detail: str
    value: str | None  # the value as canonical JSON, or None


@dataclass
class RowAccumulator:
    area: str
    family: str | None
    type: str | None
    proto: str | None
    entries: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class Merger:
    """Fold reports in one by one, then ``matrix()``."""

    hosts: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    rows: dict[tuple[str, str], RowAccumulator] = field(default_factory=dict)
    platforms: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: (row key, column) -> "observed otherwise than documented" note, from the reports' own lists.
    undocumented: dict[tuple[tuple[str, str], str], str] = field(default_factory=dict)

    def add_report(self, report: dict[str, Any], source: str) -> None:
        host = report["host"]
        index = len(self.hosts)
        column = platform_id(host)
        self.hosts.append(host_entry(report, source))
        platform = self.platforms.setdefault(column, platform_entry(host))
        platform["hosts"].append(index)
        for row in report.get("documented", ()):
            if not row["agrees"]:
                self.undocumented[((row["id"], row["step"]), column)] = (
                    f"observed {row['observed']}, documented {row['documented']} ({row['source']})")
        intern = sys.intern
        for obs in report["observations"]:
            key = (intern(obs["id"]), intern(obs["step"]))
            row = self.rows.get(key)
            if row is None:
                row = self.rows[key] = RowAccumulator(
                    intern(obs["area"]), obs.get("family"), obs.get("type"), obs.get("proto"))
            value = obs.get("value")
            row.entries[column].append(Entry(
                index, intern(obs["outcome"]), obs.get("errno"), intern(obs.get("detail") or ""),
                None if value is None else intern(json.dumps(value, sort_keys=True)),
            ))

    def skip(self, source: str, error: str) -> None:
        self.skipped.append({"file": source, "error": error})

    def matrix(self) -> dict[str, Any]:
        columns = sorted(self.platforms.values(), key=platform_order)
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
            "rows": rows,
        }

    def build_row(self, key: tuple[str, str], acc: RowAccumulator,
                  columns: Sequence[dict[str, Any]]) -> dict[str, Any]:
        cells = {}
        for column in columns:
            entries = acc.entries.get(column["id"])
            if entries:
                cell = cells[column["id"]] = build_cell(entries, self.hosts, column, acc)
                disagreement = self.undocumented.get((key, column["id"]))
                if disagreement is not None:
                    cell["notes"].insert(0, disagreement[:MAX_NOTE_CHARS])
        statuses = {c["status"] for c in cells.values()}
        return {
            "id": key[0], "step": key[1], "area": acc.area,
            "family": acc.family, "type": acc.type, "proto": acc.proto,
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
        return {"id": ident, "os": "wine", "os_label": "Wine", "series": series, "privilege": privilege,
                "label": f"Wine {series} {machine} ({privilege}) · Windows API on {below}", "hosts": []}
    os_name = host["os"]
    os_label = OS_LABELS.get(os_name, os_name)
    series = release_series(host)
    return {"id": f"{os_name}-{series}-{privilege}", "os": os_name, "os_label": os_label, "series": series,
            "privilege": privilege, "label": f"{os_label} {series} ({privilege})", "hosts": []}


def platform_order(platform: dict[str, Any]) -> tuple[int, str, tuple[int, ...], int, str]:
    """OS, then newest release first, then privilege."""
    os_name, privilege = platform["os"], platform["privilege"]
    os_rank = OS_ORDER.index(os_name) if os_name in OS_ORDER else len(OS_ORDER)
    priv_rank = PRIVILEGE_ORDER.index(privilege) if privilege in PRIVILEGE_ORDER else len(PRIVILEGE_ORDER)
    newest_first = tuple(-int(n) for n in re.findall(r"\d+", platform["series"]))
    return (os_rank, os_name, newest_first, priv_rank, privilege)


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
    """"3.10+", "≤3.11", "3.9-3.11" or a list, from the minors a statement holds for among those seen."""
    ordered = sorted(set(observed))
    picked = [v for v in ordered if v in chosen]
    if not picked:
        return ""
    first, last = ordered.index(picked[0]), ordered.index(picked[-1])
    contiguous = ordered[first:last + 1] == picked
    if contiguous and last == len(ordered) - 1 and len(ordered) > len(picked):
        return f"{minor_text(picked[0])}+"
    if contiguous and first == 0 and len(ordered) > len(picked):
        return f"≤{minor_text(picked[-1])}"
    if contiguous and len(picked) > 1:
        return f"{minor_text(picked[0])}-{minor_text(picked[-1])}"
    return ", ".join(minor_text(v) for v in picked)


def pythons_label(host_indexes: Iterable[int], hosts: Sequence[dict[str, Any]],
                  column_hosts: Sequence[int]) -> str:
    """Which Pythons a group of hosts are, as ranges over the Pythons the column has seen."""
    seen: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    for index in column_hosts:
        seen[hosts[index]["implementation"]].append(minor(hosts[index]["python"]))
    chosen: dict[str, set[tuple[int, ...]]] = defaultdict(set)
    for index in host_indexes:
        chosen[hosts[index]["implementation"]].add(minor(hosts[index]["python"]))
    labels = []
    for implementation in sorted(chosen):
        text = version_range(chosen[implementation], seen[implementation])
        labels.append(f"{implementation} {text}" if len(seen) > 1 else text)
    return "; ".join(labels)


def condition_words(os_name: str, acc: RowAccumulator, outcomes: set[str]) -> list[str]:
    """"CAP_NET_RAW", "root", "sysctl net.ipv4.ping_group_range": what would change the answer."""
    if not outcomes & CONDITIONAL_OUTCOMES:
        return []
    rule = None
    if acc.family and acc.type and acc.proto:
        rule = requirement_for(os_name, acc.family, acc.type, acc.proto)
    if rule is not None:
        if rule.sysctl:
            return [f"sysctl {rule.sysctl}"]
        if rule.requires == "superuser":
            return ["root"]
        return [rule.requires]
    if "needs-privilege" in outcomes:
        return [SUPERUSER_WORD.get(os_name, "root")]
    return []


def version_split(by_host: dict[int, set[str]], hosts: Sequence[dict[str, Any]],
                  column_hosts: Sequence[int]) -> str | None:
    """When support is exactly "these Python versions" (one implementation, one status per minor,
    supported on a contiguous newest or oldest run), the range: MDN's version_added."""
    implementations = {hosts[i]["implementation"] for i in column_hosts}
    if len(implementations) != 1:
        return None
    per_minor: dict[tuple[int, ...], set[str]] = defaultdict(set)
    for index, statuses in by_host.items():
        per_minor[minor(hosts[index]["python"])] |= statuses
    if any(len(s) != 1 for s in per_minor.values()):
        return None
    supported = {v for v, s in per_minor.items() if s == {"supported"}}
    others = {next(iter(s)) for s in per_minor.values() if s != {"supported"}}
    if not supported or len(others) != 1:
        return None
    text = version_range(supported, list(per_minor))
    return text if text.endswith("+") or text.startswith("≤") else None


def build_cell(entries: list[Entry], hosts: Sequence[dict[str, Any]], column: dict[str, Any],
               acc: RowAccumulator) -> dict[str, Any]:
    by_host: dict[int, set[str]] = defaultdict(set)
    by_identity: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    groups: dict[tuple[str, str | None], set[int]] = defaultdict(set)
    notes: dict[str, None] = {}
    values: dict[str, None] = {}
    for entry in entries:
        by_host[entry.host].add(STATUS_OF_OUTCOME[entry.outcome])
        by_identity[hosts[entry.host]["id"]][f"{entry.outcome} {entry.errno or ''}".strip()].add(entry.host)
        groups[(entry.outcome, entry.errno)].add(entry.host)
        if entry.detail and len(notes) <= MAX_NOTES:
            notes[entry.detail[:MAX_NOTE_CHARS]] = None
        if entry.value is not None and len(values) <= MAX_VALUES:
            values[entry.value] = None

    statuses = set().union(*by_host.values())
    versions = None
    if len(statuses) == 1:
        status = next(iter(statuses))
    else:
        versions = version_split(by_host, hosts, column["hosts"])
        status = "supported" if versions else "partial"
    outcomes = {outcome for outcome, _ in groups}
    known_statuses = statuses - {"unknown"}
    if status == "partial" and len(known_statuses) == 1:
        status = next(iter(known_statuses))  # e.g. supported, plus a timeout somewhere: noted below
    statements = [
        {"outcome": outcome, "errno": errno, "python": pythons_label(members, hosts, column["hosts"]),
         "hosts": sorted(members)}
        for (outcome, errno), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
    ]
    conflicts = [
        {"host": identity, "outcomes": sorted(seen), "reports": sorted(set().union(*seen.values()))}
        for identity, seen in sorted(by_identity.items()) if len(seen) > 1
    ]
    note_list = list(notes)[:MAX_NOTES]
    if len(notes) > MAX_NOTES:
        note_list.append("(more notes in the host reports)")
    value_list = [json.loads(v) for v in list(values)[:MAX_VALUES]]
    return {
        "status": status,
        "versions": versions,
        "conditions": condition_words(column["os"], acc, outcomes),
        "errno": sorted({e for _, e in groups if e}),
        "notes": note_list,
        "values": value_list,
        "statements": statements,
        "evidence": sorted(by_host),
        "conflicts": conflicts,
    }


########################################################################################
# inputs and the whole merge


#: Sidecars that sit among reports but are not reports: the provenance ``tools/vm-host`` writes.
NOT_REPORTS = ("*.setup.json",)


def report_files(inputs: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders searched recursively for ``*.json`` and ``*.json.gz`` (hidden and
    temp files, and the ``NOT_REPORTS`` sidecars, skipped)."""
    for given in inputs:
        if given.is_dir():
            for path in sorted([*given.rglob("*.json"), *given.rglob("*.json.gz")]):
                hidden = any(part.startswith(".") for part in path.relative_to(given).parts)
                if not hidden and not any(path.match(pattern) for pattern in NOT_REPORTS):
                    yield path
        else:
            yield given


def checked(path: Path) -> dict[str, Any] | str:
    """A validated report, or the one-line reason it is not one (runs in worker processes)."""
    try:
        return load(path)
    except ReportError as exc:
        return str(exc)


def loaded(paths: list[Path], jobs: int) -> Iterator[tuple[Path, dict[str, Any] | str]]:
    """Validation is the slow part (jsonschema, ~1 s per full report): spread it over ``jobs``
    processes; reports still arrive in input order, so host numbering is stable."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield path, checked(path)
        return
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from zip(paths, pool.map(checked, paths))


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def merge(inputs: Iterable[Path], on_invalid: str = "refuse", warn: Any = None,
          jobs: int = 1) -> dict[str, Any]:
    """The matrix for every report under ``inputs``. ``on_invalid``: ``refuse`` raises MergeError
    naming every bad file and returns nothing; ``skip`` leaves bad files out and lists them in
    the matrix's ``skipped``. ``warn`` (a callable) hears about each skipped file."""
    merger = Merger()
    errors: list[str] = []
    paths = list(report_files(inputs))
    for path, result in loaded(paths, jobs):
        if isinstance(result, str):
            errors.append(result)
            merger.skip(path.name, result)
            if warn is not None:
                warn(f"skipped: {result}")
        else:
            merger.add_report(result, path.name)
    if errors and on_invalid == "refuse":
        raise MergeError("\n".join(f"invalid: {e}" for e in errors))
    if not merger.hosts:
        raise MergeError("no valid host report found" if paths else "no report files given")
    return merger.matrix()
