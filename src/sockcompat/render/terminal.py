"""The run's summary on the terminal: counts per outcome, disagreements with the documentation,
and where the report went."""

from __future__ import annotations

import collections
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

from sockcompat.observation import OUTCOMES, Observation
from sockcompat.report import host_report


class Run(Protocol):
    """What the summary reads of one host run (``collector.HostRun`` is one)."""

    @property
    def host(self) -> dict[str, Any]: ...
    @property
    def observations(self) -> Mapping[tuple[str, str], Observation]: ...
    @property
    def duplicates(self) -> list[tuple[str, str]]: ...
    @property
    def documented(self) -> list[dict[str, Any]]: ...
    @property
    def written(self) -> Path | None: ...


def summary_lines(run: Run, named: bool) -> Iterator[str]:
    """The lines that summarize one host run (named when the session wrote several)."""
    if named:
        yield f"host {host_report.host_id(run.host)}:"
    counts = collections.Counter(o.outcome for o in run.observations.values())
    yield f"{len(run.observations)} observations"
    for outcome in OUTCOMES:
        if counts[outcome]:
            yield f"  {outcome:<16}{counts[outcome]:>6}"
    python_refused = sum(o.layer == "python" for o in run.observations.values())
    if python_refused:
        yield f"python refused {python_refused} of them before the OS was asked (layer: python)"
    if run.duplicates:
        yield f"warning: {len(run.duplicates)} observations reported twice, e.g. {run.duplicates[0]}"
    differs = [d for d in run.documented if not d["agrees"]]
    if run.documented:
        yield f"documented outcomes: {len(run.documented)} checked, {len(differs)} observed otherwise"
    for d in differs:
        yield (f"  {d['id']} [{d['step']}]: observed {d['observed']}, documented {d['documented']}"
               f" ({d['source']})")
    if run.written is not None:
        yield f"report: {run.written}"
