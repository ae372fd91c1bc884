"""Merging host reports into the matrix: the hosts' own words, version ranges, conditions as data,
columns with traits, conflicts, compressed and incomplete reports, bad input."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from sockcompat.cli.main import main
from sockcompat.cli.publish import Progress
from sockcompat.errors import ReportError
from sockcompat.observation import OUTCOMES, STATUS_OF_OUTCOME
from sockcompat.report import host_report
from sockcompat.report import matrix as matrix_file
from sockcompat.report.merge import MergeError, merge, version_range
from tests.hostreports import Terminal, obs, raw, report, stream

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


COLUMN = "linux-6.1-x86_64-root"
USER_COLUMN = "linux-6.1-x86_64-user"
PING = "create/AF_INET/SOCK_DGRAM/IPPROTO_ICMP"
PING_NAMES = {"family": "AF_INET", "type": "SOCK_DGRAM", "proto": "IPPROTO_ICMP"}


def write_json(directory: Path, name: str, data: dict[str, Any]) -> Path:
    """A report as given, unchecked: for fields the current writer does not produce (schema 3)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def with_fields(rep: dict[str, Any], row_id: str, **fields: Any) -> dict[str, Any]:
    """``rep`` with extra fields on the observation ``row_id`` (what a schema 3 report records)."""
    for observation in rep["observations"]:
        observation.update({"layer": None, "requirement": None})  # schema 3: on every observation
        if observation["id"] == row_id:
            observation.update(fields)
    rep["schema_version"] = 3
    return rep


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_a_cell_keeps_the_hosts_word(tmp_path: Path, outcome: str) -> None:
    """Only the "could not tell" outcomes fold into one status; every other word survives merge."""
    write(tmp_path, "a.json", report([stream(outcome)]))
    got = cell(merge([tmp_path]), "create/AF_INET/SOCK_STREAM/0", COLUMN)
    want = "unknown" if outcome in ("timeout", "not-reached", "error") else outcome
    assert got["status"] == want == STATUS_OF_OUTCOME[outcome], f"{outcome}: got {got['status']}; want {want}"


def test_root_and_user_columns(tmp_path: Path) -> None:
    write(tmp_path, "root.json", report([raw("supported"), stream()], privilege="root"))
    write(tmp_path, "user.json", report([raw("needs-privilege", "EPERM"), stream()], privilege="user"))
    matrix = merge([tmp_path])
    assert [p["id"] for p in matrix["platforms"]] == [COLUMN, USER_COLUMN]
    user = cell(matrix, "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", USER_COLUMN)
    assert (user["status"], user["errno"]) == ("needs-privilege", ["EPERM"])
    assert cell(matrix, "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", COLUMN)["status"] == "supported"
    differs = {r["id"]: r["differs"] for r in matrix["rows"]}
    assert differs == {"create/AF_INET/SOCK_RAW/IPPROTO_ICMP": True, "create/AF_INET/SOCK_STREAM/0": False}
    matrix_file.check(matrix, "merged")


CONDITIONS = [
    # what the report recorded -> the condition the cell names (merge never consults the catalog)
    (
        "schema 3: the requirement the host judged by",
        "needs-privilege",
        {"requirement": {"kind": "capability", "name": "CAP_NET_ADMIN", "source": "man 7 packet"}},
        "",
        {"kind": "capability", "name": "CAP_NET_ADMIN", "value": None, "source": "man 7 packet"},
    ),
    (
        "schema 3: the superuser, a privilege to hold",
        "needs-privilege",
        {"requirement": {"kind": "root", "name": "root", "source": "raw(7)"}},
        "",
        {"kind": "capability", "name": "root", "value": None, "source": "raw(7)"},
    ),
    (
        "schema 3: a module",
        "unavailable",
        {"requirement": {"kind": "module", "name": "sctp", "source": "lsmod"}},
        "",
        {"kind": "module", "name": "sctp", "value": None, "source": "lsmod"},
    ),
    (
        "schema 2: a sysctl named in the detail, with the host's value",
        "unavailable",
        {},
        "refused by host setting net.ipv4.ping_group_range",
        {
            "kind": "sysctl",
            "name": "net.ipv4.ping_group_range",
            "value": "1 0",
            "source": "the host's detail",
        },
    ),
    (
        "schema 2: needs-privilege without a requirement: the privilege label, not the catalog's CAP_NET_RAW",
        "needs-privilege",
        {},
        "",
        {"kind": "capability", "name": "root", "value": None, "source": "the privilege label"},
    ),
]


