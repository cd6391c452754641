"""monev escalate [--today YYYY-MM-DD] [--step-days 14] [--no-propose]

Records the escalation of overdue action items (open and due before today; overdue itself
is computed whenever an item is read) Pemda → province → Kanwil → national every
--step-days days late, and proposes closing items whose indicator
has recovered. Idempotent: run it daily (cron) or let the worker run the `escalate_task`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from monev.core.scope import SYSTEM
from monev.meetings.services import action_items_escalate, action_items_propose_closing


class Command(BaseCommand):
    help = "Catat eskalasi tindak lanjut lewat tenggat dan usulkan penutupan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")
        parser.add_argument("--step-days", type=int, default=14)
        parser.add_argument("--no-propose", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError:
            raise CommandError(f"tanggal {options['today']!r} tidak sah", returncode=2) from None
        if options["step_days"] < 1:
            raise CommandError("--step-days minimal 1", returncode=2)
        counts = action_items_escalate(today=today, by=SYSTEM, step_days=options["step_days"])
        proposed = 0
        if not options["no_propose"]:
            proposed = action_items_propose_closing(period=f"{today:%Y-%m}", by=SYSTEM)
        self.stdout.write(
            f"lewat tenggat: {counts['overdue']}, dieskalasi: {counts['escalated']}, "
            f"diusulkan selesai: {proposed}"
        )
