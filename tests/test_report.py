"""Host reports: building, naming, writing, and validation with good and bad files."""

from __future__ import annotations

import copy
import gzip
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sockcompat.cli.main import main
from sockcompat.errors import ReportError
from sockcompat.host import environment, privilege
from sockcompat.observation import Observation
from sockcompat.report import host_report, schema_check, validate
from sockcompat.report.baseline import Baseline
from sockcompat.report.diff import diff_files
from sockcompat.report.validate import check, load

RUN = {"started": "2026-11-24T17:00:00+00:00", "duration_s": 1.5, "pytest_args": [], "workers": 0,
       "deadline_s": 5.0}


@pytest.fixture(scope="module")
def good() -> dict[str, Any]:
    observations = [
        Observation(id="create/AF_INET/SOCK_STREAM/0", area="create", step="create", outcome="supported",
                    family="AF_INET", family_num=2, type="SOCK_STREAM", type_num=1, proto="0", proto_num=0,
                    value=1),
        Observation(id="create/AF_CAN/SOCK_RAW/CAN_RAW", area="create", step="create", outcome="unsupported",
                    errno="EAFNOSUPPORT", detail="Address family not supported by protocol"),
    ]
    host = environment.collect(privilege.current(), None)
    return host_report.build(reversed(observations), host, RUN)


def test_good_report_validates_and_is_sorted(good: dict[str, Any], tmp_path: Path) -> None:
    path = host_report.write(good, tmp_path / "r.json")
    assert path.stat().st_mode & 0o777 == 0o644  # published data, not a private temp file
    loaded = load(path)
    assert [o["id"] for o in loaded["observations"]] == sorted(o["id"] for o in good["observations"])
    assert loaded == json.loads(json.dumps(good))


def test_one_observation_per_line(good: dict[str, Any]) -> None:
    text = host_report.dumps(good)
    assert sum(1 for line in text.splitlines() if line.startswith('{"area"')) == 2


def test_host_id_names_identity_not_the_machine(good: dict[str, Any]) -> None:
    name = host_report.host_id(good["host"])
    assert name.startswith(good["host"]["os"] + "-")
    assert name.endswith("-" + good["host"]["privilege"]["label"])
    import socket

    assert socket.gethostname().lower() not in name.split("-")


def test_host_carries_nothing_identifying(good: dict[str, Any]) -> None:
    import socket

    text = json.dumps(good["host"])
    assert socket.gethostname() not in text
    for address in _non_loopback_addresses():
        assert address not in text


def _non_loopback_addresses() -> list[str]:
    import ipaddress

    import psutil

    found = []
    for addresses in psutil.net_if_addrs().values():
        for a in addresses:
            try:
                ip = ipaddress.ip_address(a.address.split("%")[0])
            except ValueError:
                continue  # MAC addresses: checked below by family
            if not ip.is_loopback:
                found.append(a.address)
    return found


