"""The constants inventory: every socket-module name this host has, and every name other
platforms have, looked up once (``sockcompat.catalog.inventory`` decides the set)."""

from __future__ import annotations

import socket

import pytest

from sockcompat.catalog.inventory import names
from sockcompat.plugin import Recorder
from sockcompat.probes import constants
from sockcompat.probes.context import ProbeContext

NAMES = names(socket)


@pytest.mark.parametrize("name", NAMES)
def test_constant(name: str, probe_context: ProbeContext, record: Recorder) -> None:
    record(constants.probe(name, probe_context))
