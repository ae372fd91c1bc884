"""The message a connection-oriented sequence exchanges: a small HTTP/1.1-style request and a
response with status line, headers and body, each sent in two parts and read until complete, so
a reader that gets a partial message (as streams may give) must keep reading."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from sockcompat.probes.steps import Mismatch

#: Small reads on purpose: a stream delivers what it has, and the reader must assemble it.
READ_CHUNK = 64
#: Record-oriented sockets (seqpacket) discard what a short read leaves of a record.
RECORD_CHUNK = 65536
HEADER_END = b"\r\n\r\n"


class Read(NamedTuple):
    message: bytes
    reads: int


def request(tag: str) -> tuple[bytes, bytes]:
    """(head, body) of the request; ``tag`` makes each probe's message its own."""
    body = f"probe={tag}&payload={'x' * 100}".encode()
    head = (
        "POST /sockcompat HTTP/1.1\r\n"
        "Host: loopback\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head, body


def response(tag: str) -> tuple[bytes, bytes]:
    body = f'{{"probe": "{tag}", "ok": true, "pad": "{"y" * 120}"}}'.encode()
    head = (
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    return head, body


def content_length(head: bytes) -> int:
    """The Content-Length of a complete header block; Mismatch when absent or malformed."""
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                return int(value.strip())
            except ValueError:
                break
    raise Mismatch("message has no valid Content-Length")


def read_message(recv: Callable[[int], bytes], chunk: int = READ_CHUNK) -> Read:
    """Read one message: the header block, then exactly Content-Length bytes of body."""
    data = b""
    reads = 0
    expected: int | None = None
    while expected is None or len(data) < expected:
        part = recv(chunk)
        reads += 1
        if not part:
            raise Mismatch(f"peer closed after {len(data)} bytes of an incomplete message")
        data += part
        if expected is None and HEADER_END in data:
            head_len = data.index(HEADER_END) + len(HEADER_END)
            expected = head_len + content_length(data[:head_len])
    if len(data) != expected:
        raise Mismatch(f"read {len(data)} bytes, message is {expected}")
    return Read(data, reads)


def check(received: bytes, parts: tuple[bytes, bytes]) -> None:
    if received != b"".join(parts):
        raise Mismatch("received bytes differ from the message sent")
