"""E-mail notifications through a real SMTP server: who gets what, in which language,
once, with retries; and nobody gets another region's data or a NIK."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from monev.accounts.models import User, UserScope
from monev.core.models import AuditEvent
from monev.core.scope import SYSTEM
from monev.meetings import services as meetings
from monev.meetings.models import EscalationLevel
from monev.notifications.delivery import notification_requeue, notifications_deliver
from monev.notifications.models import DeliveryState, Notification, NotificationKind
from monev.notifications.services import _no_nik, notification_send
from monev.regions.models import Pemda
from tests.mailserver import MailServer
from tests.meetings.factories import item_for

pytestmark = pytest.mark.django_db

NIK = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")
TODAY = dt.date(2024, 7, 1)


def deliver(**options: Any) -> str:
    from io import StringIO

    out = StringIO()
    call_command("deliver", stdout=out, **options)
    return out.getvalue()


def test_assigned_item_mails_only_the_owner_pemda_in_bahasa(smtp_server: MailServer) -> None:
    item = item_for("16.71", due_on=dt.date(2024, 9, 30))

    deliver(today="2024-01-02")

    assert [m.rcpt_tos for m in smtp_server.messages] == [["palembang@monev.test"]]
    mail = smtp_server.messages[0]
    assert mail.subject == (
        "[Monev] Tindak lanjut baru untuk Pemerintah Kota Palembang, tenggat 30 September 2024"
    )
    assert item.what in mail.text
    assert f"/rapat/tindak-lanjut/{item.pk}/" in mail.text
    assert "Lahat" not in mail.text + mail.subject and not NIK.search(mail.text)
    assert mail.message["Auto-Submitted"] == "auto-generated"
    row = Notification.objects.get(user__username="palembang")
    assert row.state == DeliveryState.SENT and row.message_id == mail.message["Message-ID"]


def test_english_user_gets_english(smtp_server: MailServer, cast: dict[str, User]) -> None:
    User.objects.filter(username="palembang").update(language="en")

    item_for("16.71", due_on=dt.date(2024, 9, 30))
    deliver(today="2024-01-02")

    assert smtp_server.messages[0].subject == (
        "[Monev] New follow-up for Pemerintah Kota Palembang, due 30 September 2024"
    )


def test_overdue_reminder_goes_once_and_follows_escalation(smtp_server: MailServer) -> None:
    item = item_for("16.04", due_on=dt.date(2024, 5, 1))
    deliver(today="2024-04-01")  # the assignment itself
    smtp_server.messages.clear()

    deliver(today=TODAY.isoformat())
    deliver(today=TODAY.isoformat())  # a timer runs it again: nothing new

    assert [m.rcpt_tos for m in smtp_server.messages] == [["lahat@monev.test"]]
    assert smtp_server.messages[0].subject.startswith("[Monev] Lewat tenggat: tindak lanjut")
    smtp_server.messages.clear()

    meetings.action_items_escalate(today=TODAY, by=SYSTEM, step_days=30)
    item.refresh_from_db()
    assert item.escalation == EscalationLevel.KANWIL  # 61 days late, kab level, 30-day steps
    deliver(today=TODAY.isoformat())

    assert [m.rcpt_tos for m in smtp_server.messages] == [["sumbagsel@monev.test"]]
    assert "dieskalasi ke tingkat Kanwil" in smtp_server.messages[0].text


def test_due_soon_reminder(smtp_server: MailServer) -> None:
    item_for("16.71", due_on=TODAY + dt.timedelta(days=3))
    smtp_server.messages.clear()

    out = deliver(today=TODAY.isoformat(), due_days=7)

    subjects = [m.subject for m in smtp_server.to("palembang@monev.test")]
    assert "[Monev] Tindak lanjut Pemerintah Kota Palembang jatuh tempo 4 Juli 2024" in subjects
    assert "1 pengingat tenggat" in out


def test_switched_off_kind_is_not_sent(smtp_server: MailServer, client_for: Any) -> None:
    client = client_for("palembang")
    kept = [k.value for k in NotificationKind if k.value != "action_item.assigned"]
    response = client.post("/notifikasi/", {"kind": kept})
    assert response.status_code == 302

    item_for("16.71")
    deliver(today="2022-09-16")

    assert smtp_server.messages == []
    page = client.get("/notifikasi/").content.decode()
    assert 'value="action_item.assigned" >' in page  # unchecked
    assert AuditEvent.objects.filter(action="notification.preferences").exists()


def test_preferences_api(client_for: Any, token_for: Any) -> None:
    from tests.conftest import bearer

    client = client_for("lahat")
    headers = bearer(token_for("lahat"))
    response = client.put(
        "/api/v1/notifications/preferences",
        {"choices": {"action_item.due": False}},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    by_kind = {p["kind"]: p["email"] for p in response.json()}
    assert by_kind["action_item.due"] is False and by_kind["action_item.overdue"] is True
    bad = client.put(
        "/api/v1/notifications/preferences",
        {"choices": {"semua": True}},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 400 and "semua" in bad.json()["error"]["message"]


def test_own_log_in_api(smtp_server: MailServer, client_for: Any, token_for: Any) -> None:
    from tests.conftest import bearer

    item_for("16.71")
    deliver(today="2022-09-16")

    mine = client_for("palembang").get("/api/v1/notifications", **bearer(token_for("palembang")))
    theirs = client_for("lahat").get("/api/v1/notifications", **bearer(token_for("lahat")))
    assert [n["state"] for n in mine.json()] == ["sent"]
    assert theirs.json() == []


def test_temporary_failure_is_retried_permanent_one_fails(smtp_server: MailServer) -> None:
    item_for("16.71")
    item_for("16.04")
    smtp_server.answers = ["451 4.3.0 coba lagi nanti", "550 5.1.1 kotak surat tidak ada"]

    first = notifications_deliver()

    assert (first.sent, first.retry, first.failed) == (0, 1, 1)
    retry = Notification.objects.get(state=DeliveryState.RETRY)
    assert retry.attempts == 1 and retry.next_attempt_at > timezone.now()
    assert notifications_deliver().sent == 0  # not due yet
    later = notifications_deliver(now=timezone.now() + dt.timedelta(minutes=6))
    assert later.sent == 1 and len(smtp_server.messages) == 1
    assert Notification.objects.get(pk=retry.pk).state == DeliveryState.SENT


def test_two_runs_at_once_never_send_twice(
    smtp_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run starts while the first is in the middle of sending its first message:
    it sends the others and leaves that one alone; the first then finds the others taken."""
    from django.core.mail import EmailMessage

    for code in ("16.71", "16.04", "16.71"):
        item_for(code)
    original, nested = EmailMessage.send, []

    def send_with_a_second_run_in_between(self: EmailMessage, *args: Any) -> int:
        if not nested:
            nested.append(None)
            nested[0] = notifications_deliver()
        return original(self, *args)

    monkeypatch.setattr(EmailMessage, "send", send_with_a_second_run_in_between)
    first = notifications_deliver()

    assert (first.sent, nested[0].sent) == (1, 2)
    addresses = sorted(a for m in smtp_server.messages for a in m.rcpt_tos)
    assert addresses == ["lahat@monev.test", "palembang@monev.test", "palembang@monev.test"]
    assert Notification.objects.filter(state=DeliveryState.SENT).count() == 3


