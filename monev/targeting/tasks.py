"""Background tasks of the targeting app (django-tasks; run by `monev worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def target_task(job_id: int) -> None:
    from monev.targeting.services import target_job

    target_job(job_id=job_id)
