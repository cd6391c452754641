"""BPJS participation registry extracts: one pseudonymised Parquet file per import.

The rows live in Parquet under `registry/<period>/` in the data store (tens of millions); the
database keeps one `RegistrySnapshot` per committed import with its period, source, counts and
checksums. The newest committed snapshot of a period is the current one the match reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.core import storage


class RegistrySnapshotQuerySet(models.QuerySet["RegistrySnapshot"]):
    def current(self) -> RegistrySnapshotQuerySet:
        return self.filter(is_current=True)

    def for_period(self, period: str) -> RegistrySnapshot | None:
        return self.current().filter(period=period).first()


class RegistrySnapshot(models.Model):
    """One committed registry extract for a period (national data: no NIK in clear)."""

    period = models.CharField(max_length=7, db_index=True)  # YYYY-MM
    source = models.CharField(max_length=64, default="BPJS Ketenagakerjaan")
    source_name = models.CharField(max_length=255)
    source_sha256 = models.CharField(max_length=64)
    parquet_path = models.CharField(max_length=300, help_text=_("Relatif terhadap DATA_DIR"))
    parquet_sha256 = models.CharField(max_length=64)
    rows_total = models.PositiveBigIntegerField(default=0)
    rows_accepted = models.PositiveBigIntegerField(default=0)
    rows_rejected = models.PositiveBigIntegerField(default=0)
    rows_active = models.PositiveBigIntegerField(default=0)
    by_segment = models.JSONField(default=dict, blank=True)
    error_counts = models.JSONField(default=dict, blank=True)
    is_current = models.BooleanField(default=True, db_index=True)
    seconds = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RegistrySnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(is_current=True),
                name="registry_one_current_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"registri {self.period} #{self.pk} ({self.rows_accepted} baris)"

    @property
    def uri(self) -> str:
        """Where Polars reads the extract (monev/core/storage.py)."""
        return storage.uri(self.parquet_path)
