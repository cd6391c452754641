"""Roster pages: upload (with progress), validation summary and errors, confirm, versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monev.core.http import is_htmx
from monev.core.scope import scope_for
from monev.regions.models import Pemda
from monev.rosters import selectors, services
from monev.rosters.forms import UploadForm
from monev.rosters.models import UploadState
from monev.rosters.workbook import template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_PER_PAGE = 100


@login_required
def roster_list(request: HttpRequest) -> HttpResponse:
    context = {
        "versions": selectors.roster_version_list(user=request.user)[:200],
        "uploads": selectors.roster_upload_list(user=request.user)[:50],
        "can_upload": _upload_pemdas(request).exists(),
    }
    return render(request, "rosters/roster_list.html", context)


def _upload_pemdas(request: HttpRequest) -> QuerySet[Pemda]:
    return Pemda.objects.for_user(request.user, "change").filter(active=True)


@login_required
def upload_create(request: HttpRequest) -> HttpResponse:
    pemdas = _upload_pemdas(request)
    if not pemdas.exists():
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, pemdas=pemdas)
    if request.method == "POST" and form.is_valid():
        try:
            upload = services.roster_upload_create(
                pemda=form.cleaned_data["pemda"],
                period=form.cleaned_data["period"],
                data=form.cleaned_data["file"].read(),
                filename=form.cleaned_data["file"].name,
                mode=form.cleaned_data["mode"],
                by=request.user,
                end_categories=form.cleaned_data["end_categories"],
            )
        except services.RosterInputError as exc:
            form.add_error(None, str(exc))
        else:
            services.roster_upload_start(upload=upload, by=request.user)
            return redirect("rosters:upload_detail", upload_id=upload.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rosters/upload_form.html", {"form": form}, status=status)


@login_required
def upload_detail(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = selectors.roster_upload_get(user=request.user, upload_id=upload_id)
    page = Paginator(range(_error_total(upload)), ERRORS_PER_PAGE)
    number = page.get_page(request.GET.get("hal")).number
    errors = selectors.upload_errors(
        upload=upload,
        language=get_language(),
        offset=(number - 1) * ERRORS_PER_PAGE,
        limit=ERRORS_PER_PAGE,
    )
    context = {
        "upload": upload,
        "errors": errors,
        "page": page.get_page(number),
        "counts": _counts_with_messages(upload),
        "can_change": scope_for(request.user, "change").allows(upload.pemda.code, "change"),
        "polling": upload.state == UploadState.VALIDATING,
        "changes": selectors.upload_category_changes(upload=upload) if upload.can_commit else [],
    }
    template = "rosters/upload_status.html" if is_htmx(request) else "rosters/upload_detail.html"
    return render(request, template, context)


def _error_total(upload: object) -> int:
    return sum(getattr(upload, "error_counts", {}).values())


def _counts_with_messages(upload: object) -> list[tuple[str, int, str]]:
    from monev.rosters.messages import message_for

    counts = getattr(upload, "error_counts", {})
    return [(code, n, message_for(code, "…")) for code, n in sorted(counts.items())]


@login_required
@require_POST
def upload_commit(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = selectors.roster_upload_get(user=request.user, upload_id=upload_id, action="change")
    if upload.state not in (UploadState.VALID, UploadState.INVALID):
        messages.info(request, _("Unggahan ini sudah selesai diproses."))
        return redirect("rosters:upload_detail", upload_id=upload.pk)
    try:
        upload = services.roster_upload_commit(upload=upload, by=request.user)
    except services.RosterInputError as exc:
        messages.error(request, str(exc))
        return redirect("rosters:upload_detail", upload_id=upload.pk)
    if upload.state == UploadState.COMMITTED and upload.version is not None:
        messages.success(
            request,
            _("Daftar pekerja disimpan sebagai versi %(n)s.") % {"n": upload.version.number},
        )
        return redirect("rosters:version_detail", version_id=upload.version.pk)
    messages.error(request, _("Unggahan ditolak: perbaiki kesalahan lalu unggah ulang."))
    return redirect("rosters:upload_detail", upload_id=upload.pk)


@login_required
def upload_errors_download(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = selectors.roster_upload_get(user=request.user, upload_id=upload_id)
    data = services.roster_error_workbook(
        upload=upload, by=request.user, language=get_language() or "id"
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kesalahan-unggahan-{upload.pk}.xlsx"'
    return response


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-daftar-pekerja.xlsx"'
    return response


@login_required
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.roster_version_get(user=request.user, version_id=version_id)
    diff_kind = request.GET.get("perubahan", "")
    offset = _int(request.GET.get("dari"), 0)
    if diff_kind:
        workers = selectors.roster_diff_read(user=request.user, version=version, kind=diff_kind)
        total = len(workers)
    else:
        total, workers = selectors.roster_workers_read(
            user=request.user, version=version, offset=offset, limit=100
        )
    context = {
        "version": version,
        "workers": workers,
        "total": total,
        "offset": offset,
        "next_offset": offset + 100 if offset + 100 < total and not diff_kind else None,
        "diff_kind": diff_kind,
    }
    return render(request, "rosters/version_detail.html", context)


def _int(raw: str | None, default: int) -> int:
    try:
        return max(0, int(raw or default))
    except ValueError:
        return default
