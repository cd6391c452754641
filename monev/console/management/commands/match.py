"""`monev match --period 2024-06 [--now]`: queue the match (run by `monev worker`), or run it here."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monev.core.scope import SYSTEM
from monev.coverage import services
from monev.regions.codes import parse_period


class Command(BaseCommand):
    help = "Cocokkan daftar pekerja dengan registri BPJS untuk satu periode (sebagai tugas latar)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="periode YYYY-MM")
        parser.add_argument(
            "--now", action="store_true", help="jalankan langsung di proses ini, tanpa pekerja"
        )
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_period(options["period"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["now"]:
            try:
                run = services.match_run(period=period, by=SYSTEM)
            except services.MatchError as exc:
                raise CommandError(str(exc), returncode=3) from None
            data = {"run": run.pk, "period": period, **run.counts, "timings": run.timings}
        else:
            job = services.match_enqueue(period=period, by=SYSTEM)
            data = {"job": job.pk, "period": period, "state": job.state}
        if options["format"] == "json":
            self.stdout.write(json.dumps(data))
        elif "job" in data:
            self.stdout.write(
                f"tugas #{data['job']} pencocokan {period}: {data['state']} "
                "(dijalankan oleh `monev worker`)"
            )
        else:
            self.stdout.write(
                f"pencocokan {period} selesai: {data.get('headcount', 0)} pekerja, "
                f"{data.get('protected', 0)} terlindungi ({data['timings'].get('total')} d)"
            )
