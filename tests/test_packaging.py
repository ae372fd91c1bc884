"""The package as PyPI and its users see it: metadata that agrees with itself, a light install for
probing, and (slow) a wheel and sdist built from this checkout that ``twine check --strict``
passes, the sdist carrying what its own tests read."""

from __future__ import annotations

import email
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
PROBING = {"pytest", "pytest-xdist", "psutil"}


def requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_probing_installs_only_what_probing_needs() -> None:
    assert requirement_names(PROJECT["dependencies"]) == PROBING
    assert requirement_names(PROJECT["optional-dependencies"]["publish"]) == {"jsonschema", "fastjsonschema",
                                                                             "jinja2"}
    assert "sockcompat[publish]" in PROJECT["optional-dependencies"]["test"]


def test_the_license_file_is_the_license_the_metadata_names() -> None:
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_typed_and_runnable_as_a_module() -> None:
    assert (ROOT / "src" / "sockcompat" / "py.typed").is_file()
    assert "Typing :: Typed" in PROJECT["classifiers"]
    done = subprocess.run([sys.executable, "-m", "sockcompat", "--version"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and done.stdout.startswith("sockcompat ")


def mentioned_repositories() -> set[str]:
    """Every ``owner/sockcompat`` the project points people at: URLs, ``uses:`` lines, defaults."""
    files = [ROOT / "pyproject.toml", ROOT / "README.md", ROOT / "action.yml", *(ROOT / "docs").rglob("*.md"),
             *(ROOT / "docs").rglob("*.yml"), *(ROOT / ".github").rglob("*.yml")]
    found: set[str] = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"github\.com/([\w.-]+/sockcompat)\b", text))
        found |= set(re.findall(r"uses: ([\w.-]+/sockcompat)[/@]", text))
        found |= set(re.findall(r"default: ([\w.-]+/sockcompat)\s*$", text, re.MULTILINE))
    return found


def test_every_place_names_the_same_repository() -> None:
    urls = PROJECT["urls"]
    repository = urls["Repository"].removeprefix("https://github.com/")
    assert all(url.startswith(urls["Repository"]) for url in urls.values())
    mentioned = mentioned_repositories()
    assert mentioned == {repository}, f"other repositories named: {sorted(mentioned - {repository})}"


def test_the_sdist_is_told_to_carry_what_the_tests_read() -> None:
    included = set(PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]["include"])
    read_by_tests = set()
    for path in (ROOT / "tests").rglob("*.py"):
        read_by_tests |= set(re.findall(r'(?:ROOT|REPO) / "([^"]+)"', path.read_text(encoding="utf-8")))
    assert read_by_tests <= included


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"build failed: {done.stderr[-2000:]}")
    return out


@pytest.mark.slow
def test_twine_check_strict_passes_on_wheel_and_sdist(dist: Path) -> None:
    files = sorted(str(p) for p in dist.iterdir())
    assert len(files) == 2
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *files],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_the_wheel_metadata(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_string(archive.read(metadata_name).decode("utf-8"))
    assert "sockcompat/py.typed" in names
    assert "sockcompat/conformance/test_create.py" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert metadata["License-Expression"] == "MIT"
    requires: list[str] = metadata.get_all("Requires-Dist") or []
    assert requirement_names([r for r in requires if "extra ==" not in r]) == PROBING
    urls: list[str] = metadata.get_all("Project-URL") or []
    assert {u.split(", ")[0] for u in urls} == set(PROJECT["urls"])


@pytest.mark.slow
def test_the_sdist_carries_docs_github_and_tests(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for needed in ("LICENSE", "action.yml", "docs/ci-gate.md", "docs/examples/socket-gate.yml",
                   ".github/workflows/conformance.yml", ".github/workflows/probe-merge-publish.yml",
                   ".github/scripts/run-as-standard-user.ps1", "tests/test_workflows.py",
                   "conformance/test_create.py", "tox.ini"):
        assert needed in names, needed
