"""How a status looks, shared by every view so the legend means the same everywhere."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple


class Look(NamedTuple):
    symbol: str
    label: str
    meaning: str


LOOKS: dict[str, Look] = {
    "supported": Look("✅", "yes", "every host in the column succeeded (a version range narrows it)"),
    "partial": Look("◐", "partial", "hosts in the column disagree; the note says which"),
    "needs-privilege": Look("🔒", "needs privilege", "refused for lack of privilege: the condition names it"),
    "unsupported": Look("❌", "no", "the OS or Python refused, lacks the name, or a setting is off"),
    "unknown": Look("❔", "unknown", "no host in the column answered (timeout, error or not observed)"),
}
CONFLICT = Look("⚠", "conflict", "reports of the same host identity disagree")


def capability(row: dict[str, Any]) -> str:
    """The row's name without its area, plus the step when the step adds something."""
    rest = str(row["id"]).partition("/")[2]
    if row["step"] in (row["area"], "lookup"):
        return rest
    return f"{rest} · {row['step']}"


def group(row: dict[str, Any]) -> str:
    """The family a row belongs to; constants group by their prefix (AF, SO, TCP, ...)."""
    if row["family"]:
        return str(row["family"])
    if row["area"] == "constant":
        name = str(row["id"]).partition("/")[2]
        return name.split("_", 1)[0] + "_" if "_" in name else name
    return "other"


def unsupported_everywhere(row: dict[str, Any]) -> bool:
    return all(cell["status"] == "unsupported" for cell in row["cells"].values())


def short_value(values: Iterable[Any]) -> str | None:
    """A single scalar value worth showing inline (a constant's number), else None."""
    values = list(values)
    if len(values) == 1 and isinstance(values[0], (int, str)) and not isinstance(values[0], bool):
        text = str(values[0])
        return text if len(text) <= 24 else None
    return None
