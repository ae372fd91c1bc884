"""How the static site holds up with many columns: sizes per page and load times in Chromium.

    python benchmarks/site_bench.py                     # 20 columns of synthetic 12,000-row reports
    python benchmarks/site_bench.py --columns 20 --template reports/hosts/some-host.json

Builds reports for N distinct columns (OS, release, privilege), merges and renders them, then
prints the landing page's weight, the heaviest page (HTML + its data file + shared assets), and for
the landing page, a feature page and the largest drill-down page the times the page itself records
in headless Chromium: first contentful paint and "table drawn" (``data-fcp-ms``, ``data-rendered-ms``,
from ``performance``). Printed, never asserted: a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from merge_bench import host_facts, synthetic_observations, write_report

from sockcompat.cli.publish import publish
from sockcompat.report.merge import merge

COLUMNS = [
    (os_name, release, privilege)
    for os_name, releases in (
        ("linux", ("6.1.0", "6.6.0", "6.12.0", "6.18.0")),
        ("darwin", ("23.0", "24.0")),
        ("freebsd", ("13.2", "14.1")),
        ("win32", ("10", "11")),
    )
    for release in releases
    for privilege in (("root", "user") if os_name != "win32" else ("admin", "user"))
]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def reports(folder: Path, columns: int, template: dict[str, Any]) -> None:
    for n, (os_name, release, privilege) in enumerate(COLUMNS[:columns]):
        host = host_facts(os_name, release, "3.12.1", privilege)
        observations = [dict(o) for o in template["observations"]]
        for i, o in enumerate(observations):
            if (i + n) % 17 == 0 and o["outcome"] == "supported":  # columns differ a little
                o["outcome"], o["errno"] = "unsupported", "EINVAL"
        write_report(folder / f"host-{n:02d}.json", template, host, observations,
                     started="2026-11-24T10:00:00+00:00")


def page_weight(site: Path, page: Path) -> int:
    """The page, everything it links with src/href inside the site (assets), and its data file."""
    html = page.read_text(encoding="utf-8")
    linked = re.findall(r'(?:src|data-data)="([^"#]+)"', html) + re.findall(
        r'rel="stylesheet" href="([^"]+)"', html
    )
    return page.stat().st_size + sum(
        (page.parent / target).resolve().stat().st_size for target in set(linked)
    )


def browser_times(chromium: str, url: str) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="sc-bench-chromium-") as profile:
        done = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    found = dict(re.findall(r'data-(fcp-ms|rendered-ms)="(\d+)"', done.stdout))
    return {"fcp": found.get("fcp-ms", "-"), "drawn": found.get("rendered-ms", "-")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--rows", type=int, default=12000, help="observations per synthetic report")
    parser.add_argument("--template", type=Path, help="a real host report to copy (default: synthetic)")
    args = parser.parse_args()
    template = (
        json.loads(args.template.read_text(encoding="utf-8"))
        if args.template
        else {
            "tool": {"name": "sockcompat", "version": "bench"},
            "observations": synthetic_observations(args.rows),
        }
    )
    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    with tempfile.TemporaryDirectory(prefix="sc-site-bench-") as tmp:
        folder, out = Path(tmp) / "reports", Path(tmp) / "out"
        folder.mkdir()
        reports(folder, args.columns, template)
        matrix = merge([folder])
        publish(matrix, out)
        site = out
        pages = [*sorted(site.glob("*/*.html")), site / "index.html"]
        weights = {p: page_weight(site, p) for p in pages if p.parent.name != "schema"}
        heaviest = max(weights, key=lambda p: weights[p])
        print(f"{len(matrix['platforms'])} columns, {len(matrix['rows'])} rows, {len(weights)} pages")
        print(f"landing page with assets and data: {weights[site / 'index.html'] / 1024:.0f} KiB")
        print(f"heaviest page: {heaviest.relative_to(site)} {weights[heaviest] / 1024:.0f} KiB")
        if chromium is None:
            print("chromium not found: no load times (apt-get install chromium)")
            return 0
        feature = next(iter(sorted(site.glob("features/*.html"))))
        for name, page in (
            ("landing", site / "index.html"),
            ("feature", feature),
            ("largest drill-down", heaviest),
        ):
            times = browser_times(chromium, page.as_uri())
            print(
                f"{name:<20} {page.relative_to(site)!s:<45} first paint {times['fcp']:>5} ms, "
                f"table drawn {times['drawn']:>5} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
