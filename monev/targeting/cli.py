"""`monev import dtsen FILE --as-of 2025-03 [--source DTSEN|P3KE] [--accept-valid]
[--format table|json]`.

Exit codes: 0 committed; 3 rejected (the error report's path is printed); 2 usage error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError
from django.utils import translation

from monev.core.scope import SYSTEM
from monev.regions.codes import parse_period
from monev.targeting.models import RegisterSource
from monev.targeting.services import RegisterImport, register_import

HELP = "Impor data sosial-ekonomi by-name (DTSEN, atau P3KE lama) untuk satu bulan data."
TABLE_ERRORS = 50


def add_arguments(parser: Any) -> None:
    parser.add_argument("file", help="berkas CSV, CSV.GZ, XLSX atau Parquet")
    parser.add_argument("--as-of", required=True, help="bulan data YYYY-MM, mis. 2025-03")
    parser.add_argument(
        "--source",
        type=str.upper,
        choices=[s.value for s in RegisterSource],
        default=RegisterSource.DTSEN.value,
        help="sumber data (bawaan DTSEN)",
    )
    parser.add_argument(
        "--accept-valid",
        action="store_true",
        help="simpan baris yang sah walau ada baris yang salah (bawaan: ketat)",
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa pesan")


def run(options: dict[str, Any], stdout: TextIO) -> int:
    try:
        as_of = parse_period(options["as_of"])
    except ValueError as exc:
        raise CommandError(str(exc), returncode=2) from None
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"berkas {path} tidak ditemukan", returncode=2)
    with translation.override(options["lang"]):
        result = register_import(
            as_of=as_of,
            path=path,
            by=SYSTEM,
            source=options["source"],
            accept_valid=options["accept_valid"],
        )
        data = as_json(result, options["lang"])
    if options["format"] == "json":
        stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        _print_table(data, stdout)
    return 0 if result.committed else 3


def as_json(result: RegisterImport, lang: str = "id") -> dict[str, Any]:
    register = result.register
    return {
        "committed": result.committed,
        "register": register.pk if register else None,
        "as_of": result.as_of,
        "source": result.source,
        "file": result.source_name,
        "file_error": result.file_error or None,
        "rows": result.rows_total,
        "accepted": result.rows_accepted,
        "rejected": result.rows_rejected,
        "pemda": len(register.by_pemda) if register else None,
        "by_desil": register.by_desil if register else {},
        "seconds": register.seconds if register else None,
        "error_counts": result.error_counts,
        "report": str(result.report_path) if result.report_path else None,
        "errors": result.error_rows(limit=1000, language=lang),
    }


def _print_table(data: dict[str, Any], out: TextIO) -> None:
    status = "DISIMPAN" if data["committed"] else "DITOLAK"
    out.write(f"berkas: {data['file']}  {data['source']} bulan data {data['as_of']}\n")
    if data["file_error"]:
        out.write(f"{status}: {data['file_error']}\n")
        return
    out.write(
        f"{status}: {data['rows']} baris, {data['accepted']} diterima, {data['rejected']} ditolak\n"
    )
    if data["committed"]:
        out.write(f"data #{data['register']}: {data['pemda']} Pemda, desil {data['by_desil']}\n")
    for e in data["errors"][:TABLE_ERRORS]:
        out.write(f"{e['row']:>10}  {e['column']:<14} {e['code']:<20} {e['message']}\n")
    if len(data["errors"]) > TABLE_ERRORS:
        out.write("… lihat laporan lengkap\n")
    if data["report"]:
        out.write(f"laporan: {data['report']}\n")
