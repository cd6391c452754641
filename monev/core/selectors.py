"""Reads of the audit trail, for the auditor and national roles."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from monev.core.models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    pemda: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def can_read_audit(user: Any) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or user.role in {"national", "auditor"})
    )


def audit_event_list(*, user: Any, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Audit events the user may read, newest first. Events without a Pemda (logins, user
    management) are visible to readers with all regions only."""
    if not can_read_audit(user):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.for_user(user)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.actor:
        qs = qs.filter(actor_name__icontains=filters.actor)
    if filters.pemda:
        qs = qs.filter(pemda_code__startswith=filters.pemda)
    if filters.since:
        qs = qs.filter(at__date__gte=filters.since)
    if filters.until:
        qs = qs.filter(at__date__lte=filters.until)
    return qs
