"""`monev demo`: from nothing to a filled dashboard — init, demo users, synthetic files for
Kanwil Sumbagsel (or `--all` 552 Pemda), import, match every period, then serve the web app
with a background worker beside it (one process group: Ctrl+C stops both).

The demo's settings go to `MONEV_HOME/monev.env`, so every other `monev` command run with
the same home (another terminal, the README's examples) works as the demo does.

The demo users (national, sumbagsel, palembang, lahat, auditor) get the password from
MONEV_DEMO_PASSWORD, or the documented default `demo-monev-2024`; it is printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from monev.accounts.models import User
from monev.accounts.services import user_create
from monev.console.demo.facts import demo_facts_load
from monev.console.demo.files import demo_generate, demo_load, demo_pemda
from monev.console.demo.meeting import demo_meeting_load
from monev.coverage.models import MatchRun

# What the demo runs with (generated keys kept under MONEV_HOME/secrets, plain-HTTP cookies,
# and its database when one was given), written where every later command with the same
# MONEV_HOME reads it.
DEMO_SETTINGS_HEADER = (
    "# Ditulis oleh `monev demo`: setelan demo, dibaca setiap perintah monev dengan MONEV_HOME\n"
    "# yang sama (variabel lingkungan tetap menang). Hapus berkas ini untuk keluar dari mode demo.\n"
)
WORKER_STOP_SECONDS = 20
DEFAULT_PASSWORD = "demo-monev-2024"  # noqa: S105 (documented demo default, never production)
CAST: dict[str, dict[str, Any]] = {
    "national": {"role": "national", "full_name": "Koordinator Nasional (Kemenko PMK)"},
    "sumbagsel": {"role": "kanwil", "kanwil": "SUMBAGSEL", "full_name": "BPJS Kanwil Sumbagsel"},
    "palembang": {"role": "pemda", "pemda": "16.71", "full_name": "Operator Kota Palembang"},
    "lahat": {"role": "pemda", "pemda": "16.04", "full_name": "Operator Kab. Lahat"},
    "auditor": {"role": "auditor", "all_regions": True, "full_name": "Auditor"},
}
for _name, _spec in CAST.items():  # e-mail goes to files under MONEV_HOME/mail in the demo
    _spec["email"] = f"{_name}@demo.monev.test"


def demo_periods(last: str, count: int) -> list[str]:
    year, month = int(last[:4]), int(last[5:])
    out: list[str] = []
    for _ in range(count):
        out.insert(0, f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out


class Command(BaseCommand):
    help = "Siapkan data demo (Kanwil Sumbagsel) dan jalankan aplikasi web."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="semua 552 Pemda, bukan Sumbagsel")
        parser.add_argument("--periods", type=int, default=3, help="jumlah periode bulanan")
        parser.add_argument("--last-period", default="2024-06", help="periode terakhir YYYY-MM")
        parser.add_argument("--scale", type=float, default=1.0, help="pengali jumlah pekerja")
        parser.add_argument("--no-serve", action="store_true", help="jangan jalankan server")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--since",
            type=float,
            default=None,
            metavar="EPOCH",
            help="waktu mulai penyiapan (detik sejak epoch; `make demo` mengisinya) untuk "
            "mencetak lama seluruh penyiapan",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        self._settings()
        call_command("init", stdout=self.stdout)
        password = os.environ.get("MONEV_DEMO_PASSWORD") or DEFAULT_PASSWORD
        self._users(password)
        self._data(options)
        self._follow_ups(options)
        self.stdout.write(
            f"Demo siap dalam {time.perf_counter() - started:.0f} detik. Masuk sebagai "
            f"{', '.join(CAST)} dengan sandi: {password}"
        )
        if options["since"] is not None:
            self.stdout.write(
                f"Dari awal `make demo` sampai dasbor dilayani: {time.time() - options['since']:.0f} detik."
            )
        if not options["no_serve"]:
            with _worker(stdout=self.stdout):
                call_command("serve", host=options["host"], port=options["port"])

    def _settings(self) -> None:
        path = Path(settings.MONEV_HOME) / "monev.env"
        if path.exists():
            return
        lines = ["MONEV_DEBUG=true"]
        if os.environ.get("DATABASE_URL"):
            lines.append(f"DATABASE_URL={os.environ['DATABASE_URL']}")
        path.write_text(DEMO_SETTINGS_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        path.chmod(0o600)
        self.stdout.write(f"Setelan demo disimpan di {path}")

    def _users(self, password: str) -> None:
        for username, spec in CAST.items():
            if not User.objects.filter(username=username).exists():
                user_create(username=username, password=password, **spec)

    def _follow_ups(self, options: dict[str, Any]) -> None:
        """A meeting with an overdue follow-up, and `monev deliver` sending its e-mails
        (to files under MONEV_HOME/mail: no mail server runs in the demo)."""
        if demo_meeting_load(period=options["last_period"], today=timezone.localdate()):
            call_command("deliver", stdout=self.stdout)
            self.stdout.write(f"surel demo ditulis di {settings.EMAIL_FILE_PATH}")

    def _data(self, options: dict[str, Any]) -> None:
        periods = demo_periods(options["last_period"], options["periods"])
        if MatchRun.objects.filter(period=periods[-1], is_current=True).exists():
            self.stdout.write("Data demo sudah ada; lewati pembuatan.")
            return
        out = Path(settings.MONEV_HOME) / "demo"
        files = demo_generate(
            out_dir=out, periods=periods, all_pemda=options["all"], scale=options["scale"]
        )
        self.stdout.write(f"Berkas demo ditulis di {out} ({files.workers} pekerja)")
        demo_load(files, say=self.stdout.write)
        reporting = [p for p in demo_pemda(all_pemda=options["all"]) if p.code not in files.missing]
        facts = demo_facts_load(pemdas=reporting, fiscal_year=int(periods[-1][:4]))
        self.stdout.write(
            f"anggaran: {facts['budget_lines']} baris; regulasi: {facts['regulations']}; "
            f"tanpa data: {len(files.missing)} Pemda; terlambat: {len(files.late)} Pemda"
        )


@contextmanager
def _worker(*, stdout: Any) -> Iterator[subprocess.Popen[bytes]]:
    """`monev worker` as a child of this process for as long as the block runs.

    When the server returns (Ctrl+C or SIGTERM reached this process) the worker gets one
    SIGTERM and finishes or abandons its job cleanly; it runs in its own session so the
    terminal's Ctrl+C does not reach it twice, and it stops by itself if this process dies
    (`--stop-with-parent`).
    """
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "monev", "worker", "--stop-with-parent", str(os.getpid())],
        env=os.environ.copy(),
        start_new_session=True,
    )
    stdout.write(f"Pekerja latar belakang berjalan (pid {worker.pid}).")
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
        try:
            worker.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
