"""index.md: GitHub-readable tables grouped by area and family, a legend, footnotes for notes.

Rows unsupported on every platform are folded into a count per group, so the page lists what
differs or works; the CSV and the HTML page keep every row.
"""

from __future__ import annotations

import itertools
from typing import Any

from sockcompat.render.symbols import CONFLICT, LOOKS, capability, group, short_value, unsupported_everywhere

ESCAPED = str.maketrans({c: "\\" + c for c in "\\|*_`<>[]#"})


def escape(text: str) -> str:
    """Text safe inside a Markdown table cell (no pipes, no markup, one line)."""
    return " ".join(text.split()).translate(ESCAPED)


def code(text: str) -> str:
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`"


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
        parts.append(f"{s['outcome']}{errno}{where} ({len(s['hosts'])} host{'s' * (len(s['hosts']) != 1)})")
    return "; ".join(parts)


def cell_text(cell: dict[str, Any] | None, notes: Footnotes, hosts: list[dict[str, Any]]) -> str:
    if cell is None:
        return LOOKS["unknown"].symbol
    status = cell["status"]
    words = [LOOKS[status].symbol]
    if cell["versions"]:
        words.append(escape(cell["versions"]))
    if status == "supported":
        value = short_value(cell["values"])
        if value is not None:
            words.append(code(value))
    words.extend(escape(c) for c in cell["conditions"])
    if status in ("unsupported", "needs-privilege", "unknown", "partial") and cell["errno"]:
        words.append(code(",".join(cell["errno"])))
    if status == "unknown" or status == "partial":
        words.append(notes.ref(statement_text(cell)))
    elif status != "unsupported":
        words.extend(notes.ref(n) for n in cell["notes"])
    if cell["conflicts"]:
        text = "; ".join(
            f"{c['host']} reported {' and '.join(c['outcomes'])} "
            f"({', '.join(hosts[i]['file'] for i in c['reports'])})"
            for c in cell["conflicts"])
        words.append(CONFLICT.symbol + notes.ref("conflict: " + text))
    return " ".join(words)


def render(matrix: dict[str, Any]) -> str:
    platforms = matrix["platforms"]
    hosts = matrix["hosts"]
    notes = Footnotes()
    out = ["# Socket compatibility matrix", ""]
    out.append(f"Merged from {len(hosts)} host report{'s' * (len(hosts) != 1)}"
               + (f", newest run {matrix['newest_run']}" if matrix["newest_run"] else "")
               + f", by sockcompat {matrix['tool']['version']}. Every row is one call of one probe; "
               "every column one OS and privilege level. The full data: `matrix.json`, `matrix.csv`, "
               "and `index.html` (filterable).")
    out += ["", "## Legend", "", "| symbol | meaning |", "|---|---|"]
    for look in [*LOOKS.values(), CONFLICT]:
        out.append(f"| {look.symbol} {look.label} | {escape(look.meaning)} |")
    out += ["", "A version range (`3.10+`) says which Python versions the status holds for; a condition "
            "(`CAP_NET_RAW`, `root`, `sysctl ...`) says what would change the answer; `EPERM`-style "
            "names are the errno seen.", ""]
    out += ["## Hosts", "", "| column | report | OS release | arch | Python | observations |",
            "|---|---|---|---|---|---|"]
    for platform in platforms:
        for i in platform["hosts"]:
            h = hosts[i]
            out.append(f"| {escape(platform['label'])} | {escape(h['file'])} | {escape(h['release'])} | "
                       f"{escape(h['machine'])} | {escape(h['implementation'])} {escape(h['python'])} | "
                       f"{h['observations']} |")
    if matrix["skipped"]:
        out += ["", "Skipped (invalid) reports:", ""]
        out += [f"- {escape(s['file'])}: {escape(s['error'])}" for s in matrix["skipped"]]
    header = "| capability | " + " | ".join(escape(p["label"]) for p in platforms) + " |"
    rule = "|---|" + "---|" * len(platforms)
    for area, area_rows in itertools.groupby(matrix["rows"], key=lambda r: r["area"]):
        area_list = list(area_rows)
        out += ["", f"## {escape(area)}", ""]
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in area_list:
            groups.setdefault(group(row), []).append(row)
        for name in sorted(groups):
            rows = groups[name]
            shown = [r for r in rows if not unsupported_everywhere(r)]
            folded = len(rows) - len(shown)
            out += [f"### {escape(area)} · {escape(name)}", ""]
            if shown:
                out += [header, rule]
                for row in shown:
                    cells = " | ".join(cell_text(row["cells"].get(p["id"]), notes, hosts) for p in platforms)
                    out.append(f"| {code(capability(row))} | {cells} |")
                out.append("")
            if folded:
                out += [f"{folded} row{'s' * (folded != 1)} unsupported on every platform "
                        f"{'are' if folded != 1 else 'is'} folded away (see matrix.csv).", ""]
    footnotes = notes.render()
    if footnotes:
        out += ["## Notes", "", *footnotes]
    return "\n".join(out).rstrip() + "\n"
