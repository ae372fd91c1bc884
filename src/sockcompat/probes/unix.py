"""AF_UNIX in depth: longest path, unlinking, SCM_RIGHTS, peer credentials, SCM_CREDENTIALS, and
Python's socket-module layer (compared with the OS layer in ``unix_windows``)."""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import os
import socket
import struct
import sys
from collections.abc import Callable
from typing import Any

from sockcompat.catalog import unix as catalog
from sockcompat.catalog.platforms import FAMILIES
from sockcompat.classify import short
from sockcompat.host.autoload import unguarded
from sockcompat.observation import Observation
from sockcompat.probes.context import ProbeContext
from sockcompat.probes.fields import missing, named, undefined
from sockcompat.probes.steps import Mismatch, Steps, pair_of, private_dir


def _steps(ctx: ProbeContext, case_id: str, type_: str = "SOCK_STREAM") -> Steps:
    return Steps(ctx, named(case_id, catalog.AREA, ctx.surface, ctx.platform, "AF_UNIX", type_))


def _unix(ctx: ProbeContext) -> int | None:
    value = getattr(ctx.surface, "AF_UNIX", None)
    return value if isinstance(value, int) else None


########################################################################################
# longest path


def longest_path(ctx: ProbeContext) -> Observation:
    """Bind paths of growing length in a private dir; the value is the longest that bound, in
    bytes, and the detail says what refused one byte more. Where the OS's bind(2) can be called
    directly (Linux, through libc), that is what is measured: CPython refuses a path that leaves
    no room for a NUL (107 bytes) although Linux takes 108; Python's own limit goes in the detail."""
    steps = _steps(ctx, catalog.LONGEST_PATH_ID)
    if _unix(ctx) is None:
        steps.record("bind", "no-constant", "Python defines no AF_UNIX (see the python-layer row)")
        return steps.observations[0]
    os_bind = libc_bind(ctx)
    with private_dir() as workdir:
        found = steps.run("bind", lambda: search_longest(ctx, workdir, os_bind), value=lambda v: v[0])
        in_python = None if found is None or os_bind is None else search_longest(ctx, workdir, None)
    observation = steps.observations[0]
    if found is None:
        return observation
    notes = [found[1]]
    if in_python is not None and in_python[0] != found[0]:
        notes.append(f"Python's socket module binds at most {in_python[0]} ({in_python[1]})")
    return dataclasses.replace(observation, detail=short("; ".join(n for n in notes if n)))


Binder = Callable[[Any, str], None]


def search_longest(ctx: ProbeContext, workdir: str, os_bind: Binder | None) -> tuple[int, str]:
    """Binary search for the longest path that binds (binding is monotone in length), through
    ``os_bind`` when given, else the socket module. Raises the shortest path's error when even
    that does not bind."""
    low = len(os.fsencode(workdir)) + 2
    try_bind(ctx, path_of(workdir, low), os_bind)
    high = catalog.PATH_SEARCH_MAX
    refusal = ""
    while low < high:
        middle = (low + high + 1) // 2
        try:
            try_bind(ctx, path_of(workdir, middle), os_bind)
        except (OSError, ValueError) as exc:
            high = middle - 1
            refusal = f"{middle} bytes: {who_refused(exc)}{exc}"
        else:
            low = middle
    return low, refusal


def who_refused(exc: BaseException) -> str:
    """"python refused: " when the interpreter said no before the OS was asked."""
    return "" if isinstance(exc, OSError) and exc.errno is not None else "python refused: "


def path_of(workdir: str, length: int) -> str:
    """A path of exactly ``length`` bytes inside ``workdir``."""
    return os.path.join(workdir, "p" * (length - len(os.fsencode(workdir)) - 1))


def try_bind(ctx: ProbeContext, path: str, os_bind: Binder | None = None) -> None:
    sock = ctx.surface.socket(ctx.surface.AF_UNIX, ctx.surface.SOCK_STREAM)
    try:
        if os_bind is None:
            sock.bind(path)
        else:
            os_bind(sock, path)
    finally:
        sock.close()
        if os.path.exists(path):
            os.unlink(path)


def libc_bind(ctx: ProbeContext) -> Binder | None:
    """bind(2) through libc with a sockaddr_un of exactly the path's length (no NUL needed, as
    unix(7) allows), on Linux with the real socket module; None elsewhere."""
    if ctx.platform != "linux" or not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    family = _unix(ctx)
    if name is None or family is None or unguarded(ctx.surface) is not socket:
        return None
    libc = ctypes.CDLL(name, use_errno=True)

    def bind(sock: Any, path: str) -> None:
        address = struct.pack("=H", family) + os.fsencode(path)
        buffer = ctypes.create_string_buffer(address, len(address))
        if libc.bind(sock.fileno(), buffer, len(address)) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))

    return bind


########################################################################################
# unlinking