@pytest.mark.parametrize(
    ("why", "outcome", "fields", "detail", "want"), CONDITIONS, ids=[c[0] for c in CONDITIONS]
)
def test_conditions_are_what_the_host_recorded(
    tmp_path: Path, why: str, outcome: str, fields: dict[str, Any], detail: str, want: dict[str, Any]
) -> None:
    rep = report([obs(PING, outcome, "EACCES", detail=detail, **PING_NAMES)], privilege="user")
    rep["host"]["sysctls"] = {"net.ipv4.ping_group_range": "1 0"}
    write_json(tmp_path, "user.json", with_fields(rep, PING, **fields) if fields else rep)
    got = cell(merge([tmp_path]), PING, USER_COLUMN)
    assert got["conditions"] == [want], f"{why}: got {got['conditions']}"


def test_a_python_refusal_is_marked_as_such(tmp_path: Path) -> None:
    rep = report(
        [
            obs(
                "option/AF_VSOCK/SOCK_STREAM/0/AF_VSOCK.SO_VM_SOCKETS_BUFFER_SIZE",
                "unsupported",
                step="get",
                detail="getsockopt string buffer not allowed",
            )
        ]
    )
    write_json(tmp_path, "a.json", with_fields(rep, rep["observations"][0]["id"], layer="python"))
    got = cell(merge([tmp_path]), rep["observations"][0]["id"], COLUMN, step="get")
    assert (got["status"], got["layer"], got["statements"][0]["layer"]) == ("unsupported", "python", "python")


TRAITS = [
    ({}, [], "Linux 6.1 x86_64 (root)"),
    (
        {"kernel_modules": {"loadable": False, "loaded_during_run": None}},
        ["no-modules"],
        "Linux 6.1 x86_64 (root) · no loadable modules",
    ),
    (
        {
            "container": {
                "dockerenv": True,
                "containerenv": False,
                "cgroup_mentions_container": False,
                "wsl": False,
            }
        },
        ["container"],
        "Linux 6.1 x86_64 (root) · container",
    ),
]


@pytest.mark.parametrize(("facts", "traits", "label"), TRAITS)
def test_columns_name_the_traits_that_explain_gaps(
    tmp_path: Path, facts: dict[str, Any], traits: list[str], label: str
) -> None:
    rep = report([stream()])
    rep["host"].update(facts)
    write_json(tmp_path, "a.json", rep)
    (platform,) = merge([tmp_path])["platforms"]
    assert (platform["traits"], platform["label"]) == (traits, label)
    assert platform["id"] == "-".join([COLUMN, *traits])


def test_support_since_a_python_version(tmp_path: Path) -> None:
    for version, outcome in (("3.9.18", "no-constant"), ("3.10.13", "supported"), ("3.12.1", "supported")):
        write(
            tmp_path, f"{version}.json", report([obs("constant/TCP_X", outcome, value=None)], python=version)
        )
    got = cell(merge([tmp_path]), "constant/TCP_X", COLUMN, step="lookup")
    assert (got["status"], got["versions"]) == ("supported", "3.10+")
    assert [(s["outcome"], s["python"]) for s in got["statements"]] == [
        ("no-constant", "≤3.9"),
        ("supported", "3.10+"),
    ]


def test_disagreement_not_explained_by_version_is_partial(tmp_path: Path) -> None:
    write(tmp_path, "a.json", report([stream("supported")], release="6.1.0"))
    write(tmp_path, "b.json", report([stream("unsupported")], release="6.1.99"))
    got = cell(merge([tmp_path]), "create/AF_INET/SOCK_STREAM/0", COLUMN)
    assert got["status"] == "partial"
    assert got["evidence"] == [0, 1]


