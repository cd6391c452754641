"""`monev target --pemda 16.04 --period 2025-03 [--format csv|json|table] [--rerun]
[--max-desil 4 --min-age 15 --max-age 64]`: the Pemda's poor working-age residents who are not
protected (masked NIK), with the counts and the yearly cost of the BPU package.

Runs the national targeting for the period first when there is no current run (or with
`--rerun`, or when the rule differs). Exit codes: 0 done, 2 usage error, 3 cannot run.
"""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from monev.core.scope import SYSTEM
from monev.core.spreadsheet import safe_writer
from monev.regions.codes import parse_period, parse_region_code
from monev.regions.models import Pemda
from monev.targeting import engine, selectors
from monev.targeting.services import TargetingError, target_run

CSV_COLUMNS = [c for c in engine.RESULT_COLUMNS if c != "nik_hash"]


class Command(BaseCommand):
    help = "Sasaran: pekerja miskin usia kerja yang belum terlindungi, per Pemda dan periode."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pemda", required=True, help="kode Pemda kab/kota, mis. 16.04")
        parser.add_argument("--period", required=True, help="periode registri YYYY-MM")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--rerun", action="store_true", help="hitung ulang sasaran periode")
        parser.add_argument("--max-desil", type=int, default=engine.Rule.max_desil)
        parser.add_argument("--min-age", type=int, default=engine.Rule.min_age)
        parser.add_argument("--max-age", type=int, default=engine.Rule.max_age)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_period(options["period"])
            code = parse_region_code(options["pemda"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if not Pemda.objects.filter(code=code).exists():
            raise CommandError(f"Pemda {code} tidak dikenal", returncode=2)
        rule = _rule(options)
        run = selectors.current_run(period)
        if options["rerun"] or run is None or run.rule != rule.as_dict():
            try:
                target_run(period=period, by=SYSTEM, rule=rule)
            except TargetingError as exc:
                self.stderr.write(str(exc))
                sys.exit(3)
        try:
            stat = selectors.target_stat_get(user=SYSTEM, pemda_code=code, period=period)
        except Http404:
            self.stderr.write(f"tidak ada penduduk Pemda {code} dalam data DTSEN/P3KE")
            sys.exit(3)
        people, _total = selectors.target_people_read(user=SYSTEM, stat=stat, via="cli", limit=None)
        rows = selectors.people_rows(people)
        getattr(self, f"_{options['format']}")(stat, rows)

    def _json(self, stat: Any, rows: list[dict[str, Any]]) -> None:
        data = {**selectors.stat_dict(stat), "people": rows}
        self.stdout.write(json.dumps(data, ensure_ascii=False, default=str))

    def _csv(self, stat: Any, rows: list[dict[str, Any]]) -> None:
        writer = safe_writer(
            csv.DictWriter(self.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
        )
        writer.writeheader()
        writer.writerows(rows)

    def _table(self, stat: Any, rows: list[dict[str, Any]]) -> None:
        out = self.stdout
        out.write(
            f"Pemda {stat.pemda_code} periode {stat.period}: {stat.targets} sasaran dari "
            f"{stat.eligible} pekerja miskin usia kerja ({stat.protected} terlindungi)"
        )
        out.write(
            f"daftar rentan belum aktif {stat.backlog}, di daftar lain {stat.other_roster}, "
            f"tanpa daftar {stat.no_roster}; biaya Rp{stat.yearly_cost:,}/tahun".replace(",", ".")
        )
        for row in rows[:100]:
            out.write(
                f"{row['nik_masked']}  {row['name'][:30]:<30} {row['kode_wilayah']:<14} "
                f"d{row['desil']} {row['status']:<9} {row['roster_status']}"
            )


def _rule(options: dict[str, Any]) -> engine.Rule:
    rule = engine.Rule(options["max_desil"], options["min_age"], options["max_age"])
    if not 1 <= rule.max_desil <= 10:
        raise CommandError("--max-desil harus 1 sampai 10", returncode=2)
    if not 0 <= rule.min_age <= rule.max_age <= 120:
        raise CommandError("--min-age/--max-age tidak sah", returncode=2)
    return rule
