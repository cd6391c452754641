"""The JSON-body API routes of meetings (outside the scope matrix): allowed, other region,
anonymous and bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from monev.meetings.models import ActionItem, Letter, Meeting
from tests.conftest import bearer
from tests.meetings.factories import item_for, meeting_for

pytestmark = pytest.mark.django_db

MEETING = {
    "title": "Rapat Monev Inpres 2/2021 Kanwil Sumbagsel",
    "starts_on": "2022-09-15",
    "ends_on": "2022-09-16",
    "place": "Palembang",
    "period": "2022-09",
    "kanwil": "SUMBAGSEL",
    "agencies": ["KEMENKO_PMK", "KEMENDAGRI", "SETKAB", "KSP", "BPJS"],
}


def post(token: str | None, path: str, body: dict[str, Any]) -> Any:
    headers = bearer(token) if token else {}
    return Client().post(path, json.dumps(body), content_type="application/json", **headers)


def test_create_meeting(token_for: Any) -> None:
    ok = post(token_for("sumbagsel"), "/api/v1/meetings", MEETING)
    assert ok.status_code == 201, ok.content
    assert len(ok.json()["pemda_codes"]) == 65
    assert post(token_for("palembang"), "/api/v1/meetings", MEETING).status_code == 403
    assert post(token_for("auditor"), "/api/v1/meetings", MEETING).status_code == 403
    outside = {**MEETING, "kanwil": None, "pemda_codes": ["32.73"]}
    assert post(token_for("sumbagsel"), "/api/v1/meetings", outside).status_code == 403
    assert post(None, "/api/v1/meetings", MEETING).status_code == 401
    bad = post(token_for("national"), "/api/v1/meetings", {**MEETING, "period": "2022-13"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_input"
    assert post(token_for("national"), "/api/v1/meetings", {"title": 1}).status_code == 422
    assert Meeting.objects.count() == 1


def test_create_item_and_update_status(token_for: Any) -> None:
    meeting = meeting_for("16.71")
    path = f"/api/v1/meetings/{meeting.pk}/items"
    body = {"what": "Anggarkan APBD-P", "due_on": "2022-12-31", "pemda_code": "16.71"}
    assert post(token_for("palembang"), path, body).status_code == 403
    assert post(token_for("lahat"), path, body).status_code == 404
    assert post(None, path, body).status_code == 401
    created = post(token_for("national"), path, body)
    assert created.status_code == 201
    item_id = created.json()["id"]
    assert post(token_for("national"), path, {**body, "pemda_code": ""}).status_code == 400
    status_path = f"/api/v1/action-items/{item_id}/status"
    assert post(token_for("lahat"), status_path, {"status": "done"}).status_code == 404
    assert post(token_for("auditor"), status_path, {"status": "done"}).status_code == 403
    assert post(token_for("palembang"), status_path, {"status": "bogus"}).status_code == 400
    done = post(token_for("palembang"), status_path, {"status": "done", "note": "Perbup terbit"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert ActionItem.objects.get(pk=item_id).events.count() == 2


def test_letters_are_issued_only_by_organisers_and_read_only_by_their_pemda(token_for: Any) -> None:
    item_for("16.71")
    meeting = Meeting.objects.get()
    path = f"/api/v1/meetings/{meeting.pk}/letters"
    assert post(token_for("palembang"), path, {"pemda_code": "16.71"}).status_code == 403
    assert post(token_for("lahat"), path, {"pemda_code": "16.71"}).status_code == 404
    issued = post(token_for("sumbagsel"), path, {"pemda_code": "16.71"})
    assert issued.status_code == 201, issued.content
    letter_id = issued.json()["id"]
    own = Client().get(f"/api/v1/letters/{letter_id}/pdf", **bearer(token_for("palembang")))
    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF")
    other = Client().get(f"/api/v1/letters/{letter_id}/pdf", **bearer(token_for("lahat")))
    assert other.status_code == 404
    assert post(token_for("sumbagsel"), path, {"pemda_code": "16.04"}).status_code == 400
    assert Letter.objects.count() == 1


def test_evidence_upload_checks_type_and_owner(token_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = item_for("16.71")
    path = f"/api/v1/action-items/{item.pk}/evidence"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    def upload(user: str | None, content: bytes, name: str = "bukti.pdf") -> Any:
        headers = bearer(token_for(user)) if user else {}
        return Client().post(path, {"document": SimpleUploadedFile(name, content)}, **headers)

    assert upload(None, pdf).status_code == 401
    assert upload("lahat", pdf).status_code == 404
    assert upload("auditor", pdf).status_code == 403
    fake = upload("palembang", b"MZ\x90\x00 executable", "bukti.pdf")
    assert fake.status_code == 400 and "PDF" in fake.json()["error"]["message"]
    ok = upload("palembang", pdf)
    assert ok.status_code == 201, ok.content
    assert ok.json()["content_type"] == "application/pdf"
    link = Client().post(path, {"link": "/anggaran/"}, **bearer(token_for("palembang")))
    assert link.status_code == 201 and link.json()["kind"] == "link"
    neither = Client().post(path, {}, **bearer(token_for("palembang")))
    assert neither.status_code == 400
