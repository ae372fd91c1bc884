"""How an option value looks in memory, per OS: small pure encoders and decoders.

``setsockopt`` takes a Python int (passed as a C ``int``) or bytes; ``getsockopt`` returns an int
unless a buffer length is given, then bytes. Struct layouts differ by OS and these functions keep
that in one place: Windows ``linger`` is two ``u_short`` and its timeouts are a DWORD of
milliseconds (learn.microsoft.com winsock/sol-socket-socket-options); macOS ``timeval`` has a
32-bit ``tv_usec`` (xnu bsd/sys/_types/_timeval.h); Linux and FreeBSD use two native longs.
``ip_mreq_source`` is (group, interface, source) on Linux (include/uapi/linux/in.h) but (group,
source, interface) in RFC 3678 as BSD and Windows define it; ``group_req`` and
``group_source_req`` hold a ``sockaddr_storage`` that is 8-aligned everywhere but macOS, whose
netinet/in.h packs them to 4; BSD sockaddrs start with a length byte. Nothing here calls the OS.
"""

from __future__ import annotations

import socket
import struct
import sys
from typing import Any, Literal, Union

from sockcompat.catalog.platforms import FAMILIES

Kind = Literal[
    "int",  # a C int
    "bool",  # a C int read as a flag: BSDs may read back the flag bit (e.g. 4), not 1
    "ifindex",  # an interface index, host byte order
    "ifindex_be",  # an interface index in network byte order (IP_UNICAST_IF on Linux and Windows)
    "ifindex_v6",  # IPV6_UNICAST_IF: network byte order on Linux, host order on Windows
    "u64",  # a 64-bit unsigned integer
    "linger",  # struct linger: (on, seconds)
    "timeval",  # a timeout in seconds: struct timeval, or a DWORD of milliseconds on Windows
    "in_addr",  # an IPv4 address
    "ip_mreq",  # (group, interface address)
    "ip_mreqn",  # (group, interface address, interface index): Linux's longer ip_mreq
    "ipv6_mreq",  # (group, interface index)
    "ip_mreq_source",  # (group, interface address, source): field order differs by OS
    "group_req",  # (group, interface index): RFC 3678, either address family
    "group_source_req",  # (group, interface index, source)
    "tcp_md5sig",  # (peer address, flags, key): Linux struct tcp_md5sig
    "sockaddr",  # a peer address, read with exactly its family's length (Linux SO_PEERNAME insists)
    "string",  # a NUL-terminated name (TCP_CONGESTION, SO_BINDTODEVICE)
    "bytes",  # raw bytes, recorded as hex
    "opaque",  # a struct whose content is host-specific: only its length is recorded
]

Raw = Union[int, bytes]

#: Kinds passed to setsockopt as a Python int and read back without a buffer length.
INT_KINDS = frozenset({"int", "bool", "ifindex"})

#: Buffer sizes for getsockopt of struct kinds (bytes and opaque kinds take the catalog's size).
_STRUCT_SIZES = {"u64": 8, "in_addr": 4, "ip_mreq": 8, "ip_mreqn": 12, "ipv6_mreq": 20, "ifindex_be": 4,
                 "ip_mreq_source": 12, "tcp_md5sig": 216}

SOCKADDR_STORAGE = 128
SOCKADDR_SIZES = {"AF_INET": 16, "AF_INET6": 28}  # sockaddr_in, sockaddr_in6 on every OS here
TCP_MD5SIG_MAXKEYLEN = 80


def _linger_format(platform: str) -> str:
    return "=HH" if platform == "win32" else "=ii"


def _timeval_format(platform: str) -> str:
    if platform == "win32":
        return "=I"  # DWORD milliseconds
    if platform == "darwin":
        return "=qi4x"  # time_t tv_sec; int32 tv_usec; padded to 16
    return "@ll"


def host_uint(raw: bytes, width: int, byteorder: Literal["little", "big"] = sys.byteorder) -> int:
    """An unsigned host-order integer from at most ``width`` bytes. A shorter answer (a kernel that
    wrote a 32-bit value into a 64-bit buffer) is read at its own width, never padded on the right,
    which would shift it on a big-endian machine."""
    return int.from_bytes(raw[:width], byteorder)


