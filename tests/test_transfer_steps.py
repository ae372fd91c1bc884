"""Step bookkeeping and the message exchange: not-reached after a failure, no duplicate steps,
sockets closed whatever happened; messages assembled from partial reads."""

from __future__ import annotations

import errno
import struct
from collections.abc import Callable

import pytest

from sockcompat.host.privilege import Privilege
from sockcompat.probes import exchange, transfer
from sockcompat.probes.context import ProbeContext
from sockcompat.probes.steps import Mismatch, Steps

CTX = ProbeContext(platform="linux", privilege=Privilege(superuser=False, label="user"), deadline_s=2.0)
FIELDS = {"id": "transfer/AF_INET/SOCK_STREAM/0", "area": "transfer"}


class Closable:
    def __init__(self) -> None:
        self.closed = False
        self.timeout: float | None = None

    def settimeout(self, seconds: float | None) -> None:
        self.timeout = seconds

    def shutdown(self, how: int) -> None:
        raise OSError(errno.ENOTCONN, "not connected")

    def close(self) -> None:
        self.closed = True


def refuse() -> None:
    raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")


def outcomes(steps: Steps) -> list[tuple[str, str]]:
    return [(o.step, o.outcome) for o in steps.observations]


def test_steps_after_a_failure_are_not_reached() -> None:
    steps = Steps(CTX, FIELDS)
    steps.run("bind", lambda: None)
    steps.run("connect", refuse)
    steps.run("accept", lambda: pytest.fail("must not run after a failure"))
    steps.close_step()
    assert outcomes(steps) == [("bind", "supported"), ("connect", "unsupported"),
                               ("accept", "not-reached"), ("close", "not-reached")]
    assert steps.observations[1].errno == "ECONNREFUSED"
    assert steps.observations[2].detail == "after connect failed"


def test_a_recorded_failure_is_not_repeated_as_not_reached() -> None:
    steps = Steps(CTX, FIELDS)
    steps.record("create", "no-constant", "Python defines no AF_X")
    steps.run("create", lambda: pytest.fail("must not run"))
    steps.rest_not_reached(("create", "bind"))
    assert outcomes(steps) == [("create", "no-constant"), ("bind", "not-reached")]


def test_stop_false_records_the_refusal_and_goes_on() -> None:
    steps = Steps(CTX, FIELDS)
    steps.run("rebind-stale", refuse, stop=False)
    steps.run("unlink", lambda: None)
    assert outcomes(steps) == [("rebind-stale", "unsupported"), ("unlink", "supported")]


def test_kept_sockets_are_closed_after_a_failure_and_get_the_deadline() -> None:
    steps = Steps(CTX, FIELDS)
    sockets = [steps.keep(Closable()), steps.keep(Closable())]
    steps.run("connect", refuse)
    steps.close_step()
    assert all(s.closed for s in sockets)
    assert all(s.timeout == CTX.deadline_s for s in sockets)


def test_a_value_and_a_mismatch() -> None:
    steps = Steps(CTX, FIELDS)
    steps.run("recv", lambda: 7, value=lambda n: {"bytes": n})

    def differs() -> None:
        raise Mismatch("received bytes differ")

    steps.run("recv-reply", differs)
    assert steps.observations[0].value == {"bytes": 7}
    assert (steps.observations[1].outcome, steps.observations[1].detail) == ("unsupported",
                                                                             "received bytes differ")


def chunked(data: bytes, sizes: list[int]) -> Callable[[int], bytes]:
    """A recv that hands out ``data`` in the given piece sizes, then end-of-file."""
    pieces = []
    for size in sizes:
        pieces.append(data[:size])
        data = data[size:]
    pieces.append(data)
    stream = iter([*pieces, b""])
    return lambda limit: next(stream)


@pytest.mark.parametrize("sizes", [[], [1], [5, 3, 1], [17] * 30])
def test_a_message_is_assembled_from_partial_reads(sizes: list[int]) -> None:
    head, body = exchange.request("t")
    total = len(head + body)
    read = exchange.read_message(chunked(head + body, sizes))
    assert read.message == head + body
    consumed = expected_reads = 0
    for size in [*sizes, total]:
        consumed += min(size, total - consumed)
        expected_reads += 1
        if consumed == total:
            break
    assert read.reads == expected_reads


def test_reads_stop_at_the_message_end() -> None:
    head, body = exchange.response("t")
    recv = chunked(head + body + b"NEXT", [len(head) + len(body) + 4])
    with pytest.raises(Mismatch, match=r"read \d+ bytes, message is \d+"):
        exchange.read_message(recv)


@pytest.mark.parametrize(("data", "message"), [
    (b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort", "peer closed after"),
    (b"POST / HTTP/1.1\r\nHost: x\r\n\r\n", "no valid Content-Length"),
    (b"POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n", "no valid Content-Length"),
])
def test_incomplete_or_malformed_messages(data: bytes, message: str) -> None:
    with pytest.raises(Mismatch, match=message):
        exchange.read_message(chunked(data, []))


def nlmsg_error(seq: int, error: int) -> bytes:
    header = transfer.NLMSG_HEADER.pack(transfer.NLMSG_HEADER.size + 4 + 16, transfer.NLMSG_ERROR, 0, seq, 0)
    return header + struct.pack("=i", error) + bytes(16)


@pytest.mark.parametrize(("data", "seq", "expected"), [
    (nlmsg_error(7, 0), 7, 0),
    (nlmsg_error(7, -errno.EINVAL), 7, errno.EINVAL),
    (nlmsg_error(8, 0), 7, None),
    (nlmsg_error(8, 0) + nlmsg_error(7, -errno.EPERM), 7, errno.EPERM),
    (b"\0" * 3, 7, None),
    (transfer.NLMSG_HEADER.pack(0, 2, 0, 7, 0), 7, None),
])
def test_parse_ack(data: bytes, seq: int, expected: int | None) -> None:
    assert transfer.parse_ack(data, seq) == expected


def test_ack_value_names_the_errno() -> None:
    assert transfer.ack_value(0) == {"ack": "ok"}
    assert transfer.ack_value(errno.EINVAL) == {"ack": "EINVAL"}
