"""The constants inventory: every socket-module name this host has, and every name other
platforms have, looked up once (``sockcompat.catalog.inventory`` decides the set)."""

from __future__ import annotations

import socket

import pytest

from sockcompat import Observed, constant_names, run_context
from sockcompat.probes import constants

pytestmark = pytest.mark.sockcompat  # each test returns its observations

NAMES = constant_names(socket)


@pytest.mark.parametrize("name", NAMES)
def test_constant(name: str) -> Observed:
    return constants.probe(name, run_context())
