"""Formula injection: a cell that came from an upload (a name like `=HYPERLINK(...)`) must
not become a live formula in any export. XLSX: the cell is written as a string (no `<f>`
element in the sheet). CSV: a cell starting with = + - @ is neutralised (a leading `'`),
since a spreadsheet evaluates CSV cells on open (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest

from tests.prove.hostile import FORMULAS, hostile_files

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _formulas_in_xlsx(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return [
            name
            for name in book.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in book.read(name)
        ]


def _live_csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [c for row in csv.reader(io.StringIO(text)) for c in row if c.startswith(DANGEROUS)]


def test_roster_error_workbook_has_no_formula() -> None:
    from monev.rosters import engine
    from monev.rosters.workbook import error_workbook_xlsx

    filename, data = hostile_files()["formula"]
    frame = engine.read_roster(data, filename)
    checked = engine.validate_rows(
        frame, pemda_code="16.71", as_of=dt.date(2026, 6, 30), prefixes=frozenset(), hash_niks=False
    )
    book = error_workbook_xlsx(frame, checked.errors, "id")
    assert not _formulas_in_xlsx(book)


def test_coverage_xlsx_export_has_no_formula() -> None:
    from monev.coverage.exports import to_xlsx

    assert not _formulas_in_xlsx(to_xlsx(["nama"], [[f] for f in FORMULAS], sheet="x"))


@pytest.mark.parametrize("formula", FORMULAS)
def test_coverage_csv_export_neutralises_formulas(formula: str) -> None:
    """monev/coverage/exports.py `to_csv` (gap list, registration export, CLI export)."""
    from monev.coverage.exports import to_csv

    assert not _live_csv_cells(to_csv(["nama"], [[formula]]))


def test_report_xlsx_has_no_formula() -> None:
    """monev/reports/render.py `render_xlsx`: table cells use write_string, but the sheet
    heading, lines, table titles and notes go through `ws.write`, which turns a string
    starting with `=` into a formula."""
    from monev.reports.render import Column, Sheet, Table, render_xlsx

    table = Table(
        title=FORMULAS[0],
        columns=[Column(title="Nama", key="nama")],
        rows=[{"nama": f} for f in FORMULAS],
        note=FORMULAS[0],
    )
    sheet = Sheet(name="a", heading=FORMULAS[0], lines=[FORMULAS[0]], tables=[table])
    assert not _formulas_in_xlsx(render_xlsx([sheet], title="t"))
