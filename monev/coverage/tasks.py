"""Background tasks of the coverage app (django-tasks; run by `monev worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def match_task(job_id: int) -> None:
    from monev.coverage.services import match_job

    match_job(job_id=job_id)
