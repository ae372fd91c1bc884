"""The constants inventory: every socket-module name this host has, and every name other
platforms have, looked up once (``sockcompat.catalog.inventory`` decides the set)."""

from __future__ import annotations

import socket

import pytest

from sockcompat import ProbeContext, Recorder, constant_names
from sockcompat.probes import constants

NAMES = constant_names(socket)


@pytest.mark.parametrize("name", NAMES)
def test_constant(name: str, probe_context: ProbeContext, record: Recorder) -> None:
    record(constants.probe(name, probe_context))
