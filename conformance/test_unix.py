"""AF_UNIX in depth: the longest path that binds, unlinking, SCM_RIGHTS per type, peer
credentials as the OS offers them, SO_PASSCRED/SCM_CREDENTIALS, and the OS vs Python layers.

The path/abstract/autobind round trips for all three types are transfer rows
(``transfer/AF_UNIX/<type>/0/<variant>`` in test_transfer.py). Cases come from
``sockcompat.catalog.unix``.
"""

from __future__ import annotations

import pytest

from sockcompat import PEER_CREDENTIALS, SCM_RIGHTS_TYPES, Observed, PeerCredentials, run_context
from sockcompat.probes import unix, unix_windows

pytestmark = pytest.mark.sockcompat  # each test returns its observations


def test_longest_path() -> Observed:
    return unix.longest_path(run_context())


def test_unlink() -> Observed:
    return unix.unlink(run_context())


@pytest.mark.parametrize("type_", SCM_RIGHTS_TYPES)
def test_scm_rights(type_: str) -> Observed:
    return unix.scm_rights(type_, run_context())


@pytest.mark.parametrize("mechanism", PEER_CREDENTIALS, ids=[m.name for m in PEER_CREDENTIALS])
def test_peer_credentials(mechanism: PeerCredentials) -> Observed:
    return unix.peer_credentials(mechanism, run_context())


def test_passcred() -> Observed:
    return unix.passcred(run_context())


def test_python_layer() -> Observed:
    return unix.python_layer(run_context())


def test_os_layer() -> Observed:
    return unix_windows.os_layer(run_context())
