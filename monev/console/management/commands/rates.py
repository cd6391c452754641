"""`monev rates list|seed|load FILE`: show, seed or correct the contribution-rate table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from monev.budgets import selectors
from monev.budgets.services import InputRejected, rate_table_load, rates_seed_load
from monev.core.scope import SYSTEM


class Command(BaseCommand):
    help = "Tabel tarif iuran: tampilkan (list), muat bawaan (seed), atau muat koreksi (load FILE)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["list", "seed", "load"])
        parser.add_argument("file", nargs="?", help="CSV tarif (docs/rates.md), untuk 'load'")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self._list(options["format"])
            return
        try:
            if action == "seed":
                result = rates_seed_load(by=SYSTEM)
            else:
                path = Path(options["file"] or "")
                if not options["file"] or not path.is_file():
                    raise CommandError(f"File tidak ditemukan: {options['file']!r}", returncode=2)
                result = rate_table_load(data=path.read_bytes(), source=path.name, by=SYSTEM)
        except InputRejected as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(
                "File tarif ditolak; tidak ada yang disimpan.", returncode=3
            ) from None
        self.stdout.write(
            f"Tabel tarif: {result.created} baru, {result.updated} dikoreksi, "
            f"{result.unchanged} tetap"
        )

    def _list(self, fmt: str) -> None:
        rows = selectors.rate_rows()
        if fmt == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
            return
        for row in rows:
            self.stdout.write(
                f"{row['key']:32} {row['programme']:4} {row['segment']:5} {row['kind']:10} "
                f"{row['valid_from']} → {row['valid_to'] or '…':10} [{row['confidence']}] "
                f"{row['legal_basis']}"
            )
