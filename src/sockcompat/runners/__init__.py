"""Running the suites somewhere else than this process: as another user, in a qemu guest, under Wine."""

from __future__ import annotations

from collections.abc import Sequence


def passthrough(arguments: Sequence[str]) -> list[str]:
    """The pytest arguments given after ``sockcompat ... --``, without that ``--``."""
    extra = list(arguments)
    return extra[1:] if extra[:1] == ["--"] else extra
