"""`monev import dtsen FILE --as-of 2025-03 [--source DTSEN|P3KE] [--accept-valid]
[--format table|json]`.

Exit codes: 0 committed; 3 rejected (the error report's path is printed); 2 usage error.
"""

from __future__ import annotations

from typing import Any, TextIO

from django.utils import translation

from monev.console.imports.common import emit, file_arg, period_arg, status_lines
from monev.core.scope import SYSTEM
from monev.targeting.models import RegisterSource
from monev.targeting.services import RegisterImport, register_import

HELP = "Impor data sosial-ekonomi by-name (DTSEN, atau P3KE lama) untuk satu bulan data."


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
    as_of = period_arg(options["as_of"])
    path = file_arg(options["file"])
    with translation.override(options["lang"]):
        result = register_import(
            as_of=as_of,
            path=path,
            by=SYSTEM,
            source=options["source"],
            accept_valid=options["accept_valid"],
        )
        data = as_json(result, options["lang"])
    emit(data, fmt=options["format"], out=stdout, summary=_summary)
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


def _summary(data: dict[str, Any], out: TextIO) -> None:
    out.write(f"berkas: {data['file']}  {data['source']} bulan data {data['as_of']}\n")
    if status_lines(data, out) and data["committed"]:
        out.write(f"data #{data['register']}: {data['pemda']} Pemda, desil {data['by_desil']}\n")
