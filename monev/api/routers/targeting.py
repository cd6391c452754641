"""Extreme-poverty targeting: poor working-age residents not protected, per Pemda, scoped.

Lists carry masked NIKs only; the registration list (clear NIK) is for Pemda operators and
BPJS Kanwil officers of the Pemda, and every download is audited.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from monev.api.errors import ApiError, ErrorOut
from monev.regions.codes import parse_period, parse_region_code
from monev.targeting import selectors, services
from monev.targeting.findings import targeting_findings
from monev.targeting.models import TargetStat

router = Router(tags=["sasaran kemiskinan ekstrem"])
MAX_LIMIT = 1000


def _period(period: str | None) -> str:
    if period:
        try:
            return parse_period(period)
        except ValueError as exc:
            raise ApiError(400, "invalid_period", str(exc)) from None
    latest = selectors.latest_period()
    if latest is None:
        raise ApiError(404, "no_run", _("Belum ada hasil penyasaran."))
    return latest


def _stat(request: HttpRequest, pemda: str, period: str | None) -> TargetStat:
    try:
        code = parse_region_code(pemda)
    except ValueError as exc:
        raise ApiError(400, "invalid_pemda", str(exc)) from None
    try:
        return selectors.target_stat_get(user=request.user, pemda_code=code, period=_period(period))
    except Http404:
        raise ApiError(404, "not_found", _("Tidak ada hasil penyasaran untuk Pemda ini.")) from None


@router.get("/targeting", response={200: list[dict[str, Any]], 400: ErrorOut, 404: ErrorOut})
def stat_list(
    request: HttpRequest, period: str | None = None, kanwil: str | None = None
) -> list[dict[str, Any]]:
    """Per Pemda in scope: targets, eligible, protected, roster status, yearly cost."""
    stats = selectors.target_stat_list(
        user=request.user, period=_period(period), kanwil=kanwil.upper() if kanwil else None
    )
    return [selectors.stat_dict(s) for s in stats]


@router.get("/targeting/layer", response={200: list[dict[str, Any]], 400: ErrorOut, 404: ErrorOut})
def layer(
    request: HttpRequest,
    period: str | None = None,
    level: Literal["pemda", "province", "kanwil"] = "pemda",
) -> list[dict[str, Any]]:
    """The dashboard layer "pekerja miskin ekstrem belum terlindungi", summed per level."""
    return selectors.targeting_layer(user=request.user, period=_period(period), level=level)


@router.get("/targeting/{pemda}", response={200: dict[str, Any], 400: ErrorOut, 404: ErrorOut})
def stat_detail(request: HttpRequest, pemda: str, period: str | None = None) -> dict[str, Any]:
    return selectors.stat_dict(_stat(request, pemda, period))


@router.get(
    "/targeting/{pemda}/people", response={200: dict[str, Any], 400: ErrorOut, 404: ErrorOut}
)
def people(
    request: HttpRequest,
    pemda: str,
    period: str | None = None,
    roster_status: Literal["RENTAN_BACKLOG", "OTHER_ROSTER", "NO_ROSTER"] | None = None,
    status: Literal["PARTIAL", "LAPSED", "NOT_FOUND"] | None = None,
    desil: int | None = None,
    offset: int = 0,
    limit: int = 100,
) -> dict[str, Any]:
    """The Pemda's targets with masked NIK, a page at a time."""
    if offset < 0 or not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "invalid_page", _("offset ≥ 0 dan limit 1–1000."))
    if desil is not None and not 1 <= desil <= 10:
        raise ApiError(400, "invalid_desil", _("Desil harus 1 sampai 10."))
    stat = _stat(request, pemda, period)
    filters = selectors.PeopleFilter(roster_status=roster_status, status=status, desil=desil)
    frame, total = selectors.target_people_read(
        user=request.user, stat=stat, via="api", filters=filters, offset=offset, limit=limit
    )
    return {"total": total, "offset": offset, "people": selectors.people_rows(frame)}


@router.get(
    "/targeting/{pemda}/findings",
    response={200: list[dict[str, Any]], 400: ErrorOut, 404: ErrorOut},
)
def findings(request: HttpRequest, pemda: str, period: str | None = None) -> list[dict[str, Any]]:
    stat = _stat(request, pemda, period)
    return [f.as_dict() for f in targeting_findings(pemda=stat.pemda_code, period=stat.period)]


@router.get(
    "/targeting/{pemda}/registration",
    response={200: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def registration(request: HttpRequest, pemda: str, period: str | None = None) -> HttpResponse:
    """CSV with the NIK in clear for registration (Pemda and BPJS roles only; audited)."""
    stat = _stat(request, pemda, period)
    if not selectors.can_export_nik(request.user, stat.pemda_code):
        raise ApiError(
            403,
            "forbidden",
            _("Hanya operator Pemda dan petugas BPJS yang dapat mengunduh NIK lengkap."),
        )
    frame, _total = selectors.target_people(stat=stat, limit=None)
    body = services.target_registration_export(
        run=stat.run, pemda_code=stat.pemda_code, targets=frame, by=request.user
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="registrasi-{stat.pemda_code}-{stat.period}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response
