"""`monev import registry FILE --period 2024-06 [--accept-valid] [--format table|json]`.

Exit codes: 0 committed; 3 rejected (the error report's path is printed); 2 usage error.
"""

from __future__ import annotations

from typing import Any, TextIO

from django.utils import translation

from monev.console.imports.common import emit, file_arg, period_arg, status_lines
from monev.core.scope import SYSTEM
from monev.registry.services import RegistryImport, registry_import

HELP = "Impor ekstrak registri kepesertaan BPJS (CSV, CSV.GZ, Parquet) untuk satu periode."


def add_arguments(parser: Any) -> None:
    parser.add_argument("file", help="berkas CSV, CSV.GZ atau Parquet")
    parser.add_argument("--period", required=True, help="periode YYYY-MM, mis. 2024-06")
    parser.add_argument(
        "--accept-valid",
        action="store_true",
        help="simpan baris yang sah walau ada baris yang salah (bawaan: ketat)",
    )
    parser.add_argument("--source", default="BPJS Ketenagakerjaan", help="sumber ekstrak")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa pesan")


def run(options: dict[str, Any], stdout: TextIO) -> int:
    period = period_arg(options["period"])
    path = file_arg(options["file"])
    with translation.override(options["lang"]):
        result = registry_import(
            period=period,
            path=path,
            by=SYSTEM,
            accept_valid=options["accept_valid"],
            source=options["source"],
        )
        data = as_json(result, options["lang"])
    emit(data, fmt=options["format"], out=stdout, summary=_summary)
    return 0 if result.committed else 3


def as_json(result: RegistryImport, lang: str = "id") -> dict[str, Any]:
    snapshot = result.snapshot
    return {
        "committed": result.committed,
        "snapshot": snapshot.pk if snapshot else None,
        "period": result.period,
        "file": result.source_name,
        "file_error": result.file_error or None,
        "rows": result.rows_total,
        "accepted": result.rows_accepted,
        "rejected": result.rows_rejected,
        "active": snapshot.rows_active if snapshot else None,
        "by_segment": snapshot.by_segment if snapshot else {},
        "seconds": snapshot.seconds if snapshot else None,
        "error_counts": result.error_counts,
        "report": str(result.report_path) if result.report_path else None,
        "errors": result.error_rows(limit=1000, language=lang),
    }


def _summary(data: dict[str, Any], out: TextIO) -> None:
    out.write(f"berkas: {data['file']}  periode {data['period']}\n")
    if status_lines(data, out) and data["committed"]:
        out.write(f"snapshot #{data['snapshot']}: aktif {data['active']}, {data['by_segment']}\n")