def unlink(ctx: ProbeContext) -> list[Observation]:
    """What a bound path does: it outlives close(), blocks a rebind until unlinked, and a
    listener whose path is unlinked is no longer reachable by name."""
    steps = _steps(ctx, catalog.UNLINK_ID)
    surface = ctx.surface
    if _unix(ctx) is None:
        steps.record("create", "no-constant", "Python defines no AF_UNIX")
    with private_dir() as workdir:
        path = os.path.join(workdir, "u")
        first = steps.run("create", lambda: steps.keep(surface.socket(surface.AF_UNIX, surface.SOCK_STREAM)))
        steps.run("bind", lambda: first.bind(path))
        steps.run("close-bound", lambda: first.close())
        steps.run("path-remains", lambda: os.path.exists(path), value=lambda v: v)
        steps.run("rebind-stale", lambda: bind_new(steps, path).close(), stop=False)
        steps.run("unlink", lambda: os.unlink(path))
        server = steps.run("rebind", lambda: bind_new(steps, path))
        steps.run("listen", lambda: server.listen(1))
        steps.run("unlink-listening", lambda: os.unlink(path))
        steps.run("connect-unlinked", lambda: connect_new(steps, path), stop=False)
        steps.close_step()
    steps.rest_not_reached(catalog.UNLINK_STEPS)
    return steps.observations


def bind_new(steps: Steps, path: str) -> Any:
    surface = steps.ctx.surface
    sock = steps.keep(surface.socket(surface.AF_UNIX, surface.SOCK_STREAM))
    sock.bind(path)
    return sock


def connect_new(steps: Steps, path: str) -> None:
    surface = steps.ctx.surface
    steps.keep(surface.socket(surface.AF_UNIX, surface.SOCK_STREAM)).connect(path)


########################################################################################
# SCM_RIGHTS


def scm_rights_id(type_: str) -> str:
    return f"unix/AF_UNIX/{type_}/0/SCM_RIGHTS"


def scm_rights(type_: str, ctx: ProbeContext) -> list[Observation]:
    """Pass a pipe's write end over a socketpair; write through the received descriptor."""
    steps = _steps(ctx, scm_rights_id(type_), type_)
    surface = ctx.surface
    absent = missing(surface, "AF_UNIX", type_, "SCM_RIGHTS")
    if absent or not hasattr(surface, "send_fds"):
        steps.record("socketpair", "no-constant",
                     f"Python defines no {', '.join(absent or ['socket.send_fds'])}")
    read_end, write_end = os.pipe()
    try:
        pair = steps.run("socketpair", lambda: tuple(steps.keep(s) for s in surface.socketpair(
            surface.AF_UNIX, getattr(surface, type_))))
        steps.run("send", lambda: surface.send_fds(pair[0], [b"fd"], [write_end]), value=lambda n: n)
        received = steps.run("recv", lambda: received_fd(surface, pair[1]))
        steps.run("use", lambda: write_through(received, read_end))
        steps.close_step()
    finally:
        for fd in (read_end, write_end):
            os.close(fd)
    steps.rest_not_reached(catalog.SCM_RIGHTS_STEPS)
    return steps.observations


def received_fd(surface: Any, sock: Any) -> int:
    data, fds, _flags, _addr = surface.recv_fds(sock, 16, 4)
    for extra in fds[1:]:
        os.close(extra)
    if data != b"fd" or not fds:
        raise Mismatch(f"received {data!r} with {len(fds)} descriptors")
    return int(fds[0])


def write_through(fd: int, read_end: int) -> None:
    """The received descriptor is the pipe's write end: what it writes, the read end reads."""
    try:
        os.write(fd, b"through")
    finally:
        os.close(fd)
    got = os.read(read_end, 16)
    if got != b"through":
        raise Mismatch(f"the pipe gave {got!r}")


########################################################################################
# peer credentials


def peer_credentials(mechanism: catalog.PeerCredentials, ctx: ProbeContext) -> list[Observation]:
    """Who is at the other end of a socketpair: must be this very process."""
    steps = _steps(ctx, mechanism.id)
    surface = ctx.surface
    getter = credential_getter(mechanism, ctx)
    if isinstance(getter, str):
        steps.record("socketpair", "no-constant", getter)
    pair = steps.run("socketpair", lambda: tuple(steps.keep(s) for s in surface.socketpair(
        surface.AF_UNIX, surface.SOCK_STREAM)))
    steps.run("get", lambda: getter(pair[0]), value=lambda v: v)
    steps.close_step()
    steps.rest_not_reached(catalog.PEER_STEPS)
    return steps.observations


def credential_getter(mechanism: catalog.PeerCredentials, ctx: ProbeContext) -> Any:
    """A function sock -> {"<field>_matches": bool}, or a string saying why there is none here."""
    surface = ctx.surface
    if not hasattr(surface, "socketpair") or _unix(ctx) is None:
        return "Python defines no AF_UNIX socketpair"
    if mechanism.kind == "libc":
        return libc_getpeereid() or "libc has no getpeereid"
    option = getattr(surface, mechanism.name, mechanism.option_numbers.get(ctx.platform))
    if option is None:
        return undefined(ctx.platform, [mechanism.name])
    level = getattr(surface, mechanism.level, mechanism.level_number)
    if mechanism.name == "SO_PEERCRED":
        size = struct.calcsize(catalog.UCRED_FORMAT)
        return lambda sock: ucred_matches(sock.getsockopt(level, option, size))
    return lambda sock: xucred_matches(sock.getsockopt(level, option, catalog.XUCRED_BUFFER))


