"""The site in a real headless browser, from file://: the landing page's grid and features, a search
(linked as ``#find=``), a feature page, and a drill-down page filtered and deep-linked by its URL
fragment. Reads the DOM the page built from its lazily loaded data file.

Needs Debian's ``chromium`` (``apt-get install chromium``) or Google Chrome; skipped with that reason
when neither is there.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from sockcompat.cli.publish import publish
from sockcompat.report import host_report
from sockcompat.report.merge import merge
from tests.hostreports import obs, raw, report, stream

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=10000",  # let the page load its data file and draw before the dump
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
]

PING = "create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP"


def dump_dom(url: str) -> str:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="sc-chromium-") as profile:
        done = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    assert 'data-ready="1"' in done.stdout, f"{url}: the page never drew its data"
    return done.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    ping = obs(
        PING,
        "unavailable",
        "EACCES",
        detail="refused by host setting net.ipv4.ping_group_range",
        family="AF_INET",
        type="SOCK_DGRAM",
        proto="IPPROTO_ICMP",
    )
    udp = obs("create/AF_INET/SOCK_DGRAM/0", "supported", family="AF_INET", type="SOCK_DGRAM", proto="0")
    reuse = obs(
        "option/AF_INET/SOCK_STREAM/0/SOL_SOCKET.SO_REUSEPORT",
        "supported",
        step="set",
        family="AF_INET",
        type="SOCK_STREAM",
        proto="0",
    )
    host_report.write(report([raw("supported"), stream(), udp, ping, reuse]), folder / "root.json")
    host_report.write(
        report([raw("needs-privilege", "EPERM"), stream(), udp, ping, reuse], privilege="user"),
        folder / "user.json",
    )
    publish(merge([folder]), folder / "out")
    return folder / "out"


def visible_rows(dom: str) -> set[str]:
    rows = re.findall(r'<tr id="row-([^"|]+)\|[^"]*"([^>]*)>', dom)
    return {row_id for row_id, attrs in rows if " hidden" not in attrs}


def test_landing_grid_features_and_search(site: Path) -> None:
    dom = dump_dom((site / "index.html").as_uri() + "#find=reuseport")
    grid = re.search(r'<table class="grid" data-col="linux-6.1-x86_64-user">(.*?)</table>', dom, flags=re.S)
    assert grid is not None, "no grid for the user column"
    af_inet = re.search(r"AF_INET</a></th>(.*?)</tr>", grid.group(1), flags=re.S)
    assert af_inet is not None
    letters = re.findall(r'class="b b-(.)"', af_inet.group(1))
    assert letters == ["Y", "Y", "P"], f"AF_INET STREAM, DGRAM, RAW for a user: got {letters}"
    features = re.search(r'<tr id="row-inet-raw"[^>]*>(.*?)</tr>', dom, flags=re.S)
    assert features is not None and re.findall(r'class="b b-(.)"', features.group(1)) == ["Y", "P"]
    search = re.search(r'<div id="search".*?</ol>', dom, flags=re.S)
    assert search is not None and 'href="features/so-reuseport-tcp.html"' in search.group(0)
    assert 'href="areas/option-af-inet.html#q=SO_REUSEPORT"' in search.group(0)


def test_feature_page_answers_per_column(site: Path) -> None:
    dom = dump_dom((site / "features" / "inet-raw.html").as_uri())
    answers = re.findall(r'<li><span class="b b-(.)"[^>]*>.</span>C\d ([^<]+)</li>', dom)
    assert answers == [("Y", "Linux 6.1 x86_64 (root)"), ("P", "Linux 6.1 x86_64 (user)")]
    assert visible_rows(dom) == {"create/AF_INET/SOCK_RAW/IPPROTO_ICMP"}


FILTERS = [
    (
        "",
        {
            PING,
            "create/AF_INET/SOCK_DGRAM/0",
            "create/AF_INET/SOCK_RAW/IPPROTO_ICMP",
            "create/AF_INET/SOCK_STREAM/0",
        },
    ),
    ("status=unavailable", {PING}),
    ("status=needs-privilege", {"create/AF_INET/SOCK_RAW/IPPROTO_ICMP"}),
    ("differs=1", {"create/AF_INET/SOCK_RAW/IPPROTO_ICMP"}),
    ("q=sock_dgram", {PING, "create/AF_INET/SOCK_DGRAM/0"}),
]


@pytest.mark.parametrize(("fragment", "want"), FILTERS)
def test_drill_down_filters_from_the_fragment(site: Path, fragment: str, want: set[str]) -> None:
    dom = dump_dom((site / "areas" / "create-af-inet.html").as_uri() + "#" + fragment)
    got = visible_rows(dom)
    assert got == want, f"#{fragment}: got {sorted(got)}; want {sorted(want)}"
    count = re.search(r'id="count"[^>]*>([^<]*)<', dom)
    assert count is not None and count.group(1) == f"{len(want)} of 4 rows"


def test_drill_down_deep_link_and_cells(site: Path) -> None:
    dom = dump_dom((site / "areas" / "create-af-inet.html").as_uri() + f"#row={PING}|create")
    row = re.search(r'<tr id="row-' + re.escape(PING) + r'\|create"([^>]*)>(.*?)</tr>', dom, flags=re.S)
    assert row is not None and 'class="hit"' in row.group(1), "the linked row is not marked"
    cells = re.findall(
        r'data-status="([^"]+)"[^>]*><span class="b b-(.)"[^>]*>.</span><small>([^<]*)</small>', row.group(2)
    )
    assert cells == [("unavailable", "U", "sysctl net.ipv4.ping_group_range EACCES")] * 2
