"""A stored host report as a baseline: what changed since, told so a CI can act on it.

A baseline is checked before anything is probed (a missing file, a folder or a matrix is a usage
error), and it must be a report of the same host identity (OS, machine, Python, privilege; the
kernel release may differ: that is what a baseline watches). A change is a regression (was
supported, is not), an improvement (the reverse) or another change (errno, or one refusal for
another). Steps ``not-reached`` because an earlier step changed are folded under that step, and
host facts that changed (IPv6 turned off, a sysctl) are told first: they usually explain the rest.

Capabilities the baseline does not know (new probes) and baseline rows not run this time (a
``-k`` subset) are not changes; values are measurements and are not compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from sockcompat.errors import ReportError
from sockcompat.report.diff import load_either, observation_state

#: ``--fail-on``: which kinds of change fail a test item (and make ``sockcompat run`` exit 1)
FAIL_ON = {"regressions": frozenset({"regression"}),
           "changes": frozenset({"regression", "improvement", "change"})}

#: the host facts compared (the rest, such as the kernel build string, changes with every image)
COMPARED_FACTS = ("release", "socket", "sysctls", "interfaces", "security", "container", "kernel_modules",
                  "extra")
MAX_LINES_PER_SECTION = 25
KINDS = ("regression", "improvement", "change")


class Change(NamedTuple):
    id: str
    step: str
    before: str
    after: str
    kind: str  # regression | improvement | change
    folded: tuple[str, ...] = ()  # later steps of the same id that changed to or from not-reached

    def line(self) -> str:
        text = f"{self.id} [{self.step}]: baseline {self.before}, now {self.after}"
        if self.folded:
            text += f" (+{len(self.folded)} steps not reached: {', '.join(self.folded)})"
        return text


def identity(host: dict[str, Any]) -> str:
    """What a baseline must share with the run: OS, machine, Python (major.minor), privilege."""
    python = host["python"]
    minor = ".".join(str(python["version"]).split(".")[:2])
    return f"{host['os']} {host['machine']} {python['implementation']} {minor} {host['privilege']['label']}"


def kind_of(before: str, after: str) -> str:
    was, now = before.split(" ")[0], after.split(" ")[0]
    if was == "supported" and now != "supported":
        return "regression"
    if now == "supported" and was != "supported":
        return "improvement"
    return "change"


def flatten(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key in sorted(value):
            yield from flatten(value[key], f"{prefix}.{key}")
    else:
        yield prefix, value


class Baseline:
    def __init__(self, report: dict[str, Any], path: Path) -> None:
        self.path = path
        self.host: dict[str, Any] = report["host"]
        self.states = {(o["id"], o["step"]): observation_state(o) for o in report["observations"]}

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """A ReportError (one line) unless ``path`` is a valid host report."""
        if not path.exists():
            raise ReportError(f"{path}: no such file")
        if path.is_dir():
            raise ReportError(f"{path}: a folder; give one host report from it")
        kind, data = load_either(path)
        if kind != "report":
            raise ReportError(f"{path}: a matrix; a baseline is one host report (reports/hosts/*.json)")
        return cls(data, path)

    def refusal(self, host: dict[str, Any]) -> str | None:
        """Why this baseline does not describe ``host``'s identity, or None when it does."""
        theirs, ours = identity(self.host), identity(host)
        if theirs == ours:
            return None
        return (f"{self.path.name} is a baseline of {theirs}, this run is {ours} "
                "(--baseline-any-host compares anyway)")

    def changed_facts(self, host: dict[str, Any]) -> list[str]:
        """``name: before -> after`` for each compared host fact both reports have that differs (a
        fact one side lacks came with another version of the tool, not with the host)."""
        lines = []
        for fact in COMPARED_FACTS:
            before = dict(flatten(self.host.get(fact), fact))
            after = dict(flatten(host.get(fact), fact))
            for name in sorted(before.keys() & after.keys()):
                if before[name] != after[name]:
                    lines.append(f"{name}: {before.get(name)} -> {after.get(name)}")
        return lines

    def changes(self, observations: Iterable[dict[str, Any]]) -> list[Change]:
        """Changed observations in (id, step) order, ``not-reached`` fallout folded under its cause."""
        found: dict[str, list[Change]] = {}
        for o in sorted(observations, key=lambda o: (o["id"], o["step"])):
            before = self.states.get((o["id"], o["step"]))
            now = observation_state(o)
            if before is not None and before != now:
                change = Change(o["id"], o["step"], before, now, kind_of(before, now))
                found.setdefault(o["id"], []).append(change)
        result = []
        for same_id in found.values():
            causes = [c for c in same_id if "not-reached" not in (c.before, c.after)]
            fallout = tuple(c.step for c in same_id if c not in causes)
            if causes and fallout:
                causes[0] = causes[0]._replace(folded=fallout)
            result += causes or same_id
        return result

    def failures(self, observations: Iterable[dict[str, Any]], fail_on: str) -> list[str]:
        """The changes that fail a test item under ``--fail-on``, one line each."""
        return [c.line() for c in self.changes(observations) if c.kind in FAIL_ON[fail_on]]


def summary_lines(baseline: Baseline, host: dict[str, Any], changes: list[Change]) -> Iterator[str]:
    """Host facts first, then regressions, improvements and other changes, each section capped."""
    facts = baseline.changed_facts(host)
    by_kind = {kind: [c for c in changes if c.kind == kind] for kind in KINDS}
    yield (f"against {baseline.path.name}: {len(by_kind['regression'])} regressions, "
           f"{len(by_kind['improvement'])} improvements, {len(by_kind['change'])} other changes; "
           f"{len(facts)} host facts changed")
    sections = [("host facts that changed", facts)]
    sections += [(f"{kind}s" if kind != "change" else "other changes", [c.line() for c in found])
                 for kind, found in by_kind.items()]
    for title, lines in sections:
        if not lines:
            continue
        yield f"{title}:"
        yield from (f"  {line}" for line in lines[:MAX_LINES_PER_SECTION])
        if len(lines) > MAX_LINES_PER_SECTION:
            yield f"  ... and {len(lines) - MAX_LINES_PER_SECTION} more"
