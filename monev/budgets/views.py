"""Budget, regulation, rate-table and calculator pages. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monev.budgets import selectors
from monev.budgets.forms import BudgetLineForm, ContributionForm, RegulationForm, UploadForm
from monev.budgets.imports import budget_file_import
from monev.budgets.models import Regulation
from monev.budgets.rates import ContributionInputError, contribution_calculate, parse_wage
from monev.budgets.services import (
    RATE_COLUMNS,
    BudgetRow,
    InputRejected,
    budget_lines_save,
    rate_row_save,
    rate_table_load,
    regulation_create,
)
from monev.core.scope import get_scoped_or_404, scope_for


def _year(request: HttpRequest) -> int:
    """`?tahun=`, else the newest fiscal year with data (not an empty current year)."""
    raw = request.GET.get("tahun", "")
    if raw.isdigit() and 2015 <= int(raw) <= 2100:
        return int(raw)
    return selectors.latest_fiscal_year(user=request.user) or timezone.localdate().year


@login_required
def budget_index(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = selectors.budget_overview(user=request.user, year=year)
    missing = sum(1 for row in rows if not row["budgeted"])
    context = {
        "rows": rows, "year": year, "missing": missing, "upload": UploadForm(),
        "can_change": scope_for(request.user, "change").can_change,
    }  # fmt: skip
    return render(request, "budgets/budget_index.html", context)


@login_required
def budget_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    if not 2015 <= year <= 2100:
        raise Http404("year")
    summary = selectors.budget_summary(user=request.user, pemda_code=code, fiscal_year=year)
    can_change = scope_for(request.user, "change").allows(code, "change")
    return render(
        request,
        "budgets/budget_detail.html",
        {"s": summary, "form": BudgetLineForm(), "can_change": can_change},
    )


@login_required
@require_POST
def budget_line_add(request: HttpRequest, code: str, year: int) -> HttpResponse:
    pemda = selectors.pemda_for(user=request.user, code=code, action="change")
    form = BudgetLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isian tidak sah: %(e)s") % {"e": form.errors.as_text()})
        return redirect("budgets:budget_detail", code=pemda.code, year=year)
    try:
        budget_lines_save(
            rows=[BudgetRow(pemda=pemda.code, fiscal_year=year, **form.cleaned_data)],
            by=request.user,
        )
    except InputRejected as exc:
        messages.error(request, "; ".join(exc.errors))
        return redirect("budgets:budget_detail", code=pemda.code, year=year)
    messages.success(request, _("Baris anggaran disimpan."))
    return redirect("budgets:budget_detail", code=pemda.code, year=year)


@login_required
@require_POST
def budget_import(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih file CSV atau XLSX."))
        return redirect("budgets:budget_index")
    upload = form.cleaned_data["file"]
    try:
        saved = budget_file_import(data=upload.read(), filename=upload.name, by=request.user)
    except InputRejected as exc:
        return render(request, "budgets/rejected.html", {"errors": exc.errors}, status=400)
    messages.success(request, _("%(n)d baris anggaran disimpan.") % {"n": saved})
    return redirect("budgets:budget_index")


@login_required
def contribution_page(request: HttpRequest) -> HttpResponse:
    form = ContributionForm(request.GET or None)
    result: dict[str, Any] | None = None
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = contribution_calculate(
                segment=data["segment"], wage=parse_wage(data["wage"]), day=data["date"],
                risk=data["risk"], programmes=data["programs"], sector=data["sector"],
            ).as_dict()  # fmt: skip
        except ContributionInputError as exc:
            error = str(exc)
    status = 400 if error or (request.GET and not form.is_valid()) else 200
    return render(
        request,
        "budgets/contribution.html",
        {"form": form, "result": result, "error": error},
        status=status,
    )


@login_required
def rate_list(request: HttpRequest) -> HttpResponse:
    may_edit = scope_for(request.user, "change").all_regions
    if request.method == "POST":
        if not may_edit:
            return HttpResponseForbidden(
                _("Hanya administrator nasional yang dapat mengubah tarif.")
            )
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = rate_table_load(data=upload.read(), source=upload.name, by=request.user)
            except InputRejected as exc:
                return render(request, "budgets/rejected.html", {"errors": exc.errors}, status=400)
            messages.success(
                request,
                _("Tarif: %(c)d baru, %(u)d dikoreksi.")
                % {"c": result.created, "u": result.updated},
            )
            return redirect("budgets:rate_list")
    return render(
        request,
        "budgets/rate_list.html",
        {"rows": selectors.rate_rows(), "may_edit": may_edit, "upload": UploadForm()},
    )


@login_required
def rate_edit(request: HttpRequest, key: str | None = None) -> HttpResponse:
    """One rate row: correct an existing row or add a new one (national administrators)."""
    if not scope_for(request.user, "change").all_regions:
        return HttpResponseForbidden(_("Hanya administrator nasional yang dapat mengubah tarif."))
    initial = selectors.rate_row(key) if key else {}
    if key and initial is None:
        raise Http404("rate")
    errors: list[str] = []
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in RATE_COLUMNS}
        try:
            rate_row_save(values=values, by=request.user)
        except InputRejected as exc:
            errors, initial = exc.errors, values
        else:
            messages.success(request, _("Baris tarif disimpan."))
            return redirect("budgets:rate_list")
    shown = initial or {}
    fields = [(name, "" if shown.get(name) is None else str(shown[name])) for name in RATE_COLUMNS]
    context = {"fields": fields, "errors": errors, "key": key}
    return render(request, "budgets/rate_form.html", context, status=400 if errors else 200)


@login_required
def regulation_list(request: HttpRequest) -> HttpResponse:
    pemda = request.GET.get("pemda") or None
    rows = selectors.regulation_list(user=request.user, pemda=pemda)
    return render(request, "budgets/regulation_list.html", {"rows": rows, "pemda": pemda})


@login_required
def regulation_add(request: HttpRequest, code: str) -> HttpResponse:
    pemda = selectors.pemda_for(user=request.user, code=code, action="change")
    form = RegulationForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.pop("document")
        try:
            regulation_create(
                pemda=pemda, document=upload.read() if upload else None, by=request.user, **data
            )
        except InputRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Regulasi disimpan."))
            return redirect(f"{_list_url()}?pemda={pemda.code}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "budgets/regulation_form.html",
        {"form": form, "pemda": pemda, "errors": errors},
        status=status,
    )


def _list_url() -> str:
    from django.urls import reverse

    return reverse("budgets:regulation_list")


@login_required
def regulation_document(request: HttpRequest, pk: int) -> FileResponse:
    regulation = get_scoped_or_404(Regulation.objects.all(), request.user, pk=pk)
    assert isinstance(regulation, Regulation)
    if not regulation.document:
        raise Http404("document")
    return FileResponse(
        regulation.document.open("rb"),
        content_type="application/pdf",
        filename=f"{regulation.number}.pdf",
    )
