"""CSV and XLSX bytes from a header and rows (what the page shows is what is exported)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from monev.core.spreadsheet import safe_writer


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = safe_writer(csv.writer(out, lineterminator="\n"))
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(header: Sequence[str], rows: Sequence[Sequence[Any]], *, sheet: str) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet(sheet[:31])
    text = book.add_format({"num_format": "@"})
    bold = book.add_format({"bold": True})
    ws.write_row(0, 0, header, bold)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(i, j, value, text)  # NIK stays text, never a number
            else:
                ws.write(i, j, value)
    ws.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
