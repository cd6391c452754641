"""`monev purge_uploads --days 90`: delete old roster upload files (they hold NIKs in clear),
and the row files of commits that never finished (no version names them)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from monev.core.scope import SYSTEM
from monev.rosters import store
from monev.rosters.services import roster_upload_purge


class Command(BaseCommand):
    help = "Hapus berkas unggahan daftar pekerja yang sudah selesai lebih dari N hari."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=90, help="umur minimum (hari)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 0:
            raise CommandError("--days tidak boleh negatif", returncode=2)
        purged = roster_upload_purge(older_than_days=options["days"], by=SYSTEM)
        self.stdout.write(f"{purged} unggahan dibersihkan\n")
        orphans = store.orphans_purge()
        self.stdout.write(
            f"{orphans.files} berkas baris tanpa versi dihapus ({orphans.bytes:,} byte)\n"
        )
