"""One self-contained HTML page: inline CSS only (no links, scripts, fonts or images), so it
can be mailed, archived or printed as it is.

Every piece of text goes through `html.escape`; colour is never the only carrier of meaning
(health and acceptance are words), and the print style drops the screen margins.
"""

from __future__ import annotations

import html

from itpm_tui.reports.clean import clean, one_line
from itpm_tui.reports.document import (
    Block,
    Bullets,
    Document,
    Facts,
    Heading,
    Para,
    Records,
    Table,
)

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #111; background: #fff; line-height: 1.4; margin: 0; }
main { max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.subtitle { font-style: italic; margin: 0 0 1rem; color: #333; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #111; padding-bottom: .15rem;
  margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
th, td { border: 1px solid #555; padding: .2rem .4rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid #111; }
ul { margin: .3rem 0; padding-left: 1.4rem; }
.record { margin: .6rem 0; }
.record h4 { margin: 0 0 .2rem; font-size: 1rem; }
@page { margin: 15mm; }
@media print {
  main { max-width: none; margin: 0; padding: 0; }
  body { font-size: 10pt; }
  h2, h3, .record h4 { break-after: avoid; }
  tr, .record, dl.facts { break-inside: avoid; }
  th { background: none; }
}
""".strip()


def _e(text: str) -> str:
    """One line of user text, escaped (quotes too, so it is safe inside attributes)."""
    return html.escape(one_line(text), quote=True)


def render_html(doc: Document, *, refresh_seconds: int | None = None) -> str:
    """The page; with `refresh_seconds` the browser reloads it that often (no script)."""
    body = "\n".join(_block(block) for block in doc.blocks)
    refresh = (
        f'<meta http-equiv="refresh" content="{int(refresh_seconds)}">\n' if refresh_seconds else ""
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{refresh}"
        f"<title>{_e(doc.title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{_e(doc.title)}</h1>\n"
        f'<p class="subtitle">{_e(doc.subtitle)}</p>\n'
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        level = max(2, min(block.level, 4))
        return f"<h{level}>{_e(block.text)}</h{level}>"
    if isinstance(block, Para):
        tag = ("<p><em>", "</em></p>") if block.emphasis else ("<p>", "</p>")
        return "\n".join(
            f"{tag[0]}{_e(line)}{tag[1]}" for line in clean(block.text).split("\n") if line.strip()
        )
    if isinstance(block, Facts):
        return _facts(block.items)
    if isinstance(block, Bullets):
        items = "".join(f"<li>{_e(item)}</li>" for item in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Records):
        return "\n".join(
            f'<div class="record"><h4>{_e(r.title)}</h4>\n{_facts(r.facts)}</div>'
            for r in block.items
        )
    raise TypeError(f"unknown block {block!r}")


def _facts(items: tuple[tuple[str, str], ...]) -> str:
    pairs = "".join(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in items)
    return f'<dl class="facts">{pairs}</dl>'


def _table(table: Table) -> str:
    def cls(i: int) -> str:
        return ' class="num"' if table.is_numeric(i) else ""

    head = "".join(f'<th scope="col"{cls(i)}>{_e(h)}</th>' for i, h in enumerate(table.headers))
    rows = []
    for n, cells in enumerate(table.rows):
        total = table.total and n == len(table.rows) - 1
        tds = "".join(f"<td{cls(i)}>{_e(c)}</td>" for i, c in enumerate(cells))
        rows.append(f'<tr class="total">{tds}</tr>' if total else f"<tr>{tds}</tr>")
    return (
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>"
    )
