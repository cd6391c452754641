"""`monev worker`: run background jobs from the database queue.

On start it marks jobs a previous, killed worker left running as failed (they can be
re-run; their data was never half-committed). Run one worker per database, or pass
`--no-recover` to every worker after the first.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from monev.core.health import Heartbeat
from monev.core.process import stop_with_parent
from monev.core.scope import SYSTEM
from monev.core.services import jobs_recover_interrupted


class Command(BaseCommand):
    help = "Jalankan pekerja latar belakang (impor besar, pencocokan, laporan)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="berhenti ketika antrean kosong")
        parser.add_argument(
            "--no-recover",
            action="store_true",
            help="jangan tandai tugas yang tertinggal 'berjalan' sebagai gagal (pekerja kedua)",
        )
        # `monev demo` runs the worker as its child: it stops when that process dies.
        parser.add_argument("--stop-with-parent", type=int, metavar="PID", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["stop_with_parent"]:
            stop_with_parent(options["stop_with_parent"])
        if not options["no_recover"]:
            recovered = jobs_recover_interrupted(by=SYSTEM)
            if recovered:
                self.stdout.write(f"{recovered} tugas terputus ditandai gagal; jalankan ulang.")
        extra = ["--batch"] if options["batch"] else []
        heartbeat = Heartbeat()  # /readyz and /metrics read its age
        heartbeat.start()
        try:
            # Never the autoreloader (DEBUG's default): it runs the jobs in a second process
            # that restarts on file changes, half-way through an import.
            call_command("db_worker", "--no-reload", *extra)
        finally:
            heartbeat.stop()
