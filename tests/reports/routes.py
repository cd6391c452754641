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

SHARERS = frozenset({"national", "sumbagsel", "palembang"})  # the auditor is read-only


def with_link(pemda: str) -> dict[str, Any]:
    import datetime as dt

    from django.utils import timezone

    from monev.accounts.models import User
    from monev.reports.models import ScorecardLink

    link = ScorecardLink.objects.create(
        pemda_code=pemda,
        period="2022-09",
        digest=f"uji-{pemda}-{ScorecardLink.objects.count()}",
        created_by=User.objects.get(username="national"),
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    return {"link": link.pk}


register(
    RouteCase("reports:scorecard", "/laporan/rapor/{pemda}/"),
    RouteCase(
        "reports:scorecard_share",
        "/laporan/rapor/{pemda}/bagikan/",
        method="POST",
        data={"period": "2022-09", "days": "3"},
        allowed=SHARERS,
    ),
    RouteCase(
        "reports:scorecard_link_revoke",
        "/laporan/tautan/{link}/cabut/",
        method="POST",
        setup=with_link,
        allowed=SHARERS,
        ok_status=(302,),
    ),
    RouteCase(
        "GET /api/v1/scorecard-links",
        "/api/v1/scorecard-links",
        api=True,
        setup=with_link,
        allowed=SHARERS,
        marker=lambda pemda: f'"pemda": "{pemda}"',
    ),
)
exempt("scorecard_shared", "public by design: the secret link itself (docs/mobile.md)")
_OWN_LINKS = (
    "JSON body / by id; own, other region and read-only in tests/reports/test_scorecard_links.py"
)
exempt("POST /api/v1/scorecard-links", _OWN_LINKS)
exempt("DELETE /api/v1/scorecard-links/{link_id}", _OWN_LINKS)
