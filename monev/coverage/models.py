"""Results of the match: one `MatchRun` per run, aggregates per (Pemda, category, period).

Per-worker results (status, programmes, since when, change) live in the run's Parquet file
under `coverage/<period>/` in the data store; the database keeps the aggregates every page reads and
the run that produced them. A run becomes current only when all of it is stored, so a crash
leaves the previous run's results in place.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.core import storage
from monev.core.scope import ScopedQuerySet


class WorkerStatus(models.TextChoices):
    PROTECTED = "PROTECTED", _("Terlindungi")
    PARTIAL = "PARTIAL", _("Sebagian")
    LAPSED = "LAPSED", _("Tidak aktif")
    NOT_FOUND = "NOT_FOUND", _("Tidak terdaftar")


class StatusChange(models.TextChoices):
    NEWLY_PROTECTED = "NEWLY_PROTECTED", _("Baru terlindungi")
    NEWLY_LAPSED = "NEWLY_LAPSED", _("Baru tidak aktif")


class RunState(models.TextChoices):
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class MatchRun(models.Model):
    """One run of the match for a period. `is_current` marks the results pages show."""

    period = models.CharField(max_length=7, db_index=True)
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.RUNNING)
    snapshot = models.ForeignKey(
        "registry.RegistrySnapshot", null=True, on_delete=models.SET_NULL, related_name="runs"
    )
    previous_period = models.CharField(max_length=7, blank=True)
    roster_versions = models.JSONField(default=dict, blank=True)  # pemda code -> version id
    results_path = models.CharField(max_length=300, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    is_current = models.BooleanField(default=False, db_index=True)
    is_stale = models.BooleanField(default=False)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(is_current=True),
                name="match_one_current_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"pencocokan {self.period} #{self.pk} {self.state}"

    @property
    def has_results(self) -> bool:
        """The per-worker results file is in the data store."""
        return bool(self.results_path) and storage.exists(self.results_path)

    @property
    def gap_key(self) -> str:
        """Unprotected workers grouped by (Pemda, category, funding source, wage): what the
        cost to close the gap prices, written by the match beside its results."""
        return self.results_path.removesuffix(".parquet") + "-kesenjangan.parquet"

    @property
    def has_gap_groups(self) -> bool:
        return bool(self.results_path) and storage.exists(self.gap_key)


class CoverageStatQuerySet(ScopedQuerySet, models.QuerySet["CoverageStat"]):
    scope_field = "pemda_code"

    def current(self) -> CoverageStatQuerySet:
        return self.filter(run__is_current=True)


class CoverageStat(models.Model):
    """Headcount and statuses of one Pemda's workers of one category in one period."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="stats")
    period = models.CharField(max_length=7, db_index=True)
    pemda_code = models.CharField(max_length=5, db_index=True)
    province_code = models.CharField(max_length=2, db_index=True)
    kanwil_code = models.CharField(max_length=16, blank=True, db_index=True)
    category = models.CharField(max_length=16)
    roster_version_id = models.BigIntegerField(null=True)
    headcount = models.PositiveIntegerField(default=0)
    protected = models.PositiveIntegerField(default=0)
    partial = models.PositiveIntegerField(default=0)
    lapsed = models.PositiveIntegerField(default=0)
    not_found = models.PositiveIntegerField(default=0)
    basic_protected = models.PositiveIntegerField(
        default=0, help_text=_("Aktif dengan sekurang-kurangnya JKK dan JKM")
    )
    newly_protected = models.PositiveIntegerField(default=0)
    newly_lapsed = models.PositiveIntegerField(default=0)
    coverage = models.FloatField(default=0)  # protected / headcount, 0..1
    coverage_prev = models.FloatField(null=True, blank=True)
    is_stale = models.BooleanField(default=False)

    objects = CoverageStatQuerySet.as_manager()

    class Meta:
        ordering = ["pemda_code", "category"]
        indexes = [models.Index(fields=["period", "pemda_code"])]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "pemda_code", "category"], name="coverage_stat_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pemda_code} {self.category} {self.period}: {self.coverage:.1%}"

    @property
    def change(self) -> float | None:
        return None if self.coverage_prev is None else self.coverage - self.coverage_prev
