"""``sockcompat show TERM``: features first, then rows, from the index beside matrix.json (or from
the whole matrix, a file or a URL, when there is none); what was left out is said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sockcompat.cli.main import main
from sockcompat.cli.publish import publish
from sockcompat.observation import Observation
from sockcompat.report import host_report
from sockcompat.report import matrix as matrix_file
from sockcompat.report.merge import merge
from tests.hostreports import obs, raw, report, stream

REUSEPORT = "option/{}/SOCK_STREAM/0/SOL_SOCKET.SO_REUSEPORT"


def reuseport(family: str, outcome: str, errno: str | None = None) -> list[Observation]:
    names = {"family": family, "type": "SOCK_STREAM", "proto": "0"}
    return [
        obs(REUSEPORT.format(family), "supported", step="get", value=0, **names),
        obs(REUSEPORT.format(family), outcome, errno, step="set", **names),
        obs(REUSEPORT.format(family) + "_LB", "no-constant", step="set", **names),
    ]


@pytest.fixture
def matrix_path(tmp_path: Path) -> Path:
    host_report.write(
        report(
            [
                obs("constant/TCP_KEEPCNT", "supported", value=6),
                raw("supported"),
                stream(),
                *reuseport("AF_INET", "supported"),
                *reuseport("AF_UNIX", "unsupported", "EOPNOTSUPP"),
            ]
        ),
        tmp_path / "linux.json",
    )
    host_report.write(
        report(
            [
                obs("constant/TCP_KEEPCNT", "no-constant"),
                raw("needs-privilege", "EACCES"),
                stream(),
                *reuseport("AF_INET", "supported"),
                *reuseport("AF_UNIX", "unsupported", "EOPNOTSUPP"),
            ],
            os_name="win32",
            release="11",
            privilege="user",
        ),
        tmp_path / "win.json",
    )
    publish(merge([tmp_path]), tmp_path / "site")
    return tmp_path / "site" / "matrix.json"


def show(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["show", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_constant_per_platform(matrix_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = show(capsys, "tcp_keepcnt", "--matrix", str(matrix_path))
    assert code == 0
    assert out.splitlines()[-3:] == [
        "constant/TCP_KEEPCNT [lookup]",
        "  Linux 6.1 x86_64 (root)   Y yes value 6",
        "  Windows 11 x86_64 (user)  C not in Python",
    ]


def test_an_option_per_socket_kind_with_what_was_left_out(
    matrix_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = show(capsys, "SO_REUSEPORT", "--matrix", str(matrix_path))
    assert code == 0
    assert out.startswith("'SO_REUSEPORT': 5 features, 4 rows (4 option) matched by whole name")
    assert out.index("feature SO_REUSEPORT on AF_UNIX stream") < out.index("option/AF_INET/")
    unix_set = out.split(REUSEPORT.format("AF_UNIX") + " [set]\n", 1)[1].splitlines()[0]
    assert unix_set == "  every column: N no (EOPNOTSUPP)"
    assert "_LB [" not in out
    assert "left out: 2 rows whose names only contain the text (SO_REUSEPORT_LB)" in out


def test_words_narrow_the_match(matrix_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = show(capsys, "SO_REUSEPORT AF_UNIX", "--matrix", str(matrix_path))
    assert "AF_INET/" not in out and REUSEPORT.format("AF_UNIX") + " [set]" in out


def test_json_for_scripts(matrix_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = show(capsys, "SO_REUSEPORT", "--json", "--matrix", str(matrix_path))
    data = json.loads(out)
    assert code == 0 and data["matched_by"] == "name"
    assert sorted((r["id"], r["step"]) for r in data["rows"]) == sorted(
        (REUSEPORT.format(f), s) for f in ("AF_INET", "AF_UNIX") for s in ("get", "set")
    )
    assert [e[0] for e in data["left_out"]] == [REUSEPORT.format(f) + "_LB" for f in ("AF_INET", "AF_UNIX")]


def test_without_index_or_from_a_url_the_answer_is_the_same(
    matrix_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, with_index, _ = show(capsys, "SOCK_RAW", "--matrix", str(matrix_path))

    def no_full_validation(*args: object) -> None:
        raise AssertionError("show validated the whole schema")

    monkeypatch.setattr(matrix_file, "check", no_full_validation)
    _, from_url, _ = show(capsys, "SOCK_RAW", "--matrix", matrix_path.as_uri())
    matrix_path.with_name(matrix_file.INDEX_NAME).unlink()
    _, without_index, _ = show(capsys, "SOCK_RAW", "--matrix", str(matrix_path))
    assert with_index == from_url == without_index
    assert "Windows 11 x86_64 (user)  P needs privilege administrator (EACCES)" in with_index


@pytest.mark.parametrize(
    ("term", "code", "message"),
    [
        ("", 2, "give a name or a word"),
        ("   ", 2, "give a name or a word"),
        ("AF_NOPE", 1, "nothing matches 'AF_NOPE'"),
    ],
)
def test_empty_and_unmatched_terms(
    matrix_path: Path, capsys: pytest.CaptureFixture[str], term: str, code: int, message: str
) -> None:
    got, _, err = show(capsys, term, "--matrix", str(matrix_path))
    assert (got, message in err) == (code, True), err


def test_not_a_matrix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    host_report.write(report([stream()]), tmp_path / "a-report.json")
    code, _, err = show(capsys, "AF_INET", "--matrix", str(tmp_path / "a-report.json"))
    assert code == 2 and "not a sockcompat matrix" in err


def test_a_feature_by_name_shows_the_rows_behind_it(
    matrix_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = show(capsys, "inet-stream", "--matrix", str(matrix_path))
    assert code == 0
    assert out.splitlines()[0] == "'inet-stream': 1 feature, 1 row (1 create) behind the features"
    assert "create/AF_INET/SOCK_STREAM/0 [create]\n  every column: Y yes" in out
