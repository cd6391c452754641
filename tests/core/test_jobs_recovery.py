"""A job left `running` by a killed worker is marked failed when a worker starts, so the
match for that period can be queued again."""

from __future__ import annotations

from typing import Any

import pytest

from monev.core.models import AuditEvent, Job, JobState
from monev.core.scope import SYSTEM
from monev.core.services import jobs_recover_interrupted
from monev.coverage.services import JOB_KIND, match_enqueue

pytestmark = pytest.mark.django_db


def test_stuck_match_job_is_failed_and_a_new_one_can_be_queued(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    stuck = Job.objects.create(kind=JOB_KIND, params={"period": "2024-06"}, state=JobState.RUNNING)
    assert match_enqueue(period="2024-06", by=SYSTEM) == stuck  # the stuck job blocks re-runs

    assert jobs_recover_interrupted(by=SYSTEM) == 1
    stuck.refresh_from_db()
    assert stuck.state == JobState.FAILED and "Jalankan ulang" in stuck.error
    assert AuditEvent.objects.filter(action="jobs.recover").exists()

    fresh = match_enqueue(period="2024-06", by=SYSTEM)
    assert fresh != stuck and fresh.state == JobState.QUEUED


def test_nothing_to_recover_is_a_no_op() -> None:
    done = Job.objects.create(kind="x", state=JobState.DONE)
    assert jobs_recover_interrupted(by=SYSTEM) == 0
    done.refresh_from_db()
    assert done.state == JobState.DONE