def test_interrupted_send_is_not_repeated_until_requeued(smtp_server: MailServer) -> None:
    item_for("16.71")
    row = Notification.objects.get()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Notification.objects.filter(pk=row.pk).update(
        state=DeliveryState.SENDING, claimed_by="dead", claimed_at=long_ago
    )

    counts = notifications_deliver()

    assert counts.interrupted == 1 and smtp_server.messages == []
    assert Notification.objects.get(pk=row.pk).state == DeliveryState.FAILED
    notification_requeue(pk=row.pk, by=SYSTEM)
    assert notifications_deliver().sent == 1 and len(smtp_server.messages) == 1


def test_requeue_from_the_command_line(smtp_server: MailServer) -> None:
    item_for("16.71")
    row = Notification.objects.get()
    with pytest.raises(Exception, match="tidak dapat diantrekan"):
        call_command("deliver", requeue=row.pk)
    with pytest.raises(Exception, match="tidak ada"):
        call_command("deliver", requeue=row.pk + 1000)


def test_recipient_who_lost_the_region_is_skipped(smtp_server: MailServer) -> None:
    item_for("16.71")
    UserScope.objects.filter(user__username="palembang").update(
        pemda=Pemda.objects.get(code="16.04")
    )

    counts = notifications_deliver()

    assert counts.skipped == 1 and smtp_server.messages == []


