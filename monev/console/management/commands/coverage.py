"""`monev coverage --period 2024-06 --level province|pemda|kanwil [--kanwil SUMBAGSEL] --format csv|json`."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monev.console import workforce_coverage
from monev.core.scope import SYSTEM
from monev.coverage import exports, selectors
from monev.regions.codes import parse_period
from monev.regions.models import Kanwil

FIELDS = (
    "code",
    "name",
    "headcount",
    "protected",
    "partial",
    "lapsed",
    "not_found",
    "basic_protected",
    "newly_protected",
    "newly_lapsed",
    "coverage",
    "coverage_prev",
    "change",
)


class Command(BaseCommand):
    help = "Cakupan perlindungan per provinsi, Pemda atau Kanwil untuk satu periode."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="periode YYYY-MM")
        parser.add_argument("--level", choices=["province", "pemda", "kanwil"], default="pemda")
        parser.add_argument("--kanwil", help="kode Kanwil, mis. SUMBAGSEL")
        parser.add_argument("--category", help="kategori pekerja, mis. NON_ASN")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def run_from_argv(self, argv: list[str]) -> None:
        if argv[2:3] == ["workforce"]:  # `monev coverage workforce …`
            sys.exit(workforce_coverage.main(argv[3:], self.stdout))
        super().run_from_argv(argv)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_period(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        kanwil = (options.get("kanwil") or "").upper() or None
        if kanwil and not Kanwil.objects.filter(code=kanwil).exists():
            raise CommandError(f"Kanwil {kanwil} tidak dikenal", returncode=2)
        rows = selectors.coverage_rollup(
            user=SYSTEM,
            period=period,
            level=options["level"],
            kanwil=kanwil,
            category=options.get("category"),
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps([{f: r[f] for f in FIELDS} for r in rows]))
            return
        body = exports.to_csv(FIELDS, [[_cell(r[f]) for f in FIELDS] for r in rows])
        self.stdout.write(body.decode("utf-8-sig"), ending="")


def _cell(value: Any) -> Any:
    return round(value, 6) if isinstance(value, float) else ("" if value is None else value)
