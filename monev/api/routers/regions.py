"""Region reference data, scoped to the caller's regions."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from monev.api.errors import ApiError, ErrorOut
from monev.core.scope import get_scoped_or_404
from monev.regions import selectors
from monev.regions.codes import parse_region_code
from monev.regions.models import Region

router = Router(tags=["wilayah"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent: str | None
    valid_to: str | None = None


class RegionDetailOut(RegionOut):
    children: list[RegionOut]


class KanwilOut(Schema):
    code: str
    name: str
    n_provinces: int
    n_pemda: int


class PemdaOut(Schema):
    code: str
    name: str
    level: str
    kanwil: str | None


def _region_out(region: Region) -> RegionOut:
    return RegionOut(
        code=region.code,
        name=region.name,
        level=region.level,
        kind=region.kind,
        parent=region.parent.code if region.parent else None,
        valid_to=region.valid_to.isoformat() if region.valid_to else None,
    )


def _checked_code(raw: str | None, what: str) -> str | None:
    if raw is None or raw == "":
        return None
    try:
        return parse_region_code(raw)
    except ValueError as exc:
        raise ApiError(400, "invalid_code", str(exc)) from None


@router.get("/regions", response={200: list[RegionOut], 400: ErrorOut, 404: ErrorOut})
def region_list(
    request: HttpRequest,
    level: Literal["province", "regency", "district"] = "province",
    kanwil: str | None = None,
    province: str | None = None,
    parent: str | None = None,
    include_retired: bool = False,
) -> list[RegionOut]:
    filters = selectors.RegionFilters(
        level=level,
        kanwil=kanwil.upper() if kanwil else None,
        province=_checked_code(province, "province"),
        parent=_checked_code(parent, "parent"),
        include_retired=include_retired,
    )
    try:
        return [_region_out(r) for r in selectors.region_list(user=request.user, filters=filters)]
    except selectors.UnknownKanwil:
        raise ApiError(
            404, "unknown_kanwil", _("Kanwil %(code)s tidak dikenal.") % {"code": kanwil}
        ) from None


@router.get("/regions/{code}", response={200: RegionDetailOut, 400: ErrorOut, 404: ErrorOut})
def region_detail(request: HttpRequest, code: str) -> RegionDetailOut:
    checked = _checked_code(code, "code") or ""
    region = get_scoped_or_404(
        Region.objects.current().select_related("parent"), request.user, code=checked
    )
    assert isinstance(region, Region)
    children = (
        Region.objects.for_user(request.user)
        .current()
        .filter(parent=region)
        .select_related("parent")
    )
    return RegionDetailOut(
        **_region_out(region).dict(), children=[_region_out(c) for c in children]
    )


@router.get("/kanwil", response={200: list[KanwilOut]})
def kanwil_list(request: HttpRequest) -> list[KanwilOut]:
    return [
        KanwilOut(
            code=row["code"],
            name=row["name"],
            n_provinces=row["n_provinces"],
            n_pemda=row["n_pemda"],
        )
        for row in selectors.kanwil_list(user=request.user)
    ]


@router.get("/pemda", response={200: list[PemdaOut], 404: ErrorOut, 400: ErrorOut})
def pemda_list(
    request: HttpRequest, kanwil: str | None = None, province: str | None = None
) -> list[PemdaOut]:
    try:
        rows = selectors.pemda_list(
            user=request.user,
            kanwil=kanwil.upper() if kanwil else None,
            province=_checked_code(province, "province"),
        )
    except selectors.UnknownKanwil:
        raise ApiError(
            404, "unknown_kanwil", _("Kanwil %(code)s tidak dikenal.") % {"code": kanwil}
        ) from None
    return [
        PemdaOut(
            code=p.code, name=p.name, level=p.level, kanwil=p.kanwil.code if p.kanwil else None
        )
        for p in rows
    ]