def test_conflicting_reports_of_one_host_identity_are_shown(tmp_path: Path) -> None:
    write(tmp_path, "run1.json", report([stream("supported")]))
    write(tmp_path, "run2.json", report([stream("timeout")], started="2026-11-24T11:00:00+00:00"))
    matrix = merge([tmp_path])
    got = cell(matrix, "create/AF_INET/SOCK_STREAM/0", COLUMN)
    assert len(got["conflicts"]) == 1
    assert got["conflicts"][0]["outcomes"] == ["supported", "timeout"]
    assert matrix["newest_run"] == "2026-11-24T11:00:00+00:00"


def test_compressed_reports_merge_like_plain_ones(tmp_path: Path) -> None:
    plain = write(tmp_path / "plain", "a.json", report([raw("needs-privilege", "EPERM"), stream()]))
    packed = tmp_path / "packed"
    packed.mkdir()
    (packed / "a.json.gz").write_bytes(gzip.compress(plain.read_bytes()))
    want, got = merge([tmp_path / "plain"]), merge([packed])
    assert got["rows"] == want["rows"] and got["hosts"][0]["file"] == "a.json.gz"


def test_incomplete_runs_are_left_out_unless_asked(tmp_path: Path) -> None:
    write(tmp_path, "complete.json", report([stream()]))
    partial = report([raw("supported")], privilege="user")
    partial["run"]["complete"] = False
    write_json(tmp_path, "partial.json", partial)
    matrix = merge([tmp_path])
    assert [h["file"] for h in matrix["hosts"]] == ["complete.json"]
    assert [s["file"] for s in matrix["skipped"]] == ["partial.json"]
    assert "incomplete run" in matrix["skipped"][0]["error"]
    assert len(merge([tmp_path], include_incomplete=True)["hosts"]) == 2


@pytest.mark.parametrize(
    ("tty", "elapsed", "want"),
    [
        (True, 2.0, "\rmerge: 3/9\n"),
        (True, 0.5, ""),  # a short merge stays silent
        (False, 2.0, ""),  # never into a pipe or a log
    ],
)
def test_progress_line_only_on_a_terminal_after_a_second(
    monkeypatch: pytest.MonkeyPatch, tty: bool, elapsed: float, want: str
) -> None:
    stream_ = Terminal(tty)
    progress = Progress("merge", stream_)
    monkeypatch.setattr("sockcompat.cli.publish.time.monotonic", lambda: progress.started + elapsed)
    progress(3, 9)
    progress.close()
    assert stream_.getvalue() == want


def test_features_are_answered_per_column(tmp_path: Path) -> None:
    write(tmp_path, "root.json", report([stream()], privilege="root"))
    write(tmp_path, "user.json", report([stream("blocked")], privilege="user"))
    features = {f["id"]: f for f in merge([tmp_path])["features"]}
    assert features["inet-stream"]["answers"] == {COLUMN: "supported", USER_COLUMN: "blocked"}
    assert features["inet-stream"]["rows"] == [["create/AF_INET/SOCK_STREAM/0", "create"]]


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
    assert main(["merge", str(inputs), "--output", str(out), "--on-invalid", "skip"]) == 0
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs.iterdir()}
    assert before == after, "merge modified its inputs"
    matrix = matrix_file.load(out / "matrix.json")
    assert [s["file"] for s in matrix["skipped"]] == ["truncated.json"]
    assert [h["file"] for h in matrix["hosts"]] == [good.name]
    assert sorted(p.name for p in out.iterdir()) == [
        "areas", "assets", "compat.json", "data", "features", "index.html", "index.md",
        "matrix.csv", "matrix.index.json", "matrix.json", "schema", "tables",
    ]  # fmt: skip


def test_folders_are_searched_recursively_and_hidden_files_ignored(tmp_path: Path) -> None:
    write(tmp_path / "artifact-1", "a.json", report([stream()]))
    write(tmp_path / "artifact-2", "b.json", report([stream()], privilege="user"))
    (tmp_path / ".sockcompat-tmp.json").write_text("{", encoding="utf-8")
    assert len(merge([tmp_path])["hosts"]) == 2


