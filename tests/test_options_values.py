"""Option value encoders and decoders: per-OS struct layouts, round trips, and the verdict logic."""

from __future__ import annotations

import socket
import struct
import sys
from typing import Any

import pytest

from sockcompat.catalog.option_values import buffer_size, decode, encode, same
from sockcompat.probes.options import judge

ENCODED = [
    # (kind, value, platform, expected bytes or int)
    ("int", 7, "linux", 7),
    ("bool", 1, "darwin", 1),
    ("linger", (1, 3), "linux", struct.pack("=ii", 1, 3)),
    ("linger", (1, 3), "win32", struct.pack("=HH", 1, 3)),
    ("timeval", 2.5, "linux", struct.pack("@ll", 2, 500_000)),
    ("timeval", 2.5, "darwin", struct.pack("=qi4x", 2, 500_000)),
    ("timeval", 2.5, "win32", struct.pack("=I", 2500)),
    ("in_addr", "127.0.0.1", "linux", b"\x7f\x00\x00\x01"),
    ("ip_mreq", ("239.255.77.77", "127.0.0.1"), "linux", b"\xef\xff\x4d\x4d\x7f\x00\x00\x01"),
    ("ipv6_mreq", ("ff01::77", 1), "linux",
     socket.inet_pton(socket.AF_INET6, "ff01::77") + struct.pack("=I", 1)),
    ("ifindex_be", 1, "linux", b"\x00\x00\x00\x01"),
    ("ifindex_v6", 1, "linux", b"\x00\x00\x00\x01"),
    ("ifindex_v6", 1, "win32", 1),
    ("u64", 131072, "linux", struct.pack("=Q", 131072)),
    ("string", "reno", "linux", b"reno"),
    ("bytes", b"\x01\x01\x01\x00", "linux", b"\x01\x01\x01\x00"),
]


@pytest.mark.parametrize(("kind", "value", "platform", "expected"), ENCODED,
                         ids=[f"{k}-{p}" for k, _, p, _ in ENCODED])
def test_encode(kind: str, value: Any, platform: str, expected: Any) -> None:
    assert encode(kind, value, platform) == expected


ROUND_TRIPS = [
    ("int", -1, "linux"), ("linger", [1, 3], "linux"), ("linger", [1, 3], "win32"),
    ("timeval", 2.25, "linux"), ("timeval", 2.25, "darwin"), ("timeval", 2.25, "win32"),
    ("timeval", 0.0, "freebsd"), ("in_addr", "127.0.0.1", "linux"), ("ifindex_be", 3, "linux"),
    ("ifindex_v6", 3, "linux"), ("ifindex_v6", 3, "win32"), ("u64", 2**40, "linux"),
    ("string", "cubic", "linux"), ("bytes", bytes(range(8)).hex(), "linux"),
]


@pytest.mark.parametrize(("kind", "value", "platform"), ROUND_TRIPS,
                         ids=[f"{k}-{p}" for k, _, p in ROUND_TRIPS])
def test_decode_inverts_encode(kind: str, value: Any, platform: str) -> None:
    raw_value = bytes.fromhex(value) if kind == "bytes" else value
    assert decode(kind, encode(kind, raw_value, platform), platform) == value


def test_decode_reads_what_the_kernel_writes() -> None:
    assert decode("string", b"bbr\x00\x00\x00", "linux") == "bbr"
    assert decode("opaque", bytes(232), "linux") == {"bytes": 232}
    assert decode("int", (-1).to_bytes(4, sys.byteorder, signed=True), "linux") == -1
    assert decode("linger", b"\x01\x00", "win32") == [1, 0]  # short reads are padded, not an error


def test_buffer_sizes_follow_the_layout() -> None:
    assert buffer_size("int", "linux") is None
    assert buffer_size("linger", "win32") == 4
    assert buffer_size("timeval", "darwin") == 16
    assert buffer_size("timeval", "win32") == 4
    assert buffer_size("opaque", "linux", 12) == 12
    assert buffer_size("ifindex_v6", "win32") is None
    assert buffer_size("ifindex_v6", "linux") == 4


def test_int_only_sockets_take_integers_and_refuse_structs() -> None:
    assert encode("u64", 4096, "linux", int_only=True) == 4096
    assert encode("bool", 1, "linux", int_only=True) == 1
    with pytest.raises(ValueError, match="only an integer"):
        encode("linger", (1, 3), "linux", int_only=True)


def test_unknown_kind_is_a_catalog_bug() -> None:
    with pytest.raises(ValueError, match="unknown option value kind"):
        encode("nosuch", 1, "linux")


SAME = [
    ("bool", 1, 4, True),  # macOS reads flags back as the flag bit
    ("bool", 0, 4, False),
    ("int", 1, 4, False),
    ("timeval", 2.0, 2.0000001, True),
    ("timeval", 2.0, 2.004, False),
    ("linger", [1, 3], (1, 3), True),
]


@pytest.mark.parametrize(("kind", "a", "b", "expected"), SAME)
def test_same(kind: str, a: Any, b: Any, expected: bool) -> None:
    assert same(kind, a, b) is expected


VERDICTS = [
    # (kind, expected, default, read back, verdict, note contains)
    ("int", 12288, 131072, 24576, "changed", "doubled"),
    ("int", 32, 64, 32, "echoed", ""),
    ("int", 1, 0, 0, "ignored", "default"),
    ("int", 5, 0, 7, "changed", "read back 7"),
    ("bool", 1, 0, 4, "echoed", ""),
    ("int", 3, 3, 3, "echoed", "equals the default"),
    ("int", 3, None, 0, "changed", "read back 0"),
    ("string", "reno", "cubic", "reno", "echoed", ""),
    ("timeval", 2.0, 0.0, 2.004, "changed", "2.004"),
]


@pytest.mark.parametrize(("kind", "expected", "default", "read_back", "verdict", "note"), VERDICTS)
def test_judge(kind: str, expected: Any, default: Any, read_back: Any, verdict: str, note: str) -> None:
    got_verdict, got_note = judge(kind, expected, default, read_back)
    assert got_verdict == verdict
    assert note in got_note
    if not note:
        assert got_note == ""
