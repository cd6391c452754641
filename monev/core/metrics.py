"""Prometheus metrics for /metrics.

Two sources, each read in one place:

- this server's requests (latency by route, responses by status, errors by kind), counted in
  process; `monev serve` points PROMETHEUS_MULTIPROC_DIR at a directory of its own so the
  figures of all its worker processes add up in every scrape;
- the shared facts every server agrees on, read from the database at scrape time: job queue
  depth and the age of the oldest queued job, running and failed jobs by kind, the last
  registry import's rows per second, the last match's duration and the worker heartbeat.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
REQUEST_SECONDS = Histogram(
    "monev_http_request_duration_seconds",
    "Time to answer a request, by route pattern and method",
    ["route", "method"],
    buckets=BUCKETS,
)
RESPONSES = Counter(
    "monev_http_responses_total",
    "Responses by route pattern, method and status",
    ["route", "method", "status"],
)
ERRORS = Counter("monev_errors_total", "Error answers by kind", ["kind"])
ERROR_KINDS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid",
    429: "throttled",
}


def error_kind(status: int) -> str | None:
    if status >= 500:
        return "server_error"
    if status >= 400:
        return ERROR_KINDS.get(status, "client_error")
    return None


def request_observe(*, route: str, method: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(route, method).observe(seconds)
    RESPONSES.labels(route, method, str(status)).inc()
    kind = error_kind(status)
    if kind:
        ERRORS.labels(kind).inc()


class SharedFacts(Collector):
    """Job queue, failures and worker heartbeat (database). The apps' own facts (import
    speed, match duration) are collected by the face that serves /metrics (monev/ops.py)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from monev.core.models import Job, JobState, WorkerBeat

        now = timezone.now()
        by_state = {
            (row["kind"], row["state"]): row["n"]
            for row in Job.objects.values("kind", "state").annotate(n=Count("id"))
        }
        for name, state, text in (
            ("monev_job_queue_depth", JobState.QUEUED, "Jobs waiting for a worker, by kind"),
            ("monev_jobs_running", JobState.RUNNING, "Jobs running now, by kind"),
            ("monev_jobs_failed", JobState.FAILED, "Jobs that failed (all time), by kind"),
        ):
            family = GaugeMetricFamily(name, text, labels=["kind"])
            for (kind, job_state), count in sorted(by_state.items()):
                if job_state == state:
                    family.add_metric([kind], count)
            yield family
        oldest = Job.objects.filter(state=JobState.QUEUED).aggregate(m=Min("created_at"))["m"]
        yield GaugeMetricFamily(
            "monev_job_queue_oldest_seconds",
            "Age of the oldest job waiting for a worker (0 when none waits)",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )
        seen = WorkerBeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        if seen is not None:
            yield GaugeMetricFamily(
                "monev_worker_seen_seconds_ago",
                "Seconds since a worker last wrote its heartbeat",
                value=(now - seen).total_seconds(),
            )
        yield GaugeMetricFamily(
            "monev_workers",
            "Workers seen in the last 30 s",
            value=WorkerBeat.objects.filter(seen_at__gte=now - dt.timedelta(seconds=30)).count(),
        )


def exposition(extra: Sequence[Collector] = ()) -> bytes:
    """The text of a scrape: this server's request metrics, the shared facts and `extra`."""
    registry = CollectorRegistry()
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry, path=directory)
    else:
        for metric in (REQUEST_SECONDS, RESPONSES, ERRORS):
            registry.register(metric)
    registry.register(SharedFacts())
    for collector in extra:
        registry.register(collector)
    return bytes(generate_latest(registry))


def allowed(*, address: str | None, authorization: str) -> bool:
    """A scrape is allowed with the bearer token MONEV_METRICS_TOKEN, or from an address in
    MONEV_METRICS_ALLOW (addresses or networks; loopback by default)."""
    token = settings.MONEV_METRICS_TOKEN
    if token and secrets.compare_digest(authorization.encode(), f"Bearer {token}".encode()):
        return True
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        ip in ipaddress.ip_network(net, strict=False) for net in settings.MONEV_METRICS_ALLOW
    )
