"""Targeting pages: the dashboard layer over every Pemda in scope, one Pemda's page with its
masked list, and the exports (masked list; roster file and registration list with clear NIK,
audited, Pemda and BPJS roles only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monev.core.spreadsheet import safe_writer
from monev.regions.codes import parse_period
from monev.regions.models import Pemda
from monev.targeting import selectors, services
from monev.targeting.models import TargetStat

CSV = "text/csv; charset=utf-8"


class BadInput(Exception):
    pass


def _period(request: HttpRequest) -> str | None:
    raw = request.GET.get("periode")
    if not raw:
        return selectors.latest_period()
    try:
        return parse_period(raw)
    except ValueError as exc:
        raise BadInput(str(exc)) from None


def _filters(request: HttpRequest) -> selectors.PeopleFilter:
    roster = request.GET.get("daftar") or None
    status = request.GET.get("status") or None
    desil = request.GET.get("desil") or None
    if roster and roster not in selectors.ROSTER_FILTERS:
        raise BadInput(_("Filter daftar tidak dikenal."))
    if status and status not in selectors.STATUS_FILTERS:
        raise BadInput(_("Filter status tidak dikenal."))
    if desil and not (desil.isascii() and desil.isdigit() and 1 <= int(desil) <= 10):
        raise BadInput(_("Desil harus 1 sampai 10."))
    return selectors.PeopleFilter(
        roster_status=roster,
        status=status,
        desil=int(desil) if desil else None,
        desa=request.GET.get("desa") or None,
    )


def _bad(exc: BadInput) -> HttpResponse:
    return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The dashboard layer "pekerja miskin ekstrem belum terlindungi"."""
    try:
        period = _period(request)
    except BadInput as exc:
        return _bad(exc)
    stats = (
        selectors.target_stat_list(user=request.user, period=period, breakdowns=False)
        if period
        else []
    )
    codes = [s.pemda_code for s in stats]
    names = dict(Pemda.objects.filter(code__in=codes).values_list("code", "name"))
    context = {
        "period": period,
        "rows": [(s, names.get(s.pemda_code, "")) for s in stats],
        "provinces": selectors.targeting_layer(user=request.user, period=period, level="province")
        if period
        else [],
        "totals": _totals(stats),
        "run": stats[0].run if stats else None,
        "stale": bool(stats) and selectors.run_is_stale(stats[0].run),
        "can_run": selectors.can_run(request.user),
    }
    return render(request, "targeting/overview.html", context)


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    """Queue the national targeting run for a period (national coordinators only)."""
    if not selectors.can_run(request.user):
        raise PermissionDenied
    try:
        period = parse_period(request.POST.get("periode", ""))
    except ValueError as exc:
        return _bad(BadInput(str(exc)))
    job = services.target_enqueue(period=period, by=request.user)
    messages.info(
        request,
        _("Penyasaran periode %(p)s diantrekan (tugas #%(j)s).") % {"p": period, "j": job.pk},
    )
    return redirect(f"/sasaran/?periode={period}")


def _totals(stats: list[TargetStat]) -> dict[str, int]:
    """Sums over kab/kota rows only (a Pemprov row repeats its kab/kota)."""
    keys = ("eligible", "protected", "targets", "backlog", "no_roster", "yearly_cost")
    regencies = [s for s in stats if s.level == "regency"]
    return {k: sum(getattr(s, k) for s in regencies) for k in keys}


def _stat(request: HttpRequest, code: str) -> tuple[TargetStat, str]:
    period = _period(request)
    if period is None:
        from django.http import Http404

        raise Http404("no run")
    return selectors.target_stat_get(user=request.user, pemda_code=code, period=period), period


@login_required
def pemda_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        stat, period = _stat(request, code)
        filters = _filters(request)
        offset = _offset(request)
    except BadInput as exc:
        return _bad(exc)
    people, total = selectors.target_people_read(
        user=request.user, stat=stat, via="page", filters=filters, offset=offset
    )
    context: dict[str, Any] = {
        "stat": stat,
        "pemda": Pemda.objects.filter(code=code).first(),
        "period": period,
        "people": selectors.people_rows(people),
        "total": total,
        "offset": offset,
        "next_offset": offset + selectors.PAGE if offset + selectors.PAGE < total else None,
        "filters": filters,
        "desil": sorted(stat.by_desil.items(), key=lambda kv: int(kv[0])),
        "desa": sorted(stat.by_desa.items(), key=lambda kv: (-kv[1], kv[0]))[:50],
        "jobs": sorted(stat.by_occupation.items(), key=lambda kv: (-kv[1], kv[0])),
        "can_export_nik": selectors.can_export_nik(request.user, code),
        "stale": selectors.run_is_stale(stat.run),
        "query": request.GET.urlencode(),
    }
    return render(request, "targeting/pemda_detail.html", context)


def _offset(request: HttpRequest) -> int:
    raw = request.GET.get("dari", "0")
    if not (raw.isascii() and raw.isdigit()):
        raise BadInput(_("Parameter 'dari' harus bilangan bulat."))
    return int(raw)


def _csv_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_list(request: HttpRequest, code: str) -> HttpResponse:
    """The masked list as CSV (what the page shows, every page)."""
    import csv
    import io

    try:
        stat, period = _stat(request, code)
        filters = _filters(request)
    except BadInput as exc:
        return _bad(exc)
    people, _total = selectors.target_people_read(
        user=request.user, stat=stat, via="csv", filters=filters, limit=None
    )
    rows = selectors.people_rows(people)
    out = io.StringIO()
    columns = [c for c in selectors.engine.RESULT_COLUMNS if c != "nik_hash"]
    writer = safe_writer(csv.DictWriter(out, fieldnames=columns, lineterminator="\n"))
    writer.writeheader()
    writer.writerows(rows)
    return _csv_response(out.getvalue(), f"sasaran-{code}-{period}.csv")


def _nik_export(request: HttpRequest, code: str) -> tuple[TargetStat, str, Any]:
    stat, period = _stat(request, code)
    if not selectors.can_export_nik(request.user, code):
        raise PermissionDenied
    people, _total = selectors.target_people(stat=stat, filters=_filters(request), limit=None)
    return stat, period, people


@login_required
def export_roster(request: HttpRequest, code: str) -> HttpResponse:
    """The targets as a RENTAN roster file (NIK in clear, audited)."""
    try:
        stat, period, people = _nik_export(request, code)
    except BadInput as exc:
        return _bad(exc)
    body = services.target_roster_export(
        run=stat.run, pemda_code=code, targets=people, by=request.user
    )
    return _csv_response(body, f"daftar-rentan-{code}-{period}.csv")


@login_required
def export_registration(request: HttpRequest, code: str) -> HttpResponse:
    """The registration list for BPJS Ketenagakerjaan (NIK in clear, audited)."""
    try:
        stat, period, people = _nik_export(request, code)
    except BadInput as exc:
        return _bad(exc)
    body = services.target_registration_export(
        run=stat.run, pemda_code=code, targets=people, by=request.user
    )
    return _csv_response(body, f"registrasi-{code}-{period}.csv")
