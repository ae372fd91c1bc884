"""Shared test helpers: pytester, and fake socket-module surfaces of other platforms."""

from __future__ import annotations

pytest_plugins = ["pytester"]
