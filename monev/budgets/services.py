"""Writes of the budgets app: the rate table, budget lines and regulations (each audited)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monev.budgets.models import (
    BudgetLine,
    BudgetSource,
    Confidence,
    ContributionRate,
    Programme,
    RateKind,
    Regulation,
    RegulationKind,
    RiskClass,
    Segment,
)
from monev.core.audit import audit_record
from monev.core.scope import scope_for
from monev.regions.models import Pemda
from monev.rosters.models import WorkerCategory

SEED_FILE = Path(__file__).parent / "data" / "rates.csv"
RATE_COLUMNS = [
    "key", "programme", "segment", "kind", "risk_class", "sector", "employer_percent",
    "worker_percent", "government_percent", "employer_amount", "worker_amount", "amount",
    "percent", "optional", "from_programme", "valid_from", "valid_to", "legal_basis", "confidence", "source", "note",
]  # fmt: skip
REQUIRED_RATE_COLUMNS = {
    "key",
    "programme",
    "segment",
    "kind",
    "valid_from",
    "legal_basis",
    "confidence",
}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # a scanned Perda is a few MB; 10 MB is generous
PDF_MAGIC = b"%PDF-"


class InputRejected(ValueError):
    """A file or form the service refuses as a whole; `errors` say where and why."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors


@dataclass
class RateLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    keys: list[str] = field(default_factory=list)


# --- the rate table -------------------------------------------------------------------


def _choice(value: str, choices: Any, column: str, blank: bool = False) -> str:
    if blank and value == "":
        return value
    if value not in choices.values:
        raise ValueError(_("%(c)s %(v)r tidak dikenal") % {"c": column, "v": value})
    return value


def _decimal(value: str, column: str) -> Decimal:
    try:
        number = Decimal(value or "0")
    except InvalidOperation:
        raise ValueError(_("%(c)s %(v)r bukan angka") % {"c": column, "v": value}) from None
    if not number.is_finite() or number < 0 or number > 100:
        raise ValueError(_("%(c)s %(v)r harus 0–100") % {"c": column, "v": value})
    return number


def _rupiah(value: str, column: str) -> int:
    text = (value or "0").strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError(_("%(c)s %(v)r harus rupiah bulat ≥ 0") % {"c": column, "v": value})
    return int(text)


def _date(value: str, column: str, blank: bool = False) -> dt.date | None:
    if blank and not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("%(c)s %(v)r bukan tanggal YYYY-MM-DD") % {"c": column, "v": value}
        ) from None


def parse_rate_row(item: dict[str, str]) -> dict[str, Any]:
    """One CSV row → model field values, or ValueError with the reason."""
    get = {k: (item.get(k) or "").strip() for k in RATE_COLUMNS}
    if not get["key"] or not get["legal_basis"]:
        raise ValueError(_("key dan legal_basis wajib diisi"))
    values: dict[str, Any] = {
        "programme": _choice(get["programme"], Programme, "programme"),
        "segment": _choice(get["segment"], Segment, "segment"),
        "kind": _choice(get["kind"], RateKind, "kind"),
        "risk_class": _choice(get["risk_class"], RiskClass, "risk_class", blank=True),
        "sector": get["sector"],
        "from_programme": _choice(get["from_programme"], Programme, "from_programme", blank=True),
        "optional": get["optional"].lower() in {"true", "1", "ya", "yes"},
        "valid_from": _date(get["valid_from"], "valid_from"),
        "valid_to": _date(get["valid_to"], "valid_to", blank=True),
        "legal_basis": get["legal_basis"],
        "confidence": _choice(get["confidence"], Confidence, "confidence"),
        "source": get["source"],
        "note": get["note"],
    }
    for column in ("employer_percent", "worker_percent", "government_percent", "percent"):
        values[column] = _decimal(get[column], column)
    for column in ("employer_amount", "worker_amount", "amount"):
        values[column] = _rupiah(get[column], column)
    if values["valid_to"] is not None and values["valid_to"] < values["valid_from"]:
        raise ValueError(_("valid_to sebelum valid_from"))
    if (values["kind"] == RateKind.RECOMPOSITION) != bool(values["from_programme"]):
        raise ValueError(_("from_programme diisi untuk rekomposisi saja, dan wajib untuknya"))
    return {"key": get["key"], **values}


