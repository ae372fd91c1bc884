"""Build small, valid host reports for merge, render and diff tests (no probing involved)."""

from __future__ import annotations

import io
from typing import Any

from sockcompat.observation import Observation
from sockcompat.report import host_report

RAW = {"family": "AF_INET", "type": "SOCK_RAW", "proto": "IPPROTO_ICMP"}
STREAM = {"family": "AF_INET", "type": "SOCK_STREAM", "proto": "0"}


def obs(
    id_: str,
    outcome: str,
    errno: str | None = None,
    step: str | None = None,
    detail: str = "",
    value: Any = None,
    **names: Any,
) -> Observation:
    area = id_.split("/", 1)[0]
    return Observation(
        id=id_,
        area=area,
        step=step or ("lookup" if area == "constant" else area),
        outcome=outcome,  # type: ignore[arg-type]
        errno=errno,
        detail=detail,
        value=value,
        **names,
    )


def raw(outcome: str, errno: str | None = None) -> Observation:
    return obs("create/AF_INET/SOCK_RAW/IPPROTO_ICMP", outcome, errno, **RAW)


def stream(outcome: str = "supported") -> Observation:
    return obs("create/AF_INET/SOCK_STREAM/0", outcome, **STREAM)


def host(
    os_name: str = "linux",
    privilege: str = "root",
    python: str = "3.11.7",
    implementation: str = "cpython",
    release: str = "6.1.0",
) -> dict[str, Any]:
    superuser = privilege in ("root", "admin")
    return {
        "os": os_name,
        "system": {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}.get(os_name, os_name),
        "release": release,
        "machine": "x86_64",
        "python": {"implementation": implementation, "version": python},
        "socket": {"has_ipv6": True},
        "privilege": {"superuser": superuser, "label": privilege},
    }


def report(
    observations: list[Observation], started: str = "2026-11-24T10:00:00+00:00", **host_fields: Any
) -> dict[str, Any]:
    run = {"started": started, "duration_s": 1.0, "pytest_args": [], "workers": 0, "deadline_s": 5.0}
    return host_report.build(observations, host(**host_fields), run)


class Terminal(io.StringIO):
    """A text stream that says whether it is a terminal (progress lines appear only on one)."""

    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty
