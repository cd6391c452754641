"""`monev privacy_scan INPUT…`: find NIKs of the input files in clear in the DB and MONEV_HOME.

Exit 0 when nothing is found, 3 when a NIK appears in clear (the report says where).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from monev.core.privacy import niks_in_files, scan_database, scan_files, scan_store


class Command(BaseCommand):
    help = "Cari NIK dari berkas masukan dalam bentuk asli di basis data dan direktori data."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("inputs", nargs="+", help="berkas atau folder masukan (sumber NIK)")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        inputs = [Path(p) for p in options["inputs"]]
        missing = [str(p) for p in inputs if not p.exists()]
        if missing:
            raise CommandError(f"tidak ada: {', '.join(missing)}", returncode=2)
        niks = niks_in_files(inputs)
        hits = (
            scan_database(niks)
            + scan_files(
                Path(settings.MONEV_HOME),
                niks,
                exclude=[*inputs, Path(settings.MONEV_HOME) / "secrets"],
            )
            + scan_store(niks, home=Path(settings.MONEV_HOME))
        )
        report = {"niks": len(niks), "hits": [{"where": h.where, "count": h.count} for h in hits]}
        if options["format"] == "json":
            self.stdout.write(json.dumps(report))
        else:
            self.stdout.write(f"{len(niks)} NIK dari masukan; {len(hits)} tempat berisi NIK asli")
            for hit in hits:
                self.stdout.write(f"  {hit.where}: {hit.count}")
        if hits:
            raise CommandError("NIK dalam bentuk asli ditemukan", returncode=3)
