"""Workforce coverage: BPS employed population, aggregated participants, and the definitions
that turn them into a coverage percentage (domain.md §5.1). All aggregates, no personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.core.scope import ScopedQuerySet


class Measure(models.TextChoices):
    """Denominator series a file can carry (one column each)."""

    PENDUDUK_BEKERJA = "penduduk_bekerja", _("Penduduk bekerja (BPS Sakernas, 15+)")
    POTENSI = "potensi", _("Potensi peserta BPJS TK")
    BASIS_UCJ = "basis_ucj", _("Basis UCJ (Kemendagri)")


class ImportKind(models.TextChoices):
    WORKFORCE = "workforce", _("Angkatan kerja")
    PARTICIPANTS = "participants", _("Peserta aktif")


class CoverageDefinition(models.Model):
    """Numerator, denominator and exclusions of one published coverage figure."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    numerator = models.CharField(max_length=300)
    numerator_segments = models.JSONField(default=list, help_text=_("Kosong = semua segmen"))
    denominator = models.CharField(max_length=20, choices=Measure.choices)
    denominator_text = models.CharField(max_length=300)
    exclusions = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=300)
    confidence = models.CharField(max_length=1, default="M")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class WorkforceImport(models.Model):
    kind = models.CharField(max_length=12, choices=ImportKind.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"


class RegionFigureQuerySet(ScopedQuerySet, models.QuerySet["WorkforceFigure"]):
    scope_field = "pemda_code"


class WorkforceFigure(models.Model):
    """One denominator value (e.g. BPS employed population) for a region and period."""

    region_code = models.CharField(max_length=16)
    level = models.CharField(max_length=10)
    province_code = models.CharField(max_length=2, db_index=True)
    pemda_code = models.CharField(max_length=5, db_index=True)
    period = models.CharField(max_length=7, db_index=True)
    measure = models.CharField(max_length=20, choices=Measure.choices)
    value = models.BigIntegerField()
    source = models.CharField(max_length=300)
    batch = models.ForeignKey(WorkforceImport, on_delete=models.CASCADE, related_name="figures")

    objects = RegionFigureQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "period", "measure"], name="workforce_figure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.period} {self.measure}"


class ParticipantQuerySet(ScopedQuerySet, models.QuerySet["ParticipantCount"]):
    scope_field = "pemda_code"


class ParticipantCount(models.Model):
    """Active participants for a region and period; `segment` blank = all segments."""

    region_code = models.CharField(max_length=16)
    level = models.CharField(max_length=10)
    province_code = models.CharField(max_length=2, db_index=True)
    pemda_code = models.CharField(max_length=5, db_index=True)
    period = models.CharField(max_length=7, db_index=True)
    segment = models.CharField(max_length=6, blank=True)
    active = models.BigIntegerField()
    source = models.CharField(max_length=300)
    batch = models.ForeignKey(
        WorkforceImport, on_delete=models.CASCADE, related_name="participants"
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "period", "segment"], name="participant_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.period} {self.segment or 'total'}"


class ReportedFigure(models.Model):
    """A figure quoted at a meeting or in a publication, kept as reported, with its source.

    Never mixed with the coverage monev computes: its base (denominator) may be unpublished,
    so it is shown apart ("as reported") and never enters an indicator, a trend or a target
    comparison. Example: the shares the Palembang monev meeting quoted (15–16 Sept 2022).
    """

    region_code = models.CharField(max_length=16)
    region_name = models.CharField(max_length=100)
    period = models.CharField(max_length=7, help_text=_("YYYY-MM yang disebut sumber"))
    measure = models.CharField(max_length=200)
    value_percent = models.DecimalField(max_digits=6, decimal_places=2)
    base = models.CharField(max_length=300, help_text=_("Penyebut, bila sumber menyebutnya"))
    source = models.CharField(max_length=300)
    reported_on = models.DateField()
    confidence = models.CharField(max_length=1, default="L")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["reported_on", "region_code"]

    def __str__(self) -> str:
        return f"{self.region_code} {self.period} {self.value_percent}% ({self.source})"
