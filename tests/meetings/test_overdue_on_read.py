"""Overdue is computed when read: due before today and not done, on every surface, without
`monev escalate` having run (issue 18)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from monev.core.scope import SYSTEM
from monev.meetings import selectors, services
from monev.meetings.letters import letter_issue
from monev.meetings.models import ActionItem, ItemStatus
from monev.regions.models import Pemda
from monev.reports.selectors import semester_data
from tests.meetings.factories import item_for

pytestmark = pytest.mark.django_db


def late_and_future() -> tuple[ActionItem, ActionItem]:
    late = item_for("16.71", due_on=dt.date(2024, 9, 30))
    future = item_for(
        "16.71", due_on=timezone.localdate() + dt.timedelta(days=30), meeting=late.meeting
    )
    return late, future


def row_of(html: str, text: str) -> str:
    at = html.index(text)
    return html[at : html.index("</tr>", at)]


def test_meeting_page_and_item_list_say_overdue_without_escalate(client_for: Any) -> None:
    late, future = late_and_future()
    client = client_for("palembang")
    for url in (f"/rapat/{late.meeting_id}/", "/rapat/tindak-lanjut/"):
        html = client.get(url).content.decode()
        assert "Lewat tenggat" in row_of(html, late.what[:40]), url
    listed = client.get("/rapat/tindak-lanjut/?status=overdue").content.decode()
    assert f"/rapat/tindak-lanjut/{late.pk}/" in listed
    assert f"/rapat/tindak-lanjut/{future.pk}/" not in listed
    detail = client.get(f"/rapat/tindak-lanjut/{late.pk}/").content.decode()
    assert "Lewat tenggat" in detail


def test_api_and_banner_and_report_agree(client_for: Any, token_for: Any) -> None:
    late, future = late_and_future()
    token = token_for("palembang")
    got = client_for("palembang").get("/api/v1/action-items", HTTP_AUTHORIZATION=f"Bearer {token}")
    status = {row["id"]: row["status"] for row in got.json()}
    assert status == {late.pk: "overdue", future.pk: "open"}
    assert list(selectors.overdue_items(user=SYSTEM, pemda_code="16.71")) == [late]
    report = semester_data(user=SYSTEM, semester="2024-H2")
    assert report["items"]["overdue"] == 1 and report["items"]["open"] == 1


def test_letter_and_stored_status_never_change_on_escalate() -> None:
    late, _future = late_and_future()
    letter = letter_issue(meeting=late.meeting, pemda=Pemda.objects.get(code="16.71"), by=SYSTEM)
    overdue = [i for i in letter.content["items"] if i["overdue"]]
    assert [i["what"] for i in overdue] == [late.what]
    services.action_items_escalate(today=timezone.localdate(), by=SYSTEM)
    late.refresh_from_db()
    assert late.status == ItemStatus.OPEN and late.is_overdue
