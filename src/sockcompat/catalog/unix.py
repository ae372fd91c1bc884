"""What the AF_UNIX suite probes beyond the round trips (those are transfer rows with the
``path``/``abstract``/``autobind`` variants): the longest path that binds, what unlinking does,
SCM_RIGHTS per type, peer credentials as each OS offers them, SO_PASSCRED/SCM_CREDENTIALS, and on
Windows the OS (ws2_32 by number) and Python's socket module as two separate layers.

Sources: man7 unix(7); xnu bsd/sys/un.h (SOL_LOCAL 0, LOCAL_PEERCRED 1, struct xucred);
FreeBSD unix(4), getpeereid(3); devblogs.microsoft.com/commandline/af_unix-comes-to-windows;
python/cpython#77589 (no AF_UNIX constant on Windows CPython).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

AREA = "unix"
LONGEST_PATH_ID = "unix/AF_UNIX/SOCK_STREAM/0/longest-path"
UNLINK_ID = "unix/AF_UNIX/SOCK_STREAM/0/unlink"
PASSCRED_ID = "unix/AF_UNIX/SOCK_DGRAM/0/SCM_CREDENTIALS"
OS_LAYER_ID = "unix/AF_UNIX/SOCK_STREAM/0/os-layer"
PYTHON_LAYER_ID = "unix/AF_UNIX/SOCK_STREAM/0/python-layer"

#: sizeof(sun_path) per OS, for the docs and the search bound; the probe measures, never assumes.
SUN_PATH: Mapping[str, int] = {"linux": 108, "darwin": 104, "freebsd": 104, "win32": 108}
#: The longest-path search goes past every sun_path above, so a limit is always found.
PATH_SEARCH_MAX = 160

SCM_RIGHTS_TYPES = ("SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET")

UNLINK_STEPS = ("create", "bind", "close-bound", "path-remains", "rebind-stale", "unlink", "rebind",
                "listen", "unlink-listening", "connect-unlinked", "close")
SCM_RIGHTS_STEPS = ("socketpair", "send", "recv", "use", "close")
PEER_STEPS = ("socketpair", "get", "close")
PASSCRED_STEPS = ("socketpair", "set", "recvmsg", "close")
LAYER_STEPS = ("create", "bind", "listen", "connect", "accept", "send", "recv", "close")


class PeerCredentials(NamedTuple):
    """One way an OS tells who is at the other end of an AF_UNIX connection.

    ``kind``: ``sockopt`` (getsockopt(level, option)) or ``libc`` (a libc function by name).
    ``level``/``option``: socket-module names, with the header number used when Python lacks one.
    """

    name: str
    kind: str
    level: str
    level_number: int
    option_numbers: Mapping[str, int]
    source: str

    @property
    def id(self) -> str:
        return f"unix/AF_UNIX/SOCK_STREAM/0/{self.name}"


PEER_CREDENTIALS: tuple[PeerCredentials, ...] = (
    PeerCredentials("SO_PEERCRED", "sockopt", "SOL_SOCKET", -1, {"linux": 17}, "man7 unix(7) SO_PEERCRED"),
    PeerCredentials("LOCAL_PEERCRED", "sockopt", "SOL_LOCAL", 0, {"darwin": 1, "freebsd": 1},
                    "xnu bsd/sys/un.h; FreeBSD unix(4)"),
    PeerCredentials("getpeereid", "libc", "", 0, {}, "FreeBSD/macOS getpeereid(3)"),
)

#: struct ucred (pid, uid, gid), three C ints, as SO_PEERCRED and SCM_CREDENTIALS carry it.
UCRED_FORMAT = "3i"
#: struct xucred starts with u_int cr_version (XUCRED_VERSION 0) then uid_t cr_uid.
XUCRED_HEAD_FORMAT = "2I"
XUCRED_BUFFER = 128
