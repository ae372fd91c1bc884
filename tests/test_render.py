"""The views over a matrix: Markdown folding and escaping, long CSV, the self-contained HTML page."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest

from sockcompat.cli.publish import publish
from sockcompat.render import csv as csv_view
from sockcompat.render import html, markdown
from sockcompat.report import host_report
from sockcompat.report import matrix as matrix_file
from sockcompat.report.merge import merge
from tests.hostreports import obs, raw, report, stream

NASTY = 'a|b <script>alert("x")</script> *bold* `tick`'


def nowhere(i: int) -> Any:
    return obs(
        f"create/AF_X/SOCK_T{i}/0", "unsupported", "EAFNOSUPPORT", family="AF_X", type=f"SOCK_T{i}", proto="0"
    )


@pytest.fixture
def matrix(tmp_path: Path) -> dict[str, Any]:
    root = [
        raw("supported"),
        stream(),
        nowhere(1),
        nowhere(2),
        obs("constant/TCP_KEEPCNT", "supported", value=6, detail=NASTY),
    ]
    user = [
        raw("needs-privilege", "EPERM"),
        stream(),
        nowhere(1),
        nowhere(2),
        obs("constant/TCP_KEEPCNT", "supported", value=6, detail=NASTY),
    ]
    host_report.write(report(root, privilege="root"), tmp_path / "root.json")
    host_report.write(report(user, privilege="user"), tmp_path / "user.json")
    host_report.write(report([stream("timeout")], os_name="win32", privilege="admin"), tmp_path / "win.json")
    return merge([tmp_path])


def test_markdown_folds_rows_unsupported_everywhere(matrix: dict[str, Any]) -> None:
    text = markdown.render(matrix)
    assert "2 rows unsupported on every platform are folded away" in text
    assert "SOCK_T1" not in text
    assert "| `AF_INET/SOCK_RAW/IPPROTO_ICMP` | ✅ | 🔒 CAP\\_NET\\_RAW `EPERM` | ❔ |" in text


def test_markdown_escapes_notes_and_links_footnotes(matrix: dict[str, Any]) -> None:
    text = markdown.render(matrix)
    footnotes = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", text, flags=re.M))
    assert any("a\\|b \\<script\\>" in note for note in footnotes.values()), footnotes
    for number in footnotes:
        assert f"[^{number}]" in text.split("## Notes")[0], f"footnote {number} is never referenced"
    assert "| `TCP_KEEPCNT` | ✅ `6`" in text


def test_csv_has_one_line_per_capability_and_platform(matrix: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_view.render(matrix))))
    assert len(rows) == len(matrix["rows"]) * len(matrix["platforms"])
    by_key = {(r["id"], r["platform"]): r for r in rows}
    user = by_key[("create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "linux-6.1-user")]
    assert (user["status"], user["conditions"], user["errno"]) == ("needs-privilege", "CAP_NET_RAW", "EPERM")
    assert by_key[("constant/TCP_KEEPCNT", "win32-6-admin")]["status"] == "unknown"


def test_html_escapes_every_string_and_is_self_contained(matrix: dict[str, Any]) -> None:
    page = html.render(matrix)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert not re.search(r'(src|href)="(https?:)?//', page), "the page must not load anything"
    assert page.count('<tr class="row"') == len(matrix["rows"])
    assert page.count('data-nowhere="1" hidden') == 2
    for i, host in enumerate(matrix["hosts"], start=1):
        assert f'<th scope="row">H{i}</th><td>{host["id"]}</td>' in page, "host table"


def test_render_all_writes_the_four_views_from_matrix_json(matrix: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "site"
    paths = publish(matrix, out)
    assert sorted(p.name for p in paths) == ["index.html", "index.md", "matrix.csv", "matrix.json"]
    again = matrix_file.load(out / "matrix.json")
    assert markdown.render(again) == (out / "index.md").read_text(encoding="utf-8")
