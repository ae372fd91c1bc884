"""No harm: a full run as root sends nothing off loopback, and leaves nothing behind.

The suite runs in a namespace whose only other interface is a veth to a peer namespace, with a
default route through it, so a probe that sent anywhere but loopback would put a frame on that
wire; the peer records every frame. The kernel's own IPv6 housekeeping on the link (neighbour
and router solicitations, MLD reports) is all that may appear.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sockcompat.report.validate import load

from ..conftest import world_writable_dir

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux" or not hasattr(os, "geteuid") or os.geteuid() != 0,
                       reason="needs root on Linux to make network namespaces"),
    pytest.mark.skipif(shutil.which("ip") is None, reason="needs ip (iproute2)"),
]

HERE = Path(__file__).resolve().parent
#: ICMPv6 the kernel sends by itself when a link comes up: MLD query/report/done, RS, RA, NS, NA, MLDv2.
KERNEL_ICMPV6 = frozenset({130, 131, 132, 133, 134, 135, 136, 143})
TIME_WAIT = "06"
CANARY = b"sockcompat-no-harm-canary"
ETHERTYPES = {b"\x08\x00": "IPv4", b"\x08\x06": "ARP", b"\x86\xdd": "IPv6"}


def icmpv6_type(frame: bytes) -> int | None:
    """The ICMPv6 type of an Ethernet frame, skipping one hop-by-hop header (MLD has one)."""
    if frame[12:14] != b"\x86\xdd":
        return None
    next_header, offset = frame[20], 54
    if next_header == 0:  # hop-by-hop options
        next_header, offset = frame[offset], offset + (frame[offset + 1] + 1) * 8
    return frame[offset] if next_header == 58 else None


def is_canary(frame: bytes) -> bool:
    """The canary datagram, or the ARP exchange it needs to reach the peer."""
    return CANARY in frame or (frame[12:14] == b"\x08\x06" and frame[38:42] == bytes([192, 0, 2, 2]))


def describe(frame: bytes) -> str:
    kind = ETHERTYPES.get(frame[12:14], frame[12:14].hex())
    return f"{kind} frame of {len(frame)} bytes: {frame[:64].hex()}"


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def wired_namespaces() -> Iterator[tuple[str, str]]:
    """(probe, peer) namespaces joined by a veth; the probe side routes everything into it.
    Addresses are from the documentation ranges and exist only inside these namespaces."""
    tag = str(os.getpid())
    probe, peer = f"sc-probe-{tag}", f"sc-peer-{tag}"
    ip("netns", "add", probe)
    ip("netns", "add", peer)
    try:
        ip("link", "add", "veth-probe", "netns", probe, "type", "veth",
           "peer", "name", "veth-peer", "netns", peer)
        for ns, dev, v4, v6 in ((probe, "veth-probe", "192.0.2.1/24", "2001:db8::1/64"),
                                (peer, "veth-peer", "192.0.2.2/24", "2001:db8::2/64")):
            ip("-n", ns, "link", "set", "lo", "up")
            ip("-n", ns, "addr", "add", v4, "dev", dev)
            ip("-n", ns, "-6", "addr", "add", v6, "dev", dev, "nodad")
            ip("-n", ns, "link", "set", dev, "up")
        ip("-n", probe, "route", "add", "default", "via", "192.0.2.2")
        ip("-n", probe, "-6", "route", "add", "default", "via", "2001:db8::2")
        yield probe, peer
    finally:
        for ns in (probe, peer):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=30, check=False)


def test_full_run_sends_nothing_off_loopback_and_leaves_nothing(
    wired_namespaces: tuple[str, str], wheel_venv: Path, shared_dir: Path
) -> None:
    probe, peer = wired_namespaces
    out, tmp = world_writable_dir(shared_dir), world_writable_dir(shared_dir)
    frames_file = shared_dir / "frames.json"
    time.sleep(2)  # let the links' own start-up chatter pass before listening
    capture = subprocess.Popen(["ip", "netns", "exec", peer, sys.executable, str(HERE / "capture.py"),
                                "veth-peer", str(frames_file)], stdout=subprocess.PIPE, text=True)
    try:
        assert capture.stdout is not None and capture.stdout.readline().strip() == "capturing"
        done = subprocess.run(
            ["ip", "netns", "exec", probe, "env", f"TMPDIR={tmp}", str(wheel_venv / "bin" / "sockcompat"),
             "run", "--output", str(out)],
            capture_output=True, text=True, timeout=1800, check=False, stdin=subprocess.DEVNULL, cwd=out,
        )
        # The canary: one datagram to the peer (inside our own namespaces) proves the capture sees
        # what leaves the probe namespace.
        canary = ("import socket; "
                  f"socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto({CANARY!r}, ('192.0.2.2', 9))")
        subprocess.run(["ip", "netns", "exec", probe, sys.executable, "-c", canary], check=True, timeout=30)
        time.sleep(1)
    finally:
        capture.terminate()
        capture.wait(timeout=30)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = load(next(out.glob("*.json")))
    assert report["host"]["privilege"]["label"] == "root"
    assert len({o["area"] for o in report["observations"]}) >= 3  # the whole suite ran, not one area

    frames = [bytes.fromhex(f) for f in json.loads(frames_file.read_text())]
    assert any(CANARY in f for f in frames), "the capture missed the canary: it would miss a leak too"
    sent = [describe(f) for f in frames if icmpv6_type(f) not in KERNEL_ICMPV6 and not is_canary(f)]
    assert sent == [], f"{len(sent)} frames left the probe namespace"

    # Nothing left behind: no files in TMPDIR, no process and no socket in the namespace.
    assert list(tmp.iterdir()) == []
    pids = subprocess.run(["ip", "netns", "pids", probe], capture_output=True, text=True, check=True)
    assert pids.stdout.split() == []
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix"):
        rows = subprocess.run(["ip", "netns", "exec", probe, "cat", f"/proc/net/{table}"],
                              capture_output=True, text=True, check=True).stdout.splitlines()[1:]
        # Closed TCP connections linger in TIME_WAIT (state 06) in the kernel, owned by no one.
        live = [row for row in rows if not (table.startswith("tcp") and row.split()[3] == TIME_WAIT)]
        assert live == [], f"/proc/net/{table} still lists {live[:3]}"
