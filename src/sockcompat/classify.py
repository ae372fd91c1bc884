"""What an error means: exception -> outcome word + normalized errno name (+ winerror).

The one place that decides. Probes catch, call ``classify``, and record; they never map errnos
themselves. The tables live in ``catalog.errnos`` and ``catalog.privilege``; this module holds
the judgement that needs evidence (who we are) beside them.
"""

from __future__ import annotations

import errno as errno_module
import socket
import sys
from collections.abc import Mapping
from typing import NamedTuple

from sockcompat.catalog.errnos import (
    ERRNO_OUTCOMES,
    LINUX_INTERNAL_ERRNOS,
    PERMISSION_ERRNOS,
    WINSOCK_ERRORS,
    canonical_name,
)
from sockcompat.catalog.requirements import Requirement
from sockcompat.errors import AutoloadAvoided, DeadlineExceeded, NotHonoured
from sockcompat.host.privilege import Privilege
from sockcompat.observation import Outcome

#: This OS's errno names (``errno.errorcode`` inverted keeps only one name per number).
HOST_ERRNO_NAMES: Mapping[str, int] = {
    **(LINUX_INTERNAL_ERRNOS if sys.platform.startswith("linux") else {}),
    **{name: value for name, value in vars(errno_module).items()
       if name.isupper() and isinstance(value, int)},
}

DETAIL_LIMIT = 160


class Classified(NamedTuple):
    outcome: Outcome
    errno: str | None
    winerror: int | None
    detail: str


def short(text: str) -> str:
    """A message trimmed to fit a report cell."""
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_LIMIT else text[: DETAIL_LIMIT - 1] + "…"


def errno_of(exc: OSError, names: Mapping[str, int] = HOST_ERRNO_NAMES) -> tuple[str | None, int | None]:
    """(normalized errno name, winerror). Winsock codes are named through their POSIX twin."""
    winerror = getattr(exc, "winerror", None)
    if isinstance(winerror, int) and winerror in WINSOCK_ERRORS:
        return WINSOCK_ERRORS[winerror], winerror
    if exc.errno is None:
        return None, winerror if isinstance(winerror, int) else None
    return canonical_name(exc.errno, names), winerror if isinstance(winerror, int) else None


def judge_permission(requirement: Requirement | None, privilege: Privilege) -> tuple[Outcome, str]:
    """EPERM/EACCES: a host setting, missing privilege, or policy — decided from evidence."""
    if requirement is not None and requirement.sysctl is not None:
        return "unavailable", f"refused by host setting {requirement.sysctl}"
    if requirement is not None:
        if privilege.holds(requirement.requires):
            return "blocked", f"refused although {requirement.requires} is held"
        return "needs-privilege", f"needs {requirement.requires} ({requirement.source})"
    if privilege.superuser:
        return "blocked", "refused to a superuser: policy (seccomp, LSM, sandbox)"
    return "needs-privilege", "refused unprivileged; no documented requirement"


def classify(
    exc: BaseException,
    *,
    privilege: Privilege,
    requirement: Requirement | None = None,
    errno_names: Mapping[str, int] = HOST_ERRNO_NAMES,
) -> Classified:
    """Turn what a probe step raised into an outcome; anything unforeseen is ``error``."""
    message = short(str(exc) or type(exc).__name__)
    if isinstance(exc, AutoloadAvoided):
        return Classified("not-applicable", None, None, message)
    if isinstance(exc, (DeadlineExceeded, socket.timeout)):
        return Classified("timeout", "ETIMEDOUT", None, message)
    if isinstance(exc, NotHonoured):
        return Classified("unsupported", None, None, message)
    if isinstance(exc, OSError):
        name, winerror = errno_of(exc, errno_names)
        if name is None:
            # Python refused before the OS was asked ("bad family", "AF_UNIX path too long").
            return Classified("unsupported", None, winerror, f"python: {message}")
        detail = short(exc.strerror or message)
        if name in PERMISSION_ERRNOS:
            outcome, why = judge_permission(requirement, privilege)
            return Classified(outcome, name, winerror, f"{detail}; {why}")
        if name in ERRNO_OUTCOMES:
            return Classified(ERRNO_OUTCOMES[name][0], name, winerror, detail)
        return Classified("error", name, winerror, detail)
    if isinstance(exc, (ValueError, OverflowError)):
        return Classified("unsupported", None, None, f"python: {message}")
    return Classified("error", None, None, f"{type(exc).__name__}: {message}")
