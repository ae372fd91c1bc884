"""The HTML page in a real headless browser: a filter in the URL fragment hides the right rows.

Needs Debian's ``chromium`` (``apt-get install chromium``) or Google Chrome (preinstalled on GitHub's
Ubuntu runners); skipped with that reason when neither is there.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from sockcompat.render import html
from sockcompat.report import host_report
from sockcompat.report.merge import merge
from tests.hostreports import obs, raw, report, stream

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
]


def dump_dom(page: Path, fragment: str) -> str:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="sc-chromium-") as profile:
        done = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri() + "#" + fragment],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def visible_rows(dom: str) -> set[str]:
    rows = re.findall(r'<tr class="row"([^>]*)>', dom)
    assert rows, "no rows in the dumped page"
    assert "<script>" not in dom.split("<table", 1)[1].split("</table>", 1)[0]
    return {re.search(r'data-id="([^"]+)"', r).group(1) for r in rows if not re.search(r"\shidden", r)}  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("html")
    ping = obs(
        "create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP",
        "unavailable",
        "EACCES",
        family="AF_INET",
        type="SOCK_DGRAM",
        proto="IPPROTO_ICMP",
    )
    udp = obs("create/AF_INET/SOCK_DGRAM/0", "supported", family="AF_INET", type="SOCK_DGRAM", proto="0")
    host_report.write(report([raw("supported"), stream(), udp, ping]), folder / "root.json")
    host_report.write(
        report([raw("needs-privilege", "EPERM"), stream(), udp, ping], privilege="user"), folder / "user.json"
    )
    host_report.write(
        report([obs("constant/TCP_KEEPCNT", "no-constant"), stream()], os_name="win32", privilege="admin"),
        folder / "win.json",
    )
    matrix = merge([folder])
    path = folder / "index.html"
    path.write_text(html.render(matrix), encoding="utf-8")
    return path, matrix


FILTERS = [
    ("status=needs-privilege", {"create/AF_INET/SOCK_RAW/IPPROTO_ICMP"}),
    ("differs=1", {"create/AF_INET/SOCK_RAW/IPPROTO_ICMP"}),
    ("os=win32", {"create/AF_INET/SOCK_STREAM/0"}),
    ("os=win32&all=1", {"create/AF_INET/SOCK_STREAM/0", "constant/TCP_KEEPCNT"}),
    ("area=create&status=unsupported", set()),  # unsupported everywhere: folded unless all=1
    ("area=create&status=unsupported&all=1", {"create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP"}),
    ("q=sock_dgram", {"create/AF_INET/SOCK_DGRAM/0"}),
    ("q=sock_dgram&all=1", {"create/AF_INET/SOCK_DGRAM/0", "create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP"}),
]


@pytest.mark.parametrize(("fragment", "want"), FILTERS)
def test_filter_in_the_fragment_shows_the_matching_rows(
    page: tuple[Path, dict[str, Any]], fragment: str, want: set[str]
) -> None:
    path, matrix = page
    dom = dump_dom(path, fragment)
    got = visible_rows(dom)
    assert got == want, f"#{fragment}: got {sorted(got)}; want {sorted(want)}"
    count = re.search(r'id="count"[^>]*>([^<]*)<', dom)
    assert count is not None and count.group(1) == f"{len(want)} of {len(matrix['rows'])} rows"
