"""Report pages: request a report, follow its job, download it again later."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monev.accounts.models import User
from monev.core.http import is_htmx
from monev.core.scope import get_scoped_or_404, scope_for
from monev.regions.models import Kanwil, Pemda
from monev.reports import selectors
from monev.reports.build import ReportInputError, report_params
from monev.reports.models import Report, ReportFormat, ReportKind, ReportState, ScorecardLink
from monev.reports.services import is_large, report_download_record, report_request
from monev.reports.sharing import (
    LinkGone,
    scorecard_link_create,
    scorecard_link_open,
    scorecard_link_revoke,
    scorecard_page,
    scorecard_period,
)
from monev.reports.subscriptions import (
    report_subscription_cancel,
    report_subscription_create,
    report_subscription_list,
)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = Report.objects.for_user(request.user).select_related("created_by", "job")[:200]
    context = {
        "reports": reports,
        "kinds": ReportKind.choices,
        "formats": ReportFormat.choices,
        "kanwils": Kanwil.objects.filter(
            pemdas__in=Pemda.objects.for_user(request.user)
        ).distinct(),
        "pemdas": Pemda.objects.for_user(request.user).filter(active=True).order_by("code"),
        **selectors.report_defaults(user=request.user),
    }
    return render(request, "reports/report_list.html", context)


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    raw = {**request.GET.dict(), **request.POST.dict()}  # a link may carry the parameters
    kind, fmt = raw.get("kind", ""), raw.get("format", "pdf")
    try:
        parsed = report_params(kind, fmt, raw)
    except ReportInputError as exc:
        messages.error(request, str(exc))
        return render(request, "reports/report_error.html", {"error": str(exc)}, status=400)
    try:
        report = report_request(request=parsed, by=request.user, background=is_large(kind))
    except PermissionError:
        raise PermissionDenied from None
    return redirect("reports:report_detail", pk=report.pk)


def _get(request: HttpRequest, pk: int) -> Report:
    report = get_scoped_or_404(
        Report.objects.select_related("job", "created_by"), request.user, pk=pk
    )
    assert isinstance(report, Report)
    return report


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get(request, pk)
    template = "reports/report_status.html" if is_htmx(request) else "reports/report_detail.html"
    return render(request, template, {"report": report})


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = _get(request, pk)
    if report.state != ReportState.DONE or not report.file:
        raise Http404(_("Laporan belum selesai."))
    report_download_record(report=report, by=request.user)
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.filename,
        content_type=report.content_type,
    )


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    """The caller's report subscriptions; POST adds one."""
    assert isinstance(request.user, User)
    if request.method == "POST":
        try:
            report_subscription_create(
                user=request.user,
                kind=request.POST.get("kind", ""),
                format=request.POST.get("format", "pdf"),
                kanwil=request.POST.get("kanwil", ""),
                pemda=request.POST.get("pemda", ""),
                by=request.user,
            )
        except ReportInputError as exc:
            messages.error(request, str(exc))
        except PermissionError:
            messages.error(request, _("Laporan itu di luar wilayah Anda."))
        else:
            messages.success(request, _("Langganan laporan ditambahkan."))
            return redirect("reports:subscription_list")
    context = {
        "subscriptions": report_subscription_list(user=request.user),
        "kinds": ReportKind.choices,
        "formats": ReportFormat.choices,
        "kanwils": Kanwil.objects.filter(
            pemdas__in=Pemda.objects.for_user(request.user)
        ).distinct(),
        "pemdas": Pemda.objects.for_user(request.user).filter(active=True).order_by("code"),
    }
    return render(request, "reports/subscription_list.html", context)


@login_required
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    subscription = get_object_or_404(report_subscription_list(user=request.user), pk=pk)
    report_subscription_cancel(subscription=subscription, by=request.user)
    messages.success(request, _("Langganan laporan dihentikan."))
    return redirect("reports:subscription_list")


def _scorecard_context(request: HttpRequest, code: str) -> dict[str, Any]:
    pemda = get_scoped_or_404(Pemda.objects.filter(active=True), request.user, code=code)
    assert isinstance(pemda, Pemda)
    try:
        period = scorecard_period(pemda_code=pemda.code, raw=request.GET.get("periode"))
    except ReportInputError as exc:
        raise BadRequest(str(exc)) from None
    data = scorecard_page(user=request.user, pemda_code=pemda.code, period=period) if period else {}
    links = ScorecardLink.objects.usable().for_user(request.user, "change")
    return {
        "pemda_obj": pemda,
        "period": period,
        "card": data,
        "can_share": scope_for(request.user, "change").allows(pemda.code, "change"),
        "links": links.filter(pemda_code=pemda.code).select_related("created_by"),
    }


@login_required
def scorecard(request: HttpRequest, code: str) -> HttpResponse:
    """The Pemda scorecard as a page (the same data as the PDF), with its share links."""
    return render(request, "reports/scorecard_page.html", _scorecard_context(request, code))


@login_required
@require_POST
def scorecard_share(request: HttpRequest, code: str) -> HttpResponse:
    context = _scorecard_context(request, code)
    try:
        days = int(request.POST.get("days") or 30)
        _link, secret = scorecard_link_create(
            pemda_code=context["pemda_obj"].code,
            period=request.POST.get("period") or context["period"] or "",
            days=days,
            by=request.user,
        )
    except ValueError as exc:  # ReportInputError too
        messages.error(request, str(exc) if isinstance(exc, ReportInputError) else _("Isi angka."))
        return render(request, "reports/scorecard_page.html", context, status=400)
    except PermissionError:
        raise PermissionDenied from None
    context["new_url"] = request.build_absolute_uri(reverse("scorecard_shared", args=[secret]))
    context["links"] = context["links"].all()
    return render(request, "reports/scorecard_page.html", context)


@login_required
@require_POST
def scorecard_link_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ScorecardLink.objects.for_user(request.user, "change"), pk=pk)
    scorecard_link_revoke(link=link, by=request.user)
    messages.success(request, _("Tautan dicabut."))
    return redirect("reports:scorecard", code=link.pemda_code)


def scorecard_shared(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the scorecard behind a shared link, or a page saying it no longer works."""
    try:
        link, data = scorecard_link_open(secret=token)
    except LinkGone:
        return render(request, "reports/scorecard_gone.html", status=410)
    return render(request, "reports/scorecard_shared.html", {"card": data, "link": link})
