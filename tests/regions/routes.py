"""Scope-matrix registrations for the region browser and the region API."""

from __future__ import annotations

from monev.regions.models import Pemda
from tests.scope.registry import RouteCase, exempt, register


def _name(pemda: str) -> str:
    return str(Pemda.objects.get(code=pemda).region.name)


register(
    RouteCase(
        "regions:national",
        "/",
        level="none",
        allowed=frozenset({"national", "sumbagsel", "palembang", "auditor"}),
    ),
    RouteCase("regions:kanwil_detail", "/kanwil/{kanwil}/", level="kanwil"),
    RouteCase("regions:region_detail", "/wilayah/{pemda}/"),
    RouteCase("GET /api/v1/regions/{code}", "/api/v1/regions/{pemda}", api=True),
    RouteCase(
        "GET /api/v1/regions",
        "/api/v1/regions?level=regency&province={province}",
        api=True,
        marker=lambda pemda: f'"code": "{pemda}"',
    ),
    RouteCase(
        "GET /api/v1/pemda",
        "/api/v1/pemda",
        api=True,
        marker=lambda pemda: f'"code": "{pemda}"',
    ),
    RouteCase(
        "GET /api/v1/kanwil",
        "/api/v1/kanwil",
        api=True,
        level="kanwil",
        marker=lambda pemda: f'"code": "{Pemda.objects.get(code=pemda).kanwil.code}"',
    ),
)
exempt("set_language", "switches the interface language; no data")