def mutate(report: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    bad = copy.deepcopy(report)
    target = bad
    for part in path[:-1]:
        target = target[part]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return bad


BAD = {
    "unknown outcome": (("observations", 0, "outcome"), "maybe", "observations[0].outcome"),
    "missing step": (("observations", 1, "step"), KeyError, "observations[1]"),
    "alias errno": (("observations", 0, "errno"), "enotsup", "observations[0].errno"),
    "extra field": (("observations", 0, "hostname"), "box", "observations[0]"),
    "wrong schema version": (("schema_version",), 99, "schema_version"),
    "identifying host field": (("host", "hostname"), "box", "host"),
    "negative duration": (("run", "duration_s"), -1, "run.duration_s"),
}


@pytest.mark.parametrize(("path", "value", "field"), BAD.values(), ids=list(BAD))
def test_bad_report_names_the_field(good: dict[str, Any], path: tuple[Any, ...], value: Any,
                                    field: str) -> None:
    with pytest.raises(ReportError) as info:
        check(mutate(good, path, value), "r.json")
    message = str(info.value)
    assert message.startswith(f"r.json: {field}")
    assert "\n" not in message


def test_truncated_and_foreign_files(good: dict[str, Any], tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.json"
    truncated.write_text(host_report.dumps(good)[:200])
    foreign = tmp_path / "package.json"
    foreign.write_text('{"name": "left-pad", "version": "1.3.0"}')
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ReportError, match=r"truncated\.json: not JSON"):
        load(truncated)
    with pytest.raises(ReportError, match=r"package\.json: \(top level\): .* is a required property"):
        load(foreign)
    with pytest.raises(ReportError, match=r"binary\.json: not UTF-8"):
        load(binary)
    with pytest.raises(ReportError, match="cannot read"):
        load(tmp_path / "absent.json")


def test_cli_validate(good: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok = host_report.write(good, tmp_path / "ok.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(mutate(good, ("observations", 0, "outcome"), "maybe")))
    before = bad.read_bytes(), ok.read_bytes()
    assert main(["validate", str(ok)]) == 0
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"invalid: {bad}: observations[0].outcome: 'maybe' is not one of "
                   "['supported', 'unsupported', 'no-constant', 'needs-privilege', 'blocked', "
                   "'unavailable', 'timeout', 'not-applicable', 'not-reached', 'error']"]
    assert (bad.read_bytes(), ok.read_bytes()) == before  # nothing is overwritten


def test_documented_outcomes_are_compared() -> None:
    """macOS documents no SOCK_SEQPACKET for AF_UNIX: a host that creates one disagrees, and says so."""
    seqpacket = Observation(id="create/AF_UNIX/SOCK_SEQPACKET/0", area="create", step="create",
                            outcome="supported")
    stream = Observation(id="create/AF_UNIX/SOCK_STREAM/0", area="create", step="create", outcome="supported")
    undocumented = Observation(id="create/AF_INET/SOCK_SEQPACKET/0", area="create", step="create",
                               outcome="unsupported")
    rows = host_report.compare_with_documentation([seqpacket, stream, undocumented], "darwin", "user")
    assert [(r["id"], r["documented"], r["agrees"]) for r in rows] == [
        ("create/AF_UNIX/SOCK_SEQPACKET/0", "unsupported", False),
        ("create/AF_UNIX/SOCK_STREAM/0", "supported", True),
    ]
    assert all(r["source"] for r in rows)


def test_documented_rows_follow_privilege() -> None:
    raw = Observation(id="create/AF_INET/SOCK_RAW/IPPROTO_ICMP", area="create", step="create",
                      outcome="needs-privilege", errno="EPERM")
    as_user = host_report.compare_with_documentation([raw], "linux", "user")
    as_root = host_report.compare_with_documentation([raw], "linux", "root")
    assert as_user[0]["agrees"]
    assert (as_root[0]["documented"], as_root[0]["agrees"]) == ("supported", False)


def test_version_1_reports_stay_valid(good: dict[str, Any]) -> None:
    old = {k: v for k, v in good.items() if k != "documented"}
    old["schema_version"] = 1
    old["run"] = {k: v for k, v in good["run"].items() if k != "no_autoload"}
    check(old, "old.json")



def test_version_2_reports_without_layer_or_requirement_stay_valid(good: dict[str, Any]) -> None:
    old = copy.deepcopy(good)
    old["schema_version"] = 2
    for observation in old["observations"]:
        del observation["layer"], observation["requirement"]
    check(old, "old.json")


def test_layer_and_requirement_are_checked(good: dict[str, Any]) -> None:
    judged = mutate(good, ("observations", 0, "requirement"),
                    {"kind": "capability", "name": "CAP_NET_RAW", "source": "raw(7)"})
    check(mutate(judged, ("observations", 0, "layer"), "os"), "r.json")
    with pytest.raises(ReportError, match=r"observations\[0\]\.layer"):
        check(mutate(good, ("observations", 0, "layer"), "kernel"), "r.json")
    with pytest.raises(ReportError, match=r"observations\[0\]\.requirement"):
        check(mutate(good, ("observations", 0, "requirement"), {"kind": "mood", "name": "x", "source": ""}),
              "r.json")


READERS = {
    "validate.load": load,
    "baseline": lambda path: Baseline(path).states,
    "diff": lambda path: diff_files(path, path),
}


@pytest.mark.parametrize("reader", READERS.values(), ids=list(READERS))
def test_compressed_reports_are_read_everywhere(good: dict[str, Any], tmp_path: Path,
                                               reader: Callable[[Path], Any]) -> None:
    plain = host_report.write(good, tmp_path / "plain" / "r.json")
    packed = host_report.write(good, tmp_path / "packed" / "r.json", compress=True)
    assert packed.name == "r.json.gz"
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    assert reader(packed) == reader(plain)


def test_compressed_reports_are_reproducible(good: dict[str, Any], tmp_path: Path) -> None:
    """No timestamp and no file name inside the gzip header: the same report, the same bytes."""
    first = host_report.write(good, tmp_path / "a" / "r.json.gz", compress=True).read_bytes()
    second = host_report.write(good, tmp_path / "b" / "other.json", compress=True).read_bytes()
    assert first == second


def test_a_truncated_compressed_report_is_one_line(good: dict[str, Any], tmp_path: Path) -> None:
    packed = host_report.write(good, tmp_path / "r.json", compress=True)
    packed.write_bytes(packed.read_bytes()[:60])
    with pytest.raises(ReportError, match=r"r\.json\.gz: truncated gzip data"):
        load(packed)
    packed.write_bytes(b"not gzip at all")
    with pytest.raises(ReportError, match=r"r\.json\.gz: cannot read"):
        load(packed)


@pytest.fixture
def standard_library_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Neither fastjsonschema nor jsonschema importable: CPython's Windows build under Wine
    (jsonschema's rpds does not load there), or a bare system Python driving tools/wine-host."""
    monkeypatch.setitem(sys.modules, "fastjsonschema", None)
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    validate.fast_check.cache_clear()
    validate.validator.cache_clear()
    yield
    validate.fast_check.cache_clear()
    validate.validator.cache_clear()


@pytest.mark.parametrize(("path", "value", "field"), BAD.values(), ids=list(BAD))
def test_bad_report_names_the_field_without_validation_libraries(
        good: dict[str, Any], path: tuple[Any, ...], value: Any, field: str,
        standard_library_only: None) -> None:
    with pytest.raises(ReportError) as info:
        check(mutate(good, path, value), "r.json")
    assert str(info.value).startswith(f"r.json: {field}")


def test_cli_validate_without_validation_libraries(good: dict[str, Any], tmp_path: Path,
                                                   standard_library_only: None) -> None:
    ok = host_report.write(good, tmp_path / "ok.json")
    assert main(["validate", str(ok)]) == 0
    (tmp_path / "bad.json").write_text(json.dumps(mutate(good, ("run", "duration_s"), -1)))
    assert main(["validate", str(tmp_path)]) == 1


MUTATIONS = [*BAD.values(),
             (("run", "started"), "yesterday", "run.started"),
             (("host", "privilege", "label"), "wheel", "host.privilege.label"),
             (("host", "wine"), {"version": "8.0", "host_system": "Linux"}, ""),
             (("host", "wine"), {"host_system": "Linux"}, "host.wine"),
             (("observations", 0, "value"), 1.0, ""),
             (("observations", 0, "requirement"), {"kind": "mood", "name": "x", "source": ""},
              "observations[0].requirement"),
             (("observations", 0, "requirement"), {"kind": "sysctl", "name": "net.x", "source": "s"}, ""),
             (("documented",), [], "")]


@pytest.mark.parametrize(("path", "value", "field"), MUTATIONS)
def test_standard_library_check_agrees_with_fastjsonschema(good: dict[str, Any], path: tuple[Any, ...],
                                                           value: Any, field: str) -> None:
    """The oracle is a library this project did not write: both must give the same verdict."""
    import fastjsonschema

    document = mutate(good, path, value)
    oracle = fastjsonschema.compile(validate.schema())
    try:
        oracle(document)
        expected = None
    except fastjsonschema.JsonSchemaValueException:
        expected = "invalid"
    try:
        schema_check.check(validate.schema(), document)
        got = None
    except schema_check.Violation as violation:
        got = "invalid"
        assert violation.where.startswith(field)
    assert got == expected
    assert (expected is None) == (field == "")


def test_schema_keywords_the_check_does_not_know_are_refused() -> None:
    with pytest.raises(schema_check.UnknownKeyword, match="anyOf"):
        schema_check.check({"oneOf": [{"type": "null"}, {"anyOf": [{"type": "string"}]}]}, "x")
