"""Coverage pages: national and Kanwil roll-ups, the Pemda page, gap list, exports, the job."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monev.accounts.models import Role
from monev.core.models import Job
from monev.core.scope import get_scoped_or_404, scope_for
from monev.coverage import exports, selectors, services
from monev.coverage.models import WorkerStatus
from monev.regions.codes import parse_period
from monev.regions.models import Kanwil, Pemda
from monev.rosters.models import WorkerCategory

GAP_HEADER = ("NIK (tersamar)", "Nama", "Kategori", "Status", "Program aktif", "Sejak", "Perubahan")


class BadInput(ValueError):
    pass


def _period(request: HttpRequest) -> str | None:
    raw = request.GET.get("period") or None
    if raw is None:
        return selectors.default_period(user=request.user, period=None)
    try:
        return parse_period(raw)
    except ValueError as exc:
        raise BadInput(str(exc)) from None


def _bad(exc: Exception) -> HttpResponse:
    return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")


def can_run_match(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", "") == Role.NATIONAL)


@login_required
def national(request: HttpRequest) -> HttpResponse:
    try:
        period = _period(request)
    except BadInput as exc:
        return _bad(exc)
    sees_all = scope_for(request.user).all_regions
    level = "kanwil" if sees_all else "pemda"
    rows = (
        selectors.coverage_rollup(user=request.user, period=period, level=level) if period else []
    )
    jobs = Job.objects.for_user(request.user).filter(kind=services.JOB_KIND)[:5]
    return render(
        request,
        "coverage/national.html",
        {
            "period": period,
            "periods": selectors.periods(user=request.user),
            "rows": rows,
            "level": level,
            "jobs": jobs,
            "can_run": can_run_match(request.user),
            "run": selectors.current_run(period) if period else None,
        },
    )


@login_required
def kanwil_detail(request: HttpRequest, code: str) -> HttpResponse:
    kanwil = Kanwil.objects.filter(code=code).first()
    if kanwil is None:
        raise Http404("kanwil")
    try:
        period = _period(request)
    except BadInput as exc:
        return _bad(exc)
    args: dict[str, Any] = {"user": request.user, "period": period, "kanwil": code}
    pemda_rows = selectors.coverage_rollup(level="pemda", **args) if period else []
    if not pemda_rows and not scope_for(request.user).all_regions:
        visible = Pemda.objects.for_user(request.user).filter(kanwil=kanwil)
        if not visible.exists():
            raise Http404("kanwil")
    province_rows = selectors.coverage_rollup(level="province", **args) if period else []
    return render(
        request,
        "coverage/kanwil_detail.html",
        {
            "kanwil": kanwil,
            "period": period,
            "periods": selectors.periods(user=request.user),
            "provinces": province_rows,
            "pemda_rows": pemda_rows,
        },
    )


def _pemda_or_404(request: HttpRequest, code: str) -> Any:
    pemda = selectors.pemda_for(user=request.user, code=code)
    if pemda is None:
        raise Http404("pemda")
    return pemda


@login_required
def pemda_detail(request: HttpRequest, code: str) -> HttpResponse:
    pemda = _pemda_or_404(request, code)
    try:
        period = _period(request)
    except BadInput as exc:
        return _bad(exc)
    stats = selectors.coverage_by_category(user=request.user, pemda_code=code, period=period or "")
    run = selectors.current_run(period) if period else None
    return render(
        request,
        "coverage/pemda_detail.html",
        {
            "pemda": pemda,
            "period": period,
            "periods": selectors.periods(user=request.user),
            "stats": stats,
            "totals": _totals(stats),
            "trend": selectors.coverage_trend(user=request.user, pemda_code=code),
            "stale": run is not None and code in selectors.stale_pemdas(run),
            "sources": selectors.category_sources(run=run, pemda_code=code) if run else {},
            "can_export": selectors.can_export_registration(request.user, code),
        },
    )


def _totals(stats: list[Any]) -> dict[str, Any]:
    totals = {c: sum(getattr(s, c) for s in stats) for c in selectors.COUNTS}
    totals["coverage"] = totals["protected"] / totals["headcount"] if totals["headcount"] else 0
    return totals


def _gap_filters(request: HttpRequest) -> selectors.GapFilters:
    status = request.GET.get("status") or None
    category = request.GET.get("category") or None
    if status and status not in selectors.GAP_STATUSES:
        raise BadInput(_("Status tidak dikenal: %(s)s") % {"s": status[:20]})
    if category and category not in WorkerCategory.values:
        raise BadInput(_("Kategori tidak dikenal: %(c)s") % {"c": category[:20]})
    return selectors.GapFilters(status=status, category=category, q=request.GET.get("q") or None)


@login_required
def gap_list(request: HttpRequest, code: str) -> HttpResponse:
    pemda = _pemda_or_404(request, code)
    try:
        period, filters = _period(request), _gap_filters(request)
        fmt = _format(request, ("html", "csv", "xlsx"), "html")
    except BadInput as exc:
        return _bad(exc)
    rows = selectors.gap_list(
        user=request.user, pemda_code=code, period=period or "", filters=filters
    )
    if fmt != "html":
        table = [[r[k] for k in _GAP_KEYS] for r in rows]
        return _download(fmt, GAP_HEADER, table, f"celah-{code}-{period}", "Celah")
    return render(
        request,
        "coverage/gap_list.html",
        {
            "pemda": pemda,
            "period": period,
            "rows": rows[:500],
            "n_rows": len(rows),
            "filters": filters,
            "statuses": [(s, WorkerStatus(s).label) for s in selectors.GAP_STATUSES],
            "categories": WorkerCategory.choices,
            "query": request.GET.urlencode(),
        },
    )


_GAP_KEYS = ("nik_masked", "name", "category", "status_label", "programs", "since", "change")


def _format(request: HttpRequest, allowed: tuple[str, ...], default: str) -> str:
    fmt = request.GET.get("format") or default
    if fmt not in allowed:
        raise BadInput(_("Format tidak dikenal: %(f)s") % {"f": fmt[:10]})
    return fmt


def _download(fmt: str, header: Any, rows: Any, stem: str, sheet: str) -> HttpResponse:
    if fmt == "csv":
        body, ctype = exports.to_csv(header, rows), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(header, rows, sheet=sheet)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def registration_export(request: HttpRequest, code: str) -> HttpResponse:
    _pemda_or_404(request, code)
    if not selectors.can_export_registration(request.user, code):
        return HttpResponse(_("Anda tidak berwenang."), status=403)
    try:
        period = _period(request)
        fmt = _format(request, ("csv", "xlsx"), "csv")
    except BadInput as exc:
        return _bad(exc)
    if period is None:
        return _bad(ValueError(_("Belum ada hasil pencocokan.")))
    rows = services.registration_export(pemda_code=code, period=period, by=request.user)
    return _download(
        fmt, selectors.REGISTRATION_COLUMNS, rows, f"registrasi-{code}-{period}", "Registrasi"
    )


@login_required
@require_POST
def match_start(request: HttpRequest) -> HttpResponse:
    if not can_run_match(request.user):
        return HttpResponse(_("Anda tidak berwenang."), status=403)
    try:
        period = parse_period(request.POST.get("period", ""))
    except ValueError as exc:
        return _bad(exc)
    job = services.match_enqueue(period=period, by=request.user)
    if getattr(request, "htmx", False):
        return render(request, "coverage/job_status.html", {"job": job})
    return redirect("coverage:national")


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_scoped_or_404(Job.objects.filter(kind=services.JOB_KIND), request.user, pk=pk)
    return render(request, "coverage/job_status.html", {"job": job})
