"""The exception types more than one layer raises or catches, so no layer imports another for them."""

from __future__ import annotations


class DeadlineExceeded(Exception):
    """A probe step ran past its deadline; a hang is an observation, not a stuck run."""


class NotHonoured(Exception):
    """A call returned but did not do what it promises (a flag accepted and ignored, data that
    differs from what was sent): the host does not support the behaviour."""


class AutoloadAvoided(Exception):
    """socket() was not called: it would have loaded a kernel module (``not-applicable``)."""


class ChildCrashed(Exception):
    """An isolated probe's interpreter died instead of answering."""


class ReportError(Exception):
    """A report or matrix file that cannot be read or does not match its schema; one line to show."""
