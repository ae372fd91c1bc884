"""How fast the suite is against its floors, measured in one run on one machine, as ratios.

    python benchmarks/suite_bench.py [--json FILE] [--repeat N]

- full suite (``sockcompat run``, all areas) vs **pytest's floor** (as many trivially passing
  parametrized items, in the same pytest configuration) plus the syscall floor (goal <= 1.3x);
- the create suite vs the **syscall floor**: a plain loop of socket()+close() over the same rows;
- ``-n 2`` vs ``-n 0`` for the create suite and the full suite (goal: -n 2 not slower), and for
  pytest's floor itself (what xdist costs per item when the items cost nothing);
- collection alone for the full item count.
Each measurement is a fresh process; its wall time is the best of ``--repeat`` runs and its memory
the peak RSS of that process tree. Nothing here is asserted: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from sockcompat.cli.main import conformance_dir

MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(json.dumps({"seconds": time.perf_counter() - start, "code": done.returncode,
                  "peak_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""

SYSCALL_FLOOR = """
import json, socket, sys, time
from sockcompat.catalog.create import create_cases
cases = [c for c in create_cases(socket, sys.platform) if not c.missing]
start = time.perf_counter()
for case in cases:
    try:
        socket.socket(case.family.number, case.type.number, case.proto_argument).close()
    except OSError:
        pass
print(json.dumps({"seconds": time.perf_counter() - start, "calls": len(cases)}))
"""


def measure(command: list[str], repeat: int) -> dict[str, Any]:
    """Best wall time and the largest peak RSS over ``repeat`` fresh runs of ``command``."""
    runs = [json.loads(subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True,
                                      text=True, check=True).stdout) for _ in range(repeat)]
    return {"seconds": min(r["seconds"] for r in runs), "peak_mib": max(r["peak_kib"] for r in runs) / 1024,
            "exit": runs[-1]["code"]}


def collected(targets: list[str], ini: Path) -> int:
    """How many items pytest collects: the ini's ``-q`` plus ours prints ``file.py: N`` per file."""
    out = subprocess.run([sys.executable, "-m", "pytest", *targets, "-c", str(ini), "--collect-only", "-q"],
                         capture_output=True, text=True, check=False).stdout
    counts = [int(n) for n in re.findall(r"^\S+\.py: (\d+)$", out, re.MULTILINE)]
    if not counts:
        raise SystemExit(f"could not count the items of {targets}:\n{out[-2000:]}")
    return sum(counts)


def floor_suite(folder: Path, items: int) -> Path:
    path = folder / f"test_floor_{items}.py"
    path.write_text("import pytest\n\n"
                    f"@pytest.mark.parametrize('n', range({items}))\ndef test_floor(n):\n    pass\n")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (best time is kept)")
    args = parser.parse_args()

    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set, so every run compiles (and pytest rewrites) its "
              "modules again: the suite, with ~70 modules, pays more for it than the floor's one file",
              file=sys.stderr)
    suites = conformance_dir()
    ini = suites / "pytest.ini"
    pytest = [sys.executable, "-m", "pytest", "-c", str(ini), "-p", "no:cacheprovider", "-q"]
    create = [str(suites / "test_create.py")]
    results: dict[str, Any] = {"python": platform.python_version(), "machine": platform.machine()}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        n_full, n_create = collected([str(suites)], ini), collected(create, ini)
        results["items"] = {"full": n_full, "create": n_create}
        report = ["--sockcompat-report", str(folder / "r.json")]
        commands = {
            "full suite": [*pytest, str(suites), *report],
            "pytest floor (full count)": [*pytest, str(floor_suite(folder, n_full))],
            "full suite -n 2": [*pytest, str(suites), "-n", "2", *report],
            "create suite": [*pytest, *create, *report],
            "pytest floor (create count)": [*pytest, str(floor_suite(folder, n_create))],
            "create suite -n 2": [*pytest, *create, "-n", "2", *report],
            "pytest floor (create) -n 2": [*pytest, str(floor_suite(folder, n_create)), "-n", "2"],
            "collection (full)": [*pytest, str(suites), "--collect-only"],
        }
        rows = {name: measure(command, args.repeat) for name, command in commands.items()}
        floor = json.loads(subprocess.run([sys.executable, "-c", SYSCALL_FLOOR], capture_output=True,
                                          text=True, check=True).stdout)
    results["measurements"] = rows
    results["syscall_floor"] = floor
    seconds = {name: row["seconds"] for name, row in rows.items()}
    results["ratios"] = {
        "full / (pytest + syscall floors)": seconds["full suite"] / (
            seconds["pytest floor (full count)"] + floor["seconds"]),
        "full / pytest floor": seconds["full suite"] / seconds["pytest floor (full count)"],
        "create / pytest floor": seconds["create suite"] / seconds["pytest floor (create count)"],
        "create / syscall floor": seconds["create suite"] / floor["seconds"],
        "full -n 2 / -n 0": seconds["full suite -n 2"] / seconds["full suite"],
        "create -n 2 / -n 0": seconds["create suite -n 2"] / seconds["create suite"],
        # xdist's own cost per item, for comparison: the trivial items spread over two workers
        "pytest floor -n 2 / -n 0": (seconds["pytest floor (create) -n 2"]
                                     / seconds["pytest floor (create count)"]),
    }

    print(f"items: full {n_full}, create {n_create}")
    print(f"{'measurement':<30}{'seconds':>10}{'peak MiB':>10}")
    for name, row in rows.items():
        print(f"{name:<30}{row['seconds']:>10.2f}{row['peak_mib']:>10.1f}")
    print(f"{'syscall floor (create rows)':<30}{floor['seconds']:>10.3f}")
    for name, ratio in results["ratios"].items():
        print(f"ratio {name:<34}{ratio:>8.2f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
