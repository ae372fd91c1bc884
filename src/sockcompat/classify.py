"""What an error means: exception -> outcome word, normalized errno name (+ winerror), the layer
that refused, and the documented requirement the verdict was judged against.

The one place that decides. Probes catch, call ``classify``, and record; they never map errnos
themselves. The tables live in ``catalog.errnos`` and ``catalog.requirements``; this module holds
the judgement that needs evidence (who we are, which call it was) beside them.
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
    step_meaning,
)
from sockcompat.catalog.platforms import platform_key
from sockcompat.catalog.requirements import Requirement, host_setting
from sockcompat.errors import AutoloadAvoided, DeadlineExceeded, NotHonoured
from sockcompat.host.privilege import Privilege
from sockcompat.observation import Layer, Outcome

#: This OS's errno names (``errno.errorcode`` inverted keeps only one name per number), plus the
#: Linux kernel-internal numbers old kernels leak.
HOST_ERRNO_NAMES: Mapping[str, int] = {
    **(LINUX_INTERNAL_ERRNOS if sys.platform.startswith("linux") else {}),
    **{name: value for name, value in vars(errno_module).items()
       if name.isupper() and isinstance(value, int)},
}

#: The platform a probe runs on unless told (a simulated surface tells).
HOST_PLATFORM = platform_key(sys.platform)

DETAIL_LIMIT = 160


class Classified(NamedTuple):
    outcome: Outcome
    errno: str | None
    winerror: int | None
    detail: str
    layer: Layer | None = None
    requirement: dict[str, str] | None = None


class Call(NamedTuple):
    """Which call failed, for the errno meanings that depend on it (``catalog.errnos.STEP_MEANINGS``)."""

    platform: str
    family: str
    proto: str
    step: str


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


#: What refuses a call nobody documented a requirement for, in each OS's own words.
POLICY_WORDS: Mapping[str, str] = {
    "linux": "seccomp, LSM, sandbox",
    "win32": "firewall or security software, a reserved or exclusively bound address",
    "darwin": "sandbox, network extension, firewall",
    "freebsd": "jail, securelevel, MAC framework",
}


def judge_permission(requirement: Requirement | None, privilege: Privilege,
                     platform: str = HOST_PLATFORM) -> tuple[Outcome, str]:
    """EPERM/EACCES, judged the same for every uid: a host setting, a documented privilege the
    caller lacks, or else policy (in the OS's words, or a rule nobody documented)."""
    if requirement is not None and requirement.sysctl is not None:
        return "unavailable", f"refused by host setting {requirement.sysctl}"
    if requirement is not None:
        if privilege.holds(requirement.requires):
            return "blocked", f"refused although {requirement.requires} is held"
        return "needs-privilege", f"needs {requirement.requires} ({requirement.source})"
    policy = POLICY_WORDS.get(platform, "a rule nobody documented")
    return "blocked", f"refused with no documented requirement: policy ({policy})"


def classify(
    exc: BaseException,
    *,
    privilege: Privilege,
    requirement: Requirement | None = None,
    call: Call | None = None,
    errno_names: Mapping[str, int] = HOST_ERRNO_NAMES,
    platform: str = HOST_PLATFORM,
) -> Classified:
    """Turn what a probe step raised into an outcome; anything unforeseen is ``error``."""
    message = short(str(exc) or type(exc).__name__)
    if isinstance(exc, AutoloadAvoided):
        return Classified("not-applicable", None, None, message)
    if isinstance(exc, (DeadlineExceeded, socket.timeout)):
        return Classified("timeout", "ETIMEDOUT", None, message)
    if isinstance(exc, NotHonoured):
        return Classified("unsupported", None, None, message, "os")
    if isinstance(exc, OSError):
        name, winerror = errno_of(exc, errno_names)
        if name is None:
            # Python refused before the OS was asked ("bad family", "AF_UNIX path too long").
            return Classified("unsupported", None, winerror, message, "python")
        return _os_answer(name, winerror, short(exc.strerror or message), privilege, requirement, call,
                          call.platform if call is not None else platform)
    if isinstance(exc, (ValueError, OverflowError)):
        return Classified("unsupported", None, None, message, "python")
    if isinstance(exc, TypeError):
        # The interpreter refused the call's arguments: a probe that builds them wrong is broken.
        return Classified("error", None, None, f"TypeError: {message}", "python")
    return Classified("error", None, None, f"{type(exc).__name__}: {message}")


def _os_answer(name: str, winerror: int | None, detail: str, privilege: Privilege,
               requirement: Requirement | None, call: Call | None, platform: str) -> Classified:
    """An errno from the OS: a step-specific meaning first, then privilege, then the general table."""
    meaning = None if call is None else step_meaning(call.platform, call.family, call.proto, call.step, name)
    if meaning is not None:
        used = None if meaning.sysctl is None else host_setting(meaning.sysctl, meaning.source).to_json()
        return Classified(meaning.outcome, name, winerror, f"{detail}; {meaning.why}", "os", used)
    if name in PERMISSION_ERRNOS:
        outcome, why = judge_permission(requirement, privilege, platform)
        used = None if requirement is None else requirement.to_json()
        return Classified(outcome, name, winerror, f"{detail}; {why}", "os", used)
    if name in ERRNO_OUTCOMES:
        return Classified(ERRNO_OUTCOMES[name][0], name, winerror, detail, "os")
    return Classified("error", name, winerror, detail, "os")
