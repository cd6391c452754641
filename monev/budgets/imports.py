"""`docs/formats/budget.md`: a CSV/XLSX of budget lines, checked row by row, saved all or none."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from monev.budgets.services import BudgetRow, InputRejected, budget_lines_save
from monev.budgets.tables import TableError, parse_rupiah, read_table, require_columns

REQUIRED = ["kode_pemda", "tahun_anggaran", "kategori", "sumber_dana", "pagu"]


def _row(item: dict[str, Any]) -> BudgetRow:
    year = item.get("tahun_anggaran") or ""
    if not (year.isascii() and year.isdigit()):
        raise ValueError(_("tahun_anggaran %(v)r bukan tahun") % {"v": year})
    return BudgetRow(
        pemda=(item.get("kode_pemda") or "").strip(),
        fiscal_year=int(year),
        category=(item.get("kategori") or "").strip().upper(),
        source=(item.get("sumber_dana") or "").strip().upper(),
        amount=parse_rupiah(item.get("pagu")) or 0,
        planned_headcount=parse_rupiah(item.get("jumlah_pekerja_rencana")) or 0,
        realised_amount=parse_rupiah(item.get("realisasi"), blank=None),
        note=(item.get("keterangan") or "")[:300],
    )


def budget_file_import(*, data: bytes, filename: str, by: Any) -> int:
    """Parse and save; raises InputRejected with row-numbered reasons (nothing saved)."""
    try:
        frame = read_table(data, filename)
        require_columns(frame, REQUIRED)
    except TableError as exc:
        raise InputRejected([str(exc)]) from None
    rows, errors = [], []
    for item in frame.iter_rows(named=True):
        try:
            rows.append(_row(item))
        except ValueError as exc:
            errors.append(_("baris %(n)d: %(e)s") % {"n": item["row"], "e": exc})
    if errors:
        raise InputRejected(errors)
    if not rows:
        raise InputRejected([_("File tidak berisi baris anggaran.")])
    numbers = frame["row"].to_list()
    return budget_lines_save(rows=rows, by=by, source=filename, numbers=numbers)
