from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from monev.core.http import is_htmx
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
