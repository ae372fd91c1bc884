"""Run the whole suite N times on this host and list every probe whose outcome was not the same
each time (measured values and timings aside).

    python benchmarks/determinism.py --runs 20 [--json FILE] [-- SOCKCOMPAT_RUN_ARGS...]

Exit 0 when every (id, step) gave the same outcome and errno in every run, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sockcompat.report.validate import load
from sockcompat.runners import passthrough

Verdict = tuple[str, "str | None"]


def run_once(out: Path, extra: list[str]) -> dict[tuple[str, str], Verdict]:
    command = [sys.executable, "-m", "sockcompat", "run", "--output", str(out), *extra]
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    report = load(next(out.glob("*.json")))
    return {(o["id"], o["step"]): (o["outcome"], o["errno"]) for o in report["observations"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", type=Path, help="write the summary here as JSON")
    parser.add_argument("run_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    extra = passthrough(args.run_args)

    seen: dict[tuple[str, str], collections.Counter[Verdict]] = collections.defaultdict(collections.Counter)
    durations = []
    with tempfile.TemporaryDirectory() as scratch:
        for i in range(args.runs):
            start = time.perf_counter()
            verdicts = run_once(Path(scratch) / str(i), extra)
            durations.append(time.perf_counter() - start)
            for key, verdict in verdicts.items():
                seen[key][verdict] += 1
            took = durations[-1]
            print(f"run {i + 1}/{args.runs}: {len(verdicts)} observations in {took:.1f} s", flush=True)

    flaky = {key: counts for key, counts in seen.items()
             if len(counts) > 1 or sum(counts.values()) != args.runs}
    for (probe_id, step), counts in sorted(flaky.items()):
        spread = ", ".join(f"{o}/{e or '-'} x{n}" for (o, e), n in counts.most_common())
        print(f"flaky: {probe_id} [{step}]: {spread}")
    print(f"{len(seen)} observations, {len(flaky)} not identical across {args.runs} runs")
    if args.json:
        args.json.write_text(json.dumps({
            "runs": args.runs,
            "observations": len(seen),
            "run_seconds": [round(d, 2) for d in durations],
            "flaky": [{"id": i, "step": s, "verdicts": [[o, e, n] for (o, e), n in c.items()]}
                      for (i, s), c in sorted(flaky.items())],
        }, indent=2))
    return 1 if flaky else 0


if __name__ == "__main__":
    sys.exit(main())
