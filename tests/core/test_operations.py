"""What an operator watches: liveness, readiness by dependency, Prometheus metrics behind a
token or an allow-list, and one JSON log line per request and per job."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from monev.core.logs import JsonFormatter
from monev.core.models import Job, JobState, WorkerBeat
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_names_each_dependency_and_reports_the_worker() -> None:
    Job.objects.create(kind="match", state=JobState.QUEUED)
    body = Client().get("/readyz").json()
    assert body["status"] == "ready"
    checks = body["checks"]
    assert set(checks) == {"database", "migrations", "data_store", "worker"}
    assert checks["database"]["ok"] and checks["migrations"]["ok"] and checks["data_store"]["ok"]
    # No worker has written a heartbeat: reported, and the queue waits.
    assert checks["worker"]["ok"] is False
    assert checks["worker"]["queued"] == 1 and checks["worker"]["queue_oldest_seconds"] >= 0

    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w1", hostname="h", pid=1, started_at=now, seen_at=now)
    worker = Client().get("/readyz").json()["checks"]["worker"]
    assert worker["ok"] is True and worker["seen_seconds_ago"] < 5


def test_readyz_is_503_when_the_data_store_cannot_be_written(settings: Any, tmp_path: Any) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("x")
    settings.DATA_DIR = blocked
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    assert body["checks"]["data_store"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_metrics_show_request_latency_by_route_and_the_job_queue(cast: Any) -> None:
    Job.objects.create(kind="match", state=JobState.QUEUED)
    Job.objects.create(kind="match", state=JobState.FAILED)
    login("palembang").get("/audit/")  # a 403: counted as an error of its kind
    Client().get("/akun/masuk/")
    text = Client().get("/metrics").content.decode()
    assert (
        'monev_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/akun/masuk/"}'
        in text
    )
    assert 'monev_errors_total{kind="forbidden"}' in text
    assert 'monev_job_queue_depth{kind="match"} 1.0' in text
    assert 'monev_jobs_failed{kind="match"} 1.0' in text
    assert "monev_job_queue_oldest_seconds" in text


def test_metrics_refused_outside_the_allow_list_unless_the_token_is_given(settings: Any) -> None:
    settings.MONEV_METRICS_ALLOW = ["10.20.0.0/16"]
    settings.MONEV_METRICS_TOKEN = "token-rahasia-untuk-prometheus-1234"
    assert Client().get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="10.20.3.4").get("/metrics").status_code == 200
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer salah")
    assert wrong.status_code == 403
    right = Client().get(
        "/metrics", HTTP_AUTHORIZATION="Bearer token-rahasia-untuk-prometheus-1234"
    )
    assert right.status_code == 200 and b"monev_job_queue_depth" in right.content


def _lines(caplog: pytest.LogCaptureFixture, logger: str) -> list[dict[str, Any]]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


def test_one_json_line_per_request_with_ids_and_no_traceback_for_a_403(
    cast: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    client = login("palembang")
    response = client.get("/audit/?actor=3171010101010001", HTTP_X_REQUEST_ID="req-12345678")
    assert response.status_code == 403
    (line,) = [x for x in _lines(caplog, "monev.request") if x["path"] == "/audit/"]
    assert line["status"] == 403 and line["route"] == "/audit/"
    assert line["request_id"] == "req-12345678"
    assert line["user_id"] == cast["palembang"].pk
    assert "3171010101010001" not in json.dumps(line)  # never the query string
    assert not [r for r in caplog.records if r.exc_info], "a 403 logged a traceback"
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_one_json_line_as_a_job_starts_and_ends_with_its_job_id(
    settings: Any, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> None:
    from monev.core.scope import SYSTEM
    from monev.coverage.services import match_enqueue

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    caplog.set_level(logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):
        job = match_enqueue(period="2024-06", by=SYSTEM)
    started, finished = _lines(caplog, "monev.job")
    assert started["job_id"] == finished["job_id"] == job.pk
    assert started["state"] == "running"
    assert finished["state"] in {"done", "failed"} and finished["duration_ms"] >= 0
    assert finished["task"].endswith("match_task")
