"""`monev init`: create or migrate the database and load the reference data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from monev.regions.services import reference_load


class Command(BaseCommand):
    help = "Buat/migrasikan basis data dan muat data referensi wilayah (aman diulang)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="muat ulang data referensi")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        result = reference_load(force=options["force"])
        state = "sudah termuat" if result.unchanged else "dimuat"
        counts = ", ".join(f"{k}={v}" for k, v in result.counts.items())
        self.stdout.write(f"Data referensi {state}: {result.version} ({counts})")
        call_command("rates", "seed", stdout=self.stdout)
