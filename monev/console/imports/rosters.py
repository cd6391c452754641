"""`monev import rosters FILE --pemda 16.71 --period 2024-06 [--accept-valid] [--format …]`.

Exit codes: 0 committed; 3 rejected (the error workbook's path is printed); 2 usage error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import translation

from monev.core.scope import SYSTEM
from monev.regions.codes import parse_period, parse_region_code
from monev.regions.models import Pemda
from monev.rosters import selectors, services
from monev.rosters.models import RosterUpload, UploadMode, UploadState

HELP = "Impor daftar pekerja (CSV/XLSX) satu Pemda untuk satu periode."
TABLE_ERRORS = 50


def add_arguments(parser: Any) -> None:
    parser.add_argument("file", help="berkas CSV atau XLSX")
    parser.add_argument("--pemda", required=True, help="kode Pemda, mis. 16.71")
    parser.add_argument("--period", required=True, help="periode YYYY-MM, mis. 2024-06")
    parser.add_argument(
        "--accept-valid",
        action="store_true",
        help="simpan baris yang sah walau ada baris yang salah (bawaan: ketat)",
    )
    parser.add_argument(
        "--end-category",
        action="append",
        default=[],
        metavar="KATEGORI",
        help="akhiri kategori ini mulai periode ini (boleh berulang); kategori lain yang "
        "tidak ada di berkas tetap memakai daftar terakhirnya",
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--report", help="tempat menulis buku kesalahan XLSX")
    parser.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa pesan")


def run(options: dict[str, Any], stdout: TextIO) -> int:
    pemda, period, path = _checked(options)
    mode = UploadMode.ACCEPT_VALID if options["accept_valid"] else UploadMode.STRICT
    try:
        upload = services.roster_import(
            pemda=pemda,
            period=period,
            data=path,
            filename=path.name,
            mode=mode,
            by=SYSTEM,
            end_categories=[c.strip().upper() for c in options.get("end_category") or []],
        )
    except services.RosterInputError as exc:
        raise CommandError(str(exc), returncode=2) from None
    report = (
        _write_report(upload, path, options) if upload.rows_invalid or _rejected(upload) else None
    )
    with translation.override(options["lang"]):
        if options["format"] == "json":
            stdout.write(json.dumps(_as_json(upload, report, options["lang"]), ensure_ascii=False))
            stdout.write("\n")
        else:
            _print_table(upload, report, options["lang"], stdout)
    return 3 if _rejected(upload) else 0


def _checked(options: dict[str, Any]) -> tuple[Pemda, str, Path]:
    try:
        code = parse_region_code(options["pemda"])
        period = parse_period(options["period"])
    except ValueError as exc:
        raise CommandError(str(exc), returncode=2) from None
    pemda = Pemda.objects.filter(code=code).first()
    if pemda is None:
        raise CommandError(f"Pemda {code} tidak dikenal", returncode=2)
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"berkas {path} tidak ditemukan", returncode=2)
    return pemda, period, path


def _rejected(upload: RosterUpload) -> bool:
    return upload.state != UploadState.COMMITTED


def _write_report(upload: RosterUpload, source: Path, options: dict[str, Any]) -> Path:
    data = services.roster_error_workbook(upload=upload, by=SYSTEM, language=options["lang"])
    target = (
        Path(options["report"])
        if options.get("report")
        else source.with_name(f"{source.stem}-kesalahan-{upload.pk}.xlsx")
    )
    try:
        target.write_bytes(data)
    except OSError:
        target = Path(settings.MONEV_HOME) / "reports" / target.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return target


def _as_json(upload: RosterUpload, report: Path | None, lang: str) -> dict[str, Any]:
    errors = selectors.upload_errors(upload=upload, language=lang, limit=None)
    return {
        "upload": upload.pk,
        "state": upload.state,
        "committed": upload.state == UploadState.COMMITTED,
        "pemda": upload.pemda.code,
        "period": upload.period,
        "mode": upload.mode,
        "rows": upload.rows_total,
        "accepted": upload.rows_valid if upload.state == UploadState.COMMITTED else 0,
        "rejected": upload.rows_invalid
        if upload.state == UploadState.COMMITTED
        else upload.rows_total,
        "flagged": upload.rows_flagged,
        "version": upload.version.number if upload.version else None,
        "diff": upload.version.diff if upload.version else {},
        "report": str(report) if report else None,
        "error_counts": upload.error_counts,
        "errors": errors.rows,
    }


def _print_table(upload: RosterUpload, report: Path | None, lang: str, out: TextIO) -> None:
    data = _as_json(upload, report, lang)
    en = lang == "en"
    out.write(
        f"{'file' if en else 'berkas'}: {upload.source_name}  pemda {data['pemda']}  "
        f"{'period' if en else 'periode'} {data['period']}  mode {data['mode']}\n"
    )
    status = (
        ("COMMITTED" if en else "DISIMPAN")
        if data["committed"]
        else ("REJECTED" if en else "DITOLAK")
    )
    out.write(
        f"{status}: {data['rows']} {'rows' if en else 'baris'}, "
        f"{data['accepted']} {'accepted' if en else 'diterima'}, "
        f"{data['rejected']} {'rejected' if en else 'ditolak'}, "
        f"{data['flagged']} {'flagged' if en else 'ditandai'}\n"
    )
    if data["version"]:
        out.write(f"{'version' if en else 'versi'} {data['version']} {data['diff']}\n")
    rows = data["errors"][:TABLE_ERRORS]
    if rows:
        out.write(f"{'row':>8}  {'column':<12} {'code':<24} message\n")
        for e in rows:
            out.write(f"{e['row']:>8}  {e['column']:<12} {e['code']:<24} {e['message']}\n")
        if len(data["errors"]) > TABLE_ERRORS:
            out.write(f"… {len(data['errors']) - TABLE_ERRORS} {'more' if en else 'lagi'}\n")
    if report:
        out.write(f"{'report' if en else 'laporan'}: {report}\n")
