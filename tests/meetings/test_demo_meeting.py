"""The demo's meeting: an overdue follow-up whose e-mail `monev deliver` writes to a file
(no mail server runs in the demo) and records as sent in the delivery log."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from monev.console.demo.meeting import demo_meeting_load
from monev.meetings.models import ActionItem, ItemStatus
from monev.notifications.models import DeliveryState, Notification, NotificationKind

pytestmark = pytest.mark.django_db


def test_demo_shows_an_overdue_item_with_its_email_sent(settings: Any, tmp_path: Path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    today = dt.date(2024, 8, 20)

    assert demo_meeting_load(period="2024-06", today=today) is not None
    assert demo_meeting_load(period="2024-06", today=today) is None  # a second demo run
    call_command("deliver", today=today.isoformat(), stdout=StringIO())

    overdue = ActionItem.objects.get(pemda_code="16.71")
    assert overdue.is_overdue and overdue.shown_status == ItemStatus.OVERDUE
    sent = Notification.objects.get(kind=NotificationKind.ACTION_ITEM_OVERDUE)
    assert sent.user.username == "palembang" and sent.state == DeliveryState.SENT
    written = "".join(p.read_text() for p in (tmp_path / "mail").iterdir())
    assert "Lewat tenggat: tindak lanjut Pemerintah Kota Palembang" in written
    assert "To: palembang@monev.test" in written
