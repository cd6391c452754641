"""Workforce coverage: active participants against a published denominator."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from monev.api.errors import ApiError, ErrorOut
from monev.regions.codes import parse_period
from monev.regions.models import Kanwil
from monev.workforce import selectors

router = Router(tags=["angkatan kerja"])


@router.get("/workforce/definitions", response={200: list[dict[str, Any]]})
def definitions(request: HttpRequest) -> list[dict[str, Any]]:
    return [selectors.definition_dict(d) for d in selectors.definition_list()]


@router.get("/workforce/coverage", response={200: dict[str, Any], 400: ErrorOut, 404: ErrorOut})
def coverage(
    request: HttpRequest,
    period: str,
    level: Literal["province", "regency"] = "province",
    kanwil: str | None = None,
    definition: str = "bps",
) -> dict[str, Any]:
    """Coverage per region with its definition and the sources of both figures."""
    try:
        period = parse_period(period)
    except ValueError as exc:
        raise ApiError(400, "invalid_period", str(exc)) from None
    code = kanwil.upper() if kanwil else None
    if code and not Kanwil.objects.filter(code=code).exists():
        raise ApiError(404, "unknown_kanwil", _("Kanwil %(code)s tidak dikenal.") % {"code": code})
    try:
        spec, rows = selectors.workforce_coverage(
            user=request.user, period=period, level=level, kanwil=code, definition=definition
        )
    except selectors.UnknownDefinition as exc:
        raise ApiError(404, "unknown_definition", str(exc)) from None
    return {"definition": selectors.definition_dict(spec), "rows": [r.as_dict() for r in rows]}
