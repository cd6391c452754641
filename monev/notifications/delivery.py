"""Send the queued notifications: claim, send, record; retry what failed for a while.

Never twice: a row is sent only by the run that moved it from pending/retry to sending in
one UPDATE (the database decides between two concurrent runs). A row left in sending by a
run that died is not sent again automatically (the message may have gone out before the
run died); it is marked failed with the reason, and an operator may requeue it
(`monev deliver --requeue ID`). Temporary failures (4xx, connection lost) are retried after
5, 10, 20, … minutes up to MONEV_MAIL_MAX_ATTEMPTS; permanent ones (5xx) fail at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.db.models import Q
from django.utils import timezone

from monev.core.audit import audit_record
from monev.core.scope import scope_for
from monev.notifications.models import DeliveryState, Notification

log = logging.getLogger(__name__)

STALE_CLAIM = dt.timedelta(minutes=30)
FIRST_RETRY = dt.timedelta(minutes=5)
_WAITING = (DeliveryState.PENDING, DeliveryState.RETRY)


@dataclass
class DeliveryCounts:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    skipped: int = 0
    interrupted: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "retry": self.retry,
            "failed": self.failed,
            "skipped": self.skipped,
            "interrupted": self.interrupted,
        }


class ConnectionLost(Exception):
    """The mail server went away; the rest of this run waits for the next one."""


def notifications_deliver(*, now: dt.datetime | None = None, limit: int = 1000) -> DeliveryCounts:
    """Send up to `limit` due notifications through the configured mail backend."""
    now = now or timezone.now()
    counts = DeliveryCounts(interrupted=_fail_stale_claims(now))
    run = uuid.uuid4().hex
    due = Notification.objects.filter(state__in=_WAITING, next_attempt_at__lte=now)
    ids = list(due.order_by("id").values_list("id", flat=True)[:limit])
    connection = None
    try:
        for pk in ids:
            if not _claim(pk, run, now):
                continue  # another run has it
            connection = connection or get_connection(fail_silently=False)
            _deliver_one(Notification.objects.select_related("user").get(pk=pk), connection, counts)
    except ConnectionLost as exc:
        counts.errors.append(str(exc))
    finally:
        if connection is not None:
            _close(connection)
    return counts


def _fail_stale_claims(now: dt.datetime) -> int:
    stale = Notification.objects.filter(
        state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    return stale.update(
        state=DeliveryState.FAILED,
        error="pengiriman terputus; tidak dikirim ulang otomatis agar tidak ganda",
    )


def _claim(pk: int, run: str, now: dt.datetime) -> bool:
    """Take the row for this run: exactly one concurrent UPDATE can match it."""
    claimed = Notification.objects.filter(pk=pk, state__in=_WAITING).update(
        state=DeliveryState.SENDING, claimed_by=run, claimed_at=now
    )
    return claimed == 1


def _deliver_one(row: Notification, connection: Any, counts: DeliveryCounts) -> None:
    reason = _skip_reason(row)
    if reason:
        _finish(row, DeliveryState.SKIPPED, error=reason)
        counts.skipped += 1
        return
    message = _message(row, connection)
    try:
        message.send()
    except smtplib.SMTPResponseException as exc:
        _failed(row, exc.smtp_code, f"{exc.smtp_code} {exc.smtp_error!r}", counts)
    except smtplib.SMTPRecipientsRefused as exc:
        code = min((c for c, _msg in exc.recipients.values()), default=550)
        _failed(row, code, f"{code} penerima ditolak", counts)
    except (smtplib.SMTPException, OSError) as exc:
        _failed(row, 421, f"{type(exc).__name__}: {exc}", counts)
        raise ConnectionLost(f"{type(exc).__name__}: {exc}") from None
    else:
        _finish(row, DeliveryState.SENT, message_id=message.extra_headers["Message-ID"])
        counts.sent += 1


def _skip_reason(row: Notification) -> str:
    """Checked again at send time: the user may have left, or lost the region since."""
    if not row.user.is_active:
        return "pengguna tidak aktif"
    if row.pemda_code and not scope_for(row.user).allows(row.pemda_code):
        return "wilayah tidak lagi dalam cakupan pengguna"
    return ""


def _message(row: Notification, connection: Any) -> EmailMessage:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "monev.invalid"
    message = EmailMessage(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.address],
        connection=connection,
        headers={
            "Message-ID": make_msgid(idstring=f"monev-{row.pk}", domain=domain),
            "Auto-Submitted": "auto-generated",
            "Content-Language": row.language,
        },
    )
    if row.attachment:
        with row.attachment.open("rb") as handle:
            message.attach(row.attachment_name, handle.read(), row.attachment_type)
    return message


def _failed(row: Notification, code: int, error: str, counts: DeliveryCounts) -> None:
    attempts = row.attempts + 1
    if code >= 500 or attempts >= settings.MONEV_MAIL_MAX_ATTEMPTS:
        _finish(row, DeliveryState.FAILED, error=error, attempts=attempts)
        counts.failed += 1
        log.warning("notification %s failed: %s", row.pk, error)
        return
    delay = FIRST_RETRY * 2 ** (attempts - 1)
    Notification.objects.filter(pk=row.pk, claimed_by=row.claimed_by).update(
        state=DeliveryState.RETRY,
        attempts=attempts,
        error=error[:500],
        next_attempt_at=timezone.now() + delay,
    )
    counts.retry += 1


def _finish(row: Notification, state: str, **fields: Any) -> None:
    fields.setdefault("attempts", row.attempts + (state != DeliveryState.SKIPPED))
    if "error" in fields:
        fields["error"] = str(fields["error"])[:500]
    if state == DeliveryState.SENT:
        fields["sent_at"] = timezone.now()
    Notification.objects.filter(pk=row.pk).update(state=state, **fields)
    if row.attachment and state == DeliveryState.SENT:
        row.attachment.delete(save=False)  # the log keeps its name, size and type
        Notification.objects.filter(pk=row.pk).update(attachment="")


def _close(connection: Any) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        log.warning("closing the mail connection failed", exc_info=True)


def notification_requeue(*, pk: int, by: Any) -> Notification:
    """Send a failed or skipped row again: the operator decided it did not go out."""
    done = Notification.objects.filter(
        Q(state=DeliveryState.FAILED) | Q(state=DeliveryState.SKIPPED), pk=pk
    ).update(state=DeliveryState.RETRY, next_attempt_at=timezone.now(), error="")
    row = Notification.objects.get(pk=pk)
    if not done:
        raise ValueError(f"pesan {pk} berstatus {row.state}, tidak dapat diantrekan ulang")
    audit_record(actor=by, action="notification.requeue", obj=row, pemda_code=row.pemda_code)
    return row
