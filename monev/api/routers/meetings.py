"""Monev meetings, their findings, action items and letters; scoped like the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from monev.api.errors import ApiError, ErrorOut
from monev.meetings import letters, selectors, services
from monev.meetings.models import ActionItem, ItemStatus, Letter, Meeting

router = Router(tags=["rapat"])
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class MeetingIn(Schema):
    title: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    period: str
    kanwil: str | None = None
    province_codes: list[str] = []
    pemda_codes: list[str] | None = None
    agencies: list[str] = []


class MeetingOut(Schema):
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    period: str
    kanwil: str | None
    status: str
    agencies: list[str]
    pemda_codes: list[str]


class FindingOut(Schema):
    pemda_code: str
    code: str
    severity: str
    text: str


class ItemOut(Schema):
    id: int
    meeting: int
    pemda_code: str
    owner_agency: str
    what: str
    due_on: dt.date
    status: str
    escalation: str
    close_proposed: bool


class MeetingDetailOut(MeetingOut):
    findings: list[FindingOut]
    items: list[ItemOut]


class ItemIn(Schema):
    what: str
    due_on: dt.date
    pemda_code: str = ""
    owner_agency: str = ""
    finding_id: int | None = None


class StatusIn(Schema):
    status: str
    note: str = ""


class LetterIn(Schema):
    pemda_code: str


class LetterOut(Schema):
    id: int
    number: str
    pemda_code: str
    addressee: str
    issued_on: dt.date
    meeting: int | None
    sha256: str


def _meeting_out(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "starts_on": m.starts_on,
        "ends_on": m.ends_on,
        "place": m.place,
        "period": m.period,
        "kanwil": m.kanwil.code if m.kanwil else None,
        "status": m.status,
        "agencies": m.agencies,
        "pemda_codes": sorted(m.pemdas.values_list("code", flat=True)),
    }


def _item_out(i: ActionItem) -> ItemOut:
    return ItemOut(
        id=i.pk,
        meeting=i.meeting_id,
        pemda_code=i.pemda_code,
        owner_agency=i.owner_agency,
        what=i.what,
        due_on=i.due_on,
        status=i.shown_status,
        escalation=str(i.get_escalation_display()),
        close_proposed=bool(i.close_proposed_at),
    )


def _letter_out(letter: Letter) -> LetterOut:
    return LetterOut(
        id=letter.pk,
        number=letter.number,
        pemda_code=letter.pemda.code,
        addressee=letter.addressee,
        issued_on=letter.issued_on,
        meeting=letter.meeting_id,
        sha256=letter.sha256,
    )


def _call(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except PermissionError:
        raise ApiError(403, "forbidden", _("Anda tidak berwenang.")) from None
    except (services.MeetingError, ValueError) as exc:
        raise ApiError(400, "invalid_input", str(exc)) from None


@router.get("/meetings", response={200: list[MeetingOut]})
def meeting_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_meeting_out(m) for m in selectors.meeting_list(user=request.user)[:500]]


@router.post("/meetings", response={201: MeetingOut, **ERRORS})
def meeting_create(request: HttpRequest, body: MeetingIn) -> Any:
    """Record a meeting; its findings are pre-filled from the data of `period`."""
    meeting = _call(services.meeting_create, by=request.user, **body.dict())
    return Status(201, _meeting_out(meeting))


@router.get("/meetings/{meeting_id}", response={200: MeetingDetailOut, **ERRORS})
def meeting_detail(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    meeting = selectors.meeting_get(user=request.user, pk=meeting_id)
    items = selectors.action_item_list(
        user=request.user, filters=selectors.ItemFilters(meeting=meeting.pk)
    )
    return {
        **_meeting_out(meeting),
        "findings": selectors.meeting_findings(user=request.user, meeting=meeting),
        "items": [_item_out(i) for i in items],
    }


@router.post("/meetings/{meeting_id}/close", response={200: MeetingOut, **ERRORS})
def meeting_close(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """Close the meeting and freeze its findings."""
    meeting = selectors.meeting_get(user=request.user, pk=meeting_id)
    return _meeting_out(_call(services.meeting_close, meeting=meeting, by=request.user))


@router.post("/meetings/{meeting_id}/items", response={201: ItemOut, **ERRORS})
def item_create(request: HttpRequest, meeting_id: int, body: ItemIn) -> Any:
    meeting = selectors.meeting_get(user=request.user, pk=meeting_id)
    finding = meeting.findings.filter(pk=body.finding_id).first() if body.finding_id else None
    if body.finding_id and finding is None:
        raise ApiError(404, "not_found", _("Temuan tidak ditemukan."))
    item = _call(
        services.action_item_create,
        meeting=meeting,
        finding=finding,
        what=body.what,
        due_on=body.due_on,
        pemda_code=body.pemda_code,
        owner_agency=body.owner_agency,
        by=request.user,
    )
    return Status(201, _item_out(item))


@router.get("/action-items", response={200: list[ItemOut], **ERRORS})
def item_list(
    request: HttpRequest,
    status: str | None = None,
    pemda: str | None = None,
    meeting: int | None = None,
) -> list[ItemOut]:
    if status and status not in ItemStatus.values:
        raise ApiError(400, "invalid_input", _("Status %(s)r tidak dikenal.") % {"s": status})
    filters = selectors.ItemFilters(meeting=meeting, pemda=pemda, status=status)
    return [_item_out(i) for i in selectors.action_item_list(user=request.user, filters=filters)]


@router.get("/action-items/{item_id}", response={200: ItemOut, **ERRORS})
def item_detail(request: HttpRequest, item_id: int) -> ItemOut:
    return _item_out(selectors.action_item_get(user=request.user, pk=item_id))


@router.post("/action-items/{item_id}/status", response={200: ItemOut, **ERRORS})
def item_status(request: HttpRequest, item_id: int, body: StatusIn) -> ItemOut:
    item = selectors.action_item_get(user=request.user, pk=item_id)
    item = _call(
        services.action_item_set_status,
        item=item,
        status=body.status,
        note=body.note,
        by=request.user,
    )
    return _item_out(item)


class EvidenceOut(Schema):
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    link: str


@router.post("/action-items/{item_id}/evidence", response={201: EvidenceOut, **ERRORS})
def item_evidence(
    request: HttpRequest,
    item_id: int,
    document: UploadedFile | None = File(None),  # noqa: B008 (ninja parameter marker)
    link: str = Form(""),
    note: str = Form(""),
) -> Any:
    """Attach a document (multipart `document`: PDF, JPG, PNG, XLSX, DOCX, up to 10 MB,
    checked by its first bytes) or a `link` to a data change."""
    item = selectors.action_item_get(user=request.user, pk=item_id)
    evidence = _call(
        services.action_item_add_evidence,
        item=item,
        document=document,
        filename=document.name if document else "",
        link=link,
        note=note,
        by=request.user,
    )
    return Status(
        201,
        EvidenceOut(
            id=evidence.pk,
            kind=evidence.kind,
            filename=evidence.filename,
            content_type=evidence.content_type,
            size=evidence.size,
            sha256=evidence.sha256,
            link=evidence.link,
        ),
    )


@router.get("/letters", response={200: list[LetterOut]})
def letter_list(request: HttpRequest, pemda: str | None = None) -> list[LetterOut]:
    return [_letter_out(x) for x in selectors.letter_list(user=request.user, pemda=pemda)[:500]]


@router.post("/meetings/{meeting_id}/letters", response={201: LetterOut, **ERRORS})
def letter_create(request: HttpRequest, meeting_id: int, body: LetterIn) -> Any:
    """Issue a numbered follow-up letter (PDF) to one Pemda of the meeting."""
    meeting = selectors.meeting_get(user=request.user, pk=meeting_id)
    pemda = meeting.pemdas.filter(code=body.pemda_code).first()
    if pemda is None:
        if not selectors.meeting_can_organise(user=request.user, meeting=meeting):
            raise ApiError(403, "forbidden", _("Anda tidak berwenang."))
        raise ApiError(400, "invalid_input", _("Pemda bukan peserta rapat ini."))
    letter = _call(letters.letter_issue, pemda=pemda, meeting=meeting, by=request.user)
    return Status(201, _letter_out(letter))


@router.get("/letters/{letter_id}/pdf", response={200: None, **ERRORS})
def letter_pdf(request: HttpRequest, letter_id: int) -> FileResponse:
    letter = selectors.letter_get(user=request.user, pk=letter_id)
    letters.letter_download_record(letter=letter, by=request.user)
    return FileResponse(
        letter.pdf.open("rb"), filename=f"surat-{letter.pk}.pdf", content_type="application/pdf"
    )
