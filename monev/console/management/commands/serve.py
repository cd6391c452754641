"""`monev serve [--host H --port P --workers N --threads T]`: serve the web app and the API.

Granian (an HTTP server written in Rust, from PyPI) runs the WSGI application in N worker
processes, each with T threads. Django holds the GIL while it renders a page, so one process
uses one core however many threads it has; the default is one worker per CPU core
(docs/dashboards.md has the figures). Workers start as fresh interpreters; one that dies is
started again, one that does not stop on Ctrl+C or SIGTERM is killed after 15 s. The server
runs as a child in its own session (monev/core/httpserver.py); this process forwards Ctrl+C
and SIGTERM to it once (monev/core/process.py), so stopping takes seconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from monev.core.process import supervise


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
        connections.close_all()
        _metrics_dir(port)
        code = supervise(
            [
                sys.executable,
                "-m",
                "monev.core.httpserver",
                host,
                str(port),
                str(workers),
                str(threads),
                str(os.getpid()),
            ]
        )
        if code not in (0, -signal.SIGTERM):
            raise CommandError(f"server berhenti dengan kode {code}")


def _metrics_dir(port: int) -> None:
    """A fresh directory where every worker process of this server keeps its request metrics,
    so each scrape of /metrics adds up all of them (prometheus-client's multiprocess mode)."""
    path = Path(settings.MONEV_HOME) / "metrics" / f"serve-{port}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
