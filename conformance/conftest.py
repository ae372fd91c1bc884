"""The suites' short fixture names: the plugin defines prefixed ones (``sockcompat_record``,
``sockcompat_probe_context``) so that it takes no generic name from other projects."""

from __future__ import annotations

import pytest

from sockcompat import ProbeContext, Recorder, probe_context_for, recorder_for


@pytest.fixture(scope="session")
def probe_context(pytestconfig: pytest.Config) -> ProbeContext:
    return probe_context_for(pytestconfig)


@pytest.fixture
def record(request: pytest.FixtureRequest) -> Recorder:
    return recorder_for(request)
