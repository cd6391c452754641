"""`monev backup --out FILE`: one consistent archive of the database and the data store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from monev.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Cadangkan basis data dan penyimpanan data ke satu arsip (dengan manifest dan checksum)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, help="berkas arsip yang ditulis (.tar)")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"folder {out.parent} tidak ada", returncode=2)
        try:
            result = backup_write(out=out)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc), returncode=3) from None
        self.stdout.write(
            f"cadangan {result.engine} ditulis ke {result.path}: {result.files} berkas, "
            f"{result.bytes / 1e6:.1f} MB"
        )
