"""Budget files (docs/formats/budget.md): all rows or none, clear row-numbered errors."""

from __future__ import annotations

import io
from typing import Any

import pytest
import xlsxwriter

from monev.budgets.imports import budget_file_import
from monev.budgets.models import BudgetLine
from monev.budgets.services import InputRejected
from monev.core.models import AuditEvent
from monev.core.scope import SYSTEM

HEADER = "kode_pemda,tahun_anggaran,kategori,sumber_dana,pagu,jumlah_pekerja_rencana,realisasi,keterangan\n"
GOOD = HEADER + (
    '16.71,2024,RENTAN,APBD_MURNI,"201.600.000",1000,150.000.000,paket 16.800\n'
    "16.71,2024,NON_ASN,APBD_PERUBAHAN,500000000,2000,,\n"
)


def test_csv_import_saves_every_line(db: Any) -> None:
    assert budget_file_import(data=GOOD.encode(), filename="anggaran.csv", by=SYSTEM) == 2
    line = BudgetLine.objects.get(category="RENTAN")
    assert (line.amount, line.planned_headcount, line.realised_amount) == (
        201_600_000,
        1000,
        150_000_000,
    )
    assert AuditEvent.objects.filter(action="budget.save", pemda_code="16.71").count() == 2


def test_reimport_replaces_the_line(db: Any) -> None:
    budget_file_import(data=GOOD.encode(), filename="a.csv", by=SYSTEM)
    again = HEADER + "16.71,2024,RENTAN,APBD_MURNI,1,1,,\n"
    budget_file_import(data=again.encode(), filename="a.csv", by=SYSTEM)
    assert BudgetLine.objects.get(category="RENTAN").amount == 1
    assert BudgetLine.objects.count() == 2


def test_xlsx_import(db: Any) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for r, values in enumerate(
        [HEADER.strip().split(","), ["16.04", "2025", "RT_RW", "DANA_DESA", "1000000"]]
    ):
        for c, value in enumerate(values):
            sheet.write_string(r, c, value)
    book.close()
    assert budget_file_import(data=buffer.getvalue(), filename="a.xlsx", by=SYSTEM) == 1


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("16.99,2024,RENTAN,APBD_MURNI,1\n", "baris 4: kode Pemda '16.99' tidak dikenal"),
        ("16.71,2024,RENTAN,APBD_MURNI,-5\n", "baris 4: nilai '-5' negatif"),
        ("16.71,2024,SATPAM,APBD_MURNI,5\n", "kategori 'SATPAM'"),
        ("16.71,2024,RENTAN,HIBAH,5\n", "sumber dana 'HIBAH'"),
        ("16.71,20x4,RENTAN,APBD_MURNI,5\n", "bukan tahun"),
        ("16.71,1999,RENTAN,APBD_MURNI,5\n", "tidak wajar"),
    ],
)
def test_one_bad_row_stores_nothing(db: Any, body: str, fragment: str) -> None:
    data = (GOOD + body).encode()
    with pytest.raises(InputRejected) as info:
        budget_file_import(data=data, filename="a.csv", by=SYSTEM)
    assert any(fragment in e for e in info.value.errors), info.value.errors
    assert BudgetLine.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "a.csv", "kosong"),
        (b"kode_pemda,pagu\n16.71,5\n", "a.csv", "Kolom wajib"),
        (b"%PDF-1.4", "a.pdf", "tidak didukung"),
        (b"not a zip", "a.xlsx", "tidak dapat dibaca"),
    ],
)
def test_unreadable_files(db: Any, data: bytes, name: str, fragment: str) -> None:
    with pytest.raises(InputRejected, match=fragment):
        budget_file_import(data=data, filename=name, by=SYSTEM)


def test_pemda_operator_cannot_write_another_pemda(cast: Any) -> None:
    data = (HEADER + "16.04,2024,RENTAN,APBD_MURNI,5\n").encode()
    with pytest.raises(InputRejected, match="tidak berwenang"):
        budget_file_import(data=data, filename="a.csv", by=cast["palembang"])
    with pytest.raises(InputRejected, match="tidak berwenang"):
        budget_file_import(data=GOOD.encode(), filename="a.csv", by=cast["auditor"])
    assert budget_file_import(data=GOOD.encode(), filename="a.csv", by=cast["palembang"]) == 2
