"""The words of the data contract agree wherever they are written: the outcome and status
vocabularies in ``observation.py``, the schemas' enums, and the legend every view shows."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sockcompat.catalog import features
from sockcompat.observation import (
    CONDITION_KINDS,
    LAYERS,
    OUTCOMES,
    REQUIREMENT_KINDS,
    STATUS_OF_OUTCOME,
    STATUSES,
)
from sockcompat.render.symbols import LOOKS


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(resources.files("sockcompat.report").joinpath(name).read_text())
    return loaded


def test_outcome_words_are_the_report_schemas_enum() -> None:
    assert list(OUTCOMES) == schema("schema.json")["$defs"]["outcome"]["enum"]


def test_outcome_words_are_the_matrix_schemas_enum() -> None:
    assert list(OUTCOMES) == schema("matrix.schema.json")["$defs"]["outcome"]["enum"]


def test_statuses_are_the_matrix_schemas_enum_and_the_legend() -> None:
    assert list(STATUSES) == schema("matrix.schema.json")["$defs"]["status"]["enum"]
    assert list(LOOKS) == list(STATUSES)


def test_every_outcome_has_a_status() -> None:
    assert set(STATUS_OF_OUTCOME) == set(OUTCOMES)
    assert set(STATUS_OF_OUTCOME.values()) <= set(STATUSES)


def test_the_feature_catalog_speaks_the_matrix_statuses() -> None:
    assert features.STATUSES == STATUSES


def test_every_status_looks_unlike_every_other() -> None:
    """Letter and shape each tell statuses apart on their own (no emoji font, no colour needed)."""
    for part in ("letter", "shape", "label"):
        values = [getattr(look, part) for look in LOOKS.values()]
        assert len(set(values)) == len(values), f"{part}s repeat: {values}"
    assert all(len(look.letter) == 1 and look.letter.isascii() for look in LOOKS.values())


def test_condition_kinds_are_the_matrix_schemas_enum() -> None:
    assert (
        list(CONDITION_KINDS)
        == schema("matrix.schema.json")["$defs"]["condition"]["properties"]["kind"]["enum"]
    )


def test_layers_and_requirement_kinds_are_the_report_schemas_enums() -> None:
    fields = schema("schema.json")["$defs"]["observation"]["properties"]
    assert [*LAYERS, None] == fields["layer"]["enum"]
    assert list(REQUIREMENT_KINDS) == fields["requirement"]["oneOf"][1]["properties"]["kind"]["enum"]
