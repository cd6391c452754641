"""Periodic follow-up work (django-tasks): record escalations, propose closing."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def escalate_task(step_days: int = 14) -> dict[str, Any]:
    from django.utils import timezone

    from monev.core.scope import SYSTEM
    from monev.meetings.services import action_items_escalate, action_items_propose_closing

    today = timezone.localdate()
    counts: dict[str, Any] = action_items_escalate(today=today, by=SYSTEM, step_days=step_days)
    counts["proposed"] = action_items_propose_closing(period=f"{today:%Y-%m}", by=SYSTEM)
    return counts