def _for_platform(kind: str, platform: str) -> str:
    """Kinds whose layout depends on the OS, made concrete (ipv6(7) vs Winsock IPV6_UNICAST_IF)."""
    if kind == "ifindex_v6":
        return "ifindex_be" if platform == "linux" else "ifindex"
    return kind


def sockaddr(address: str, platform: str) -> bytes:
    """A sockaddr_in or sockaddr_in6 (port 0) padded to a sockaddr_storage, as this OS lays it out."""
    if ":" in address:
        family, body = FAMILIES[platform]["AF_INET6"], struct.pack(
            "!HI16sI", 0, 0, socket.inet_pton(socket.AF_INET6, address), 0)
        length = 28
    else:
        family, body = FAMILIES[platform]["AF_INET"], struct.pack("!H4s8x", 0, socket.inet_aton(address))
        length = 16
    bsd = platform in ("darwin", "freebsd")
    head = struct.pack("=BB", length, family) if bsd else struct.pack("=H", family)
    return (head + body).ljust(SOCKADDR_STORAGE, b"\0")


def _group_head(index: int, platform: str) -> bytes:
    """gr_interface, then the padding before an 8-aligned sockaddr_storage (none on macOS)."""
    return struct.pack("=I" if platform == "darwin" else "=I4x", index)


def group_req_size(platform: str) -> int:
    return len(_group_head(0, platform)) + SOCKADDR_STORAGE


def buffer_size(kind: str, platform: str, size: int | None = None, family: str = "") -> int | None:
    """The getsockopt buffer length for a kind (for the socket's family); None means "read a C int"."""
    kind = _for_platform(kind, platform)
    if kind == "sockaddr" and family in SOCKADDR_SIZES:
        return SOCKADDR_SIZES[family]
    if kind in INT_KINDS:
        return None
    if kind == "linger":
        return struct.calcsize(_linger_format(platform))
    if kind == "timeval":
        return struct.calcsize(_timeval_format(platform))
    if kind in _STRUCT_SIZES:
        return _STRUCT_SIZES[kind]
    if kind == "group_req":
        return group_req_size(platform)
    if kind == "group_source_req":
        return group_req_size(platform) + SOCKADDR_STORAGE
    return size if size is not None else 256


#: Families whose option values CPython passes as one 64-bit integer (Modules/socketmodule.c
#: sock_setsockopt and sock_getsockopt, AF_VSOCK branches): struct-valued options cannot be
#: expressed there, and a 4-byte option travels in a uint64_t.
INT_ONLY_FAMILIES = frozenset({"AF_VSOCK"})


def to_uint64_argument(value: int, kind: str, byteorder: str = sys.byteorder) -> int:
    """The integer to hand CPython for a socket whose option values it passes as one uint64_t
    (AF_VSOCK: Modules/socketmodule.c gives the kernel 8 bytes). A 4-byte option is read from the
    first four of them, which on a big-endian machine are the high half: the int goes there, or
    SO_DEBUG=1 would reach the kernel as 0 (seen on s390x)."""
    if kind in INT_KINDS and byteorder == "big":
        return (value & 0xFFFFFFFF) << 32
    return value


def from_uint64_result(raw: int, kind: str, byteorder: str = sys.byteorder) -> int:
    """A 4-byte option read into CPython's zeroed uint64_t (AF_VSOCK), as the signed int the
    kernel wrote into its first four bytes (SO_PEEK_OFF's -1 is not 4294967295)."""
    if kind not in INT_KINDS:
        return raw
    written = raw >> 32 if byteorder == "big" else raw & 0xFFFFFFFF
    return int.from_bytes(written.to_bytes(4, "big"), "big", signed=True)


def int_result(raw: int, family: str, byteorder: str = sys.byteorder) -> int:
    """A 4-byte option as CPython read it for a socket of ``family`` (``getsockopt(level, name)``),
    as the int the kernel wrote."""
    return from_uint64_result(raw, "int", byteorder) if family in INT_ONLY_FAMILIES else raw


