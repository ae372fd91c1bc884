"""The feature catalog: valid against its schema, ids unique, every pattern names rows the suites
really produce, and each combine rule decides as docs/features.md says."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import jsonschema
import pytest

from sockcompat import observation
from sockcompat.catalog import features
from sockcompat.catalog.features import Answer, Column, Feature, RowKey, RowPattern, Status
from sockcompat.catalog.inventory import names
from sockcompat.catalog.raw import RAW_CASES
from sockcompat.probes import constants, unix, unix_windows

from .surfaces import WINDOWS_PYTHON_FAMILIES, surface
from .test_unix_layers import FakeWinsock, windows_ctx

REPORTS = Path(__file__).resolve().parents[1] / "reports" / "hosts"
WINDOWS = "windows"


def catalog_json() -> dict[str, Any]:
    path = Path(features.__file__).with_name("features.json")
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


# ---- the data -----------------------------------------------------------------------------------

def test_catalog_validates_against_its_schema() -> None:
    schema = features.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in jsonschema.Draft202012Validator(schema).iter_errors(catalog_json())]
    assert not errors, "\n".join(errors)


def test_schema_id_carries_the_catalog_version() -> None:
    assert features.schema()["$id"].endswith(f"/{features.VERSION}.json")


def test_ids_are_unique() -> None:
    ids = [f.id for f in features.load()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_no_feature_repeats_a_pattern() -> None:
    repeated = [f.id for f in features.load() if len(set(f.decided_by)) != len(f.decided_by)]
    assert not repeated


def test_every_category_is_used_and_kept_together() -> None:
    """The schema's categories are the ones in use, and each sits in one block (the site and
    index.md list features in file order)."""
    in_order = [f.category for f in features.load()]
    blocks = [c for i, c in enumerate(in_order) if i == 0 or in_order[i - 1] != c]
    assert sorted(blocks) == sorted(set(in_order)), f"categories split: {blocks}"
    schema_categories = features.schema()["$defs"]["feature"]["properties"]["category"]["enum"]
    assert set(in_order) == set(schema_categories)


def test_statuses_cover_the_matrix_cell_statuses() -> None:
    """A column may hold any status a matrix cell has; evaluation must know each one."""
    assert set(observation.STATUSES) <= set(features.STATUSES)


def test_loader_reads_every_entry() -> None:
    assert [f.id for f in features.load()] == [e["id"] for e in catalog_json()["features"]]


def test_loader_refuses_another_version() -> None:
    with pytest.raises(features.FeatureCatalogError, match="features-0"):
        features.parse({**catalog_json(), "version": "features-0"})


# ---- patterns against the rows the suites produce -----------------------------------------------

def report_files() -> list[Path]:
    return sorted([*REPORTS.glob("*.json"), *REPORTS.glob("*.json.gz")])


def opened(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def observation_keys(path: Path) -> Iterator[RowKey]:
    """Published reports hold one observation per line: stream them instead of building a
    ~10 MB document per host. A file written otherwise is read whole."""
    found = False
    with opened(path) as lines:
        for line in lines:
            text = line.strip().rstrip(",")
            if text.startswith('{"') and text.endswith("}"):
                row = json.loads(text)
                if "step" in row and "outcome" in row:
                    found = True
                    yield row["id"], row["step"]
    if not found:
        with opened(path) as whole:
            yield from ((o["id"], o["step"]) for o in json.load(whole)["observations"])


@pytest.fixture(scope="session")
def published_rows() -> frozenset[RowKey]:
    files = report_files()
    if not files:
        pytest.skip("no published host reports next to the tests")
    return frozenset(key for path in files for key in observation_keys(path))


@pytest.fixture(scope="session")
def windows_rows() -> frozenset[RowKey]:
    """Rows the suites produce on a simulated Windows: AF_UNIX through ws2_32 (a fake Winsock) and
    through a Windows CPython surface, the constants inventory, and the raw rows (run on every host)."""
    fake = surface("win32", WINDOWS_PYTHON_FAMILIES)
    ctx = windows_ctx(fake)
    produced = [*unix_windows.os_layer(windows_ctx(), FakeWinsock()), *unix.python_layer(ctx),
                *(constants.probe(name, ctx) for name in names(fake))]
    raw_rows = {(case.id, step) for case in RAW_CASES for step in case.steps}
    return frozenset({o.key for o in produced} | raw_rows)


def unmatched(feature: Feature, rows: frozenset[RowKey]) -> list[RowPattern]:
    column = Column(dict.fromkeys(rows, "supported"))
    return [p for p in feature.decided_by if not column.rows_matching(p)]


@pytest.mark.parametrize("feature", [f for f in features.load() if f.category != WINDOWS], ids=lambda f: f.id)
def test_every_pattern_matches_published_rows(feature: Feature, published_rows: frozenset[RowKey]) -> None:
    missing = unmatched(feature, published_rows)
    assert not missing, f"{feature.id}: no published row for {missing}"


@pytest.mark.parametrize("feature", [f for f in features.load() if f.category == WINDOWS], ids=lambda f: f.id)
def test_windows_patterns_match_windows_or_published_rows(
        feature: Feature, published_rows: frozenset[RowKey], windows_rows: frozenset[RowKey]) -> None:
    missing = unmatched(feature, published_rows | windows_rows)
    assert not missing, f"{feature.id}: no row for {missing}"
    assert len(unmatched(feature, windows_rows)) < len(feature.decided_by), (
        f"{feature.id}: a Windows feature none of whose rows a Windows run produces")


# ---- evaluation ---------------------------------------------------------------------------------

def feature(combine: str, *patterns: RowKey) -> Feature:
    return Feature("f", "F", "tcp", "F.", combine,  # type: ignore[arg-type]
                   tuple(RowPattern(i, s) for i, s in patterns))


A, B, C = ("t/a", "x"), ("t/b", "x"), ("t/c", "x")
A2 = ("t/a", "y")  # a second step of the probe t/a
GLOB = ("t/*", "x")

Case = tuple[str, tuple[RowKey, ...], dict[RowKey, Status], Status, tuple[RowKey, ...]]

#: (combine, patterns, column, expected status, expected deciding rows)
EVALUATIONS: list[Case] = [
    # all: every row must be supported; else the most telling status wins
    ("all", (A, B), {A: "supported", B: "supported"}, "supported", (A, B)),
    ("all", (A, B), {A: "supported", B: "unsupported"}, "unsupported", (B,)),
    ("all", (A, A2), {A: "needs-privilege", A2: "unknown"}, "needs-privilege", (A,)),
    ("all", (A, B), {A: "needs-privilege", B: "unsupported"}, "unsupported", (B,)),
    ("all", (A, B), {A: "supported", B: "unknown"}, "unknown", (B,)),
    ("all", (GLOB,), {A: "supported", B: "supported", ("u/a", "x"): "unsupported"}, "supported", (A, B)),
    ("all", (A, B), {A: "supported"}, "supported", (A,)),  # a row the column lacks is no evidence
    ("all", (C,), {A: "supported"}, "unknown", ()),
    # any: one supported row suffices; else the status closest to a yes
    ("any", (A, B), {A: "unsupported", B: "supported"}, "supported", (B,)),
    ("any", (A, B), {A: "unsupported", B: "needs-privilege"}, "needs-privilege", (B,)),
    ("any", (A, B), {A: "no-constant", B: "unsupported"}, "unsupported", (B,)),
    ("any", (GLOB,), {A: "blocked", B: "unavailable"}, "blocked", (A,)),
    # each: one answer per id (its steps as all); mixed ids make partial
    ("each", (A, B), {A: "supported", B: "supported"}, "supported", (A, B)),
    ("each", (A, B), {A: "supported", B: "unsupported"}, "partial", (A, B)),
    ("each", (A, A2, B), {A: "supported", A2: "unsupported", B: "supported"}, "partial", (A, A2, B)),
    ("each", (A, A2, B), {A: "supported", A2: "supported", B: "partial"}, "partial", (A, A2, B)),
    ("each", (A, B), {A: "supported", B: "unknown"}, "unknown", (B,)),
    ("each", (A, B, C), {A: "supported", B: "unknown", C: "no-constant"}, "partial", (A, B, C)),
    ("each", (A, B), {A: "needs-privilege", B: "unsupported"}, "needs-privilege", (A,)),
    ("each", (GLOB,), {A: "unsupported", B: "unsupported"}, "unsupported", (A, B)),
]


@pytest.mark.parametrize(("combine", "patterns", "column", "status", "rows"), EVALUATIONS)
def test_evaluate(combine: str, patterns: tuple[RowKey, ...], column: dict[RowKey, Status],
                  status: Status, rows: tuple[RowKey, ...]) -> None:
    got = features.evaluate(feature(combine, *patterns), column)
    assert got == Answer(status, rows), f"{combine} {column}: got {got}; want {Answer(status, rows)}"


def test_every_combine_rule_has_cases() -> None:
    assert {case[0] for case in EVALUATIONS} == set(features.COMBINES)


@pytest.mark.parametrize("status", [s for s in features.STATUSES if s != "supported"])
def test_a_lone_row_keeps_its_status_under_every_rule(status: Status) -> None:
    for combine in features.COMBINES:
        assert features.evaluate(feature(combine, A), {A: status}) == Answer(status, (A,))


def test_glob_scan_agrees_with_fnmatch() -> None:
    """The prefix-indexed scan finds exactly what a plain fnmatch over every id finds."""
    import fnmatch

    ids = ["create/AF_INET/SOCK_RAW/IPPROTO_TCP", "create/AF_INET6/SOCK_RAW/IPPROTO_TCP",
           "create/AF_INET/SOCK_STREAM/0", "transfer/AF_INET/SOCK_RAW/x", "create/AF_UNIX/SOCK_RAW/0"]
    column = Column({(i, "create"): "supported" for i in ids})
    for glob in ("create/AF_INET*/SOCK_RAW/*", "create/*/SOCK_RAW/*", "create/AF_INET/SOCK_[RS]*/*",
                 "create/AF_INET?/SOCK_RAW/IPPROTO_TCP", "c*"):
        want = sorted(i for i in ids if fnmatch.fnmatchcase(i, glob))
        assert sorted(i for i, _ in column.rows_matching(RowPattern(glob, "create"))) == want, glob
