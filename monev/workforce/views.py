"""Workforce coverage page and the upload of BPS / participant files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from monev.budgets.services import InputRejected
from monev.core.scope import scope_for
from monev.regions.codes import parse_period
from monev.regions.models import Kanwil
from monev.workforce import selectors
from monev.workforce.models import ImportKind
from monev.workforce.services import participants_import, workforce_import


class WorkforceUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis file"), choices=ImportKind.choices)
    file = forms.FileField(label=gettext_lazy("File CSV/XLSX"))


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("definisi", "bps")
    period_raw = request.GET.get("periode", "") or selectors.latest_period(definition=code) or ""
    level = request.GET.get("tingkat", "province")
    kanwil = (request.GET.get("kanwil") or "").upper() or None
    context: dict[str, Any] = {
        "period": period_raw, "level": level, "kanwil": kanwil, "definition_code": code,
        "definitions": selectors.definition_list(), "kanwils": Kanwil.objects.all(),
        "upload": WorkforceUploadForm(), "can_change": scope_for(request.user, "change").can_change,
        "reported": selectors.reported_figures(user=request.user, kanwil=kanwil),
    }  # fmt: skip
    status = 200
    if period_raw:
        try:
            if level not in selectors.LEVELS:
                raise ValueError(_("tingkat %(v)r tidak dikenal") % {"v": level})
            if kanwil and not Kanwil.objects.filter(code=kanwil).exists():
                raise ValueError(_("Kanwil %(v)r tidak dikenal") % {"v": kanwil})
            spec, rows = selectors.workforce_coverage(
                user=request.user, period=parse_period(period_raw), level=level, kanwil=kanwil,
                definition=code,
            )  # fmt: skip
            context.update(spec=spec, rows=rows)
        except (ValueError, selectors.UnknownDefinition) as exc:
            context["error"], status = str(exc), 400
    return render(request, "workforce/coverage.html", context, status=status)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    form = WorkforceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih jenis dan file."))
        return redirect("workforce:coverage")
    service = (
        workforce_import
        if form.cleaned_data["kind"] == ImportKind.WORKFORCE
        else participants_import
    )
    file = form.cleaned_data["file"]
    try:
        result = service(data=file.read(), filename=file.name, by=request.user)
    except InputRejected as exc:
        return render(request, "budgets/rejected.html", {"errors": exc.errors}, status=400)
    messages.success(request, _("%(n)d baris disimpan.") % {"n": result.rows})
    return redirect("workforce:coverage")
