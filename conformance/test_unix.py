"""AF_UNIX in depth: the longest path that binds, unlinking, SCM_RIGHTS per type, peer
credentials as the OS offers them, SO_PASSCRED/SCM_CREDENTIALS, and the OS vs Python layers.

The path/abstract/autobind round trips for all three types are transfer rows
(``transfer/AF_UNIX/<type>/0/<variant>`` in test_transfer.py). Cases come from
``sockcompat.catalog.unix``.
"""

from __future__ import annotations

import pytest

from sockcompat import PEER_CREDENTIALS, SCM_RIGHTS_TYPES, PeerCredentials, ProbeContext, Recorder
from sockcompat.probes import unix, unix_windows


def test_longest_path(probe_context: ProbeContext, record: Recorder) -> None:
    record(unix.longest_path(probe_context))


def test_unlink(probe_context: ProbeContext, record: Recorder) -> None:
    record(*unix.unlink(probe_context))


@pytest.mark.parametrize("type_", SCM_RIGHTS_TYPES)
def test_scm_rights(type_: str, probe_context: ProbeContext, record: Recorder) -> None:
    record(*unix.scm_rights(type_, probe_context))


@pytest.mark.parametrize("mechanism", PEER_CREDENTIALS, ids=[m.name for m in PEER_CREDENTIALS])
def test_peer_credentials(mechanism: PeerCredentials, probe_context: ProbeContext, record: Recorder) -> None:
    record(*unix.peer_credentials(mechanism, probe_context))


def test_passcred(probe_context: ProbeContext, record: Recorder) -> None:
    record(*unix.passcred(probe_context))


def test_python_layer(probe_context: ProbeContext, record: Recorder) -> None:
    record(*unix.python_layer(probe_context))


def test_os_layer(probe_context: ProbeContext, record: Recorder) -> None:
    record(*unix_windows.os_layer(probe_context))
