"""Operations endpoints (docs/operations.md): liveness, readiness by dependency, Prometheus
metrics. A face like the views and the API: it reads the apps' own facts (the last
registry import's speed, the last match's duration) beside core's shared ones."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from monev.core.health import readiness
from monev.core.metrics import allowed, exposition
from monev.coverage.models import MatchRun
from monev.registry.models import RegistrySnapshot


class ImportAndMatchFacts(Collector):
    """The last registry import's rows per second and the last finished match's duration."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        snapshot = RegistrySnapshot.objects.filter(seconds__gt=0).order_by("-created_at").first()
        if snapshot is not None:
            yield GaugeMetricFamily(
                "monev_registry_import_rows_per_second",
                "Rows per second of the last registry import",
                value=snapshot.rows_total / snapshot.seconds,
            )
        run = MatchRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
        if run is not None and run.timings.get("total") is not None:
            yield GaugeMetricFamily(
                "monev_match_duration_seconds",
                "Duration of the last finished match",
                value=float(run.timings["total"]),
            )


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers (no dependency is touched)."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: each dependency by name; 503 when this server cannot serve."""
    ready, report = readiness()
    return JsonResponse(report, status=200 if ready else 503)


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for a token holder or an allowed address only."""
    if not allowed(
        address=request.META.get("REMOTE_ADDR"),
        authorization=request.headers.get("Authorization", ""),
    ):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(exposition([ImportAndMatchFacts()]), content_type=CONTENT_TYPE_LATEST)
