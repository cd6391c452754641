"""Scope-matrix cases for the dashboards, exports and indicator API."""

from __future__ import annotations

from typing import Any

from tests.scope.registry import RouteCase, exempt, register

KANWIL_VIEWERS = frozenset({"national", "sumbagsel", "auditor"})


def with_data(pemda: str) -> dict[str, Any]:
    """One period of sample facts for the Pemda, its province and Kanwil (idempotent)."""
    from monev.coverage.models import CoverageStat
    from monev.indicators.sample import sample_generate
    from monev.regions.models import Pemda

    if not CoverageStat.objects.filter(pemda_code=pemda).exists():
        kanwil = Pemda.objects.get(code=pemda).kanwil_id
        codes = list(Pemda.objects.filter(kanwil_id=kanwil).values_list("code", flat=True))
        existing = set(CoverageStat.objects.values_list("pemda_code", flat=True))
        last = "2024-06" if not existing else "2024-05"
        sample_generate(pemda_codes=[c for c in codes if c not in existing], last=last, count=1)
    return {}


register(
    RouteCase(
        "indicators:national",
        "/dasbor/",
        level="none",
        ok_status=(200, 302),
        allowed=frozenset({"national", "sumbagsel", "palembang", "auditor"}),
    ),
    RouteCase(
        "indicators:kanwil",
        "/dasbor/kanwil/{kanwil}/",
        level="kanwil",
        allowed=KANWIL_VIEWERS,
        setup=with_data,
    ),
    RouteCase(
        "indicators:provinsi",
        "/dasbor/provinsi/{province}/",
        level="kanwil",
        allowed=KANWIL_VIEWERS,
        setup=with_data,
    ),
    RouteCase("indicators:pemda", "/dasbor/pemda/{pemda}/", setup=with_data),
    RouteCase("indicators:export", "/dasbor/ekspor/pemda/csv/?kode={pemda}", setup=with_data),
    RouteCase(
        "indicators:definitions",
        "/dasbor/indikator/",
        level="none",
        allowed=frozenset({"national", "sumbagsel", "palembang", "auditor"}),
    ),
    RouteCase("GET /api/v1/indicators", "/api/v1/indicators", api=True, level="none"),
    RouteCase(
        "GET /api/v1/indicators/values",
        "/api/v1/indicators/values?level=pemda&code={pemda}",
        api=True,
        setup=with_data,
    ),
    RouteCase(
        "GET /api/v1/indicators/ranking",
        "/api/v1/indicators/ranking?level=kanwil&code={kanwil}",
        api=True,
        level="kanwil",
        allowed=KANWIL_VIEWERS,
        setup=with_data,
    ),
    RouteCase(
        "GET /api/v1/indicators/findings",
        "/api/v1/indicators/findings?level=pemda&code={pemda}",
        api=True,
        setup=with_data,
    ),
)
exempt("opendata:page", "data terbuka: agregat per provinsi/Kanwil tanpa data pribadi, publik")
exempt("opendata:coverage_csv", "data terbuka (CSV): agregat, sel kecil disembunyikan, publik")
exempt("GET /api/v1/open/coverage", "data terbuka (API): agregat, sel kecil disembunyikan, publik")
