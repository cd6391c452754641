"""Scope-matrix registrations for the audit trail page."""

from __future__ import annotations

from typing import Any

from monev.core.models import AuditEvent
from tests.scope.registry import RouteCase, register


def _event(pemda: str) -> dict[str, Any]:
    AuditEvent.objects.create(action="uji.baca", object_repr=f"uji-{pemda}", pemda_code=pemda)
    return {}


register(
    RouteCase(
        "core:audit_list",
        "/audit/?pemda={pemda}",
        setup=_event,
        marker=lambda pemda: f"uji-{pemda}",
        allowed=frozenset({"national", "auditor"}),
    ),
)