def test_no_reports_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MergeError, match="no report files"):
        merge([tmp_path])


def test_matrix_schema_rejects_a_bad_status(tmp_path: Path) -> None:
    write(tmp_path, "a.json", report([stream()]))
    matrix = merge([tmp_path])
    matrix["rows"][0]["cells"][COLUMN]["status"] = "maybe"
    with pytest.raises(ReportError, match="status"):
        matrix_file.check(matrix, "m")
    matrix["rows"][0]["cells"][COLUMN]["status"] = "supported"
    matrix["rows"][0]["cells"][COLUMN]["evidence"] = [7]
    with pytest.raises(ReportError, match="unlisted host"):
        matrix_file.check(matrix, "m")


def test_written_matrix_round_trips(tmp_path: Path) -> None:
    write(tmp_path, "a.json", report([raw("supported"), stream()]))
    matrix = merge([tmp_path])
    path, _ = matrix_file.write(matrix, tmp_path / "out" / "matrix.json")
    assert matrix_file.load(path, validate=True) == json.loads(json.dumps(matrix))


def test_the_index_points_at_every_row(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.json",
        report([raw("supported"), stream(), obs("constant/TCP_X", "supported", detail="é ü")]),
    )
    matrix = merge([tmp_path])
    path, _ = matrix_file.write(matrix, tmp_path / "out" / "matrix.json")
    index = matrix_file.load_index(path)
    assert index is not None
    assert matrix_file.read_rows(path, index["rows"]) == json.loads(json.dumps(matrix["rows"]))
    path.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert matrix_file.load_index(path) is None, "an index for another version of the file was used"


def test_observed_otherwise_than_documented_is_noted(tmp_path: Path) -> None:
    """A report that disagrees with the OS documentation says so in the matrix cell's notes."""
    rep = report([raw("supported", None)], privilege="user")
    rep["documented"] = [
        {
            "id": "create/AF_INET/SOCK_RAW/IPPROTO_ICMP",
            "step": "create",
            "documented": "needs-privilege",
            "observed": "supported",
            "agrees": False,
            "source": "raw(7)",
        }
    ]
    write(tmp_path, "a.json", rep)
    got = cell(merge([tmp_path]), "create/AF_INET/SOCK_RAW/IPPROTO_ICMP", USER_COLUMN)
    assert got["notes"][0] == "observed supported, documented needs-privilege (raw(7))"


def test_a_wine_column_notes_where_wine_and_documented_windows_part(tmp_path: Path) -> None:
    """Windows documents AF_UNIX stream sockets; Wine 8.0 has none. The Wine column says both."""
    unix = obs("create/AF_UNIX/SOCK_STREAM/0", "unsupported", "EAFNOSUPPORT", family="AF_UNIX",
               type="SOCK_STREAM", proto="0")
    rep = report([unix, stream()], os_name="win32", privilege="admin", release="10")
    rep["host"]["wine"] = {"version": "8.0"}
    write(tmp_path, "wine.json", rep)
    matrix = merge([tmp_path])
    (column,) = [p["id"] for p in matrix["platforms"]]
    notes = cell(matrix, "create/AF_UNIX/SOCK_STREAM/0", column)["notes"]
    assert notes[0].startswith("Wine answered unsupported; Windows documents supported ("), notes
    agreed = cell(matrix, "create/AF_INET/SOCK_STREAM/0", column)["notes"]
    assert not any(n.startswith("Wine") for n in agreed), agreed


def test_provenance_sidecars_are_not_reports(tmp_path: Path) -> None:
    write(tmp_path, "a.json", report([stream()]))
    (tmp_path / "setup").mkdir()
    (tmp_path / "setup" / "a.setup.json").write_text('{"setup": []}')
    matrix = merge([tmp_path])
    assert len(matrix["hosts"]) == 1 and matrix["skipped"] == []
