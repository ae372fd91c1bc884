"""Hooks other pytest plugins (or a conftest.py) implement to extend a sockcompat host report."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.hookspec
def pytest_sockcompat_host_facts(config: pytest.Config) -> dict[str, Any] | None:
    """Facts about this host that sockcompat does not gather itself (a CI runner image, a VM
    flavour, a container tag), as a JSON-able dict; every implementation's dict is merged into the
    report's ``host.extra``, later keys winning. Called in every process that probes (xdist
    workers too), once per run."""
