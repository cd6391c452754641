"""monev deliver [--today YYYY-MM-DD] [--due-days N] [--limit N] [--requeue ID] [--format table|json]

Send due notifications and scheduled reports: queue the action-item reminders (due soon,
overdue), render the report subscriptions that are due in each subscriber's own scope,
then send what is queued. Run it from a timer every few minutes (docs/notifications.md);
every step is idempotent and two runs at once never send a message twice.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from monev.core.scope import SYSTEM
from monev.meetings.services import MeetingError, action_items_remind
from monev.notifications.delivery import notification_requeue, notifications_deliver
from monev.notifications.models import Notification
from monev.reports.subscriptions import report_subscriptions_deliver


class Command(BaseCommand):
    help = "Kirim notifikasi surel dan laporan berlangganan yang sudah waktunya."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")
        parser.add_argument("--due-days", type=int, default=None)
        parser.add_argument("--limit", type=int, default=1000, help="pesan paling banyak")
        parser.add_argument("--requeue", type=int, help="antrekan ulang satu pesan gagal")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["requeue"] is not None:
            self._requeue(options["requeue"])
            return
        today = _date(options["today"])
        due_days = options["due_days"]
        if due_days is None:
            due_days = settings.MONEV_NOTIFY_DUE_DAYS
        if due_days < 0 or options["limit"] < 1:
            raise CommandError("--due-days minimal 0 dan --limit minimal 1", returncode=2)
        try:
            reminders = action_items_remind(today=today, due_days=due_days)
        except MeetingError as exc:
            raise CommandError(str(exc), returncode=2) from None
        reminders |= report_subscriptions_deliver(today=today)
        counts = notifications_deliver(limit=options["limit"])
        self._print(reminders, counts.as_dict(), counts.errors, options["format"])

    def _requeue(self, pk: int) -> None:
        try:
            row = notification_requeue(pk=pk, by=SYSTEM)
        except Notification.DoesNotExist:
            raise CommandError(f"pesan {pk} tidak ada", returncode=3) from None
        except ValueError as exc:
            raise CommandError(str(exc), returncode=3) from None
        self.stdout.write(f"pesan {row.pk} ke {row.address} diantrekan ulang")

    def _print(
        self, reminders: dict[str, int], sent: dict[str, int], errors: list[str], fmt: str
    ) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps({"queued": reminders, "delivery": sent, "errors": errors}))
            return
        self.stdout.write(
            f"diantrekan: {reminders['due']} pengingat tenggat, "
            f"{reminders['overdue']} lewat tenggat, {reminders['queued']} laporan "
            f"berlangganan ({reminders['failed']} gagal disusun); terkirim: {sent['sent']}, "
            f"dicoba lagi nanti: {sent['retry']}, gagal: {sent['failed']}, "
            f"dilewati: {sent['skipped']}, terputus: {sent['interrupted']}"
        )
        for error in errors:
            self.stderr.write(f"server surel: {error}")


def _date(raw: str | None) -> dt.date:
    if not raw:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"tanggal {raw!r} tidak sah", returncode=2) from None