def parse_rate_file(data: bytes) -> list[dict[str, Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputRejected([_("File tarif harus CSV UTF-8.")]) from None
    try:
        return _parse_rate_rows(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputRejected([_("File tarif bukan CSV yang sah: %(e)s") % {"e": exc}]) from None


def _parse_rate_rows(reader: csv.DictReader[str]) -> list[dict[str, Any]]:
    missing = REQUIRED_RATE_COLUMNS - set(reader.fieldnames or [])
    if missing:
        raise InputRejected([_("Kolom wajib tidak ada: %(c)s") % {"c": ", ".join(sorted(missing))}])
    rows, errors, seen = [], [], set()
    for number, item in enumerate(reader, start=2):
        try:
            row = parse_rate_row(item)
        except ValueError as exc:
            errors.append(_("baris %(n)d: %(e)s") % {"n": number, "e": exc})
            continue
        if row["key"] in seen:
            errors.append(_("baris %(n)d: key %(k)s ganda") % {"n": number, "k": row["key"]})
        seen.add(row["key"])
        rows.append(row)
    if errors:
        raise InputRejected(errors)
    return rows


def rate_table_load(
    *, data: bytes, source: str, by: Any, only_missing: bool = False
) -> RateLoadResult:
    """Add or correct rate rows from a CSV (docs/rates.md). All rows or none.

    `only_missing` (used by `monev init`) adds seed rows whose key is absent and leaves rows an
    administrator has corrected alone.
    """
    if not scope_for(by, "change").all_regions:
        raise PermissionError("rate table")
    rows = parse_rate_file(data)
    result = RateLoadResult()
    with transaction.atomic():
        existing = {
            r.key: r for r in ContributionRate.objects.filter(key__in=[x["key"] for x in rows])
        }
        for row in rows:
            _apply_rate_row(row, existing.get(row["key"]), result, only_missing)
        if result.created or result.updated:
            audit_record(
                actor=by,
                action="rates.load",
                changes={
                    "source": source,
                    "created": result.created,
                    "updated": result.updated,
                    "keys": result.keys[:50],
                },
            )
    return result


def _apply_rate_row(
    row: dict[str, Any],
    current: ContributionRate | None,
    result: RateLoadResult,
    only_missing: bool,
) -> None:
    if current is None:
        ContributionRate.objects.create(**row)
        result.created += 1
        result.keys.append(row["key"])
        return
    changed = {k: v for k, v in row.items() if getattr(current, k) != v}
    if only_missing or not changed:
        result.unchanged += 1
        return
    for name, value in changed.items():
        setattr(current, name, value)
    current.save()
    result.updated += 1
    result.keys.append(row["key"])


def rates_seed_load(*, by: Any) -> RateLoadResult:
    """The shipped rate table (monev/budgets/data/rates.csv); called by `monev init`."""
    return rate_table_load(
        data=SEED_FILE.read_bytes(), source=SEED_FILE.name, by=by, only_missing=True
    )


# --- budget lines ---------------------------------------------------------------------

BUDGET_CATEGORIES = [c.value for c in WorkerCategory]


@dataclass
class BudgetRow:
    pemda: str
    fiscal_year: int
    category: str
    source: str
    amount: int
    planned_headcount: int = 0
    realised_amount: int | None = None
    note: str = ""


def check_budget_row(row: BudgetRow, pemda_codes: set[str]) -> list[str]:
    """Reasons a budget row is not acceptable (empty = fine)."""
    errors = []
    if row.pemda not in pemda_codes:
        errors.append(_("kode Pemda %(v)r tidak dikenal") % {"v": row.pemda})
    if not 2015 <= row.fiscal_year <= 2100:
        errors.append(_("tahun anggaran %(v)s tidak wajar") % {"v": row.fiscal_year})
    if row.category not in BUDGET_CATEGORIES:
        errors.append(
            _("kategori %(v)r tidak dikenal (pilih dari %(ok)s)")
            % {"v": row.category, "ok": ", ".join(BUDGET_CATEGORIES)}
        )
    if row.source not in BudgetSource.values:
        errors.append(
            _("sumber dana %(v)r tidak dikenal (pilih dari %(ok)s)")
            % {"v": row.source, "ok": ", ".join(BudgetSource.values)}
        )
    if row.amount < 0 or (row.realised_amount is not None and row.realised_amount < 0):
        errors.append(_("nilai rupiah tidak boleh negatif"))
    if row.planned_headcount < 0:
        errors.append(_("jumlah pekerja rencana tidak boleh negatif"))
    return errors


def budget_lines_save(
    *, rows: list[BudgetRow], by: Any, source: str = "form", numbers: list[int] | None = None
) -> int:
    """Create or replace budget lines (one per Pemda, year, category, source). All or none.

    `numbers` are the spreadsheet row numbers used in error messages (default 1, 2, …).
    """
    pemdas = {p.code: p for p in Pemda.objects.filter(code__in={r.pemda for r in rows})}
    may_change = scope_for(by, "change")
    errors = []
    for number, row in zip(numbers or range(1, len(rows) + 1), rows, strict=True):
        problems = check_budget_row(row, set(pemdas))
        if not problems and not may_change.allows(row.pemda, "change"):
            problems = [_("Anda tidak berwenang mengubah anggaran Pemda %(p)s") % {"p": row.pemda}]
        errors += [_("baris %(n)d: %(e)s") % {"n": number, "e": e} for e in problems]
    if errors:
        raise InputRejected(errors)
    with transaction.atomic():
        for row in rows:
            line, _created = BudgetLine.objects.update_or_create(
                pemda=pemdas[row.pemda],
                fiscal_year=row.fiscal_year,
                category=row.category,
                source=row.source,
                defaults={
                    "amount": row.amount,
                    "planned_headcount": row.planned_headcount,
                    "realised_amount": row.realised_amount,
                    "note": row.note,
                    "created_by": by if getattr(by, "pk", None) else None,
                },
            )
            audit_record(
                actor=by,
                action="budget.save",
                obj=line,
                pemda_code=row.pemda,
                changes={"source": source, "amount": row.amount, "realised": row.realised_amount},
            )
    return len(rows)


def budget_line_delete(*, line: BudgetLine, by: Any) -> None:
    if not scope_for(by, "change").allows(line.pemda.code, "change"):
        raise PermissionError("budget")
    with transaction.atomic():
        audit_record(actor=by, action="budget.delete", obj=line, pemda_code=line.pemda.code)
        line.delete()


# --- regulations ----------------------------------------------------------------------


def check_pdf(data: bytes) -> list[str]:
    if len(data) > MAX_DOCUMENT_BYTES:
        return [
            _("Dokumen terlalu besar (maksimal %(mb)d MB).") % {"mb": MAX_DOCUMENT_BYTES // 2**20}
        ]
    if not data.startswith(PDF_MAGIC):
        return [_("Dokumen harus PDF (isi file tidak diawali %%PDF-).")]
    return []


def regulation_create(
    *,
    pemda: Pemda,
    kind: str,
    number: str,
    issued_on: dt.date,
    title: str,
    covers: list[str],
    document: bytes | None,
    by: Any,
) -> Regulation:
    """Record a regulation with its optional PDF (size-limited, checked by magic bytes)."""
    if not scope_for(by, "change").allows(pemda.code, "change"):
        raise PermissionError("regulation")
    errors = []
    if kind not in RegulationKind.values:
        errors.append(_("jenis regulasi %(v)r tidak dikenal") % {"v": kind})
    if not number.strip() or not title.strip():
        errors.append(_("nomor dan judul wajib diisi"))
    unknown = [c for c in covers if c not in BUDGET_CATEGORIES]
    if unknown:
        errors.append(_("kelompok pekerja tidak dikenal: %(v)s") % {"v": ", ".join(unknown)})
    if issued_on < dt.date(2000, 1, 1) or issued_on > timezone.localdate():
        errors.append(_("tanggal penetapan %(v)s tidak wajar") % {"v": issued_on})
    if document:
        errors += check_pdf(document)
    if errors:
        raise InputRejected(errors)
    with transaction.atomic():
        regulation = Regulation(
            pemda=pemda, kind=kind, number=number.strip(), issued_on=issued_on,
            title=title.strip(), covers=sorted(set(covers)),
            created_by=by if getattr(by, "pk", None) else None,
        )  # fmt: skip
        if document:
            regulation.document_sha256 = hashlib.sha256(document).hexdigest()
            regulation.document_size = len(document)
            regulation.document.save(
                f"{pemda.code}-{regulation.document_sha256[:12]}.pdf",
                ContentFile(document),
                save=False,
            )
        regulation.save()
        audit_record(
            actor=by, action="regulation.create", obj=regulation, pemda_code=pemda.code,
            changes={"kind": kind, "number": regulation.number, "covers": regulation.covers},
        )  # fmt: skip
    return regulation


def rate_row_save(*, values: dict[str, str], by: Any) -> ContributionRate:
    """Add or correct one rate row from the page form (same rules as a file row)."""
    if not scope_for(by, "change").all_regions:
        raise PermissionError("rate table")
    try:
        row = parse_rate_row(values)
    except ValueError as exc:
        raise InputRejected([str(exc)]) from None
    result = RateLoadResult()
    with transaction.atomic():
        _apply_rate_row(row, ContributionRate.objects.filter(key=row["key"]).first(), result, False)
        audit_record(
            actor=by, action="rates.save", changes={"key": row["key"], "created": result.created}
        )
    return ContributionRate.objects.get(key=row["key"])
