"""XLSX files of roster intake: the blank template and the error workbook.

Every column is formatted as text (`@`) so that Excel keeps a NIK as 16 digits instead of
turning it into `1.67101E+15`.
"""

from __future__ import annotations

import io

import polars as pl
import xlsxwriter

from monev.rosters.engine import COLUMNS
from monev.rosters.messages import message_for

EXAMPLE = (
    "1671011708850001",
    "Budi Santoso",
    "NON_ASN",
    "Staf Dinas Kebersihan",
    "2500000",
    "APBD_KABKOTA",
    "16.71.01.1001",
)
NOTES = (
    "16 digit, format Teks (jangan biarkan Excel mengubahnya menjadi angka)",
    "nama lengkap sesuai KTP",
    "NON_ASN, PERANGKAT_DESA, RT_RW atau RENTAN (juga: non-ASN, perangkat desa, RT/RW, "
    "pekerja rentan)",
    "opsional",
    "upah per bulan dalam Rupiah, wajib untuk NON_ASN dan PERANGKAT_DESA (2500000 atau 2.500.000)",
    "opsional: APBD_PROV, APBD_KABKOTA, APBDES, DANA_DESA, DBHCHT, DBH_SAWIT, CSR, MANDIRI",
    "opsional: kode desa/kelurahan Kemendagri, mis. 16.71.01.1001",
)


def template_xlsx() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    text = book.add_format({"num_format": "@"})
    bold = book.add_format({"bold": True, "num_format": "@"})
    sheet = book.add_worksheet("daftar_pekerja")
    for index, name in enumerate(COLUMNS):
        sheet.set_column(index, index, 22 if index else 20, text)
        sheet.write_string(0, index, name, bold)
        sheet.write_string(1, index, EXAMPLE[index], text)
    sheet.freeze_panes(1, 0)
    guide = book.add_worksheet("petunjuk")
    guide.set_column(0, 0, 16)
    guide.set_column(1, 1, 100)
    for index, (name, note) in enumerate(zip(COLUMNS, NOTES, strict=True)):
        guide.write_string(index, 0, name, bold)
        guide.write_string(index, 1, note)
    guide.write_string(
        len(COLUMNS) + 1,
        1,
        "Hapus baris contoh sebelum mengunggah. Pemda dan periode dipilih saat unggah.",
    )
    book.close()
    return buffer.getvalue()


def error_workbook_xlsx(rows: pl.DataFrame, errors: pl.DataFrame, language: str) -> bytes:
    """The original rows (as read) with `baris` and `kesalahan` columns; every row kept so the
    operator fixes the file in place and uploads it again."""
    messages = (
        errors.with_columns(
            pl.struct("code", "detail")
            .map_elements(
                lambda e: message_for(e["code"], e["detail"], language), return_dtype=pl.String
            )
            .alias("message")
        )
        .with_columns(text=pl.format("[{}] {}", pl.col("column"), pl.col("message")))
        .group_by("row")
        .agg(pl.col("text").str.join("; ").alias("kesalahan"))
    )
    data = rows.select("row", *COLUMNS).join(messages, on="row", how="left")
    file_level = messages.filter(pl.col("row") <= 1)  # the header or the file as a whole
    table = pl.concat([file_level, data], how="diagonal").sort("row").rename({"row": "baris"})
    return _write_text_table(table.select("baris", *COLUMNS, "kesalahan"), "kesalahan")


def _write_text_table(table: pl.DataFrame, sheet_name: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    text = book.add_format({"num_format": "@"})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(sheet_name)
    sheet.set_column(0, len(table.columns) - 1, 20, text)
    for index, name in enumerate(table.columns):
        sheet.write_string(0, index, name, bold)
    for r, values in enumerate(table.iter_rows(), start=1):
        for c, value in enumerate(values):
            if value is not None:
                sheet.write_string(r, c, str(value), text)
    book.close()
    return buffer.getvalue()
