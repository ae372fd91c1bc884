"""How merge scales: generate N full-size host reports, then, in one fresh process per N, time
parsing their JSON alone, merging them, and rendering every view; print the ratios and peak memory.

    python benchmarks/merge_bench.py                  # N = 10, 30, 100; synthetic 12,000-row reports
    python benchmarks/merge_bench.py --template reports/hosts/some-host.json --sizes 10 100

The yardstick is the parse time measured in the same process on the same files: merge + render
should stay within a small multiple of it. Reports vary the OS, release, privilege, Python version
and a share of outcomes, as a real merge of many hosts would: 6 OS x privilege pairs x 3 release
lines make at most 18 columns, and further reports add Pythons to them. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sockcompat.observation import Observation
from sockcompat.report import host_report

OSES = [
    ("linux", "root"),
    ("linux", "user"),
    ("darwin", "root"),
    ("darwin", "user"),
    ("win32", "admin"),
    ("win32", "user"),
]
RELEASES = ["6.1.0", "6.6.0", "6.12.0"]
PYTHONS = ["3.9.25", "3.10.19", "3.11.14", "3.12.12", "3.13.9", "3.14.0"]
OUTCOMES = ["supported", "unsupported", "unsupported", "unsupported", "no-constant", "needs-privilege"]
ERRNOS = {"unsupported": "EAFNOSUPPORT", "needs-privilege": "EPERM"}


def synthetic_observations(rows: int) -> list[dict[str, Any]]:
    rng = random.Random(6)
    out = []
    for i in range(rows):
        outcome = rng.choice(OUTCOMES)
        family, type_, proto = f"AF_F{i % 40}", f"SOCK_T{i % 7}", f"IPPROTO_P{i // 280}"
        out.append(
            Observation(
                id=f"create/{family}/{type_}/{proto}",
                area="create",
                step="create",
                outcome=outcome,  # type: ignore[arg-type]
                family=family,
                family_num=i % 40,
                type=type_,
                type_num=i % 7,
                proto=proto,
                proto_num=i // 280,
                errno=ERRNOS.get(outcome),
                detail="" if outcome == "supported" else f"{outcome} here",
                value=1 if outcome == "supported" else None,
                duration_s=0.0001,
            ).to_json()
        )
    return out


def host_facts(os_name: str, release: str, python: str, privilege: str) -> dict[str, Any]:
    """The host facts merge reads, for a synthetic column."""
    return {
        "os": os_name,
        "system": os_name,
        "release": release,
        "machine": "x86_64",
        "python": {"implementation": "cpython", "version": python},
        "socket": {"has_ipv6": True},
        "privilege": {"superuser": privilege != "user", "label": privilege},
    }


def write_report(path: Path, template: dict[str, Any], host: dict[str, Any],
                 observations: list[dict[str, Any]], started: str) -> None:
    """One synthetic host report, shaped as the collector writes them."""
    run = {"started": started, "duration_s": 10.0, "pytest_args": [], "workers": 0, "deadline_s": 5.0}
    report = {"schema_version": host_report.SCHEMA_VERSION, "tool": template["tool"], "host": host,
              "run": run, "observations": observations}
    path.write_text(host_report.dumps(report), encoding="utf-8")


def generate(folder: Path, count: int, template: dict[str, Any]) -> None:
    rng = random.Random(count)
    for n in range(count):
        # as published data grows: a column (OS, release line, privilege) holds one host per Python
        os_name, privilege = OSES[n % len(OSES)]
        series = (n // len(OSES)) % len(RELEASES)
        python = PYTHONS[(n // (len(OSES) * len(RELEASES))) % len(PYTHONS)]
        observations = []
        for o in template["observations"]:
            o = dict(o)
            if rng.random() < 0.02:  # a few host-specific answers
                o["outcome"], o["errno"] = "unsupported", "EINVAL"
            observations.append(o)
        host = host_facts(os_name, RELEASES[series], python, privilege)
        write_report(folder / f"host-{n:03d}.json", template, host, observations,
                     started=f"2026-11-24T{n % 24:02d}:00:00+00:00")


def measure(folder: Path, out: Path) -> dict[str, Any]:
    """Runs in the child: parse every report (the yardstick), merge, then write every view."""
    import resource

    from sockcompat.cli.publish import publish
    from sockcompat.report.merge import merge

    t0 = time.perf_counter()
    for path in sorted(folder.glob("*.json")):
        json.loads(path.read_text(encoding="utf-8"))
    t1 = time.perf_counter()
    matrix = merge([folder])
    t2 = time.perf_counter()
    publish(matrix, out)
    t3 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # macOS reports bytes, Linux KiB
    parse = t1 - t0
    return {
        "parse_s": round(parse, 2),
        "merge_s": round(t2 - t1, 2),
        "render_s": round(t3 - t2, 2),
        "ratio": round((t3 - t1) / parse, 2),
        "peak_rss_mib": round(rss * scale / 2**20, 1),
        "rows": len(matrix["rows"]),
        "matrix_json_mib": round((out / "matrix.json").stat().st_size / 2**20, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 100])
    parser.add_argument("--template", type=Path, help="a real host report to copy (default: synthetic)")
    parser.add_argument("--rows", type=int, default=12000, help="observations per synthetic report")
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), Path(args.child[1]))))
        return 0
    if args.template:
        template = json.loads(args.template.read_text(encoding="utf-8"))
    else:
        template = {
            "tool": {"name": "sockcompat", "version": "bench"},
            "observations": synthetic_observations(args.rows),
        }
    print(
        f"{'reports':>8} {'obs/report':>10} {'parse s':>8} {'merge s':>8} {'render s':>9} "
        f"{'(merge+render)/parse':>21} {'peak MiB':>9} {'matrix MiB':>10}"
    )
    with tempfile.TemporaryDirectory(prefix="sc-bench-") as tmp:
        for size in args.sizes:
            folder = Path(tmp) / f"n{size}"
            folder.mkdir()
            generate(folder, size, template)
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(folder),
                    str(Path(tmp) / f"out{size}"),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(done.stdout)
            print(
                f"{size:>8} {len(template['observations']):>10} {r['parse_s']:>8} {r['merge_s']:>8} "
                f"{r['render_s']:>9} {r['ratio']:>21} {r['peak_rss_mib']:>9} {r['matrix_json_mib']:>10}",
                flush=True,
            )
            shutil.rmtree(folder)
            shutil.rmtree(Path(tmp) / f"out{size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
