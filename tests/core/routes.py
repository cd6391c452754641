"""Scope-matrix registrations for the audit trail page."""

from __future__ import annotations

from typing import Any

from monev.core.models import AuditEvent
from tests.scope.registry import RouteCase, exempt, register


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

for _name in ("healthz", "readyz", "metrics"):
    exempt(
        _name,
        "operations: no region data (liveness, readiness by dependency, Prometheus figures "
        "behind MONEV_METRICS_TOKEN / MONEV_METRICS_ALLOW; tests/core/test_operations.py)",
    )
