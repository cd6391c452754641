"""Registry pages: the list of loaded extracts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from monev.registry import selectors


@login_required
def snapshot_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.snapshot_list(user=request.user)[:200]
    return render(request, "registry/snapshot_list.html", {"rows": rows})
