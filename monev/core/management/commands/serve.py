"""`monev serve [--host H --port P --workers N --threads T]`: serve the web app and the API.

Granian (an HTTP server written in Rust, from PyPI) runs the WSGI application in N worker
processes, each with T threads. Django holds the GIL while it renders a page, so one process
uses one core however many threads it has; the default is one worker per CPU core
(docs/dashboards.md has the figures). Workers start as fresh interpreters; one that dies is
started again, one that does not stop on Ctrl+C or SIGTERM is killed after 15 s.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class Command(BaseCommand):
    help = "Jalankan aplikasi web dan API."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="proses pekerja (bawaan: satu per inti CPU)",
        )
        parser.add_argument("--threads", type=int, default=4, help="utas per proses pekerja")

    def handle(self, *args: Any, **options: Any) -> None:
        from granian import Granian
        from granian.constants import Interfaces
        from granian.log import LogLevels

        host, port = options["host"], options["port"]
        workers = default_workers() if options["workers"] is None else options["workers"]
        threads = options["threads"]
        if workers < 1 or threads < 1:
            raise CommandError("--workers dan --threads harus bilangan bulat positif.")
        if not 0 < port < 65536:
            raise CommandError("--port harus antara 1 dan 65535.")
        if not settings.DEBUG:
            call_command("check", deploy=False, verbosity=0)
        self.stdout.write(
            f"Monev Jamsostek berjalan di http://{host}:{port}/ "
            f"({workers} proses × {threads} utas; Ctrl+C untuk berhenti)"
        )
        self.stdout.flush()
        # Workers start as fresh interpreters, not forks of this one: a fork would inherit
        # this process's open SQLite connection (unsafe across processes: "unable to open
        # database file") and the threads of Polars and its allocator (a forked copy can
        # hang on a lock one of them held, and then never stop).
        connections.close_all()
        multiprocessing.set_start_method("spawn", force=True)
        Granian(
            "monev.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=threads,
            respawn_failed_workers=True,
            workers_kill_timeout=15,  # a worker that will not stop is killed, not waited on
            log_level=LogLevels.warning,
        ).serve()
