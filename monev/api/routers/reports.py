"""Reports: request one (now or as a background job), follow it, download it again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from monev.accounts.models import User
from monev.api.errors import ApiError, ErrorOut
from monev.core.scope import get_scoped_or_404
from monev.regions.codes import parse_region_code
from monev.reports.build import ReportInputError, report_params
from monev.reports.models import Report, ReportState, ReportSubscription, ScorecardLink
from monev.reports.services import is_large, report_download_record, report_request
from monev.reports.sharing import scorecard_link_create, scorecard_link_revoke
from monev.reports.subscriptions import (
    report_subscription_cancel,
    report_subscription_create,
    report_subscription_list,
)

router = Router(tags=["laporan"])
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ReportIn(Schema):
    kind: str
    format: str = "pdf"
    kanwil: str | None = None
    pemda: str | None = None
    period: str | None = None
    semester: str | None = None
    background: bool | None = None


class ReportOut(Schema):
    id: int
    kind: str
    format: str
    params: dict[str, str]
    state: str
    title: str
    size: int
    sha256: str
    created_by: str
    created_at: dt.datetime
    job_id: int | None
    progress: int | None
    download: str | None


def _out(r: Report) -> ReportOut:
    return ReportOut(
        id=r.pk,
        kind=r.kind,
        format=r.format,
        params=r.params,
        state=r.state,
        title=r.title,
        size=r.size,
        sha256=r.sha256,
        created_by=r.created_by.get_username() if r.created_by else "system",
        created_at=r.created_at,
        job_id=r.job_id,
        progress=r.job.percent if r.job else None,
        download=f"/api/v1/reports/{r.pk}/download" if r.state == ReportState.DONE else None,
    )


@router.post("/reports", response={201: ReportOut, 202: ReportOut, **ERRORS})
def report_create(request: HttpRequest, body: ReportIn) -> Any:
    """201 with the file ready, or 202 with a job to poll (`background`, default for Kanwil
    packs and semester reports)."""
    try:
        parsed = report_params(body.kind, body.format, body.dict())
    except ReportInputError as exc:
        raise ApiError(400, "invalid_input", str(exc)) from None
    background = is_large(body.kind) if body.background is None else body.background
    try:
        report = report_request(request=parsed, by=request.user, background=background)
    except PermissionError:
        raise ApiError(403, "forbidden", _("Laporan di luar wilayah Anda.")) from None
    report.refresh_from_db()
    return Status(202 if background else 201, _out(report))


@router.get("/reports", response={200: list[ReportOut]})
def report_list(request: HttpRequest) -> list[ReportOut]:
    reports = Report.objects.for_user(request.user).select_related("job", "created_by")
    return [_out(r) for r in reports[:200]]


def _get(request: HttpRequest, report_id: int) -> Report:
    report = get_scoped_or_404(
        Report.objects.select_related("job", "created_by"), request.user, pk=report_id
    )
    assert isinstance(report, Report)
    return report


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS})
def report_detail(request: HttpRequest, report_id: int) -> ReportOut:
    return _out(_get(request, report_id))


@router.get("/reports/{report_id}/download", response={200: None, **ERRORS})
def report_download(request: HttpRequest, report_id: int) -> FileResponse:
    report = _get(request, report_id)
    if report.state != ReportState.DONE:
        raise ApiError(404, "not_ready", _("Laporan belum selesai."))
    report_download_record(report=report, by=request.user)
    return FileResponse(
        report.file.open("rb"), filename=report.filename, content_type=report.content_type
    )


class SubscriptionIn(Schema):
    kind: str
    format: str = "pdf"
    kanwil: str = ""
    pemda: str = ""


class SubscriptionOut(Schema):
    id: int
    kind: str
    format: str
    kanwil: str
    pemda: str
    active: bool
    last_cycle: str
    last_sent_at: dt.datetime | None


def _subscription_out(s: ReportSubscription) -> SubscriptionOut:
    return SubscriptionOut(
        id=s.pk,
        kind=s.kind,
        format=s.format,
        kanwil=s.kanwil_code,
        pemda=s.pemda_code,
        active=s.active,
        last_cycle=s.last_cycle,
        last_sent_at=s.last_sent_at,
    )


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get("/report-subscriptions", response={200: list[SubscriptionOut]})
def subscription_list(request: HttpRequest) -> list[SubscriptionOut]:
    """The caller's report subscriptions (e-mailed once per data period or semester)."""
    return [_subscription_out(s) for s in report_subscription_list(user=_me(request))]


