"""monev report kanwil-pack|scorecard|semester ... --format pdf|xlsx --out FILE

Exit codes: 0 written; 2 usage error (unknown kind, Kanwil or Pemda, bad period, semester or
format, --out not writable); 3 rejected: no coverage results for the period (pass
--allow-empty to write the report anyway).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monev.core.scope import SYSTEM
from monev.coverage.models import CoverageStat
from monev.reports.build import ReportInputError, report_params
from monev.reports.models import ReportKind
from monev.reports.selectors import semester_bounds
from monev.reports.services import report_request


class Command(BaseCommand):
    help = "Buat laporan: bahan rapat Kanwil, rapor Pemda, atau laporan semester (PDF/XLSX)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ReportKind.values)
        parser.add_argument("--kanwil", help="kode Kanwil, mis. SUMBAGSEL (kanwil-pack)")
        parser.add_argument("--pemda", help="kode Pemda, mis. 16.04 (scorecard)")
        parser.add_argument("--period", help="periode data YYYY-MM (kanwil-pack, scorecard)")
        parser.add_argument("--semester", help="YYYY-H1 atau YYYY-H2 (semester)")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--out", required=True, help="berkas keluaran")
        parser.add_argument("--allow-empty", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            request = report_params(options["kind"], options["format"], options)
        except ReportInputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        out = Path(options["out"])
        if not out.parent.exists():
            raise CommandError(f"folder {out.parent} tidak ada", returncode=2)
        period = request.params.get("period") or semester_bounds(request.params["semester"])[0]
        if not options["allow_empty"] and not _has_data(request.params, period):
            raise CommandError(
                f"tidak ada hasil pencocokan untuk periode {period}; jalankan `monev match "
                f"--period {period}` dulu, atau --allow-empty",
                returncode=3,
            )
        report = report_request(request=request, by=SYSTEM)
        with report.file.open("rb") as source:
            out.write_bytes(source.read())
        self.stdout.write(f"{out} ({report.size:,} bita, {report.title})")


def _has_data(params: dict[str, str], period: str) -> bool:
    stats = CoverageStat.objects.current()
    if "semester" in params:
        return stats.filter(period__lte=period).exists()
    return stats.filter(period=period).exists()
