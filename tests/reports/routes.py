"""Scope-matrix registrations for the report pages and API."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from monev.reports.models import Report, ReportState
from tests.scope.registry import RouteCase, exempt, register

EVERYONE = frozenset({"national", "sumbagsel", "palembang", "auditor"})


def with_report(pemda: str) -> dict[str, Any]:
    report = Report(
        kind="scorecard",
        format="pdf",
        params={"pemda": pemda, "period": "2022-09"},
        pemda_code=pemda,
        title=f"Rapor Pemda {pemda}",
        state=ReportState.DONE,
    )
    report.file.save(report.filename, ContentFile(b"%PDF-1.4 uji"), save=False)
    report.size = 12
    report.save()
    return {"report": report.pk}


register(
    RouteCase(
        "reports:report_list",
        "/laporan/",
        setup=with_report,
        marker=lambda pemda: f"Rapor Pemda {pemda}",
    ),
    RouteCase(
        "reports:report_create",
        "/laporan/buat/?kind=scorecard&pemda={pemda}&period=2022-09&format=xlsx",
        method="POST",
        allowed=EVERYONE,
        ok_status=(302,),
    ),
    RouteCase("reports:report_detail", "/laporan/{report}/", setup=with_report),
    RouteCase("reports:report_download", "/laporan/{report}/unduh/", setup=with_report),
    RouteCase(
        "GET /api/v1/reports",
        "/api/v1/reports",
        api=True,
        setup=with_report,
        marker=lambda pemda: f"Rapor Pemda {pemda}",
    ),
    RouteCase("GET /api/v1/reports/{report_id}", "/api/v1/reports/{report}", api=True,
              setup=with_report),
    RouteCase("GET /api/v1/reports/{report_id}/download", "/api/v1/reports/{report}/download",
              api=True, setup=with_report),
)  # fmt: skip
exempt(
    "POST /api/v1/reports",
    "JSON body; allowed / other region / anonymous in tests/reports/test_access.py",
)
register(
    RouteCase("reports:subscription_list", "/laporan/langganan/", level="none", allowed=EVERYONE),
    RouteCase(
        "GET /api/v1/report-subscriptions",
        "/api/v1/report-subscriptions",
        api=True,
        level="none",
        allowed=EVERYONE,
    ),
)
_OWN_SUBSCRIPTIONS = (
    "the caller's own subscriptions; own / other region / another user's in "
    "tests/reports/test_subscriptions.py"
)
exempt("reports:subscription_delete", _OWN_SUBSCRIPTIONS)
exempt("POST /api/v1/report-subscriptions", _OWN_SUBSCRIPTIONS)
exempt("DELETE /api/v1/report-subscriptions/{subscription_id}", _OWN_SUBSCRIPTIONS)
