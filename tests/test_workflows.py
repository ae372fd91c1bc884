"""The GitHub workflows, the action and the docs' example workflow, offline: valid against the
published workflow and action schemas (as vendored by check-jsonschema), pinned labels and action
majors, every tox env or label they call exists, and the conformance run behaves (the schedule
deploys, each cell uploads only its own report, pull requests run a subset, deploys are never
cancelled)."""

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
EXAMPLE = ROOT / "docs" / "examples" / "socket-gate.yml"
ACTION = ROOT / "action.yml"
CONFORMANCE = ROOT / ".github" / "workflows" / "conformance.yml"
REUSABLE = ROOT / ".github" / "workflows" / "probe-merge-publish.yml"

#: Action majors from the CI reference (runner images and action releases, 2026-08).
ACTIONS = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "actions/upload-artifact": "v7",
    "actions/download-artifact": "v8",
    "actions/upload-pages-artifact": "v5",
    "actions/deploy-pages": "v5",
    "sockcompat/sockcompat": "v1",  # this repository's action, as the docs tell users to pin it
}
RUNNERS = {"ubuntu-24.04", "ubuntu-24.04-arm", "macos-15", "macos-15-intel", "windows-2025", "windows-11-arm"}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


def vendored_schema(name: str) -> dict[str, Any]:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor").joinpath(name)
    schema: dict[str, Any] = json.loads(vendored.read_text(encoding="utf-8"))
    return schema


def workflow_schema() -> dict[str, Any]:
    return vendored_schema("github-workflows.json")


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """Every step of every job; an action's steps too (``runs.steps``)."""
    if "runs" in workflow:
        return list(workflow["runs"]["steps"])
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
    assert {p.name for p in WORKFLOWS} == {"conformance.yml", "probe-merge-publish.yml", "tests.yml"}


def schema_error(workflow: Any, schema_name: str = "github-workflows.json") -> str | None:
    schema = vendored_schema(schema_name)
    validator = jsonschema.validators.validator_for(schema)(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(workflow))
    return None if error is None else f"{'/'.join(map(str, error.absolute_path))}: {error.message}"


@pytest.mark.parametrize("path", [*WORKFLOWS, EXAMPLE], ids=lambda p: p.name)
def test_workflow_matches_the_github_schema(path: Path) -> None:
    assert schema_error(load(path)) is None, path.name


def test_action_matches_the_github_schema() -> None:
    assert schema_error(load(ACTION), "github-actions.json") is None
    broken = load(ACTION)
    broken["runs"]["using"] = "compost"
    assert schema_error(broken, "github-actions.json") is not None


BREAKAGES = [
    ("a misspelled key", lambda w: w["jobs"]["probe"].update({"runs_on": w["jobs"]["probe"].pop("runs-on")})),
    ("a step with neither run nor uses", lambda w: w["jobs"]["merge"]["steps"].append({"name": "nothing"})),
    ("an input of no type", lambda w: w["on"]["workflow_call"]["inputs"]["runners"].update({"type": "list"})),
]


