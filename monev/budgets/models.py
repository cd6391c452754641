"""Contribution rates (as dated data), Pemda budgets and the regulations that carry out the Inpres.

Money is integer Rupiah (`BigIntegerField`); percentages are exact decimals (`DecimalField`),
never floats. See docs/rates.md and docs/formats/budget.md.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.core.scope import ScopedQuerySet


class Programme(models.TextChoices):
    JKK = "JKK", _("Jaminan Kecelakaan Kerja")
    JKM = "JKM", _("Jaminan Kematian")
    JHT = "JHT", _("Jaminan Hari Tua")
    JP = "JP", _("Jaminan Pensiun")
    JKP = "JKP", _("Jaminan Kehilangan Pekerjaan")


class Segment(models.TextChoices):
    PU = "PU", _("Penerima Upah")
    BPU = "BPU", _("Bukan Penerima Upah")
    JAKON = "JAKON", _("Jasa Konstruksi")
    PMI = "PMI", _("Pekerja Migran Indonesia")


class RiskClass(models.TextChoices):
    VERY_LOW = "very_low", _("Sangat rendah")
    LOW = "low", _("Rendah")
    MEDIUM = "medium", _("Sedang")
    HIGH = "high", _("Tinggi")
    VERY_HIGH = "very_high", _("Sangat tinggi")


class RateKind(models.TextChoices):
    RATE = "rate", _("Persentase upah")
    FLAT = "flat", _("Nominal tetap")
    WAGE_CAP = "wage_cap", _("Batas atas upah")
    WAGE_FLOOR = "wage_floor", _("Dasar upah minimum")
    DISCOUNT = "discount", _("Diskon iuran")
    DEFERRAL = "deferral", _("Penundaan iuran")
    RECOMPOSITION = "recomposition", _("Rekomposisi iuran")


class Confidence(models.TextChoices):
    HIGH = "H", _("Tinggi")
    MEDIUM = "M", _("Sedang")
    LOW = "L", _("Rendah")


class ContributionRateQuerySet(models.QuerySet["ContributionRate"]):
    def effective_on(self, day: dt.date) -> ContributionRateQuerySet:
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class ContributionRate(models.Model):
    """One dated rule of the contribution table; `key` is the stable name a file updates."""

    key = models.SlugField(max_length=80, unique=True)
    programme = models.CharField(max_length=4, choices=Programme.choices)
    segment = models.CharField(max_length=6, choices=Segment.choices)
    kind = models.CharField(max_length=14, choices=RateKind.choices)
    risk_class = models.CharField(max_length=10, choices=RiskClass.choices, blank=True)
    sector = models.CharField(max_length=40, blank=True, help_text=_("Kosong = semua sektor"))
    employer_percent = models.DecimalField(max_digits=7, decimal_places=4, default=0)
    worker_percent = models.DecimalField(max_digits=7, decimal_places=4, default=0)
    government_percent = models.DecimalField(max_digits=7, decimal_places=4, default=0)
    employer_amount = models.BigIntegerField(default=0)
    worker_amount = models.BigIntegerField(default=0)
    amount = models.BigIntegerField(default=0, help_text=_("Batas/dasar upah (Rp)"))
    percent = models.DecimalField(
        max_digits=7, decimal_places=4, default=0, help_text=_("Diskon/penundaan (%)")
    )
    optional = models.BooleanField(default=False, help_text=_("Hanya dihitung bila diminta"))
    from_programme = models.CharField(
        max_length=4,
        choices=Programme.choices,
        blank=True,
        help_text=_("Rekomposisi: program yang iurannya dialihkan"),
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text=_("Kosong = masih berlaku"))
    legal_basis = models.CharField(max_length=300)
    confidence = models.CharField(max_length=1, choices=Confidence.choices)
    source = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContributionRateQuerySet.as_manager()

    class Meta:
        ordering = ["segment", "programme", "kind", "valid_from", "key"]

    def __str__(self) -> str:
        return self.key


class BudgetSource(models.TextChoices):
    APBD_MURNI = "APBD_MURNI", _("APBD murni")
    APBD_PERUBAHAN = "APBD_PERUBAHAN", _("APBD perubahan")
    APBDES_ADD = "APBDES_ADD", _("APBDes/ADD")
    DANA_DESA = "DANA_DESA", _("Dana Desa")
    DBHCHT = "DBHCHT", _("DBHCHT")
    DBH_SAWIT = "DBH_SAWIT", _("DBH Sawit")


class BudgetLineQuerySet(ScopedQuerySet, models.QuerySet["BudgetLine"]):
    scope_field = "pemda__code"


class BudgetLine(models.Model):
    """A Pemda's allocation for one worker category from one source in one fiscal year."""

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.PROTECT, related_name="budgets")
    fiscal_year = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=16)  # rosters.WorkerCategory value
    source = models.CharField(max_length=16, choices=BudgetSource.choices)
    amount = models.BigIntegerField(help_text=_("Pagu (Rp)"))
    planned_headcount = models.PositiveIntegerField(default=0)
    realised_amount = models.BigIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["pemda__code", "-fiscal_year", "category", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["pemda", "fiscal_year", "category", "source"], name="budget_line_unique"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.pemda_id} {self.fiscal_year} {self.category} {self.source}"


class RegulationKind(models.TextChoices):
    PERDA = "PERDA", _("Peraturan Daerah")
    PERKADA = "PERKADA", _("Peraturan Kepala Daerah (Pergub/Perbup/Perwali)")
    SE = "SE", _("Surat Edaran")
    INSTRUKSI = "INSTRUKSI", _("Instruksi Kepala Daerah")
    KEPUTUSAN = "KEPUTUSAN", _("Keputusan Kepala Daerah")
    LAINNYA = "LAINNYA", _("Lainnya")


class RegulationQuerySet(ScopedQuerySet, models.QuerySet["Regulation"]):
    scope_field = "pemda__code"


class Regulation(models.Model):
    """A Perda, Perkada, SE or instruction by which a Pemda carries out Inpres 2/2021."""

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.PROTECT, related_name="regulations")
    kind = models.CharField(max_length=10, choices=RegulationKind.choices)
    number = models.CharField(max_length=100)
    issued_on = models.DateField()
    title = models.CharField(max_length=500)
    covers = models.JSONField(default=list, help_text=_("Kelompok pekerja yang dicakup"))
    document = models.FileField(upload_to="regulations/%Y/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    document_size = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RegulationQuerySet.as_manager()

    class Meta:
        ordering = ["pemda__code", "-issued_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
