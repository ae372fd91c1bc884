"""A stored host report as a baseline: any observation whose outcome or errno differs from it
becomes a failing test item that names the capability (so CI notices when a runner image changes).

Capabilities the baseline does not know (new probes) and baseline rows not run this time (a
``-k`` subset) are not changes; values are measurements and are not compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sockcompat.observation import Observation
from sockcompat.report.diff import observation_state
from sockcompat.report.validate import load


class Baseline:
    def __init__(self, path: Path) -> None:
        report = load(path)
        self.path = path
        self.states = {(o["id"], o["step"]): observation_state(o) for o in report["observations"]}

    def changes(self, observations: Iterable[Observation]) -> list[str]:
        """One line per observation that differs: ``<id> [<step>]: baseline X, now Y``."""
        lines = []
        for o in observations:
            before = self.states.get(o.key)
            now = observation_state(o.to_json())
            if before is not None and before != now:
                lines.append(f"{o.id} [{o.step}]: baseline {before}, now {now}")
        return lines