@pytest.mark.parametrize(("what", "breaks"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_the_schema_check_catches(what: str, breaks: Any) -> None:
    workflow = load(REUSABLE)
    breaks(workflow)
    assert schema_error(workflow) is not None, f"{what} passed the schema"


@pytest.mark.parametrize("path", [*WORKFLOWS, EXAMPLE, ACTION], ids=lambda p: p.name)
def test_actions_are_pinned_to_current_majors(path: Path) -> None:
    for step in steps(load(path)):
        if "uses" in step and not step["uses"].startswith("./"):
            action, _, version = step["uses"].partition("@")
            assert ACTIONS.get(action) == version, (
                f"{path.name}: {step['uses']}: want {action}@{ACTIONS.get(action)}"
            )


def labels_in(value: Any) -> set[str]:
    """Runner labels in a ``runs-on``, a matrix list or a JSON-in-an-expression input."""
    if isinstance(value, list):
        return {str(v) for v in value}
    if "${{" in str(value):
        return set(re.findall(r'"([a-z0-9.-]+-[a-z0-9.-]+)"', str(value)))
    return {str(value)}


@pytest.mark.parametrize("path", [*WORKFLOWS, EXAMPLE], ids=lambda p: p.name)
def test_runner_labels_are_explicit(path: Path) -> None:
    labels: set[str] = set()
    for job in load(path)["jobs"].values():
        labels |= labels_in(job.get("strategy", {}).get("matrix", {}).get("runner", job.get("runs-on", [])))
        labels |= labels_in(job.get("with", {}).get("runners", []))
    labels = {label for label in labels if "matrix." not in label}
    assert labels <= RUNNERS, f"{path.name}: not pinned labels: {sorted(labels - RUNNERS)}"


@pytest.mark.parametrize("path", [*WORKFLOWS, EXAMPLE], ids=lambda p: p.name)
def test_every_tox_env_a_workflow_calls_exists(path: Path) -> None:
    envs, labels = tox_envs_and_labels()
    for kind, name in [call for step in steps(load(path)) for call in tox_calls(step.get("run", ""))]:
        assert name in (envs if kind == "env" else labels), (
            f"{path.name}: tox {kind} {name!r} is not in tox.ini"
        )


def branches(expression: str) -> tuple[list[Any], list[Any]]:
    """The two JSON literals of ``cond && 'A' || 'B'``: (pull request cells, every other event)."""
    literals = re.findall(r"'(\[[^']*\])'", expression)
    assert len(literals) == 2, expression
    return json.loads(literals[0]), json.loads(literals[1])


def test_pull_requests_probe_a_subset_and_main_the_whole_matrix() -> None:
    call = load(CONFORMANCE)["jobs"]["conformance"]
    assert "pull_request" in call["with"]["runners"]
    pr_runners, all_runners = branches(call["with"]["runners"])
    pr_pythons, all_pythons = branches(call["with"]["pythons"])
    privileges = json.loads(call["with"]["privileges"])
    excluded = json.loads(call["with"]["exclude"])
    assert len(pr_runners) * len(pr_pythons) * len(privileges) <= 6
    assert set(all_runners) == RUNNERS
    assert (len(all_runners) * len(all_pythons) - len(excluded)) * len(privileges) == 78
    assert call["uses"] == "./.github/workflows/probe-merge-publish.yml"


def test_the_schedule_deploys_from_main() -> None:
    text = CONFORMANCE.read_text(encoding="utf-8")
    assert "default_branch" not in text  # schedule events carry no repository payload
    deploy = load(CONFORMANCE)["jobs"]["conformance"]["with"]["deploy"]
    assert "github.ref == 'refs/heads/main'" in deploy and "schedule" not in deploy
    assert "schedule" in load(CONFORMANCE)["on"]


def test_no_newer_run_cancels_a_deploy() -> None:
    concurrency = load(CONFORMANCE)["concurrency"]
    assert concurrency["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    deploy = load(REUSABLE)["jobs"]["deploy"]
    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_each_cell_uploads_only_its_own_report_from_the_temp_folder() -> None:
    probe = load(REUSABLE)["jobs"]["probe"]
    assert probe["strategy"]["fail-fast"] is False
    upload = next(s for s in probe["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "${{ steps.probe.outputs.report }}"
    for key in ("runner", "python", "privilege"):
        assert f"matrix.{key}" in upload["with"]["name"], "artifact names must be unique per cell"
    probe_step = next(s for s in load(ACTION)["runs"]["steps"] if s.get("id") == "probe")
    assert 'out="$RUNNER_TEMP/sockcompat"' in probe_step["run"]
    assert "cancelled()" in load(REUSABLE)["jobs"]["merge"]["if"]


def test_the_action_has_the_inputs_and_output_the_docs_promise() -> None:
    action = load(ACTION)
    assert set(action["inputs"]) >= {"python-version", "privilege", "suites", "baseline"}
    assert "report" in action["outputs"]
    docs = (ROOT / "docs" / "ci-gate.md").read_text(encoding="utf-8")
    for name in action["inputs"]:
        assert f"| `{name}` |" in docs, f"docs/ci-gate.md does not describe the input {name}"
    used = [s["with"] for s in steps(load(EXAMPLE)) if s.get("uses", "").startswith("sockcompat/")]
    assert used and all(set(w) <= set(action["inputs"]) for w in used)


def test_the_light_install_is_what_the_action_installs() -> None:
    install = next(s for s in load(ACTION)["runs"]["steps"] if s.get("name") == "Install sockcompat")
    assert '"$spec"' in install["run"] and "[publish]" in install["run"]
    assert 'if [ -n "$BASELINE" ]' in install["run"]  # the extra only to validate a baseline


def test_the_docs_show_the_example_workflow_verbatim() -> None:
    docs = (ROOT / "docs" / "ci-gate.md").read_text(encoding="utf-8")
    assert EXAMPLE.read_text(encoding="utf-8").rstrip() in docs
    assert "docs/examples/socket-gate.yml" in docs


def test_the_windows_standard_user_script_exists() -> None:
    scripts = re.findall(r"/(\.github/scripts/[\w.-]+)", ACTION.read_text(encoding="utf-8"))
    assert scripts
    for script in scripts:
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
