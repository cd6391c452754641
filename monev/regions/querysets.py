from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from monev.core.scope import ScopedQuerySet

if TYPE_CHECKING:
    pass


class RegionQuerySet(ScopedQuerySet, models.QuerySet["Region"]):
    scope_field = "pemda_code"

    def current(self) -> RegionQuerySet:
        return self.filter(valid_to__isnull=True)

    def provinces(self) -> RegionQuerySet:
        return self.filter(level="province")

    def regencies(self) -> RegionQuerySet:
        return self.filter(level="regency")

    def districts(self) -> RegionQuerySet:
        return self.filter(level="district")

    def in_kanwil(self, kanwil_code: str) -> RegionQuerySet:
        return self.filter(province_code__in=models.Subquery(_kanwil_province_codes(kanwil_code)))


class PemdaQuerySet(ScopedQuerySet, models.QuerySet["Pemda"]):
    scope_field = "code"

    def in_kanwil(self, kanwil_code: str) -> PemdaQuerySet:
        return self.filter(kanwil__code=kanwil_code)


def _kanwil_province_codes(kanwil_code: str) -> Any:
    from monev.regions.models import KanwilProvince

    return KanwilProvince.objects.filter(kanwil__code=kanwil_code).values("province__code")
