"""Dashboards (national → Kanwil → province → Pemda), exports, definitions and open data."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from monev.core.formatting import period_label
from monev.indicators import engine, selectors
from monev.indicators.pages import Params, dashboard
from monev.indicators.selectors import BadInput


def _bad(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "indicators/bad_request.html", {"message": message}, status=400)


def _page(request: HttpRequest, level: str, code: str) -> HttpResponse:
    with selectors.pinned_version() as version:
        place = selectors.place_get(user=request.user, level=level, code=code)
        partial = request.headers.get("HX-Target") == "peta"
        key = (
            "page",
            version,
            timezone.localdate().isoformat(),  # the overdue banner is computed against today
            level,
            place.code,
            selectors.scope_key(request.user),
            tuple(sorted(request.GET.items())),
            get_language(),
            partial,
        )
        try:
            body = engine.cached(key, lambda: _render_body(request, place, partial))
        except BadInput as exc:
            return _bad(request, str(exc))
        if partial:
            return HttpResponse(body)
        return _whole_page(request, key, {"place": place, "body": body})


CSRF_SLOT = "monev-csrf-slot-4f1d2a"


def _whole_page(
    request: HttpRequest, key: tuple[object, ...], context: dict[str, object]
) -> HttpResponse:
    """The page with its top bar, rendered once per user, page and facts version.

    The top bar carries the user's name and role and the CSRF token; the token is the only
    part that must differ per request, so the cached page holds a slot that each request
    fills with its own (masked) token. A page with a pending message is rendered afresh,
    so the message shows once, as Django means it to.
    """
    if len(get_messages(request)):
        return render(request, "indicators/dashboard.html", context)
    user = request.user
    page_key = (
        "whole",
        *key,
        user.pk,
        user.get_username(),
        getattr(user, "get_full_name", str)(),
        getattr(user, "role", ""),
        user.is_superuser,
        request.get_full_path(),
    )
    html = engine.cached_page(
        page_key,
        lambda: render_to_string(
            "indicators/dashboard.html", {**context, "csrf_token": CSRF_SLOT}, request
        ),
    )
    return HttpResponse(html.replace(CSRF_SLOT, get_token(request)))


def _render_body(request: HttpRequest, place: selectors.Place, partial: bool) -> str:
    """The page below the top bar: the same for everyone with the same scope, so cached
    (the top bar with the user's name and CSRF token is rendered per request)."""
    page = dashboard(user=request.user, place=place, params=Params.from_get(request.GET))
    context = {
        "page": page,
        "place": place,
        "request": request,
        "crumbs": selectors.crumb_links(user=request.user, place=place, period=page.period),
    }
    name = "indicators/_map.html" if partial else "indicators/_dashboard_body.html"
    return mark_safe(render_to_string(name, context, request=None))  # noqa: S308


@login_required
def national(request: HttpRequest) -> HttpResponse:
    with selectors.pinned_version():
        home = selectors.home_place(user=request.user)
        if home is None:
            raise Http404("no scope")
        if home[0] != "nasional":
            url = selectors.dashboard_url(*home)
            return redirect(url + (f"?{request.GET.urlencode()}" if request.GET else ""))
        return _page(request, "nasional", "")


@login_required
def kanwil(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, "kanwil", code.upper())


@login_required
def provinsi(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, "provinsi", code)


@login_required
def pemda(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, "pemda", code)


@login_required
def export(request: HttpRequest, level: str, fmt: str) -> HttpResponse:
    """The ranking table exactly as shown (same filter and order) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx") or level not in selectors.LEVELS:
        return _bad(request, _("Format ekspor harus csv atau xlsx."))
    with selectors.pinned_version():
        return _export(request, level, fmt)


def _export(request: HttpRequest, level: str, fmt: str) -> HttpResponse:
    place = selectors.place_get(user=request.user, level=level, code=request.GET.get("kode", ""))
    try:
        params = Params.from_get(request.GET)
        period = selectors.period_choose(params.period)
    except BadInput as exc:
        return _bad(request, str(exc))
    if period is None:
        return _bad(request, _("Belum ada periode dengan data."))
    data = selectors.ranking_table(
        user=request.user,
        place=place,
        t=selectors.table(period),
        query=params.query,
        sort=params.sort,
        desc=params.desc,
    )
    name = f"peringkat-{level}-{place.code or 'nasional'}-{period}".replace(".", "")
    if fmt == "csv":
        response = HttpResponse(selectors.table_csv(data), content_type="text/csv; charset=utf-8")
    else:
        subtitle = f"Periode {period_label(period)}" + (
            f" · filter: {params.query}" if params.query else ""
        )
        response = HttpResponse(
            selectors.table_xlsx(data, subtitle),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def definitions(request: HttpRequest) -> HttpResponse:
    specs, scheme, targets = selectors.definitions()
    return render(
        request,
        "indicators/definitions.html",
        {"specs": specs, "scheme": scheme, "targets": targets},
    )


def _min_cell() -> int:
    return int(getattr(settings, "MONEV_OPEN_DATA_MIN_CELL", 10))


def open_data(request: HttpRequest) -> HttpResponse:
    """Public page: aggregated coverage by province and Kanwil; no login, no personal data."""
    level = request.GET.get("tingkat", "provinsi")
    try:
        period = selectors.period_choose(request.GET.get("periode"))
        rows = (
            selectors.open_coverage(period=period, level=level, min_cell=_min_cell())
            if period
            else []
        )
    except BadInput as exc:
        return _bad(request, str(exc))
    return render(
        request,
        "indicators/open_data.html",
        {
            "rows": [r for r in rows if r["kelompok"] == "TOTAL"],
            "period": period,
            "level": level,
            "periods": selectors.periods(),
            "min_cell": _min_cell(),
        },
    )


def open_data_csv(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("tingkat", "provinsi")
    try:
        period = selectors.period_choose(request.GET.get("periode"))
        rows = (
            selectors.open_coverage(period=period, level=level, min_cell=_min_cell())
            if period
            else []
        )
    except BadInput as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(selectors.open_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cakupan-{level}-{period or "kosong"}.csv"'
    )
    return response
