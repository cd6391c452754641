"""`monev contribution --segment PU|BPU --wage N [--risk very_low] [--date YYYY-MM-DD]
[--programs JKK,JKM] [--sector S] --format json|table`"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from monev.budgets.rates import ContributionInputError, contribution_calculate, parse_wage


class Command(BaseCommand):
    help = "Hitung iuran BPJS Ketenagakerjaan per program dari tabel tarif yang berlaku."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--segment", required=True, help="PU, BPU, JAKON")
        parser.add_argument("--wage", required=True, help="upah/penghasilan sebulan (Rp)")
        parser.add_argument("--risk", default="very_low", help="kelas risiko JKK (PU)")
        parser.add_argument(
            "--date", default=None, help="bulan iuran, YYYY-MM-DD (bawaan: hari ini)"
        )
        parser.add_argument("--programs", default=None, help="misalnya JKK,JKM")
        parser.add_argument("--sector", default="", help="sektor untuk diskon, mis. padat_karya")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = contribution_calculate(
                segment=options["segment"],
                wage=parse_wage(options["wage"]),
                day=options["date"],
                risk=options["risk"],
                programmes=options["programs"],
                sector=options["sector"],
            )
        except ContributionInputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        data = result.as_dict()
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        for share in data["programmes"]:
            self.stdout.write(
                f"{share['programme']:4} pemberi kerja {share['employer']:>12,} "
                f"pekerja {share['worker']:>12,} jumlah {share['total']:>12,}"
            )
        self.stdout.write(f"Total {data['totals']['total']:,}")