def encode(kind: str, value: Any, platform: str, int_only: bool = False,
           byteorder: str = sys.byteorder) -> Raw:
    """The setsockopt argument for a (resolved) test value. ``int_only``: the socket takes only
    an integer (CPython passes AF_VSOCK option values as one 64-bit integer), so a struct cannot
    be expressed and raises ValueError."""
    kind = _for_platform(kind, platform)
    if int_only:
        if kind in INT_KINDS or kind == "u64":
            return to_uint64_argument(int(value), kind, byteorder)
        raise ValueError(f"this socket's setsockopt takes only an integer, not a {kind}")
    if kind in INT_KINDS:
        return int(value)
    if kind == "u64":
        return struct.pack("=Q", int(value))
    if kind == "ifindex_be":
        return struct.pack("!I", int(value))
    if kind == "linger":
        on, seconds = value
        return struct.pack(_linger_format(platform), int(on), int(seconds))
    if kind == "timeval":
        seconds = float(value)
        if platform == "win32":
            return struct.pack("=I", round(seconds * 1000))
        whole = int(seconds)
        return struct.pack(_timeval_format(platform), whole, round((seconds - whole) * 1_000_000))
    if kind == "in_addr":
        return socket.inet_aton(str(value))
    if kind == "ip_mreq":
        group, interface = value
        return socket.inet_aton(group) + socket.inet_aton(interface)
    if kind == "ip_mreqn":
        group, interface, index = value
        return socket.inet_aton(group) + socket.inet_aton(interface) + struct.pack("=i", int(index))
    if kind == "ipv6_mreq":
        group, index = value
        return socket.inet_pton(socket.AF_INET6, group) + struct.pack("=I", int(index))
    if kind == "ip_mreq_source":
        group, interface, source = (socket.inet_aton(a) for a in value)
        return group + (interface + source if platform == "linux" else source + interface)
    if kind == "group_req":
        group, index = value
        return _group_head(int(index), platform) + sockaddr(group, platform)
    if kind == "group_source_req":
        group, index, source = value
        return _group_head(int(index), platform) + sockaddr(group, platform) + sockaddr(source, platform)
    if kind == "tcp_md5sig":
        peer, flags, key = value
        prefix = 128 if ":" in peer else 32
        return sockaddr(peer, platform) + struct.pack(
            f"=BBHi{TCP_MD5SIG_MAXKEYLEN}s", flags, prefix if flags else 0, len(key), 0, bytes(key))
    if kind == "string":
        return value.encode("ascii") if isinstance(value, str) else bytes(value)
    if kind in ("bytes", "opaque"):
        return bytes.fromhex(value) if isinstance(value, str) else bytes(value)
    raise ValueError(f"unknown option value kind {kind!r}")


def decode(kind: str, raw: Raw, platform: str, int_only: bool = False,
           byteorder: str = sys.byteorder) -> Any:
    """A JSON value for what getsockopt returned (struct fields as a list); ``int_only`` as for
    ``encode``."""
    kind = _for_platform(kind, platform)
    if isinstance(raw, int):
        return from_uint64_result(raw, kind, byteorder) if int_only else raw
    if kind in INT_KINDS:
        return int.from_bytes(raw[:4], sys.byteorder, signed=True)
    if kind == "u64":
        return host_uint(raw, 8)
    if kind == "ifindex_be":
        return struct.unpack("!I", raw[:4].ljust(4, b"\0"))[0]
    if kind == "linger":
        fmt = _linger_format(platform)
        return list(struct.unpack(fmt, raw[: struct.calcsize(fmt)].ljust(struct.calcsize(fmt), b"\0")))
    if kind == "timeval":
        fmt = _timeval_format(platform)
        fields = struct.unpack(fmt, raw[: struct.calcsize(fmt)].ljust(struct.calcsize(fmt), b"\0"))
        if platform == "win32":
            return fields[0] / 1000
        return round(fields[0] + fields[1] / 1_000_000, 6)
    if kind == "in_addr":
        return socket.inet_ntoa(raw[:4].ljust(4, b"\0"))
    if kind == "string":
        return raw.split(b"\0", 1)[0].decode("ascii", "replace")
    if kind in ("opaque", "sockaddr", "tcp_md5sig", "group_req", "group_source_req"):
        return {"bytes": len(raw)}
    return raw.hex()


def same(kind: str, a: Any, b: Any) -> bool:
    """Whether two decoded values mean the same setting (flags by truth, timeouts to 1 µs)."""
    if kind == "bool" and isinstance(a, int) and isinstance(b, int):
        return bool(a) == bool(b)
    if kind == "timeval" and isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-6
    if isinstance(a, tuple):
        a = list(a)
    if isinstance(b, tuple):
        b = list(b)
    return bool(a == b)
