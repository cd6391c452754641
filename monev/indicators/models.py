"""Indicator definitions, targets with provenance, the score scheme and map boundaries.

Indicators are data: a row names what is counted (numerator), over what (denominator),
the unit, which direction is better and the thresholds for red / amber / green. `kind`
picks one of a small set of computations over the facts other apps store (coverage
results, budgets, regulations, rosters, workforce figures); `params` tunes it (category,
deadline). Values are never stored: they are computed from the facts on read and cached
under a version of those facts (see engine.py), so an import or a match shows within
seconds, with no rebuild.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    ROSTER_COVERAGE = "roster_coverage", _("Cakupan daftar pekerja Pemda")
    WORKFORCE_COVERAGE = "workforce_coverage", _("Cakupan angkatan kerja")
    BUDGET_ADEQUACY = "budget_adequacy", _("Kecukupan anggaran")
    REGULATION = "regulation", _("Regulasi pelaksanaan")
    TIMELINESS = "timeliness", _("Ketepatan waktu pelaporan")


class Unit(models.TextChoices):
    PERCENT = "percent", "%"
    COUNT = "count", _("orang")
    RUPIAH = "rupiah", "Rp"


class Direction(models.TextChoices):
    UP = "up", _("Makin tinggi makin baik")
    DOWN = "down", _("Makin rendah makin baik")


class Indicator(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name_id = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    short_id = models.CharField(max_length=40, help_text=_("Label pendek untuk tabel dan peta"))
    kind = models.CharField(max_length=24, choices=IndicatorKind.choices)
    params = models.JSONField(default=dict, blank=True)
    numerator = models.CharField(max_length=300)
    denominator = models.CharField(max_length=300)
    definition_id = models.TextField()
    definition_en = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    green_at = models.DecimalField(max_digits=7, decimal_places=2, default=70)
    amber_at = models.DecimalField(max_digits=7, decimal_places=2, default=40)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)
    headline = models.BooleanField(default=False, help_text=_("Tampil sebagai angka utama"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id

    @property
    def definition(self) -> str:
        english = (get_language() or "id").startswith("en") and self.definition_en
        return self.definition_en if english else self.definition_id


class TargetKind(models.TextChoices):
    RPJMN = "RPJMN", _("RPJMN / RKP (nasional)")
    UCJ = "UCJ", _("UCJ Kemendagri")
    KANWIL = "KANWIL", _("Target Kanwil BPJS TK")
    INPRES = "INPRES", _("Amanat Inpres 2/2021")
    OTHER = "OTHER", _("Lainnya")


class Target(models.Model):
    """A target for an indicator in a region and year, with the document it comes from.

    `region_code` blank = national; a Kanwil code (SUMBAGSEL) = that Kanwil; otherwise a
    Kemendagri code. `year` null = every year (e.g. the Inpres asks for all non-ASN).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    # The definition of the value the target is set for: a workforce coverage definition
    # (`bps`, `potensi`, `ucj`) or `roster`. Compared only with values of that definition.
    definition = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("bps, potensi, ucj (angkatan kerja) atau roster (daftar pekerja)"),
    )
    region_code = models.CharField(max_length=16, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The first year the target is in force (the plan's start: RPJMN 2020–2024 → 2020).
    applies_from = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.DecimalField(max_digits=7, decimal_places=2)
    kind = models.CharField(max_length=8, choices=TargetKind.choices)
    document = models.CharField(max_length=300)
    document_date = models.DateField(null=True, blank=True)
    confidence = models.CharField(max_length=1, default="M")
    note = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "region_code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region_code", "year", "kind"], name="target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.region_code or 'nasional'} {self.year}: {self.value}"


class ScoreScheme(models.Model):
    """Weights of the composite score (per indicator code) and its red/amber/green cut-offs."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    weights = models.JSONField(help_text=_("{kode indikator: bobot}"))
    green_at = models.DecimalField(max_digits=5, decimal_places=2, default=70)
    amber_at = models.DecimalField(max_digits=5, decimal_places=2, default=45)
    basis = models.TextField(help_text=_("Dasar pembobotan"))
    is_default = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class FindingRule(models.Model):
    """Switch and tune one findings rule (the sentence templates live in findings.py)."""

    code = models.SlugField(max_length=40, unique=True)
    active = models.BooleanField(default=True)
    params = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.code


class BoundarySet(models.Model):
    """Boundaries an administrator loaded (`monev regions load-boundaries`), as SVG paths.

    The GeoJSON is projected once at load time; `paths` maps a Kemendagri code to an SVG
    path in a 1000-unit-wide frame, so a choropleth costs no GIS work per request.
    """

    level = models.CharField(max_length=10)  # province | regency
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=300)
    licence = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(default=1000)
    height = models.PositiveIntegerField(default=400)
    paths = models.JSONField(default=dict)
    unmatched = models.JSONField(default=list, blank=True)
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.level})"
