from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from monev.core.scope import Action, ScopedQuerySet, scope_for

if TYPE_CHECKING:
    from monev.regions.models import Pemda, Region  # noqa: F401 (string annotations)


class RegionQuerySet(ScopedQuerySet, models.QuerySet["Region"]):
    scope_field = "pemda_code"

    def for_user(self, user: Any, action: Action = "view") -> RegionQuerySet:
        """Regions of the user's Pemda, plus the provinces above them for navigation.

        Region names and codes are public reference data; what scope protects is the data
        attached to them. A Kota Palembang operator still sees the province Sumatera Selatan
        so the breadcrumb works, but its list of kab/kota shows only Kota Palembang.
        """
        scope = scope_for(user, action)
        if scope.all_regions:
            return self
        return self.filter(
            models.Q(pemda_code__in=scope.pemda_codes)
            | models.Q(level="province", code__in=scope.province_codes)
        )

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
