"""Every read of the region tree a page, API route or command needs, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from monev.core.scope import scope_for
from monev.regions.models import Kanwil, Pemda, Region, RegionLevel


class UnknownKanwil(LookupError):
    pass


@dataclass(frozen=True)
class RegionFilters:
    level: str = RegionLevel.PROVINCE
    kanwil: str | None = None
    province: str | None = None
    parent: str | None = None
    include_retired: bool = False


def district_prefixes() -> frozenset[str]:
    """The 6-digit `PPRRSS` of every kecamatan code, current and retired: the first six
    digits of a NIK must be one of them (`core.nik` takes them as `prefixes`)."""
    codes = Region.objects.districts().values_list("code", flat=True)
    return frozenset(code.replace(".", "") for code in codes if len(code) == 8)


def region_list(*, user: Any, filters: RegionFilters) -> QuerySet[Region]:
    """Regions of one level the user may see, optionally within a Kanwil, province or parent."""
    qs = Region.objects.for_user(user).filter(level=filters.level)
    if not filters.include_retired:
        qs = qs.current()
    if filters.kanwil:
        if not Kanwil.objects.filter(code=filters.kanwil).exists():
            raise UnknownKanwil(filters.kanwil)
        qs = qs.in_kanwil(filters.kanwil)
    if filters.province:
        qs = qs.filter(province_code=filters.province)
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent, parent__valid_to__isnull=True)
    return qs.select_related("parent").annotate(
        n_children=Count("children", filter=Q(children__valid_to__isnull=True))
    )


def kanwil_list(*, user: Any) -> list[dict[str, Any]]:
    """Kanwil with the number of provinces and Pemda the user can see in each."""
    pemda = Pemda.objects.for_user(user).filter(active=True)
    counts = dict(pemda.values_list("kanwil__code").annotate(n=Count("id")).order_by())
    provinces = dict(
        pemda.filter(level=RegionLevel.PROVINCE)
        .values_list("kanwil__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = []
    for kanwil in Kanwil.objects.order_by("code"):
        if kanwil.code in counts:
            rows.append(
                {
                    "kanwil": kanwil,
                    "code": kanwil.code,
                    "name": kanwil.name,
                    "n_provinces": provinces.get(kanwil.code, 0),
                    "n_pemda": counts[kanwil.code],
                }
            )
    return rows


def kanwil_get(*, user: Any, code: str) -> Kanwil:
    """A Kanwil the user can see at least one Pemda of; UnknownKanwil otherwise."""
    kanwil = Kanwil.objects.filter(code=code.upper()).first()
    if kanwil is None or not Pemda.objects.for_user(user).filter(kanwil=kanwil).exists():
        raise UnknownKanwil(code)
    return kanwil


def pemda_list(
    *, user: Any, kanwil: str | None = None, province: str | None = None
) -> QuerySet[Pemda]:
    qs = Pemda.objects.for_user(user).filter(active=True).select_related("kanwil", "region")
    if kanwil:
        if not Kanwil.objects.filter(code=kanwil).exists():
            raise UnknownKanwil(kanwil)
        qs = qs.in_kanwil(kanwil)
    if province:
        qs = qs.filter(province_code=province)
    return qs


def user_can_see_everything(user: Any) -> bool:
    return scope_for(user).all_regions
