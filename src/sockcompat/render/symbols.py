"""How a status looks, shared by every view so the legend means the same everywhere.

Each status has a letter (readable in a terminal, in Markdown and without any emoji font), a shape
(the site draws it with CSS) and a colour from the Okabe-Ito palette, which stays distinct for the
common colour-vision deficiencies; letter and shape carry the meaning, colour only helps.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple


class Look(NamedTuple):
    letter: str
    label: str
    shape: str
    colour: str
    meaning: str


LOOKS: dict[str, Look] = {
    "supported": Look(
        "Y", "yes", "circle", "#0072B2", "every host in the column succeeded (a version range narrows it)"
    ),
    "partial": Look("~", "partial", "half", "#56B4E9", "hosts in the column disagree; the note says which"),
    "needs-privilege": Look(
        "P",
        "needs privilege",
        "diamond",
        "#E69F00",
        "refused for lack of a privilege the condition names (root, CAP_NET_RAW, ...)",
    ),
    "blocked": Look(
        "B",
        "blocked",
        "octagon",
        "#CC79A7",
        "refused by a policy (seccomp, LSM, container) although it needs no privilege",
    ),
    "unavailable": Look(
        "U",
        "unavailable",
        "triangle",
        "#009E73",
        "exists, but off here: a setting, module, device or address is missing (named)",
    ),
    "not-applicable": Look(
        "A",
        "not applicable",
        "dash",
        "#999999",
        "the question does not apply to this socket (no safe, meaningful test)",
    ),
    "no-constant": Look(
        "C",
        "not in Python",
        "ring",
        "#F0E442",
        "this Python has no name for it, and the OS headers give no number",
    ),
    "unsupported": Look("N", "no", "square", "#D55E00", "the OS refused: not implemented here"),
    "unknown": Look(
        "?", "unknown", "dotted", "#000000", "no host in the column answered (timeout, error or not observed)"
    ),
}
CONFLICT = Look("!", "conflict", "bang", "#000000", "reports of the same host identity disagree")
PYTHON_REFUSED = "Python refused"


def badge(status: str) -> str:
    """The plain-text form of a status: its letter and its word ("P needs privilege")."""
    look = LOOKS[status]
    return f"{look.letter} {look.label}"


FIRST_FAMILIES = ("AF_INET", "AF_INET6", "AF_UNIX")


def family_order(family: str) -> tuple[int, str]:
    """The families most readers ask about first, then the rest by name."""
    return (FIRST_FAMILIES.index(family) if family in FIRST_FAMILIES else len(FIRST_FAMILIES), family)


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


def condition_text(condition: dict[str, Any]) -> str:
    """ "sysctl net.ipv4.ping_group_range (now 1 0)", "CAP_NET_RAW": a condition in one phrase."""
    kind, name, value = condition["kind"], condition["name"], condition.get("value")
    words = name if kind == "capability" else f"{kind} {name}"
    return f"{words} (now {value})" if value not in (None, "") else words


def cell_words(cell: dict[str, Any]) -> list[str]:
    """What a cell says besides its status: versions, conditions, the Python refusal."""
    words = [cell["versions"]] if cell.get("versions") else []
    words += [condition_text(c) for c in cell["conditions"]]
    if cell.get("layer") == "python":
        words.append(PYTHON_REFUSED)
    return words


def unsupported_everywhere(row: dict[str, Any]) -> bool:
    return all(cell["status"] == "unsupported" for cell in row["cells"].values())


def short_value(values: Iterable[Any]) -> str | None:
    """A single scalar value worth showing inline (a constant's number), else None."""
    values = list(values)
    if len(values) == 1 and isinstance(values[0], (int, str)) and not isinstance(values[0], bool):
        text = str(values[0])
        return text if len(text) <= 24 else None
    return None
