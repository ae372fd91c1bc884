"""The suites' short fixture names: the plugin defines prefixed ones (``sockcompat_record``,
``sockcompat_probe_context``) so that it takes no generic name from other projects."""

from __future__ import annotations

import pytest

from sockcompat import ProbeContext, Recorder


@pytest.fixture(scope="session")
def probe_context(sockcompat_probe_context: ProbeContext) -> ProbeContext:
    return sockcompat_probe_context


@pytest.fixture
def record(sockcompat_record: Recorder) -> Recorder:
    return sockcompat_record
