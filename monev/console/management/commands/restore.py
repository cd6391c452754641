"""`monev restore FILE`: restore an archive of `monev backup` into an empty database and data
store; a corrupt or partial archive is refused before anything is touched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from monev.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Pulihkan arsip `monev backup` ke basis data dan penyimpanan data yang kosong."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="arsip dari `monev backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"berkas {path} tidak ada", returncode=2)
        try:
            manifest = backup_restore(path=path)
        except BackupError as exc:
            raise CommandError(f"{exc} Tidak ada yang diubah.", returncode=3) from None
        # An archive of an older release: bring its schema up to this one.
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"dipulihkan dari {path} (dibuat {manifest['created_at']}): "
            f"{len(manifest['members'])} berkas"
        )