@router.post("/report-subscriptions", response={201: SubscriptionOut, **ERRORS})
def subscription_create(request: HttpRequest, body: SubscriptionIn) -> Any:
    """Subscribe to a report you may request yourself; it is rendered in your scope."""
    try:
        subscription = report_subscription_create(
            user=_me(request),
            kind=body.kind,
            format=body.format,
            kanwil=body.kanwil,
            pemda=body.pemda,
            by=request.user,
        )
    except ReportInputError as exc:
        raise ApiError(400, "invalid_input", str(exc)) from None
    except PermissionError:
        raise ApiError(403, "forbidden", _("Laporan di luar wilayah Anda.")) from None
    return Status(201, _subscription_out(subscription))


@router.delete("/report-subscriptions/{subscription_id}", response={204: None, **ERRORS})
def subscription_delete(request: HttpRequest, subscription_id: int) -> Any:
    found = report_subscription_list(user=_me(request)).filter(pk=subscription_id).first()
    if found is None:
        raise ApiError(404, "not_found", _("Langganan tidak ditemukan."))
    report_subscription_cancel(subscription=found, by=request.user)
    return Status(204, None)


class ScorecardLinkIn(Schema):
    pemda: str
    period: str = ""
    days: int = 30


class ScorecardLinkOut(Schema):
    id: int
    pemda: str
    period: str
    expires_at: dt.datetime
    revoked: bool
    opened: int
    url: str | None = None  # the secret link, in the answer that created it only


def _link_out(link: ScorecardLink, url: str | None = None) -> ScorecardLinkOut:
    return ScorecardLinkOut(
        id=link.pk,
        pemda=link.pemda_code,
        period=link.period,
        expires_at=link.expires_at,
        revoked=link.revoked_at is not None,
        opened=link.opened,
        url=url,
    )


@router.post("/scorecard-links", response={201: ScorecardLinkOut, **ERRORS})
def scorecard_link_create_api(request: HttpRequest, body: ScorecardLinkIn) -> Any:
    """A secret link to a Pemda's scorecard that opens without login until it expires
    (1–90 days) or is revoked; the URL is in this answer only."""
    try:
        pemda = parse_region_code(body.pemda)
        link, secret = scorecard_link_create(
            pemda_code=pemda, period=body.period, days=body.days, by=request.user
        )
    except ValueError as exc:  # a bad code, period or duration
        raise ApiError(400, "invalid_input", str(exc)) from None
    except PermissionError:
        raise ApiError(403, "forbidden", _("Rapor di luar wilayah Anda.")) from None
    url = request.build_absolute_uri(reverse("scorecard_shared", args=[secret]))
    return Status(201, _link_out(link, url))


@router.get("/scorecard-links", response={200: list[ScorecardLinkOut]})
def scorecard_link_list(request: HttpRequest) -> list[ScorecardLinkOut]:
    """Links to scorecards of the caller's regions that still work."""
    links = ScorecardLink.objects.usable().for_user(request.user, "change")
    return [_link_out(link) for link in links[:200]]


@router.delete("/scorecard-links/{link_id}", response={204: None, **ERRORS})
def scorecard_link_delete(request: HttpRequest, link_id: int) -> Any:
    link = ScorecardLink.objects.for_user(request.user, "change").filter(pk=link_id).first()
    if link is None:
        raise ApiError(404, "not_found", _("Tautan tidak ditemukan."))
    scorecard_link_revoke(link=link, by=request.user)
    return Status(204, None)
