"""Build, name and write one host report (the shape ``schema.json`` pins)."""

from __future__ import annotations

import gzip
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sockcompat import __version__
from sockcompat.catalog.documented import documented
from sockcompat.observation import Observation

SCHEMA_VERSION = 3

#: The suffix of a compressed report; ``validate.load`` and every reader take both forms.
COMPRESSED_SUFFIX = ".json.gz"


def build(observations: Iterable[Observation], host: dict[str, Any], run: dict[str, Any]) -> dict[str, Any]:
    """A report dict with observations sorted by (id, step), so reruns diff cleanly, and each one
    the OS documents an outcome for set beside that outcome."""
    ordered = sorted(observations, key=lambda o: o.key)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "sockcompat", "version": __version__},
        "host": host,
        "run": run,
        "observations": [o.to_json() for o in ordered],
        "documented": documented_rows(ordered, host),
    }


def documented_rows(observations: list[Observation], host: dict[str, Any]) -> list[dict[str, Any]]:
    """What the OS documents beside what was seen, on the OS itself only: under Wine the answers
    are Wine's and Linux's, so a disagreement with Windows' documentation says nothing about
    Windows (nor would an agreement)."""
    if "wine" in host:
        return []
    return compare_with_documentation(observations, host["os"], host["privilege"]["label"])


def compare_with_documentation(observations: Iterable[Observation], platform: str,
                               privilege: str) -> list[dict[str, Any]]:
    """Every observation the OS documents an outcome for, and whether the host agreed (in outcome,
    and in value where the source states one). A ``no-constant`` observation is left out: Python
    had no name to ask the OS with, so it says nothing about what the OS does."""
    rows = []
    for o in observations:
        row = documented(platform, privilege, o.id, o.step)
        if row is not None and o.outcome != "no-constant":
            rows.append({"id": o.id, "step": o.step, "documented": row.outcome, "observed": o.outcome,
                         "agrees": row.agrees(o.outcome, o.value), "source": row.citation})
    return rows


def host_id(host: dict[str, Any]) -> str:
    """The host identity a file is named by: OS, release, arch, Wine (when the Windows API is
    Wine's), Python, privilege."""
    parts = [
        host["os"],
        host["release"],
        host["machine"],
        *([f"wine-{host['wine']['version']}"] if "wine" in host else []),
        host["python"]["implementation"],
        host["python"]["version"],
        host["privilege"]["label"],
    ]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", "-".join(str(p) for p in parts)).lower()


def dumps(report: dict[str, Any]) -> str:
    """JSON with one observation per line: readable, and git diffs stay per probe."""
    head = {k: v for k, v in report.items() if k != "observations"}
    text = json.dumps(head, indent=2, sort_keys=True)
    rows = ",\n".join(json.dumps(o, sort_keys=True) for o in report["observations"])
    return text[:-2] + ',\n  "observations": [\n' + rows + "\n  ]\n}\n"


def write(report: dict[str, Any], path: Path, *, compress: bool = False) -> Path:
    """Write atomically (temp file + rename), so a crash never leaves half a report. With
    ``compress`` the file is gzip (``<path>.gz`` unless ``path`` already ends ``.gz``), with a zero
    timestamp and no file name inside, so the same report gives the same bytes (small git diffs)."""
    if compress and not path.name.endswith(".gz"):
        path = path.with_name(path.name + ".gz")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".sockcompat-", suffix=".json", dir=path.parent)
    data = dumps(report).encode("utf-8")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(gzip.compress(data, mtime=0) if compress else data)
        os.chmod(tmp, 0o644)  # published data: readable like any file (mkstemp makes it 0600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
