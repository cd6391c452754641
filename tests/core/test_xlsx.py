"""XLSX cells: a long number stored as a number shows as Excel shows it; text keeps its digits."""

from __future__ import annotations

import datetime as dt
import io

import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from monev.core.nik import nik_check
from monev.core.xlsx import read_first_sheet

nik_digits = st.from_regex(r"\A167101[0-9]{10}\Z")


def book(rows: list[tuple[str, bool]], top: int, left: int) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet()
    sheet.write_row(top, left, ["nik", "nama"])
    for index, (value, as_number) in enumerate(rows, start=top + 1):
        if as_number:
            sheet.write_number(index, left, int(value))
        else:
            sheet.write_string(index, left, value)
        sheet.write_string(index, left + 1, f"Nama {index}")
    workbook.close()
    return buffer.getvalue()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(nik_digits, st.booleans()), min_size=1, max_size=8),
    st.integers(0, 3),
    st.integers(0, 3),
)
def test_number_cells_are_shown_as_excel_shows_them(rows, top, left) -> None:
    frame = read_first_sheet(book(rows, top, left))
    assert frame.columns == ["nik", "nama"]
    for (value, as_number), shown in zip(rows, frame["nik"].to_list(), strict=True):
        if as_number:
            assert shown == f"{float(value):.5E}"
            assert nik_check(shown, prefixes=frozenset(), as_of=dt.date(2024, 6, 30)).error == (
                "nik_excel_number"
            )
        else:
            assert shown == value


def test_text_workbook_without_long_numbers_is_read_as_it_is() -> None:
    frame = read_first_sheet(book([("1671011708851000", False)], 0, 0))
    assert frame["nik"].to_list() == ["1671011708851000"]