def own_ids() -> tuple[int, int]:
    """(effective uid, effective gid); Windows has neither, nor credentials to compare them with."""
    if sys.platform == "win32":
        return (-1, -1)
    return os.geteuid(), os.getegid()


def ucred_matches(raw: bytes) -> dict[str, bool]:
    pid, uid, gid = struct.unpack(catalog.UCRED_FORMAT, raw[: struct.calcsize(catalog.UCRED_FORMAT)])
    return {"pid_matches": pid == os.getpid(), "uid_matches": uid == own_ids()[0],
            "gid_matches": gid == own_ids()[1]}


def xucred_matches(raw: bytes) -> dict[str, bool]:
    _version, uid = struct.unpack(catalog.XUCRED_HEAD_FORMAT,
                                  raw[: struct.calcsize(catalog.XUCRED_HEAD_FORMAT)])
    return {"uid_matches": uid == own_ids()[0]}


def libc_getpeereid() -> Any:
    """getpeereid(3) through ctypes, or None where libc has none (Linux glibc, Windows)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    libc = ctypes.CDLL(name, use_errno=True)
    function = getattr(libc, "getpeereid", None)
    if function is None:
        return None

    def get(sock: Any) -> dict[str, bool]:
        uid, gid = ctypes.c_uint32(), ctypes.c_uint32()
        if function(sock.fileno(), ctypes.byref(uid), ctypes.byref(gid)) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))
        return {"uid_matches": uid.value == own_ids()[0], "gid_matches": gid.value == own_ids()[1]}

    return get


########################################################################################
# SO_PASSCRED / SCM_CREDENTIALS


def passcred(ctx: ProbeContext) -> list[Observation]:
    """With SO_PASSCRED on the receiver, every datagram carries the sender's credentials."""
    steps = _steps(ctx, catalog.PASSCRED_ID, "SOCK_DGRAM")
    surface = ctx.surface
    absent = missing(surface, "AF_UNIX", "SO_PASSCRED", "SCM_CREDENTIALS")
    if absent:
        steps.record("socketpair", "no-constant", f"Python defines no {', '.join(absent)}")
    pair = steps.run("socketpair", lambda: tuple(steps.keep(s) for s in surface.socketpair(
        surface.AF_UNIX, surface.SOCK_DGRAM)))
    steps.run("set", lambda: pair[1].setsockopt(surface.SOL_SOCKET, surface.SO_PASSCRED, 1))
    steps.run("recvmsg", lambda: credentials_received(surface, pair), value=lambda v: v)
    steps.close_step()
    steps.rest_not_reached(catalog.PASSCRED_STEPS)
    return steps.observations


def credentials_received(surface: Any, pair: Any) -> dict[str, bool]:
    pair[0].send(b"who")
    size = struct.calcsize(catalog.UCRED_FORMAT)
    _data, ancillary, _flags, _addr = pair[1].recvmsg(16, surface.CMSG_SPACE(size))
    for level, kind, payload in ancillary:
        if level == surface.SOL_SOCKET and kind == surface.SCM_CREDENTIALS:
            return ucred_matches(payload)
    raise Mismatch("the datagram carried no SCM_CREDENTIALS")


########################################################################################
# Python's socket-module layer


def python_layer(ctx: ProbeContext) -> list[Observation]:
    """A stream round trip through Python's socket module, using the OS-header number when
    Python has no AF_UNIX constant (Windows CPython: bind fails "bad family", errno None)."""
    surface = ctx.surface
    fields = named(catalog.PYTHON_LAYER_ID, catalog.AREA, surface, ctx.platform, "AF_UNIX", "SOCK_STREAM")
    steps = Steps(ctx, fields)
    family = _unix(ctx) or FAMILIES.get(ctx.platform, {}).get("AF_UNIX")
    if family is None:
        steps.record("create", "no-constant", undefined(ctx.platform, ["AF_UNIX"]))
    with private_dir() as workdir:
        path = os.path.join(workdir, "l")
        server, client = pair_of(steps.run("create", lambda: (
            steps.keep(surface.socket(family, surface.SOCK_STREAM)),
            steps.keep(surface.socket(family, surface.SOCK_STREAM)))))
        steps.run("bind", lambda: server.bind(path))
        steps.run("listen", lambda: server.listen(1))
        steps.run("connect", lambda: client.connect(path))
        conn = steps.run("accept", lambda: steps.keep(server.accept()[0]))
        steps.run("send", lambda: client.sendall(b"layer"))
        steps.run("recv", lambda: expect(conn.recv(16), b"layer"))
        steps.close_step()
    steps.rest_not_reached(catalog.LAYER_STEPS)
    return steps.observations


def expect(got: bytes, wanted: bytes) -> None:
    if got != wanted:
        raise Mismatch(f"received {got!r}")
