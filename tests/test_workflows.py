"""The GitHub workflows, offline: valid against the published workflow schema (as vendored by
check-jsonschema), pinned labels and action majors, and every tox env or label they call exists."""

from __future__ import annotations

import configparser
import json
import re
import shlex
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

#: Action majors from the CI reference (runner images and action releases, 2026-08).
ACTIONS = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "actions/upload-artifact": "v7",
    "actions/download-artifact": "v8",
    "actions/upload-pages-artifact": "v5",
    "actions/deploy-pages": "v5",
}
RUNNERS = {"ubuntu-24.04", "ubuntu-24.04-arm", "macos-15", "macos-15-intel", "windows-2025", "windows-11-arm"}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


def workflow_schema() -> dict[str, Any]:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor").joinpath("github-workflows.json")
    schema: dict[str, Any] = json.loads(vendored.read_text(encoding="utf-8"))
    return schema


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def tox_config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "tox.ini", encoding="utf-8")
    return parser


def tox_envs_and_labels() -> tuple[set[str], set[str]]:
    config = tox_config()
    envs = {e.strip() for e in config["tox"]["env_list"].split(",")}
    envs |= {s.split(":", 1)[1] for s in config.sections() if s.startswith("testenv:")}
    labels = {line.split("=", 1)[0].strip() for line in config["tox"]["labels"].splitlines() if "=" in line}
    return envs, labels


def tox_calls(script: str) -> list[tuple[str, str]]:
    """("env" | "label", name) for each ``tox ... -e X`` / ``-m X`` in a run script."""
    calls = []
    for line in script.splitlines():
        if not re.match(r"\s*tox\b", line):
            continue
        words = shlex.split(line)
        for flag, value in zip(words, words[1:]):
            if flag == "-e":
                calls += [("env", v) for v in value.split(",")]
            elif flag == "-m":
                calls.append(("label", value))
    return calls


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} == {"conformance.yml", "tests.yml"}


def schema_error(workflow: Any) -> str | None:
    schema = workflow_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(workflow))
    return None if error is None else f"{'/'.join(map(str, error.absolute_path))}: {error.message}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_github_schema(path: Path) -> None:
    assert schema_error(load(path)) is None, path.name


BREAKAGES = [
    ("a misspelled key", lambda w: w["jobs"]["probe"].update({"runs_on": w["jobs"]["probe"].pop("runs-on")})),
    ("a cron that is a number", lambda w: w["on"].update({"schedule": [{"cron": 5}]})),
    ("a step with neither run nor uses", lambda w: w["jobs"]["merge"]["steps"].append({"name": "nothing"})),
]


@pytest.mark.parametrize(("what", "breaks"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_the_schema_check_catches(what: str, breaks: Any) -> None:
    workflow = load(ROOT / ".github" / "workflows" / "conformance.yml")
    breaks(workflow)
    assert schema_error(workflow) is not None, f"{what} passed the schema"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_current_majors(path: Path) -> None:
    for step in steps(load(path)):
        if "uses" in step:
            action, _, version = step["uses"].partition("@")
            assert ACTIONS.get(action) == version, (
                f"{path.name}: {step['uses']}: want {action}@{ACTIONS.get(action)}"
            )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_runner_labels_are_explicit(path: Path) -> None:
    for name, job in load(path)["jobs"].items():
        labels = job.get("strategy", {}).get("matrix", {}).get("runner", [job["runs-on"]])
        for label in labels:
            assert label in RUNNERS, f"{path.name} {name}: runner {label!r} is not a pinned label"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_tox_env_a_workflow_calls_exists(path: Path) -> None:
    envs, labels = tox_envs_and_labels()
    calls = [call for step in steps(load(path)) for call in tox_calls(step.get("run", ""))]
    assert calls, f"{path.name} calls no tox env"
    for kind, name in calls:
        assert name in (envs if kind == "env" else labels), (
            f"{path.name}: tox {kind} {name!r} is not in tox.ini"
        )


def test_conformance_matrix_keeps_going_and_publishes_even_when_cells_fail() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "conformance.yml")
    probe = workflow["jobs"]["probe"]
    assert probe["strategy"]["fail-fast"] is False
    assert set(probe["strategy"]["matrix"]["privilege"]) == {"privileged", "unprivileged"}
    upload = next(s for s in probe["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    for key in ("runner", "python", "privilege"):
        assert f"matrix.{key}" in upload["with"]["name"], "artifact names must be unique per cell"
    assert "cancelled()" in workflow["jobs"]["merge"]["if"]
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_windows_standard_user_script_exists() -> None:
    workflow = (ROOT / ".github" / "workflows" / "conformance.yml").read_text(encoding="utf-8")
    for script in re.findall(r"\./(\.github/scripts/[\w.-]+)", workflow):
        assert (ROOT / script).is_file(), script


def test_tox_labels_cover_every_probe_env() -> None:
    config = tox_config()
    labels = {
        k.strip(): {e.strip() for e in v.split(",")}
        for k, v in (line.split("=", 1) for line in config["tox"]["labels"].splitlines() if "=" in line)
    }
    probes = {e.strip() for e in config["tox"]["env_list"].split(",")} - {"report"}
    assert labels["probe"] == probes
    assert labels["publish"] == probes | {"report"}
