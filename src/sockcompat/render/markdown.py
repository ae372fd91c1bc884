"""index.md and tables/*.md: Markdown GitHub renders (index.md stays far under its size limit).

index.md answers the first questions on one screen: which sockets each column can create (the
family x type grid), the named features with every "no" shown, and who the columns are; every row
of the matrix is in a per-area (and family) file under ``tables/``, "no everywhere" rows included,
because that is often the answer sought.
"""

from __future__ import annotations

from typing import Any

from sockcompat.render.grid import family_type_grid, pages, quiet_families
from sockcompat.render.symbols import CONFLICT, LOOKS, capability, cell_words, condition_text, short_value

#: The example condition the legend explains.
PING_CONDITION = {"kind": "sysctl", "name": "net.ipv4.ping_group_range", "value": "1 0"}
ESCAPED = str.maketrans({c: "\\" + c for c in "\\|*_`<>[]#"})


def escape(text: str) -> str:
    """Text safe inside a Markdown table cell (no pipes, no markup, one line)."""
    return " ".join(text.split()).translate(ESCAPED)


def code(text: str) -> str:
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`"


def letter(status: str) -> str:
    """A status as a bold letter: readable without emoji fonts or colour."""
    return f"**{escape(LOOKS[status].letter)}**"


class Footnotes:
    """Numbered notes, each text once."""

    def __init__(self) -> None:
        self.texts: dict[str, int] = {}

    def ref(self, text: str) -> str:
        number = self.texts.setdefault(text, len(self.texts) + 1)
        return f"[^{number}]"

    def render(self) -> list[str]:
        return [f"[^{n}]: {escape(text)}" for text, n in self.texts.items()]


def statement_text(cell: dict[str, Any]) -> str:
    parts = []
    for s in cell["statements"]:
        where = f" on {s['python']}" if s["python"] else ""
        errno = f" {s['errno']}" if s["errno"] else ""
        layer = " (Python refused)" if s.get("layer") == "python" else ""
        parts.append(
            f"{s['outcome']}{errno}{layer}{where} ({len(s['hosts'])} host{'s' * (len(s['hosts']) != 1)})"
        )
    return "; ".join(parts)


def cell_text(cell: dict[str, Any] | None, notes: Footnotes) -> str:
    if cell is None:
        return letter("unknown")
    status = cell["status"]
    words = [letter(status)]
    words += [escape(w) for w in cell_words(cell)]
    value = short_value(cell["values"]) if status == "supported" else None
    if value is not None:
        words.append(code(value))
    if status != "supported" and cell["errno"]:
        words.append(code(",".join(cell["errno"])))
    if status in ("unknown", "partial"):
        words.append(notes.ref(statement_text(cell)))
    elif status != "unsupported":
        words.extend(notes.ref(n) for n in cell["notes"])
    if cell["conflicts"]:
        text = "; ".join(f"{c['host']} reported {' and '.join(c['outcomes'])}" for c in cell["conflicts"])
        words.append(CONFLICT.letter + notes.ref("conflict: " + text))
    return " ".join(words)


def column_heads(matrix: dict[str, Any]) -> list[str]:
    """Short column names (C1, C2, ...) for wide tables; ``columns_table`` spells them out."""
    return [f"C{n}" for n in range(1, len(matrix["platforms"]) + 1)]


def columns_table(matrix: dict[str, Any]) -> list[str]:
    hosts = matrix["hosts"]
    out = ["| column | OS, release line, architecture, privilege, traits | hosts (Python) |", "|---|---|---|"]
    for head, platform in zip(column_heads(matrix), matrix["platforms"]):
        pythons = ", ".join(f"{hosts[i]['implementation']} {hosts[i]['python']}" for i in platform["hosts"])
        releases = sorted({hosts[i]["release"] for i in platform["hosts"]})
        out.append(
            f"| {head} | {escape(platform['label'])} (release {escape(', '.join(releases))}) | "
            f"{len(platform['hosts'])}: {escape(pythons)} |"
        )
    return out


def legend() -> list[str]:
    out = ["| letter | status | meaning |", "|---|---|---|"]
    out += [f"| {letter(status)} | {look.label} | {escape(look.meaning)} |" for status, look in LOOKS.items()]
    out.append(f"| {CONFLICT.letter} | {CONFLICT.label} | {escape(CONFLICT.meaning)} |")
    return out


def grid_section(matrix: dict[str, Any]) -> list[str]:
    families, types, grid = family_type_grid(matrix)
    heads = column_heads(matrix)
    out = [
        "## Which sockets can be created",
        "",
        "`socket(family, type)` per column, for any protocol: one letter per column, in the order "
        f"{', '.join(heads)}.",
        "",
        "| family | " + " | ".join(escape(t) for t in types) + " |",
        "|---|" + "---|" * len(types),
    ]
    quiet = quiet_families(families, grid)
    hidden = {f for names in quiet.values() for f in names}
    for family in families:
        if family in hidden:
            continue
        cells = []
        for type_ in types:
            letters = [grid[p["id"]].get((family, type_)) for p in matrix["platforms"]]
            cells.append("" if not any(letters) else " ".join(LOOKS[s].letter if s else "·" for s in letters))
        out.append(f"| {escape(family)} | " + " | ".join(escape(c) for c in cells) + " |")
    for status, names in sorted(quiet.items()):
        out += [
            "",
            f"{letter(status)} ({LOOKS[status].label}) in every column, for every type: "
            + ", ".join(escape(n) for n in names)
            + ".",
        ]
    return out


def features_section(matrix: dict[str, Any], link: str) -> list[str]:
    heads = column_heads(matrix)
    out = [
        "## Features",
        "",
        'Named capabilities and how each column answers them (every "no" shown).',
        "",
        "| feature | " + " | ".join(heads) + " |",
        "|---|" + "---|" * len(heads),
    ]
    for feature in matrix["features"]:
        cells = [
            letter(feature["answers"][p["id"]]) if p["id"] in feature["answers"] else letter("unknown")
            for p in matrix["platforms"]
        ]
        out.append(f"| {escape(feature['title'])} | " + " | ".join(cells) + " |")
    out += ["", f"The rows behind every feature, and every other row: {link}."]
    return out


def table_lines(matrix: dict[str, Any], rows: list[dict[str, Any]], notes: Footnotes) -> list[str]:
    heads = column_heads(matrix)
    out = ["| capability | " + " | ".join(heads) + " |", "|---|" + "---|" * len(heads)]
    texts: dict[int, str] = {}  # merge shares identical cells between rows: each is written once per file
    columns = [p["id"] for p in matrix["platforms"]]
    for row in rows:
        cells = []
        for column in columns:
            cell = row["cells"].get(column)
            text = texts.get(id(cell))
            if text is None:
                text = texts[id(cell)] = cell_text(cell, notes)
            cells.append(text)
        out.append(f"| {code(capability(row))} | {' | '.join(cells)} |")
    return out


def render_tables(matrix: dict[str, Any]) -> dict[str, str]:
    """``tables/<page>.md`` per area and family: every row, with the columns and legend repeated."""
    files = {}
    for name, title, rows in pages(matrix):
        notes = Footnotes()
        out = [
            f"# {escape(title)}",
            "",
            "[Back to the index](../index.md)",
            "",
            *columns_table(matrix),
            "",
            *table_lines(matrix, rows, notes),
            "",
            "## Legend",
            "",
            *legend(),
        ]
        footnotes = notes.render()
        if footnotes:
            out += ["", "## Notes", "", *footnotes]
        files[f"tables/{name}.md"] = "\n".join(out).rstrip() + "\n"
    return files


def render(matrix: dict[str, Any]) -> str:
    hosts = matrix["hosts"]
    out = ["# Socket compatibility matrix", ""]
    out.append(
        f"Merged from {len(hosts)} host report{'s' * (len(hosts) != 1)}"
        + (f", newest run {matrix['newest_run']}" if matrix["newest_run"] else "")
        + f", by sockcompat {matrix['tool']['version']}. Columns are an OS release line, architecture "
        "and privilege, plus the traits that explain gaps (a kernel without loadable modules, a "
        "container, Wine). Every row of the matrix: `tables/`, `matrix.csv`, `matrix.json`, the site."
    )
    out += [
        "",
        "## Contents",
        "",
        "- [Columns](#columns)",
        "- [Which sockets can be created](#which-sockets-can-be-created)",
        "- [Features](#features)",
        "- [Legend](#legend)",
        "- [Every row, by area and family](#every-row-by-area-and-family)",
        "",
    ]
    out += ["## Columns", "", *columns_table(matrix), ""]
    if matrix["skipped"]:
        out += ["Skipped reports:", ""]
        out += [f"- {escape(s['file'])}: {escape(s['error'])}" for s in matrix["skipped"]]
        out.append("")
    out += [*grid_section(matrix), ""]
    out += [*features_section(matrix, "[every row, by area and family](#every-row-by-area-and-family)"), ""]
    out += [
        "## Legend",
        "",
        *legend(),
        "",
        "A version range (`3.10+`) says which Python versions the status holds for; a condition "
        f"({escape(condition_text(PING_CONDITION))}, "
        '`CAP_NET_RAW`) says what would change the answer; "Python refused" marks a refusal by the '
        "interpreter, not the OS.",
        "",
    ]
    out += ["## Every row, by area and family", ""]
    for name, title, rows in pages(matrix):
        out.append(f"- [{escape(title)}](tables/{name}.md): {len(rows)} rows")
    return "\n".join(out).rstrip() + "\n"
