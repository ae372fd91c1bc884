"""Merging host reports into the matrix: statuses, version ranges, conditions, conflicts, bad input."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from sockcompat.cli.main import main
from sockcompat.errors import ReportError
from sockcompat.report import host_report
from sockcompat.report import matrix as matrix_file
from sockcompat.report.merge import MergeError, merge, version_range
from tests.hostreports import obs, raw, report, stream

V = [(3, 9), (3, 10), (3, 11), (3, 12), (3, 13)]

VERSION_RANGES = [
    ({(3, 10), (3, 11), (3, 12), (3, 13)}, V, "3.10+"),
    ({(3, 9), (3, 10)}, V, "≤3.10"),
    ({(3, 10), (3, 11)}, V, "3.10-3.11"),
    ({(3, 9), (3, 11)}, V, "3.9, 3.11"),
    (set(V), V, "3.9-3.13"),
    ({(3, 11)}, [(3, 11)], "3.11"),
    (set(), V, ""),
]


@pytest.mark.parametrize(("chosen", "observed", "want"), VERSION_RANGES)
def test_version_range(chosen: set[tuple[int, ...]], observed: list[tuple[int, ...]], want: str) -> None:
    assert version_range(chosen, observed) == want


def write(directory: Path, name: str, data: dict[str, Any]) -> Path:
    path = directory / name
    host_report.write(data, path)
    return path


def cell(matrix: dict[str, Any], id_: str, platform: str, step: str = "create") -> dict[str, Any]:
    rows = [r for r in matrix["rows"] if r["id"] == id_ and r["step"] == step]
    assert len(rows) == 1, f"{id_} [{step}]: got {len(rows)} rows; want 1"
    result: dict[str, Any] = rows[0]["cells"][platform]
    return result


def test_root_and_user_columns(tmp_path: Path) -> None:
    write(tmp_path, "root.json", report([raw("supported"), stream()], privilege="root"))
    write(tmp_path, "user.json", report([raw("needs-privilege", "EPERM"), stream()], privilege="user"))
    matrix = merge([tmp_path])
    assert [p["id"] for p in matrix["platforms"]] == ["linux-6.1-root", "linux-6.1-user"]
    user = cell(matrix, "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "linux-6.1-user")
    assert (user["status"], user["conditions"], user["errno"]) == (
        "needs-privilege",
        ["CAP_NET_RAW"],
        ["EPERM"],
    )
    assert cell(matrix, "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "linux-6.1-root")["status"] == "supported"
    differs = {r["id"]: r["differs"] for r in matrix["rows"]}
    assert differs == {"create/AF_INET/SOCK_RAW/IPPROTO_ICMP": True, "create/AF_INET/SOCK_STREAM/0": False}
    matrix_file.check(matrix, "merged")


def test_support_since_a_python_version(tmp_path: Path) -> None:
    for version, outcome in (("3.9.18", "no-constant"), ("3.10.13", "supported"), ("3.12.1", "supported")):
        write(
            tmp_path, f"{version}.json", report([obs("constant/TCP_X", outcome, value=None)], python=version)
        )
    got = cell(merge([tmp_path]), "constant/TCP_X", "linux-6.1-root", step="lookup")
    assert (got["status"], got["versions"]) == ("supported", "3.10+")
    assert [(s["outcome"], s["python"]) for s in got["statements"]] == [
        ("no-constant", "≤3.9"),
        ("supported", "3.10+"),
    ]


def test_disagreement_not_explained_by_version_is_partial(tmp_path: Path) -> None:
    write(tmp_path, "a.json", report([stream("supported")], release="6.1.0"))
    write(tmp_path, "b.json", report([stream("unsupported")], release="6.1.99"))
    got = cell(merge([tmp_path]), "create/AF_INET/SOCK_STREAM/0", "linux-6.1-root")
    assert got["status"] == "partial"
    assert got["evidence"] == [0, 1]


def test_conflicting_reports_of_one_host_identity_are_shown(tmp_path: Path) -> None:
    write(tmp_path, "run1.json", report([stream("supported")]))
    write(tmp_path, "run2.json", report([stream("timeout")], started="2026-11-24T11:00:00+00:00"))
    matrix = merge([tmp_path])
    got = cell(matrix, "create/AF_INET/SOCK_STREAM/0", "linux-6.1-root")
    assert len(got["conflicts"]) == 1
    assert got["conflicts"][0]["outcomes"] == ["supported", "timeout"]
    assert matrix["newest_run"] == "2026-11-24T11:00:00+00:00"


def test_ping_socket_condition_is_the_sysctl(tmp_path: Path) -> None:
    ping = obs(
        "create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP",
        "unavailable",
        "EACCES",
        family="AF_INET",
        type="SOCK_DGRAM",
        proto="IPPROTO_ICMP",
    )
    write(tmp_path, "user.json", report([ping], privilege="user"))
    got = cell(merge([tmp_path]), "create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP", "linux-6.1-user")
    assert got["conditions"] == ["sysctl net.ipv4.ping_group_range"]


BAD_INPUTS = [
    ("truncated.json", '{"schema_version": 1, "observations": [', "not JSON"),
    ("foreign.json", '{"name": "left-pad", "version": "1.3.0"}', "required property"),
    ("empty.json", "", "not JSON"),
    ("latin1.json", b"\xff\xfe{}", "not UTF-8"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_INPUTS)
def test_bad_report_is_refused_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str | bytes, reason: str
) -> None:
    inputs = tmp_path / "in"
    write(inputs, "good.json", report([stream()]))
    bad = inputs / name
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = tmp_path / "out"
    assert main(["merge", str(inputs), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{name}: " in err and reason in err, err
    assert not out.exists()


def test_skip_leaves_bad_reports_out_and_lists_them(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    good = write(inputs, "good.json", report([stream()]))
    (inputs / "truncated.json").write_text('{"observations": [', encoding="utf-8")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()}
    out = tmp_path / "out"
    assert main(["merge", str(inputs), "--output", str(out), "--on-invalid", "skip", "--jobs", "1"]) == 0
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()}
    assert before == after, "merge modified its inputs"
    matrix = matrix_file.load(out / "matrix.json")
    assert [s["file"] for s in matrix["skipped"]] == ["truncated.json"]
    assert [h["file"] for h in matrix["hosts"]] == [good.name]
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "index.md", "matrix.csv", "matrix.json"]


def test_folders_are_searched_recursively_and_hidden_files_ignored(tmp_path: Path) -> None:
    write(tmp_path / "artifact-1", "a.json", report([stream()]))
    write(tmp_path / "artifact-2", "b.json", report([stream()], privilege="user"))
    (tmp_path / ".sockcompat-tmp.json").write_text("{", encoding="utf-8")
    assert len(merge([tmp_path])["hosts"]) == 2


def test_no_reports_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MergeError, match="no report files"):
        merge([tmp_path])


def test_parallel_validation_gives_the_same_matrix(tmp_path: Path) -> None:
    for i, privilege in enumerate(("root", "user", "root")):
        write(
            tmp_path,
            f"{i}.json",
            report(
                [raw("supported" if i != 1 else "needs-privilege", None), stream()],
                privilege=privilege,
                python=f"3.{10 + i}.0",
            ),
        )
    assert merge([tmp_path], jobs=2) == merge([tmp_path], jobs=1)


def test_matrix_schema_rejects_a_bad_status(tmp_path: Path) -> None:
    write(tmp_path, "a.json", report([stream()]))
    matrix = merge([tmp_path])
    matrix["rows"][0]["cells"]["linux-6.1-root"]["status"] = "maybe"
    with pytest.raises(ReportError, match="status"):
        matrix_file.check(matrix, "m")
    matrix["rows"][0]["cells"]["linux-6.1-root"]["status"] = "supported"
    matrix["rows"][0]["cells"]["linux-6.1-root"]["evidence"] = [7]
    with pytest.raises(ReportError, match="unlisted host"):
        matrix_file.check(matrix, "m")


def test_written_matrix_round_trips(tmp_path: Path) -> None:
    write(tmp_path, "a.json", report([raw("supported"), stream()]))
    matrix = merge([tmp_path])
    path = matrix_file.write(matrix, tmp_path / "out" / "matrix.json")
    assert matrix_file.load(path) == json.loads(json.dumps(matrix))


def test_observed_otherwise_than_documented_is_noted(tmp_path: Path) -> None:
    """A report that disagrees with the OS documentation says so in the matrix cell's notes."""
    rep = report([raw("supported", None)], privilege="user")
    rep["documented"] = [{"id": "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "step": "create",
                          "documented": "needs-privilege", "observed": "supported", "agrees": False,
                          "source": "raw(7)"}]
    write(tmp_path, "a.json", rep)
    got = cell(merge([tmp_path]), "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", "linux-6.1-user")
    assert got["notes"][0] == "observed supported, documented needs-privilege (raw(7))"


def test_provenance_sidecars_are_not_reports(tmp_path: Path) -> None:
    write(tmp_path, "a.json", report([stream()]))
    (tmp_path / "setup").mkdir()
    (tmp_path / "setup" / "a.setup.json").write_text('{"setup": []}')
    matrix = merge([tmp_path])
    assert len(matrix["hosts"]) == 1 and matrix["skipped"] == []
