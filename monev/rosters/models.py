"""NIK-level worker lists of each Pemda, versioned per (Pemda, period).

A NIK is never stored in clear: `nik_hash` (HMAC, for every match and join),
`nik_cipher` (AES-GCM, for the audited registration export only) and `nik_masked`.
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


class WorkerQuerySet(ScopedQuerySet, models.QuerySet["Worker"]):
    scope_field = "version__pemda__code"

    def current(self) -> WorkerQuerySet:
        return self.filter(version__is_current=True)


class Worker(models.Model):
    """One row of a roster version."""

    # Tuned for bulk loads of millions of rows (docs/formats/roster.md): indexes are declared
    # in Meta (the version index serves the FK; on the version alone its entries go in at the
    # end as a version is written, where (version, category) scattered them and cost 2-3 s
    # per 3 M rows; a plain nik_hash index avoids the extra LIKE index PostgreSQL gets for
    # db_index=True), and the FK has no database
    # constraint, whose per-row check at COMMIT cost ~3 µs a row. Worker rows are only ever
    # written by the roster commit, in the transaction that creates their version; deletes
    # still cascade through the ORM.
    version = models.ForeignKey(
        RosterVersion,
        on_delete=models.CASCADE,
        related_name="workers",
        db_index=False,
        db_constraint=False,
    )
    row_number = models.PositiveIntegerField()
    nik_hash = models.CharField(max_length=64)
    nik_cipher = models.CharField(max_length=80)
    nik_masked = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=16, choices=WorkerCategory.choices)
    position = models.CharField(max_length=200, blank=True)
    wage = models.BigIntegerField(null=True, blank=True)  # Rupiah per month
    funding_source = models.CharField(max_length=16, choices=FundingSource.choices, blank=True)
    desa_code = models.CharField(max_length=16, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)  # L/P, from the NIK's day (+40 = P)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["version"], name="rosters_worker_version"),
            models.Index(fields=["nik_hash"], name="rosters_worker_nik_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.nik_masked} {self.name}"


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
