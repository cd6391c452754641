"""The one way to write an audit event. Services call it explicitly (grep finds them all)."""

from __future__ import annotations

from typing import Any

from django.db import models

from monev.core.middleware import current_ip, current_request_id
from monev.core.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    pemda_code: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `changes` must never hold a NIK in clear (mask it first)."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    is_person = authenticated and getattr(actor, "pk", None) is not None
    return AuditEvent.objects.create(
        actor=actor if is_person else None,
        actor_name=actor.get_username() if authenticated else "system",
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        pemda_code=pemda_code,
        changes=changes or {},
        request_id=current_request_id.get(),
        ip_address=current_ip.get(),
    )
