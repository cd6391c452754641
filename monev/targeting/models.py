"""The social-economic registry (P3KE, now DTSEN) and the targeting results drawn from it.

The by-name list lives pseudonymised in Parquet under `DATA_DIR/dtsen/<as_of>/` (tens of
millions of rows nationally); the database keeps one `SocialRegister` per committed import
(as-of month, source, counts per Pemda, checksums). A targeting run crosses the list with the
period's registry extract and the rosters; its per-person results are Parquet under
`DATA_DIR/targeting/<period>/` and its per-Pemda aggregates are `TargetStat` rows, which every
page reads. No NIK in clear anywhere: `nik_hash` (HMAC), `nik_cipher` (AES-GCM, read only by
the audited exports) and `nik_masked`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.core import storage
from monev.core.scope import ScopedQuerySet


class RegisterSource(models.TextChoices):
    DTSEN = "DTSEN", _("DTSEN (Data Tunggal Sosial dan Ekonomi Nasional)")
    P3KE = "P3KE", _("P3KE (data lama, sebelum DTSEN)")


class SocialRegisterQuerySet(models.QuerySet["SocialRegister"]):
    def current(self) -> SocialRegisterQuerySet:
        return self.filter(is_current=True)


class SocialRegister(models.Model):
    """One committed import of the by-name list for an as-of month (national data)."""

    as_of = models.CharField(max_length=7, db_index=True)  # YYYY-MM
    source = models.CharField(
        max_length=8, choices=RegisterSource.choices, default=RegisterSource.DTSEN
    )
    source_name = models.CharField(max_length=255)
    source_sha256 = models.CharField(max_length=64)
    parquet_path = models.CharField(max_length=300, help_text=_("Relatif terhadap DATA_DIR"))
    parquet_sha256 = models.CharField(max_length=64)
    rows_total = models.PositiveBigIntegerField(default=0)
    rows_accepted = models.PositiveBigIntegerField(default=0)
    rows_rejected = models.PositiveBigIntegerField(default=0)
    by_pemda = models.JSONField(default=dict, blank=True)  # pemda code -> people
    by_desil = models.JSONField(default=dict, blank=True)  # "1".."10" -> people
    error_counts = models.JSONField(default=dict, blank=True)
    is_current = models.BooleanField(default=True, db_index=True)
    seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SocialRegisterQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["as_of"],
                condition=models.Q(is_current=True),
                name="social_register_one_current_per_as_of",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.as_of} #{self.pk} ({self.rows_accepted} baris)"

    @property
    def uri(self) -> str:
        """Where Polars reads the list (monev/core/storage.py)."""
        return storage.uri(self.parquet_path)


class RunState(models.TextChoices):
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class TargetRun(models.Model):
    """One targeting run for a period with one rule. `is_current` marks what pages show."""

    period = models.CharField(max_length=7, db_index=True)
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.RUNNING)
    register = models.ForeignKey(
        SocialRegister, null=True, on_delete=models.SET_NULL, related_name="runs"
    )
    snapshot = models.ForeignKey(
        "registry.RegistrySnapshot", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule = models.JSONField(default=dict)  # max_desil, min_age, max_age
    roster_versions = models.JSONField(default=dict, blank=True)
    results_path = models.CharField(max_length=300, blank=True)
    package_monthly = models.PositiveIntegerField(default=0)  # BPU package, Rp/person/month
    package_rows = models.JSONField(default=list, blank=True)  # rate rows used (legal basis)
    counts = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    is_current = models.BooleanField(default=False, db_index=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(is_current=True),
                name="target_one_current_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"sasaran {self.period} #{self.pk} {self.state}"

    @property
    def has_results(self) -> bool:
        return bool(self.results_path) and storage.exists(self.results_path)


class TargetStatQuerySet(ScopedQuerySet, models.QuerySet["TargetStat"]):
    scope_field = "pemda_code"

    def current(self) -> TargetStatQuerySet:
        return self.filter(run__is_current=True)


class TargetStat(models.Model):
    """One Pemda's poor working-age residents in a period: how many are unprotected, where,
    in which decile and occupation, whether a roster already names them, and the cost."""

    run = models.ForeignKey(TargetRun, on_delete=models.CASCADE, related_name="stats")
    period = models.CharField(max_length=7, db_index=True)
    pemda_code = models.CharField(max_length=5, db_index=True)
    # "regency": a kab/kota (people live there); "province": the Pemprov's roll-up of its
    # kab/kota. Sums over the nation use the regency rows only.
    level = models.CharField(max_length=10, default="regency", db_index=True)
    province_code = models.CharField(max_length=2, db_index=True)
    kanwil_code = models.CharField(max_length=16, blank=True, db_index=True)
    residents = models.PositiveIntegerField(default=0)  # everyone on the list in the Pemda
    eligible = models.PositiveIntegerField(default=0)  # poor, working age, working
    protected = models.PositiveIntegerField(default=0)
    targets = models.PositiveIntegerField(default=0)  # eligible and not protected
    lapsed = models.PositiveIntegerField(default=0)
    partial = models.PositiveIntegerField(default=0)
    not_found = models.PositiveIntegerField(default=0)
    backlog = models.PositiveIntegerField(default=0)  # on the Pemda's RENTAN roster
    other_roster = models.PositiveIntegerField(default=0)  # on another roster only
    no_roster = models.PositiveIntegerField(default=0)
    monthly_cost = models.PositiveBigIntegerField(default=0)
    yearly_cost = models.PositiveBigIntegerField(default=0)
    by_desil = models.JSONField(default=dict, blank=True)
    by_desa = models.JSONField(default=dict, blank=True)
    by_occupation = models.JSONField(default=dict, blank=True)

    objects = TargetStatQuerySet.as_manager()

    class Meta:
        ordering = ["pemda_code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "pemda_code"], name="target_stat_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pemda_code} {self.period}: {self.targets} sasaran"

    @property
    def reach(self) -> float | None:
        """Share of the eligible poor workers already protected, 0..1."""
        return self.protected / self.eligible if self.eligible else None
