"""The audit trail is append-only, carries the request id, and is readable by role."""

from __future__ import annotations

from typing import Any

import pytest

from monev.core.audit import audit_record
from monev.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_events_cannot_be_changed_or_deleted(cast: dict[str, Any]) -> None:
    event = audit_record(actor=cast["palembang"], action="uji.ubah", pemda_code="16.71")
    event.action = "lain"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="lain")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_request_id_reaches_the_event_and_the_response(client_for: Any) -> None:
    client = client_for("palembang")
    response = client.post("/akun/token/", {"name": "dengan-id"}, HTTP_X_REQUEST_ID="req-12345678")
    assert response["X-Request-ID"] == "req-12345678"
    event = AuditEvent.objects.get(action="api_token.create", object_repr__startswith="dengan-id")
    assert event.request_id == "req-12345678"
    assert event.actor_name == "palembang"


def test_audit_page_filters_by_action(client_for: Any) -> None:
    AuditEvent.objects.create(action="roster.commit", object_repr="versi-a", pemda_code="16.71")
    AuditEvent.objects.create(action="regions.load", object_repr="versi-b")
    page = client_for("auditor").get("/audit/?action=roster").content.decode()
    assert "versi-a" in page and "versi-b" not in page


def test_pemda_operator_cannot_read_audit(client_for: Any) -> None:
    assert client_for("palembang").get("/audit/").status_code == 403
