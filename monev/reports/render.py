"""Rendering: one data dict per report, turned into PDF (HTML + WeasyPrint) or XLSX.

PDF: a Django template extending `reports/print_base.html` (A4, official-document style,
DejaVu fonts from the system, no network: every URL is refused), rendered by WeasyPrint.
XLSX: a `Workbook` spec (sheets of titled tables) written by XlsxWriter with number formats,
so the figures in both formats come from the same dict.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

# WeasyPrint logs every layout step at INFO; reports only want its warnings.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _no_network(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"external resource refused in a report: {url[:80]}")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render `template` with `context` to PDF bytes."""
    from weasyprint import HTML

    with translation.override("id"):
        html = render_to_string(template, context)
    return bytes(HTML(string=html, url_fetcher=_no_network, base_url="/").write_pdf())


def render_html(template: str, context: dict[str, Any]) -> str:
    with translation.override("id"):
        return render_to_string(template, context)


# --- XLSX -------------------------------------------------------------------------------


@dataclass
class Column:
    title: str
    key: str
    kind: str = "text"  # text | int | dec1 (one decimal) | pct (0..1) | rupiah | date
    width: int = 14


@dataclass
class Table:
    title: str
    columns: Sequence[Column]
    rows: Sequence[dict[str, Any]]
    note: str = ""


@dataclass
class Sheet:
    name: str
    tables: list[Table] = field(default_factory=list)
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    chart: dict[str, Any] | None = (
        None  # {"table": i, "category": key, "values": key, "title": ...}
    )


def render_xlsx(sheets: Sequence[Sheet], *, title: str, author: str = "monev") -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties({"title": title, "author": author, "company": "Monev Jamsostek"})
    formats = _formats(book)
    for sheet in sheets:
        _write_sheet(book, sheet, formats)
    book.close()
    return buffer.getvalue()


def _formats(book: Any) -> dict[str, Any]:
    return {
        "heading": book.add_format({"bold": True, "font_size": 14}),
        "title": book.add_format({"bold": True, "font_size": 11, "font_color": "#1f3864"}),
        "head": book.add_format(
            {"bold": True, "bg_color": "#d9e1f2", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "text": book.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
        "int": book.add_format({"border": 1, "num_format": "#,##0"}),
        "dec1": book.add_format({"border": 1, "num_format": "#,##0.0"}),
        "pct": book.add_format({"border": 1, "num_format": "0.0%"}),
        "rupiah": book.add_format({"border": 1, "num_format": '"Rp"#,##0'}),
        "date": book.add_format({"border": 1, "num_format": "yyyy-mm-dd"}),
        "note": book.add_format({"italic": True, "font_color": "#555555"}),
    }


def _write_sheet(book: Any, sheet: Sheet, formats: dict[str, Any]) -> None:
    ws = book.add_worksheet(sheet.name[:31])
    row = 0
    if sheet.heading:
        ws.write_string(row, 0, sheet.heading, formats["heading"])
        row += 1
    for line in sheet.lines:
        ws.write_string(row, 0, line)
        row += 1
    row += 1 if sheet.heading or sheet.lines else 0
    placed: list[tuple[int, int]] = []
    for table in sheet.tables:
        start = row
        row = _write_table(ws, table, row, formats)
        placed.append((start, row - 1))
        row += 1
    widths = [c.width for t in sheet.tables for c in t.columns]
    for t in sheet.tables:
        for i, c in enumerate(t.columns):
            ws.set_column(i, i, max(c.width, 8))
    if sheet.chart and sheet.tables and widths:
        _chart(book, ws, sheet, placed)


def _write_table(ws: Any, table: Table, row: int, formats: dict[str, Any]) -> int:
    ws.write_string(row, 0, table.title, formats["title"])
    row += 1
    for i, column in enumerate(table.columns):
        ws.write_string(row, i, column.title, formats["head"])
    row += 1
    for record in table.rows:
        for i, column in enumerate(table.columns):
            value = record.get(column.key)
            if value is None or value == "":
                ws.write_blank(row, i, None, formats["text"])
            elif column.kind in ("int", "dec1", "pct", "rupiah"):
                ws.write_number(row, i, float(value), formats[column.kind])
            else:
                ws.write_string(row, i, str(value), formats["text"])
        row += 1
    if table.note:
        ws.write_string(row, 0, table.note, formats["note"])
        row += 1
    return row


def _chart(book: Any, ws: Any, sheet: Sheet, placed: list[tuple[int, int]]) -> None:
    spec = sheet.chart or {}
    index = int(spec.get("table", 0))
    table = sheet.tables[index]
    keys = [c.key for c in table.columns]
    first, last = placed[index]
    if last <= first + 1 or spec["values"] not in keys:
        return
    data_first = first + 2
    data_last = data_first + len(table.rows) - 1
    cat, val = keys.index(spec["category"]), keys.index(spec["values"])
    chart = book.add_chart({"type": spec.get("type", "bar")})
    chart.add_series(
        {
            "name": spec.get("title", table.title),
            "categories": [ws.name, data_first, cat, data_last, cat],
            "values": [ws.name, data_first, val, data_last, val],
            "fill": {"color": "#2f5597"},
        }
    )
    chart.set_title({"name": spec.get("title", table.title)})
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": max(300, 18 * len(table.rows))})
    ws.insert_chart(1, len(keys) + 1, chart)
