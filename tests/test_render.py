"""The views over a matrix: index.md and tables/*.md, the long CSV, the BCD-shaped export, the
static site's files (escaping, self-containment, every link resolves)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sockcompat.cli.publish import publish
from sockcompat.render import bcd, markdown
from sockcompat.render import csv as csv_view
from sockcompat.report import host_report
from sockcompat.report import matrix as matrix_file
from sockcompat.report.merge import merge
from tests.hostreports import obs, raw, report, stream

NASTY = 'a|b <script>alert("x")</script> *bold* `tick`'
ROOT, USER, WINDOWS = "linux-6.1-x86_64-root", "linux-6.1-x86_64-user", "win32-6-x86_64-admin"


def nowhere(i: int) -> Any:
    return obs(
        f"create/AF_X/SOCK_T{i}/0", "unsupported", "EAFNOSUPPORT", family="AF_X", type=f"SOCK_T{i}", proto="0"
    )


@pytest.fixture
def matrix(tmp_path: Path) -> dict[str, Any]:
    common = [
        stream(),
        nowhere(1),
        nowhere(2),
        obs("constant/TCP_KEEPCNT", "supported", value=6, detail=NASTY),
    ]
    host_report.write(report([raw("supported"), *common], privilege="root"), tmp_path / "root.json")
    host_report.write(
        report([raw("needs-privilege", "EPERM"), *common], privilege="user"), tmp_path / "user.json"
    )
    host_report.write(report([stream("timeout")], os_name="win32", privilege="admin"), tmp_path / "win.json")
    return merge([tmp_path])


def test_index_shows_the_grid_features_and_links_every_table(matrix: dict[str, Any]) -> None:
    text = markdown.render(matrix)
    grid = text.split("## Which sockets can be created", 1)[1].split("## Features", 1)[0]
    assert "| AF\\_INET | Y Y ? | Y P · |  |  |" in grid  # STREAM, RAW, then the types only AF_X has
    assert "**N** (no) in every column, for every type: AF\\_X." in grid
    features = text.split("## Features", 1)[1].split("## Legend", 1)[0]
    assert "| IPv4 stream sockets | **Y** | **Y** | **?** |" in features
    tables = markdown.render_tables(matrix)
    linked = set(re.findall(r"\]\((tables/[^)]+\.md)\)", text))
    assert linked == set(tables), "index.md links exactly the tables written"


def test_tables_keep_rows_that_are_no_everywhere_and_escape_notes(matrix: dict[str, Any]) -> None:
    tables = markdown.render_tables(matrix)
    create = tables["tables/create-af-x.md"]
    assert "| `AF_X/SOCK_T1/0` | **N** `EAFNOSUPPORT` | **N** `EAFNOSUPPORT` | **?** |" in create
    constant = tables["tables/constant-tcp.md"]
    footnotes = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", constant, flags=re.M))
    assert any("a\\|b \\<script\\>" in note for note in footnotes.values()), footnotes
    for number in footnotes:
        assert f"[^{number}]" in constant.split("## Notes")[0], f"footnote {number} is never referenced"
    raw_row = next(line for line in tables["tables/create-af-inet.md"].splitlines() if "SOCK_RAW" in line)
    assert "**P** root `EPERM`" in raw_row


def test_csv_has_one_line_per_capability_and_platform(matrix: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_view.render(matrix))))
    assert len(rows) == len(matrix["rows"]) * len(matrix["platforms"])
    by_key = {(r["id"], r["platform"]): r for r in rows}
    user = by_key[("create/AF_INET/SOCK_RAW/IPPROTO_ICMP", USER)]
    assert (user["status"], user["conditions"], user["errno"]) == ("needs-privilege", "root", "EPERM")
    assert by_key[("constant/TCP_KEEPCNT", WINDOWS)]["status"] == "unknown"


def test_compat_export_is_bcd_shaped_and_valid(matrix: dict[str, Any]) -> None:
    exported = bcd.render(matrix)
    schema = json.loads((Path(bcd.__file__).parent / "compat.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(exported, schema)
    raw_support = exported["rows"]["create/AF_INET/SOCK_RAW/IPPROTO_ICMP#create"]["__compat"]["support"]
    assert raw_support["linux-x86_64-root"] == [
        {"version_added": "6.1", "releases": "6.1", "status": "supported"}
    ]
    (user,) = raw_support["linux-x86_64-user"]
    assert (user["version_added"], user["flags"]) == (
        False,
        [{"type": "capability", "name": "root", "value_to_set": None}],
    )


def site_files(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): p.read_text(encoding="utf-8")
        for p in directory.rglob("*")
        if p.is_file() and p.suffix in (".html", ".js")
    }


def test_site_is_self_contained_escaped_and_linked(matrix: dict[str, Any], tmp_path: Path) -> None:
    publish(matrix, tmp_path)
    site = tmp_path
    files = site_files(site)
    assert "index.html" in files and "features/inet-stream.html" in files
    for name, text in files.items():
        assert not re.search(r'(src|href)="(https?:)?//', text), f"{name} loads something from elsewhere"
        leak = "<script>alert" if name.endswith(".html") else "</script> *bold*"  # in a .js, only </ ends it
        assert leak not in text, f"{name} lets a note out"
        for target in re.findall(r'(?:src|href|data-data)="([^"#]+)"', text):
            assert (site / name).parent.joinpath(target).resolve().exists(), f"{name}: {target} is missing"
    constant_page = next(t for n, t in files.items() if n.startswith("data/areas/constant"))
    assert "<\\/script>" in constant_page
    landing = json.loads(files["data/landing.js"].split("=", 1)[1].rstrip(";\n"))
    assert landing["grid"]["hidden"] == ["AF_X"]
    assert [f[3] for f in landing["features"] if f[0] == "inet-stream"] == [["Y", "Y", "?"]]


def test_render_from_matrix_json_gives_the_same_views(matrix: dict[str, Any], tmp_path: Path) -> None:
    paths = publish(matrix, tmp_path / "out")
    names = {p.relative_to(tmp_path / "out").as_posix() for p in paths}
    assert {
        "matrix.json",
        "matrix.index.json",
        "index.md",
        "index.html",
        "matrix.csv",
        "compat.json",
        "schema/matrix-2.json",
        "schema/compat-1.json",
    } <= names
    again = matrix_file.load(tmp_path / "out" / "matrix.json")
    assert markdown.render(again) == (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    ids = {
        json.loads((tmp_path / "out" / "schema" / n).read_text())["$id"]
        for n in ("matrix-2.json", "compat-1.json")
    }
    assert ids == {"https://sockcompat.invalid/schema/matrix-2.json", bcd.SCHEMA_ID}


def test_a_python_refusal_reads_as_such_in_every_view(tmp_path: Path) -> None:
    row_id = "option/AF_VSOCK/SOCK_STREAM/0/AF_VSOCK.SO_VM_SOCKETS_BUFFER_SIZE"
    rep = report([obs(row_id, "unsupported", step="get", family="AF_VSOCK", type="SOCK_STREAM", proto="0")])
    rep["schema_version"] = 3
    for observation in rep["observations"]:
        observation.update({"layer": "python", "requirement": None})
    (tmp_path / "a.json").write_text(json.dumps(rep), encoding="utf-8")
    matrix = merge([tmp_path])
    table = markdown.render_tables(matrix)["tables/option-af-vsock.md"]
    assert "| **N** Python refused |" in table
    (line,) = list(csv.DictReader(io.StringIO(csv_view.render(matrix))))
    assert line["layer"] == "python"
    (statement,) = bcd.render(matrix)["rows"][f"{row_id}#get"]["__compat"]["support"]["linux-x86_64-root"]
    assert statement["notes"] == ["Python refused the call before the OS saw it"]
