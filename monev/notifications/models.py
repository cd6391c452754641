"""E-mail notifications: what a user chose to receive, and the outbox that is also the
delivery log.

A `Notification` row is written in the same transaction as the event it reports (an
action item assigned, an upload rejected…), already rendered in the recipient's language.
`monev deliver` sends the rows that are due, one claim at a time, so two runs never send
the same row; failures are retried with a growing delay (docs/notifications.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """Every event monev tells people about by e-mail. The value names the templates
    `notifications/mail/<value with _ for .>_subject.txt` and `…_body.txt`."""

    ACTION_ITEM_ASSIGNED = "action_item.assigned", _("Tindak lanjut ditugaskan kepada saya")
    ACTION_ITEM_DUE = "action_item.due", _("Tindak lanjut mendekati tenggat")
    ACTION_ITEM_OVERDUE = "action_item.overdue", _("Tindak lanjut lewat tenggat")
    UPLOAD_VALIDATED = "upload.validated", _("Unggahan daftar pekerja selesai diperiksa")
    UPLOAD_REJECTED = "upload.rejected", _("Unggahan daftar pekerja ditolak")
    SUBMISSION_WAITING = "submission.waiting", _("Data Pemda menunggu verifikasi")
    SUBMISSION_RETURNED = "submission.returned", _("Data Pemda dikembalikan untuk diperbaiki")
    SUBMISSION_VERIFIED = "submission.verified", _("Data Pemda terverifikasi")
    PERIOD_LOCKED = "period.locked", _("Periode data dikunci")
    REPORT = "report.scheduled", _("Laporan berlangganan")

    @property
    def slug(self) -> str:
        return self.value.replace(".", "_")


# Kinds a user switches on or off on the preferences page. Scheduled reports are chosen
# one by one as subscriptions instead.
CHOOSABLE = [kind for kind in NotificationKind if kind != NotificationKind.REPORT]


class NotificationPreference(models.Model):
    """A user's choice for one kind; without a row the kind is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {'on' if self.email else 'off'}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    RETRY = "retry", _("Akan dicoba lagi")
    FAILED = "failed", _("Gagal")
    SKIPPED = "skipped", _("Tidak dikirim")


class Notification(models.Model):
    """One message to one person: the outbox row and, once sent, its delivery log entry.

    `key` names the event instance (for example `item:12:overdue:2024-07-01`); a second
    send of the same kind and key to the same person is ignored, so callers may repeat.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    key = models.CharField(max_length=200)
    pemda_code = models.CharField(max_length=5, blank=True, db_index=True)
    address = models.EmailField()
    language = models.CharField(max_length=5, default="id")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    attachment = models.FileField(upload_to="outbox/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_by = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="notification_once")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.address} ({self.state})"
