"""The ``sockcompat`` command: ``run`` and ``validate`` here, publishing in ``cli.publish``."""

from sockcompat.cli.main import main

__all__ = ["main"]
