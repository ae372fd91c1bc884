"""Error numbers as data: canonical names, Winsock codes, and the outcome each errno means.

Sources: POSIX errno names; python/cpython PC/errmap.h and Modules/errnomodule.c (Windows:
``OSError.errno`` is winerror-10000 for six WSA codes and the WSA code itself otherwise, and the
errno module defines EAFNOSUPPORT etc. as WSA values); learn.microsoft.com Windows Sockets Error
Codes (winsock/windows-sockets-error-codes-2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from sockcompat.observation import Outcome

#: Where an OS has two names for one number, the one reports use (EOPNOTSUPP, not ENOTSUP).
PREFERRED_NAMES = ("EOPNOTSUPP", "EAGAIN", "EDEADLK", "ETIMEDOUT")

#: Winsock error code -> the POSIX name reports use; ``winerror`` keeps the code itself.
WINSOCK_ERRORS: Mapping[int, str] = {
    10004: "EINTR", 10009: "EBADF", 10013: "EACCES", 10014: "EFAULT", 10022: "EINVAL",
    10024: "EMFILE", 10035: "EAGAIN", 10036: "EINPROGRESS", 10037: "EALREADY", 10038: "ENOTSOCK",
    10039: "EDESTADDRREQ", 10040: "EMSGSIZE", 10041: "EPROTOTYPE", 10042: "ENOPROTOOPT",
    10043: "EPROTONOSUPPORT", 10044: "ESOCKTNOSUPPORT", 10045: "EOPNOTSUPP", 10046: "EPFNOSUPPORT",
    10047: "EAFNOSUPPORT", 10048: "EADDRINUSE", 10049: "EADDRNOTAVAIL", 10050: "ENETDOWN",
    10051: "ENETUNREACH", 10052: "ENETRESET", 10053: "ECONNABORTED", 10054: "ECONNRESET",
    10055: "ENOBUFS", 10056: "EISCONN", 10057: "ENOTCONN", 10058: "ESHUTDOWN", 10059: "ETOOMANYREFS",
    10060: "ETIMEDOUT", 10061: "ECONNREFUSED", 10062: "ELOOP", 10063: "ENAMETOOLONG",
    10064: "EHOSTDOWN", 10065: "EHOSTUNREACH", 10066: "ENOTEMPTY", 10067: "WSAEPROCLIM",
    10068: "EUSERS", 10069: "EDQUOT", 10070: "ESTALE", 10071: "EREMOTE", 10091: "WSASYSNOTREADY",
    10092: "WSAVERNOTSUPPORTED", 10093: "WSANOTINITIALISED", 10101: "WSAEDISCON",
}

#: errno name -> (outcome, why). EPERM/EACCES are absent on purpose: they need the privilege
#: judgement in ``classify``. A name not listed here means the probe met something unexpected.
ERRNO_OUTCOMES: Mapping[str, tuple[Outcome, str]] = {
    "EAFNOSUPPORT": ("unsupported", "family not supported (Go's probe(): absent)"),
    "EPFNOSUPPORT": ("unsupported", "protocol family not supported"),
    "ESOCKTNOSUPPORT": ("unsupported", "type not supported in this family"),
    "EPROTONOSUPPORT": ("unsupported", "protocol not supported (macOS also uses it for types)"),
    "EPROTOTYPE": ("unsupported", "protocol wrong for this type (FreeBSD for types)"),
    "EOPNOTSUPP": ("unsupported", "operation not supported on this socket"),
    "ENOPROTOOPT": ("unsupported", "option or protocol not available (Linux: MPTCP sysctl off)"),
    "EINVAL": ("unsupported", "Linux: type >= SOCK_MAX or proto >= IPPROTO_MAX; ambiguous, errno kept"),
    "ENOSYS": ("unsupported", "not implemented"),
    "EPROTO": ("unsupported", "Linux: e.g. multicast membership on a connection-oriented socket"),
    "EMSGSIZE": ("unsupported", "message too long for this socket"),
    "EISCONN": ("unsupported", "already connected"),
    "ENOTCONN": ("unsupported", "not connected"),
    "EDESTADDRREQ": ("unsupported", "destination address required"),
    "ECONNREFUSED": ("unsupported", "connection refused"),
    "ENOENT": ("unavailable", "no such object (path, device or table entry)"),
    "ENODEV": ("unavailable", "no such device"),
    "ENXIO": ("unavailable", "no such device or address"),
    "ENODATA": ("unavailable", "no data to report: e.g. an option asking about an absent peer"),
    "ENOMEM": ("unavailable", "out of memory"),
    "ENOBUFS": ("unavailable", "no buffer space"),
    "EMFILE": ("unavailable", "process file-descriptor limit reached"),
    "ENFILE": ("unavailable", "system file-descriptor limit reached"),
    "EADDRNOTAVAIL": ("unavailable", "address not available on this host"),
    "EADDRINUSE": ("unavailable", "address in use"),
    "ENETDOWN": ("unavailable", "network down"),
    "ENETUNREACH": ("unavailable", "network unreachable"),
    "EHOSTUNREACH": ("unavailable", "host unreachable"),
    "EROFS": ("unavailable", "read-only file system"),
    "ENAMETOOLONG": ("unavailable", "name too long"),
    "ECONNRESET": ("unavailable", "connection reset by peer"),
    "ECONNABORTED": ("unavailable", "connection aborted"),
    "EPIPE": ("unavailable", "broken pipe"),
    "ENOTSUPP": ("unsupported", "the kernel refused (Linux's internal ENOTSUPP, leaked by old kernels)"),
    "EAGAIN": ("timeout", "would block past the deadline"),
    "ETIMEDOUT": ("timeout", "timed out"),
    "WSANOTINITIALISED": ("error", "Winsock not initialised"),
}

#: Linux's kernel-internal errno numbers (include/linux/errno.h) that some older kernels leak to
#: user space; Python's errno module has no name for them.
LINUX_INTERNAL_ERRNOS: Mapping[str, int] = {"ENOTSUPP": 524}


class StepMeaning(NamedTuple):
    """What an errno means at one step of one kind of socket, where ``ERRNO_OUTCOMES``' general
    meaning would mislead. ``*`` matches anything; ``sysctl`` names the host setting that decides."""

    platform: str
    family: str
    proto: str
    step: str
    errno: str
    outcome: Outcome
    why: str
    sysctl: str | None = None
    source: str = ""

    def matches(self, platform: str, family: str, proto: str, step: str, errno: str) -> bool:
        return self.errno == errno and all(
            rule in ("*", value) for rule, value in
            ((self.platform, platform), (self.family, family), (self.proto, proto), (self.step, step)))


STEP_MEANINGS: tuple[StepMeaning, ...] = (
    # A netlink message to the kernel (pid 0) of a protocol no kernel socket serves: the module
    # is not loaded or not built (net/netlink/af_netlink.c netlink_getsockbyportid).
    StepMeaning("linux", "AF_NETLINK", "*", "*", "ECONNREFUSED", "unavailable",
                "no kernel listener for this netlink protocol (module not loaded or not built)",
                source="net/netlink/af_netlink.c netlink_getsockbyportid"),
    # MPTCP sockets are refused while the host setting is off (net/mptcp/ctrl.c, protocol.c).
    StepMeaning("linux", "*", "IPPROTO_MPTCP", "create", "ENOPROTOOPT", "unavailable",
                "MPTCP is switched off on this host", sysctl="net.mptcp.enabled",
                source="net/mptcp/protocol.c mptcp_init_sock"),
)


def step_meaning(platform: str, family: str, proto: str, step: str, errno: str) -> StepMeaning | None:
    """The first step-specific meaning of ``errno`` for this call, or None (use the general one)."""
    for meaning in STEP_MEANINGS:
        if meaning.matches(platform, family, proto, step, errno):
            return meaning
    return None


#: Errno names that mean "permission denied": judged against the privilege evidence.
PERMISSION_ERRNOS = frozenset({"EPERM", "EACCES"})


def canonical_name(number: int, names: Mapping[str, int]) -> str:
    """The report name for an errno number, given one OS's name -> number table."""
    candidates = sorted(name for name, value in names.items() if value == number)
    for preferred in PREFERRED_NAMES:
        if preferred in candidates:
            return preferred
    posix = [name for name in candidates if name.startswith("E")]
    if posix:
        return posix[0]
    return candidates[0] if candidates else f"errno{number}"
