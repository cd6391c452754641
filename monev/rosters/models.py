"""NIK-level worker lists of each Pemda, versioned per (Pemda, period).

A version's worker rows live in an immutable Parquet file named by `rows_file`
(`monev.rosters.store`): no NIK in clear, only the join key of its HMAC and the masked form,
with the NIKs sealed beside it for the audited registration export.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.core.scope import ScopedQuerySet


class WorkerCategory(models.TextChoices):
    NON_ASN = "NON_ASN", _("Non-ASN")
    PERANGKAT_DESA = "PERANGKAT_DESA", _("Perangkat desa")
    RT_RW = "RT_RW", _("Ketua RT/RW")
    RENTAN = "RENTAN", _("Pekerja rentan")


# Wage earners are registered as PU (wage required); the others as BPU.
WAGE_EARNER_CATEGORIES = frozenset({WorkerCategory.NON_ASN, WorkerCategory.PERANGKAT_DESA})


class FundingSource(models.TextChoices):
    APBD_PROV = "APBD_PROV", _("APBD provinsi")
    APBD_KABKOTA = "APBD_KABKOTA", _("APBD kabupaten/kota")
    APBDES = "APBDES", _("APBDes/ADD")
    DANA_DESA = "DANA_DESA", _("Dana Desa")
    DBHCHT = "DBHCHT", _("DBHCHT")
    DBH_SAWIT = "DBH_SAWIT", _("DBH Sawit")
    CSR = "CSR", _("CSR")
    MANDIRI = "MANDIRI", _("Mandiri")


class RosterVersionQuerySet(ScopedQuerySet, models.QuerySet["RosterVersion"]):
    scope_field = "pemda__code"

    def current(self) -> RosterVersionQuerySet:
        return self.filter(is_current=True)


class RosterVersion(models.Model):
    """One committed upload: the list of a Pemda's workers for a period."""

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.PROTECT, related_name="rosters")
    period = models.CharField(max_length=7, db_index=True)  # YYYY-MM
    number = models.PositiveIntegerField(help_text=_("Nomor versi untuk Pemda dan periode ini"))
    categories = models.JSONField(default=list)
    # Categories this upload ended explicitly: from its period on, they have no list (until
    # a newer version lists them again). Every category not in `categories` or here carries
    # forward from its latest list (docs/formats/roster.md, "Versions per category").
    ended_categories = models.JSONField(default=list, blank=True)
    is_current = models.BooleanField(default=True, db_index=True)
    source_name = models.CharField(max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The version this one replaced (same Pemda and period, overlapping categories), and the
    # change against it: {"joined": n, "left": n, "wage_changed": n}.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diff = models.JSONField(default=dict, blank=True)
    # The stem of the version's row files under rosters/ in the data store (store.rows_write).
    rows_file = models.CharField(max_length=255, blank=True)

    objects = RosterVersionQuerySet.as_manager()

    class Meta:
        ordering = ["pemda__code", "-period", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "period", "number"], name="roster_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pemda.code} {self.period} v{self.number}"


class UploadMode(models.TextChoices):
    STRICT = "strict", _("Ketat: satu baris salah, tidak ada yang disimpan")
    ACCEPT_VALID = "accept_valid", _("Terima baris yang sah")


class UploadState(models.TextChoices):
    VALIDATING = "validating", _("Sedang diperiksa")
    VALID = "valid", _("Sah, menunggu konfirmasi")
    INVALID = "invalid", _("Ada kesalahan")
    COMMITTED = "committed", _("Disimpan")
    REJECTED = "rejected", _("Ditolak")
    FAILED = "failed", _("Gagal diproses")


class RosterUploadQuerySet(ScopedQuerySet, models.QuerySet["RosterUpload"]):
    scope_field = "pemda__code"


class RosterUpload(models.Model):
    """One uploaded file on its way to becoming a version: validated, then committed or not.

    The original file is kept encrypted on disk (for the error workbook) under
    MONEV_HOME/private/rosters/<id>/; no NIK of it ever reaches a database row.
    """

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.PROTECT, related_name="uploads")
    period = models.CharField(max_length=7)
    mode = models.CharField(max_length=12, choices=UploadMode.choices, default=UploadMode.STRICT)
    end_categories = models.JSONField(default=list, blank=True)  # ended on commit
    state = models.CharField(
        max_length=12, choices=UploadState.choices, default=UploadState.VALIDATING
    )
    source_name = models.CharField(max_length=255)
    source_sha256 = models.CharField(max_length=64)
    source_size = models.PositiveBigIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_invalid = models.PositiveIntegerField(default=0)
    rows_flagged = models.PositiveIntegerField(default=0)
    error_counts = models.JSONField(default=dict, blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL)
    version = models.ForeignKey(
        RosterVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RosterUploadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pemda.code} {self.period} {self.source_name}"

    @property
    def can_commit(self) -> bool:
        if self.state == UploadState.VALID:
            return True
        return (
            self.state == UploadState.INVALID
            and self.mode == UploadMode.ACCEPT_VALID
            and self.rows_valid > 0
        )
