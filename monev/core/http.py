"""Small request helpers shared by the views."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True for an HTMX partial request (django-htmx sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))
