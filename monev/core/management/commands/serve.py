"""`monev serve [--host H --port P]`: serve the web app and the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Jalankan aplikasi web dan API."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from monev.wsgi import application

        host, port = options["host"], options["port"]
        if not settings.DEBUG:
            call_command("check", deploy=False, verbosity=0)
        self.stdout.write(
            f"Monev Jamsostek berjalan di http://{host}:{port}/ (Ctrl+C untuk berhenti)"
        )
        serve(application, host=host, port=port, threads=options["threads"], ident="monev")
