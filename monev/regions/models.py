"""Reference data: the Kemendagri region tree, Pemda, BPJS Kanwil and Kantor Cabang.

Codes are Kemendagri codes with dots (`16`, `16.71`, `16.71.01`). Every region row carries
the code-list version it came from and the dates it was valid, so retired codes (the 2022
Papua split) stay readable for old NIKs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.regions.querysets import PemdaQuerySet, RegionQuerySet


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Provinsi")
    REGENCY = "regency", _("Kabupaten/Kota")
    DISTRICT = "district", _("Kecamatan")


class RegencyKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class CodeListVersion(models.Model):
    """One load of the region code list (a Kepmendagri list or an administrator's file)."""

    name = models.CharField(max_length=200)
    source = models.CharField(max_length=300)
    checksum = models.CharField(max_length=100, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    code = models.CharField(max_length=16, db_index=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=RegionLevel.choices)
    kind = models.CharField(max_length=10, choices=RegencyKind.choices, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Denormalised for scoping: the province code and the Pemda (province or kab/kota) the
    # region belongs to. A district belongs to its kab/kota Pemda.
    province_code = models.CharField(max_length=2, db_index=True)
    pemda_code = models.CharField(max_length=5, db_index=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True, help_text=_("Kosong = masih berlaku"))
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    version = models.ForeignKey(CodeListVersion, on_delete=models.PROTECT, null=True)
    note = models.CharField(max_length=300, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_to"], name="region_code_per_validity"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(valid_to__isnull=True),
                name="region_one_current_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Kanwil(models.Model):
    """A BPJS Ketenagakerjaan regional office (Kantor Wilayah)."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    provinces = models.ManyToManyField(
        Region, through="KanwilProvince", related_name="kanwil_links", blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "Kanwil"
        verbose_name_plural = "Kanwil"

    def __str__(self) -> str:
        return self.name


class KanwilProvince(models.Model):
    kanwil = models.ForeignKey(Kanwil, on_delete=models.CASCADE)
    province = models.ForeignKey(
        Region, on_delete=models.PROTECT, limit_choices_to={"level": RegionLevel.PROVINCE}
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    confidence = models.CharField(max_length=1, default="M")
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kanwil", "province"], name="kanwil_province_once")
        ]

    def __str__(self) -> str:
        return f"{self.kanwil_id} → {self.province_id}"


class KantorCabang(models.Model):
    """A BPJS branch office; maps to kab/kota, which need not follow province lines."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    kanwil = models.ForeignKey(Kanwil, on_delete=models.PROTECT, related_name="branches")
    regencies = models.ManyToManyField(Region, related_name="branches", blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Pemda(models.Model):
    """A local government: one per province (Pemprov) and per kab/kota (Pemkab/Pemkot)."""

    code = models.CharField(max_length=5, unique=True)
    name = models.CharField(max_length=200)
    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="pemda")
    level = models.CharField(max_length=10, choices=RegionLevel.choices)
    province_code = models.CharField(max_length=2, db_index=True)
    kanwil = models.ForeignKey(
        Kanwil, null=True, blank=True, on_delete=models.SET_NULL, related_name="pemdas"
    )
    active = models.BooleanField(default=True)

    objects = PemdaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "Pemda"
        verbose_name_plural = "Pemda"

    def __str__(self) -> str:
        return self.name


class CodeCrosswalk(models.Model):
    """Maps an outside system's code (BPS) to the Kemendagri region."""

    system = models.CharField(max_length=16)
    external_code = models.CharField(max_length=16)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="crosswalk")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "external_code"], name="crosswalk_unique")
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.external_code}"
