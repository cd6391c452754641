"""Background tasks of roster intake (django-tasks; run by `monev worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def roster_validate_task(upload_id: int, job_id: int) -> None:
    from monev.rosters.services import roster_validate_job

    roster_validate_job(upload_id=upload_id, job_id=job_id)
