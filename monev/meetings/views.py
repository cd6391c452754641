"""Pages for meetings, findings, action items, evidence and letters (thin: parse, call, render)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from monev.meetings import forms, letters, selectors, services
from monev.meetings.evidence import EvidenceRejected
from monev.meetings.models import Evidence, Finding, ItemStatus, Meeting
from monev.regions.models import Pemda


def _guard(request: HttpRequest, fn: Any, **kwargs: Any) -> Any:
    """Run a service; refusals become 403, rule violations a message on the page."""
    try:
        return fn(**kwargs)
    except PermissionError:
        raise PermissionDenied from None
    except (services.MeetingError, EvidenceRejected) as exc:
        messages.error(request, str(exc))
        return None


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meeting_list(user=request.user)
    can_create = getattr(request.user, "role", "") in ("national", "kanwil")
    return render(
        request, "meetings/meeting_list.html", {"meetings": meetings, "can_create": can_create}
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        meeting = _guard(
            request,
            services.meeting_create,
            title=d["title"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            place=d["place"],
            period=d["period"],
            kanwil=d["kanwil"] or None,
            pemda_codes=d["pemda_codes"] or None,
            province_codes=d["province_codes"],
            agencies=d["agencies"],
            previous=_previous(request, d["kanwil"]),
            by=request.user,
        )
        if meeting is not None:
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/meeting_form.html", {"form": form}, status=status)


def _previous(request: HttpRequest, kanwil: str) -> Meeting | None:
    if not kanwil:
        return None
    return (
        selectors.meeting_list(user=request.user)
        .filter(kanwil__code=kanwil.upper())
        .order_by("-starts_on", "-id")
        .first()
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    organiser = selectors.meeting_can_organise(user=request.user, meeting=meeting)
    items = selectors.action_item_list(
        user=request.user, filters=selectors.ItemFilters(meeting=meeting.pk)
    )
    names = dict(meeting.pemdas.values_list("code", "name"))
    findings = selectors.meeting_findings(user=request.user, meeting=meeting)
    chosen = request.GET.get("pemda") or ""
    if chosen:
        findings = [f for f in findings if f["pemda_code"] == chosen]
        items = items.filter(pemda_code=chosen)
    context = {
        "meeting": meeting,
        "organiser": organiser,
        "editable": organiser and not meeting.is_closed,
        "findings": findings,
        "chosen": chosen,
        "names": names,
        "attendees": meeting.attendees.select_related("pemda"),
        "items": items,
        "letters": selectors.letter_list(user=request.user).filter(meeting=meeting),
        "pemdas": meeting.pemdas.all(),
        "finding_form": forms.FindingForm(),
        "item_form": forms.ActionItemForm(),
        "attendee_form": forms.AttendeeForm(),
    }
    return render(request, "meetings/meeting_detail.html", context)


def _back(meeting: Meeting) -> HttpResponse:
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    form = forms.AttendeeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Data peserta tidak lengkap."))
        if not selectors.meeting_can_organise(user=request.user, meeting=meeting):
            raise PermissionDenied
        return _back(meeting)
    _guard(request, services.attendee_add, meeting=meeting, by=request.user, **form.cleaned_data)
    return _back(meeting)


@login_required
@require_POST
def finding_save(request: HttpRequest, pk: int, finding_id: int | None = None) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if not selectors.meeting_can_organise(user=request.user, meeting=meeting):
        raise PermissionDenied
    finding = None
    if finding_id is not None:
        finding = Finding.objects.filter(meeting=meeting, pk=finding_id).first()
        if finding is None:
            raise Http404("finding")
    form = forms.FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Teks temuan wajib diisi."))
        return _back(meeting)
    _guard(
        request,
        services.finding_save,
        meeting=meeting,
        finding=finding,
        by=request.user,
        **form.cleaned_data,
    )
    return _back(meeting)


@login_required
@require_POST
def finding_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    n = _guard(request, services.meeting_refresh_findings, meeting=meeting, by=request.user)
    if n is not None:
        messages.success(request, _("%(n)s temuan baru dari data.") % {"n": n})
    return _back(meeting)


@login_required
@require_POST
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if _guard(request, services.meeting_close, meeting=meeting, by=request.user):
        messages.success(request, _("Rapat ditutup; temuannya dibekukan."))
    return _back(meeting)


@login_required
@require_POST
def item_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if not selectors.meeting_can_organise(user=request.user, meeting=meeting):
        raise PermissionDenied
    form = forms.ActionItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tindak lanjut tidak lengkap: isi uraian dan tenggat."))
        return _back(meeting)
    d = form.cleaned_data
    finding = meeting.findings.filter(pk=d["finding"]).first() if d["finding"] else None
    if finding is not None and not d["pemda_code"] and not d["owner_agency"]:
        d["pemda_code"] = finding.pemda_code
    _guard(
        request,
        services.action_item_create,
        meeting=meeting,
        finding=finding,
        what=d["what"],
        due_on=d["due_on"],
        pemda_code=d["pemda_code"],
        owner_agency=d["owner_agency"],
        by=request.user,
    )
    return _back(meeting)


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status and status not in ItemStatus.values:
        status = None
    filters = selectors.ItemFilters(status=status, pemda=request.GET.get("pemda") or None)
    items = selectors.action_item_list(user=request.user, filters=filters)
    return render(
        request,
        "meetings/item_list.html",
        {"items": items[:500], "statuses": ItemStatus.choices, "filters": filters},
    )


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_get(user=request.user, pk=pk)
    context = {
        "item": item,
        "events": item.events.all(),
        "evidence": item.evidence.all(),
        "status_form": forms.StatusForm(initial={"status": item.status}),
        "evidence_form": forms.EvidenceForm(),
        "can_update": selectors.action_item_can_update(user=request.user, item=item),
    }
    return render(request, "meetings/item_detail.html", context)


@login_required
@require_POST
def item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_get(user=request.user, pk=pk)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        if not selectors.action_item_can_update(user=request.user, item=item):
            raise PermissionDenied
        messages.error(request, _("Status tidak dikenal."))
    else:
        _guard(
            request,
            services.action_item_set_status,
            item=item,
            by=request.user,
            **form.cleaned_data,
        )
    return redirect("meetings:item_detail", pk=item.pk)


@login_required
@require_POST
def item_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_get(user=request.user, pk=pk)
    if not selectors.action_item_can_update(user=request.user, item=item):
        raise PermissionDenied
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["document"]
        _guard(
            request,
            services.action_item_add_evidence,
            item=item,
            by=request.user,
            document=upload,
            filename=upload.name if upload else "",
            link=form.cleaned_data["link"],
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(request, _("Lampiran tidak sah."))
    return redirect("meetings:item_detail", pk=item.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = Evidence.objects.select_related("item").filter(pk=pk, kind="document").first()
    if evidence is None:
        raise Http404("evidence")
    selectors.action_item_get(user=request.user, pk=evidence.item_id)
    return FileResponse(
        evidence.document.open("rb"),
        as_attachment=True,
        filename=evidence.filename,
        content_type=evidence.content_type,
    )


@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    letters_ = selectors.letter_list(user=request.user, pemda=request.GET.get("pemda") or None)
    return render(request, "meetings/letter_list.html", {"letters": letters_[:500]})


@login_required
@require_POST
def letter_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    form = forms.LetterForm(request.POST)
    code = form.data.get("pemda_code", "") if form.is_valid() else ""
    pemda = meeting.pemdas.filter(code=code).first()
    if pemda is None:
        if not selectors.meeting_can_organise(user=request.user, meeting=meeting):
            raise PermissionDenied
        messages.error(request, _("Pilih Pemda peserta rapat."))
        return _back(meeting)
    letter = _guard(request, letters.letter_issue, pemda=pemda, meeting=meeting, by=request.user)
    if letter is not None:
        messages.success(request, _("Surat %(n)s diterbitkan.") % {"n": letter.number})
    return _back(meeting)


@login_required
def letter_download(request: HttpRequest, pk: int) -> FileResponse:
    letter = selectors.letter_get(user=request.user, pk=pk)
    letters.letter_download_record(letter=letter, by=request.user)
    return FileResponse(
        letter.pdf.open("rb"),
        as_attachment=True,
        filename=f"surat-{letter.pemda.code}-{letter.seq:04d}.pdf",
        content_type="application/pdf",
    )


@login_required
def overdue_banner(request: HttpRequest) -> HttpResponse:
    """The overdue banner as an HTMX fragment: ?pemda=16.04, ?kanwil=SUMBAGSEL or national."""
    pemda = request.GET.get("pemda") or None
    if pemda is not None and not Pemda.objects.for_user(request.user).filter(code=pemda).exists():
        raise Http404("pemda")
    items = selectors.overdue_items(
        user=request.user, pemda_code=pemda, kanwil_code=request.GET.get("kanwil") or None
    )
    return render(request, "meetings/overdue_banner.html", {"overdue_items": items[:20]})
