from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from prometheus_client import CONTENT_TYPE_LATEST

from monev.core.health import readiness
from monev.core.http import is_htmx
from monev.core.metrics import allowed as metrics_allowed
from monev.core.metrics import exposition
from monev.core.selectors import AuditFilters, audit_event_list, can_read_audit


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not can_read_audit(request.user):
        raise PermissionDenied
    get = request.GET
    filters = AuditFilters(
        action=get.get("action", "")[:64],
        actor=get.get("actor", "")[:150],
        pemda=get.get("pemda", "")[:5],
        since=_date(get.get("since")),
        until=_date(get.get("until")),
    )
    page = Paginator(audit_event_list(user=request.user, filters=filters), 50).get_page(
        get.get("page")
    )
    template = "core/audit_rows.html" if is_htmx(request) else "core/audit_list.html"
    return render(request, template, {"page": page, "filters": filters})


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers (no dependency is touched)."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: each dependency by name; 503 when this server cannot serve."""
    ready, report = readiness()
    return JsonResponse(report, status=200 if ready else 503)


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for a token holder or an allowed address only."""
    if not metrics_allowed(
        address=request.META.get("REMOTE_ADDR"),
        authorization=request.headers.get("Authorization", ""),
    ):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
