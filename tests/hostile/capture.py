"""Record every frame seen on one interface until SIGTERM, then write them out as hex.

Runs inside the peer namespace of the no-harm test: ``python3 capture.py IFACE OUT.json``.
Plain AF_PACKET, so the test needs no tcpdump.
"""

from __future__ import annotations

import json
import signal
import socket
import sys
from typing import Any

assert sys.platform == "linux", "AF_PACKET capture is Linux only"

ETH_P_ALL = 0x0003


def main(interface: str, out: str) -> None:
    frames: list[str] = []
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((interface, 0))
    sock.settimeout(0.2)

    def stop(*_: Any) -> None:
        with open(out, "w", encoding="ascii") as file:
            json.dump(frames, file)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    print("capturing", flush=True)
    while True:
        try:
            frame, address = sock.recvfrom(65535)
        except socket.timeout:
            continue
        if address[2] != socket.PACKET_OUTGOING:  # only what the probe side sent towards us
            frames.append(frame.hex())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