def test_no_recipient_outside_the_region_even_when_named() -> None:
    lahat = User.objects.get(username="lahat")

    queued = notification_send(
        kind=NotificationKind.UPLOAD_REJECTED,
        key="x",
        pemda_code="16.71",
        users=[lahat],
        context={"pemda": "Kota Palembang", "period": "2024-06"},
    )

    assert queued == []


def test_same_event_twice_queues_once() -> None:
    palembang = User.objects.get(username="palembang")
    for _ in range(2):
        notification_send(
            kind=NotificationKind.UPLOAD_REJECTED,
            key="upload:1",
            pemda_code="16.71",
            users=[palembang],
            context={"pemda": "Kota Palembang", "period": "2024-06"},
        )
    assert Notification.objects.count() == 1


def test_nik_in_a_file_name_is_blanked(smtp_server: MailServer) -> None:
    palembang = User.objects.get(username="palembang")
    notification_send(
        kind=NotificationKind.UPLOAD_REJECTED,
        key="upload:2",
        pemda_code="16.71",
        users=[palembang],
        context={
            "pemda": "Kota Palembang",
            "period": "2024-06",
            "filename": "1671011708850001.csv",
        },
    )
    notifications_deliver()
    assert not NIK.search(smtp_server.messages[0].text)
    assert "****************.csv" in smtp_server.messages[0].text


@given(st.text(alphabet="0123456789 -.x", max_size=80))
def test_no_sixteen_digit_run_survives(text: str) -> None:
    assert not NIK.search(_no_nik(text))


def test_rejected_upload_tells_the_uploader(
    smtp_server: MailServer, tmp_path: Any, settings: Any
) -> None:
    from monev.rosters import services

    settings.MONEV_HOME = tmp_path
    palembang = User.objects.get(username="palembang")
    upload = services.roster_upload_create(
        pemda=Pemda.objects.get(code="16.71"),
        period="2024-06",
        data=b"nik,nama,kategori,upah\n1671011708850001,Budi,NON_ASN,abc\n",
        filename="daftar-juni.csv",
        mode="strict",
        by=palembang,
    )
    services.roster_upload_validate(upload=upload)
    notifications_deliver()

    [mail] = smtp_server.messages
    assert mail.rcpt_tos == ["palembang@monev.test"]
    assert (
        mail.subject == "[Monev] Daftar pekerja Pemerintah Kota Palembang periode 2024-06 ditolak"
    )
    assert f"/daftar-pekerja/unggah/{upload.pk}/" in mail.text
    assert not NIK.search(mail.text) and "1671011708850001" not in mail.message.as_string()


def test_mail_server_down_leaves_messages_for_later(settings: Any) -> None:
    from tests.mailserver import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    item_for("16.71")
    item_for("16.04")
    from io import StringIO

    err = StringIO()
    call_command("deliver", today="2022-09-16", stdout=StringIO(), stderr=err)

    assert "server surel" in err.getvalue()
    states = sorted(Notification.objects.values_list("state", flat=True))
    assert states == [DeliveryState.PENDING, DeliveryState.RETRY]
