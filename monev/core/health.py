"""Liveness, readiness and the worker heartbeat.

`readiness()` names each dependency: the database answers, every migration is applied, the
data store takes a write and a read, and a worker has been seen recently (with the age of
the oldest queued job). The first three decide readiness: a web server that lacks one of
them cannot answer. The worker is reported, not required: a proxy that took every web server
out of rotation because the worker stopped would turn one fault into an outage; alert on
`monev_worker_seen_seconds_ago` and `monev_job_queue_oldest_seconds` instead.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from monev.core.models import Job, JobState, WorkerBeat

BEAT_SECONDS = 5.0
# A worker unseen for longer than this is taken for dead.
BEAT_STALE_SECONDS = 30.0
_migrations_applied = False


@dataclass
class Check:
    ok: bool
    detail: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail, **self.facts}


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means not ready
        return Check(False, f"{type(exc).__name__}: {str(exc)[:200]}")
    return Check(True, connection.vendor)


def check_migrations() -> Check:
    """No migration left unapplied (remembered once true: an applied one does not go away)."""
    global _migrations_applied
    if _migrations_applied:
        return Check(True, "applied")
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return Check(False, f"{type(exc).__name__}: {str(exc)[:200]}")
    if plan:
        return Check(False, "unapplied", {"unapplied": len(plan)})
    _migrations_applied = True
    return Check(True, "applied")


def check_data_store() -> Check:
    from monev.core import storage

    try:
        storage.probe()
    except Exception as exc:
        return Check(False, f"{type(exc).__name__}: {str(exc)[:200]}")
    return Check(True, storage.describe())


def check_worker() -> Check:
    now = timezone.now()
    try:
        last = WorkerBeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        oldest = (
            Job.objects.filter(state=JobState.QUEUED)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        queued = Job.objects.filter(state=JobState.QUEUED).count()
    except Exception as exc:
        return Check(False, f"{type(exc).__name__}: {str(exc)[:200]}")
    facts = {
        "seen_seconds_ago": round((now - last).total_seconds(), 1) if last else None,
        "queued": queued,
        "queue_oldest_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0,
    }
    alive = last is not None and (now - last).total_seconds() <= BEAT_STALE_SECONDS
    return Check(alive, "seen" if alive else "no worker seen recently", facts)


def readiness() -> tuple[bool, dict[str, Any]]:
    """(ready, the report). Ready when the database, migrations and data store are."""
    checks = {
        "database": check_database(),
        "migrations": check_migrations(),
        "data_store": check_data_store(),
        "worker": check_worker(),
    }
    ready = all(checks[name].ok for name in ("database", "migrations", "data_store"))
    return ready, {
        "status": "ready" if ready else "not_ready",
        "checks": {name: check.as_dict() for name, check in checks.items()},
    }


class Heartbeat:
    """Writes this worker's `WorkerBeat` row every BEAT_SECONDS in a thread of its own."""

    def __init__(self) -> None:
        self.worker_id = uuid.uuid4().hex
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="monev-heartbeat", daemon=True)

    def start(self) -> None:
        now = timezone.now()
        WorkerBeat.objects.create(
            worker_id=self.worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            seen_at=now,
        )
        self._thread.start()

    def _run(self) -> None:
        from django.db import close_old_connections

        while not self._stop.wait(BEAT_SECONDS):
            try:
                WorkerBeat.objects.filter(worker_id=self.worker_id).update(seen_at=timezone.now())
            except Exception:  # a database blip: the next beat tries again
                close_old_connections()
        connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=BEAT_SECONDS * 2)
        WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
        # Rows of workers that died long ago only confuse the report.
        cutoff = timezone.now() - dt.timedelta(hours=1)
        WorkerBeat.objects.filter(seen_at__lt=cutoff).delete()
