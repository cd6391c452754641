"""The first sheet of an XLSX file as text cells, with Excel's damage to long numbers kept visible.

A NIK typed into a cell formatted as a number is stored by Excel as a float with 15
significant digits: the 16th digit is lost, and the cell *looks* like `1.67101E+15`. Read as
text, such a cell comes back as 16 plausible digits, indistinguishable from a NIK typed as
text. So the cell type decides: a numeric cell of 15 or more digits is given as Excel shows
it (`1.67101E+15`), which the NIK rules reject as Excel-mangled (`nik_excel_number`), while
a text cell keeps every digit it has (a serial ending in 000 is a real NIK).

Reading is calamine's (fastexcel) as before; the numeric cells are found by one scan of the
sheet's XML, done only when the XML holds a number that long at all.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections import defaultdict

import polars as pl

LONG_NUMBER = 1e14  # 15 digits: no wage, count or code in these files is that large
_CANDIDATE = re.compile(
    rb"<v>\s*(?:[0-9]{15,}(?:\.[0-9]*)?|[0-9](?:\.[0-9]+)?[eE]\+?1[4-9])\s*</v>"
)
_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_SHEET = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]+)"')
_REL = re.compile(rb"<Relationship\b[^>]*>")


class XlsxError(ValueError):
    """The workbook cannot be read; the message is calamine's or the zip library's."""


def read_first_sheet(data: bytes) -> pl.DataFrame:
    """Every cell of the first sheet as a string, the first row as header."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
        sheet = reader.load_sheet(0, dtypes="string", skip_whitespace_tail_rows=True)
        frame = pl.DataFrame(sheet.to_polars())
    except Exception as exc:  # fastexcel raises its own zoo of errors for broken files
        raise XlsxError(
            str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        ) from None
    return _show_long_numbers(frame, _long_numeric_cells(data))


def _show_long_numbers(frame: pl.DataFrame, cells: dict[int, dict[int, str]]) -> pl.DataFrame:
    """Replace each marked cell (column index -> frame row -> shown text)."""
    if not cells:
        return frame
    index = pl.int_range(pl.len())
    columns = []
    for position, rows in cells.items():
        if position >= frame.width:
            continue
        name = frame.columns[position]
        shown = pl.Series(list(rows.values()), dtype=pl.String)
        at = pl.Series(list(rows.keys()), dtype=pl.Int64)
        replaced = pl.col(name)
        mapping = pl.DataFrame({"at": at, "shown": shown})
        columns.append(
            index.replace_strict(mapping["at"], mapping["shown"], default=replaced).alias(name)
        )
    return frame.with_columns(columns) if columns else frame


def _long_numeric_cells(data: bytes) -> dict[int, dict[int, str]]:
    """Column index -> data row index (0 = first row under the header) -> Excel's display."""
    xml = _first_sheet_xml(data)
    if xml is None or not _CANDIDATE.search(xml):
        return {}
    found: list[tuple[int, int, str]] = []
    first_row, first_col = None, None
    for match in _CELL.finditer(xml):
        letters, number, attributes, body = match.groups()
        value = _VALUE.search(body or b"")
        inline = body is not None and b"<is>" in body
        if value is None and not inline:
            continue
        row, col = int(number), _column_index(letters)
        first_row = row if first_row is None else min(first_row, row)
        first_col = col if first_col is None else min(first_col, col)
        kind = _TYPE.search(attributes)
        if value is None or (kind is not None and kind.group(1) != b"n"):
            continue
        try:
            number_value = float(value.group(1))
        except ValueError:
            continue
        if abs(number_value) >= LONG_NUMBER:
            found.append((row, col, f"{number_value:.5E}"))
    out: dict[int, dict[int, str]] = defaultdict(dict)
    for row, col, shown in found:
        if first_row is not None and first_col is not None and row > first_row:
            out[col - first_col][row - first_row - 1] = shown
    return dict(out)


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (letter - 64)
    return index - 1


def _first_sheet_xml(data: bytes) -> bytes | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            workbook = book.read("xl/workbook.xml")
            rels = book.read("xl/_rels/workbook.xml.rels")
            sheet = _SHEET.search(workbook)
            if sheet is None:
                return None
            target = _target(rels, sheet.group(1))
            return book.read(target) if target else None
    except (zipfile.BadZipFile, KeyError, OSError):
        return None


def _target(rels: bytes, rel_id: bytes) -> str | None:
    for element in _REL.findall(rels):
        if b'Id="' + rel_id + b'"' in element:
            target = re.search(rb'Target="([^"]+)"', element)
            if target is None:
                return None
            path = target.group(1).decode()
            return path.lstrip("/") if path.startswith("/") else posixpath.join("xl", path)
    return None
