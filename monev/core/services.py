"""Writes that belong to no single app: recovering jobs a killed worker left running."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from monev.core.audit import audit_record
from monev.core.models import Job, JobState

INTERRUPTED = (
    "Pekerja latar belakang berhenti saat tugas ini berjalan (misalnya dimatikan); "
    "data sebelumnya tetap utuh. Jalankan ulang tugas ini."
)


def jobs_recover_interrupted(*, by: Any) -> int:
    """Mark jobs left `running` by a worker that died as failed, so they can be re-run.

    Called when `monev worker` starts: with one worker per database (docs/operations.md)
    nothing can still be running at that moment. The queued task rows of django-tasks are
    failed too, so the queue does not hand them out again half-done.
    """
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    with transaction.atomic():
        stuck = list(Job.objects.filter(state=JobState.RUNNING).values_list("pk", flat=True))
        Job.objects.filter(pk__in=stuck).update(
            state=JobState.FAILED, error=INTERRUPTED, message=INTERRUPTED[:300], finished_at=now
        )
        DBTaskResult.objects.filter(status="RUNNING").update(status="FAILED", finished_at=now)
        if stuck:
            audit_record(actor=by, action="jobs.recover", changes={"jobs": stuck})
    return len(stuck)
