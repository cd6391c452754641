"""Reports generated on request: who asked, when, for which region, and the file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.core.scope import Action, scope_for


class ReportKind(models.TextChoices):
    KANWIL_PACK = "kanwil-pack", _("Bahan rapat monev Kanwil")
    SCORECARD = "scorecard", _("Rapor Pemda")
    SEMESTER = "semester", _("Laporan semester kepada Presiden")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Antre")
    RUNNING = "running", _("Diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


def full_kanwils(pemda_codes: frozenset[str]) -> list[str]:
    """Kanwil whose every Pemda is in `pemda_codes` (a Kanwil pack needs all of them)."""
    from monev.regions.models import Pemda

    members: dict[str, set[str]] = {}
    for code, kanwil in Pemda.objects.filter(active=True).values_list("code", "kanwil__code"):
        if kanwil:
            members.setdefault(kanwil, set()).add(code)
    return sorted(k for k, codes in members.items() if codes <= pemda_codes)


class ReportQuerySet(models.QuerySet["Report"]):
    def for_user(self, user: Any, action: Action = "view") -> ReportQuerySet:
        scope = scope_for(user, action)
        if scope.all_regions:
            return self
        if not scope.pemda_codes:
            return self.none()
        return self.filter(
            models.Q(kind=ReportKind.SCORECARD, pemda_code__in=scope.pemda_codes)
            | models.Q(kind=ReportKind.KANWIL_PACK, kanwil_code__in=full_kanwils(scope.pemda_codes))
        )


class Report(models.Model):
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    format = models.CharField(max_length=4, choices=ReportFormat.choices)
    params = models.JSONField(default=dict)
    title = models.CharField(max_length=300, blank=True)
    pemda_code = models.CharField(max_length=5, blank=True, db_index=True)
    kanwil_code = models.CharField(max_length=16, blank=True, db_index=True)
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.QUEUED)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or f"{self.kind} #{self.pk}"

    @property
    def when(self) -> str:
        return str(self.params.get("period") or self.params.get("semester") or "")

    @property
    def filename(self) -> str:
        region = self.pemda_code or self.kanwil_code or "nasional"
        when = self.when
        return f"{self.kind}-{region}-{when}.{self.format}".replace("..", ".")

    @property
    def content_type(self) -> str:
        if self.format == ReportFormat.PDF:
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportSubscription(models.Model):
    """A user's standing order for a report, e-mailed as an attachment once per cycle.

    Kanwil packs and scorecards follow the monthly data (one per period with match
    results); semester reports follow the half-years. Each one is rendered as the
    subscriber, so it shows only their regions; a subscription whose target left the
    subscriber's scope is switched off at the next delivery.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    format = models.CharField(max_length=4, choices=ReportFormat.choices, default="pdf")
    pemda_code = models.CharField(max_length=5, blank=True)
    kanwil_code = models.CharField(max_length=16, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_cycle = models.CharField(max_length=7, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "kanwil_code", "pemda_code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "format", "pemda_code", "kanwil_code"],
                name="report_subscription_once",
            )
        ]

    def __str__(self) -> str:
        target = self.pemda_code or self.kanwil_code or "nasional"
        return f"{self.kind} {target} ({self.format})"


class ScorecardLinkQuerySet(models.QuerySet["ScorecardLink"]):
    def usable(self) -> ScorecardLinkQuerySet:
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def for_user(self, user: Any, action: Action = "view") -> ScorecardLinkQuerySet:
        scope = scope_for(user, action)
        if scope.all_regions:
            return self
        return self.filter(pemda_code__in=scope.pemda_codes)


class ScorecardLink(models.Model):
    """A shareable, expiring link to one Pemda's scorecard for one period.

    Whoever holds the link sees that scorecard (aggregated figures, findings, open
    follow-ups of that Pemda; never personal data) without logging in, until it expires or
    is revoked, and only while its creator may still see the Pemda. Only the SHA-256 of the
    secret is stored; every opening is audited.
    """

    pemda_code = models.CharField(max_length=5, db_index=True)
    period = models.CharField(max_length=7)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    opened = models.PositiveIntegerField(default=0)

    objects = ScorecardLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"rapor {self.pemda_code} {self.period}"
