"""Writes for meetings, findings, action items, evidence and letters; each one audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monev.core.audit import audit_record
from monev.meetings import sources
from monev.meetings.evidence import check_document
from monev.meetings.models import (
    OPEN_STATUSES,
    ActionItem,
    ActionItemEvent,
    Agency,
    Attendee,
    AttendeeRole,
    EscalationLevel,
    EventKind,
    Evidence,
    EvidenceKind,
    Finding,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Severity,
)
from monev.meetings.notify import item_context, item_notify
from monev.meetings.selectors import action_item_can_update, can_organise, finding_dict
from monev.notifications.models import NotificationKind
from monev.regions.codes import parse_period
from monev.regions.models import Kanwil, Pemda


class MeetingError(ValueError):
    """A request the rules refuse; the message says why, in the user's language."""


def _actor_name(by: Any) -> str:
    return by.get_username() if getattr(by, "is_authenticated", False) else "system"


def _require_organiser(by: Any, meeting: Meeting) -> None:
    if not can_organise(by, meeting.pemdas.values_list("code", flat=True)):
        raise PermissionError("not an organiser of this meeting")


def _require_open(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise MeetingError(_("Rapat sudah ditutup; temuannya tidak dapat diubah."))


def _resolve_pemdas(
    kanwil: str | None, province_codes: Sequence[str], pemda_codes: Sequence[str] | None
) -> tuple[Kanwil | None, list[Pemda]]:
    kanwil_obj = None
    if kanwil:
        kanwil_obj = Kanwil.objects.filter(code=kanwil.upper()).first()
        if kanwil_obj is None:
            raise MeetingError(_("Kanwil %(code)s tidak dikenal.") % {"code": kanwil})
    qs = Pemda.objects.filter(active=True)
    if pemda_codes:
        pemdas = list(qs.filter(code__in=pemda_codes))
        unknown = sorted(set(pemda_codes) - {p.code for p in pemdas})
        if unknown:
            raise MeetingError(_("Pemda tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown)})
    elif province_codes:
        pemdas = list(qs.filter(province_code__in=province_codes))
    elif kanwil_obj is not None:
        pemdas = list(qs.filter(kanwil=kanwil_obj))
    else:
        raise MeetingError(_("Pilih Kanwil, provinsi atau Pemda peserta rapat."))
    return kanwil_obj, pemdas


def meeting_create(
    *,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    place: str,
    period: str,
    by: Any,
    kanwil: str | None = None,
    province_codes: Sequence[str] = (),
    pemda_codes: Sequence[str] | None = None,
    agencies: Iterable[str] = (),
    previous: Meeting | None = None,
) -> Meeting:
    """Record a meeting and pre-fill its findings from the data as of `period`."""
    try:
        period = parse_period(period)
    except ValueError as exc:
        raise MeetingError(str(exc)) from None
    if ends_on < starts_on:
        raise MeetingError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    bad = sorted(set(agencies) - set(Agency.values))
    if bad:
        raise MeetingError(_("Instansi tidak dikenal: %(names)s") % {"names": ", ".join(bad)})
    kanwil_obj, pemdas = _resolve_pemdas(kanwil, province_codes, pemda_codes)
    if not can_organise(by, [p.code for p in pemdas]):
        raise PermissionError("not allowed to organise a meeting for these regions")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            title=title.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            place=place.strip(),
            period=period,
            kanwil=kanwil_obj,
            province_codes=sorted({p.province_code for p in pemdas}),
            agencies=sorted(set(agencies)),
            previous=previous,
            created_by=by if getattr(by, "pk", None) else None,
        )
        meeting.pemdas.set(pemdas)
        n = _prefill(meeting, [p.code for p in pemdas])
        audit_record(
            actor=by,
            action="meeting.create",
            obj=meeting,
            changes={"period": period, "pemda": len(pemdas), "findings": n},
        )
    return meeting


def _prefill(meeting: Meeting, codes: list[str]) -> int:
    found = sources.findings_for(pemda_codes=codes, period=meeting.period)
    Finding.objects.bulk_create(
        Finding(
            meeting=meeting,
            pemda_code=f["pemda_code"],
            code=f["code"],
            severity=f["severity"],
            text=f["text"],
            data=f["data"],
            auto=True,
            position=i,
        )
        for i, f in enumerate(found)
    )
    return len(found)


def meeting_refresh_findings(*, meeting: Meeting, by: Any) -> int:
    """Replace the automatic findings with fresh ones; manual findings stay."""
    _require_organiser(by, meeting)
    _require_open(meeting)
    with transaction.atomic():
        meeting.findings.filter(auto=True, items__isnull=True).delete()
        kept = set(meeting.findings.filter(auto=True).values_list("pemda_code", "code"))
        codes = list(meeting.pemdas.values_list("code", flat=True))
        fresh = [
            f
            for f in sources.findings_for(pemda_codes=codes, period=meeting.period)
            if (f["pemda_code"], f["code"]) not in kept
        ]
        Finding.objects.bulk_create(
            Finding(meeting=meeting, auto=True, position=i, **f) for i, f in enumerate(fresh)
        )
        audit_record(actor=by, action="meeting.refresh_findings", obj=meeting)
    return len(fresh)


def finding_save(
    *,
    meeting: Meeting,
    text: str,
    by: Any,
    pemda_code: str = "",
    severity: str = Severity.AMBER,
    finding: Finding | None = None,
) -> Finding:
    """Add a finding by hand, or edit one (pre-filled or not) while the meeting is open."""
    _require_organiser(by, meeting)
    _require_open(meeting)
    if not text.strip():
        raise MeetingError(_("Teks temuan wajib diisi."))
    if severity not in Severity.values:
        raise MeetingError(_("Tingkat temuan tidak dikenal."))
    if pemda_code and not meeting.pemdas.filter(code=pemda_code).exists():
        raise MeetingError(_("Pemda %(code)s bukan peserta rapat ini.") % {"code": pemda_code})
    with transaction.atomic():
        before = finding_dict(finding) if finding else None
        finding = finding or Finding(meeting=meeting, position=meeting.findings.count())
        finding.text, finding.pemda_code, finding.severity = text.strip(), pemda_code, severity
        finding.save()
        audit_record(
            actor=by,
            action="finding.save",
            obj=finding,
            pemda_code=pemda_code,
            changes={"before": before["text"] if before else None, "after": finding.text},
        )
    return finding


def finding_delete(*, finding: Finding, by: Any) -> None:
    _require_organiser(by, finding.meeting)
    _require_open(finding.meeting)
    with transaction.atomic():
        audit_record(
            actor=by,
            action="finding.delete",
            obj=finding,
            pemda_code=finding.pemda_code,
            changes={"text": finding.text},
        )
        finding.delete()


def attendee_add(
    *,
    meeting: Meeting,
    name: str,
    by: Any,
    position: str = "",
    pemda_code: str = "",
    agency: str = "",
    role: str = AttendeeRole.PARTICIPANT,
) -> Attendee:
    _require_organiser(by, meeting)
    if not name.strip():
        raise MeetingError(_("Nama peserta wajib diisi."))
    if role not in AttendeeRole.values or (agency and agency not in Agency.values):
        raise MeetingError(_("Peran atau instansi tidak dikenal."))
    pemda = meeting.pemdas.filter(code=pemda_code).first() if pemda_code else None
    if pemda_code and pemda is None:
        raise MeetingError(_("Pemda %(code)s bukan peserta rapat ini.") % {"code": pemda_code})
    with transaction.atomic():
        attendee = Attendee.objects.create(
            meeting=meeting,
            name=name.strip(),
            position=position.strip(),
            pemda=pemda,
            agency=agency,
            role=role,
        )
        audit_record(actor=by, action="meeting.attendee_add", obj=meeting, pemda_code=pemda_code)
    return attendee


def meeting_close(*, meeting: Meeting, by: Any) -> Meeting:
    """Close the meeting: its findings are frozen as a snapshot of what was known then."""
    _require_organiser(by, meeting)
    _require_open(meeting)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        meeting.findings_snapshot = [finding_dict(f) for f in meeting.findings.all()]
        meeting.status = MeetingStatus.CLOSED
        meeting.closed_at = timezone.now()
        meeting.closed_by = by if getattr(by, "pk", None) else None
        meeting.save()
        audit_record(
            actor=by,
            action="meeting.close",
            obj=meeting,
            changes={"findings": len(meeting.findings_snapshot)},
        )
    return meeting


def _event(item: ActionItem, kind: str, by: Any, note: str = "", old: str = "") -> None:
    ActionItemEvent.objects.create(
        item=item,
        kind=kind,
        from_status=old,
        to_status=item.status,
        note=note[:500],
        actor_name=_actor_name(by),
    )


def action_item_create(
    *,
    meeting: Meeting,
    what: str,
    due_on: dt.date,
    by: Any,
    finding: Finding | None = None,
    pemda_code: str = "",
    owner_agency: str = "",
) -> ActionItem:
    _require_organiser(by, meeting)
    if bool(pemda_code) == bool(owner_agency):
        raise MeetingError(_("Pilih satu pemilik: sebuah Pemda atau sebuah instansi."))
    if owner_agency and owner_agency not in Agency.values:
        raise MeetingError(_("Instansi tidak dikenal."))
    if pemda_code and not meeting.pemdas.filter(code=pemda_code).exists():
        raise MeetingError(_("Pemda %(code)s bukan peserta rapat ini.") % {"code": pemda_code})
    if not what.strip():
        raise MeetingError(_("Uraian tindak lanjut wajib diisi."))
    if finding is not None and finding.meeting_id != meeting.pk:
        raise MeetingError(_("Temuan bukan milik rapat ini."))
    with transaction.atomic():
        item = ActionItem.objects.create(
            meeting=meeting,
            finding=finding,
            pemda_code=pemda_code,
            owner_agency=owner_agency,
            what=what.strip(),
            due_on=due_on,
            created_by=by if getattr(by, "pk", None) else None,
        )
        _event(item, EventKind.CREATED, by)
        audit_record(
            actor=by,
            action="action_item.create",
            obj=item,
            pemda_code=pemda_code,
            changes={"due_on": due_on.isoformat(), "owner": pemda_code or owner_agency},
        )
        item_notify(
            item=item,
            kind=NotificationKind.ACTION_ITEM_ASSIGNED,
            key=f"item:{item.pk}:assigned",
            context=item_context(item),
        )
    return item


def action_item_set_status(*, item: ActionItem, status: str, by: Any, note: str = "") -> ActionItem:
    if not action_item_can_update(user=by, item=item):
        raise PermissionError("not allowed to update this action item")
    if status not in ItemStatus.values or status == ItemStatus.OVERDUE:
        raise MeetingError(_("Status tidak dikenal atau tidak dapat dipilih."))
    if status == ItemStatus.DROPPED and not can_organise(
        by, item.meeting.pemdas.values_list("code", flat=True)
    ):
        raise PermissionError("only the organiser drops an item")
    if status == item.status:
        return item
    with transaction.atomic():
        old = item.status
        item.status = status
        if status == ItemStatus.DONE:
            item.close_proposed_at = None
        item.save()
        _event(item, EventKind.STATUS, by, note, old)
        audit_record(
            actor=by,
            action="action_item.status",
            obj=item,
            pemda_code=item.pemda_code,
            changes={"from": old, "to": status, "note": note[:200]},
        )
    return item


def action_item_add_evidence(
    *,
    item: ActionItem,
    by: Any,
    document: IO[bytes] | None = None,
    filename: str = "",
    link: str = "",
    note: str = "",
) -> Evidence:
    """Attach a document (type checked by its magic bytes) or a link to a data change."""
    if not action_item_can_update(user=by, item=item):
        raise PermissionError("not allowed to update this action item")
    if (document is None) == (not link.strip()):
        raise MeetingError(_("Lampirkan satu dokumen atau satu tautan."))
    if link and not (link.startswith("/") or link.startswith("https://")):
        raise MeetingError(_("Tautan harus diawali / (halaman monev) atau https://."))
    with transaction.atomic():
        evidence = Evidence(item=item, link=link.strip(), note=note.strip()[:500])
        evidence.created_by = by if getattr(by, "pk", None) else None
        if document is not None:
            checked = check_document(document)
            evidence.kind = EvidenceKind.DOCUMENT
            evidence.content_type, evidence.size = checked.content_type, checked.size
            evidence.sha256 = checked.sha256
            evidence.filename = (filename or f"bukti.{checked.extension}")[-255:]
            evidence.document.save(f"{checked.sha256[:16]}.{checked.extension}", File(document))
        else:
            evidence.kind = EvidenceKind.LINK
        evidence.save()
        _event(item, EventKind.EVIDENCE, by, evidence.filename or evidence.link)
        audit_record(
            actor=by,
            action="action_item.evidence",
            obj=item,
            pemda_code=item.pemda_code,
            changes={"kind": evidence.kind, "sha256": evidence.sha256, "link": evidence.link},
        )
    return evidence


def target_level(item: ActionItem, today: dt.date, step_days: int) -> int:
    """The escalation level an overdue item should be at on `today`."""
    late = (today - item.due_on).days
    if late <= 0:
        return int(item.escalation)
    if not item.pemda_code:
        return EscalationLevel.NATIONAL
    base = EscalationLevel.PEMDA if "." in item.pemda_code else EscalationLevel.PROVINCE
    return max(int(item.escalation), min(EscalationLevel.NATIONAL, base + late // step_days))


def action_items_escalate(*, today: dt.date, by: Any, step_days: int = 14) -> dict[str, int]:
    """Record the escalation of overdue items: up a level every `step_days` days late,
    Pemda → province → Kanwil → national. Idempotent. Overdue itself is computed when read
    (`ActionItem.is_overdue`); this never changes an item's status. Returns the number of
    overdue items on `today` and of escalations recorded now."""
    if step_days < 1:
        raise MeetingError(_("Selang eskalasi minimal 1 hari."))
    counts = {"overdue": 0, "escalated": 0}
    for item in ActionItem.objects.overdue(today).order_by("id"):
        counts["overdue"] += 1
        counts["escalated"] += _escalate_one(item, today, by, step_days)
    return counts


def _escalate_one(item: ActionItem, today: dt.date, by: Any, step_days: int) -> int:
    level = target_level(item, today, step_days)
    if level == item.escalation:
        return 0
    with transaction.atomic():
        old_level = int(item.escalation)
        item.escalation, item.escalated_at = level, timezone.now()
        label = str(EscalationLevel(level).label)
        _event(item, EventKind.ESCALATED, by, _("Dieskalasi ke tingkat %(l)s") % {"l": label})
        item.save(update_fields=["escalation", "escalated_at", "updated_at"])
        audit_record(
            actor=by,
            action="action_item.escalate",
            obj=item,
            pemda_code=item.pemda_code,
            changes={"from_level": old_level, "level": level, "due_on": item.due_on.isoformat()},
        )
    return 1


def action_items_remind(*, today: dt.date, due_days: int) -> dict[str, int]:
    """Queue reminders: items due within `due_days` days, and overdue items (to their owner
    and, once escalated, to the level they reached). Each reminder goes out once per item,
    due date and level, so running this every few minutes sends nothing new."""
    if due_days < 0:
        raise MeetingError(_("Jumlah hari pengingat tidak boleh negatif."))
    counts = {"due": 0, "overdue": 0}
    open_items = ActionItem.objects.open().select_related("meeting")
    soon = open_items.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=due_days))
    for item in soon.order_by("id"):
        counts["due"] += item_notify(
            item=item,
            kind=NotificationKind.ACTION_ITEM_DUE,
            key=f"item:{item.pk}:due:{item.due_on}",
            context=item_context(item, today),
        )
    for item in ActionItem.objects.overdue(today).select_related("meeting").order_by("id"):
        counts["overdue"] += _remind_overdue(item, today)
    return counts


def _remind_overdue(item: ActionItem, today: dt.date) -> int:
    context = item_context(item, today)
    key = f"item:{item.pk}:overdue:{item.due_on}"
    n = item_notify(item=item, kind=NotificationKind.ACTION_ITEM_OVERDUE, key=key, context=context)
    if item.escalation > EscalationLevel.PEMDA:
        context["level"] = str(EscalationLevel(item.escalation).label)
        n += item_notify(
            item=item,
            kind=NotificationKind.ACTION_ITEM_OVERDUE,
            key=f"{key}:level{item.escalation}",
            context=context,
            level=item.escalation,
        )
    return n


def action_items_propose_closing(*, period: str, by: Any) -> int:
    """Propose closing open items whose finding no longer appears in the latest data on or
    before `period` (and newer than the meeting's own period)."""
    period = latest_data_period(parse_period(period)) or ""
    items = list(
        ActionItem.objects.filter(
            status__in=OPEN_STATUSES,
            close_proposed_at__isnull=True,
            finding__isnull=False,
            meeting__period__lt=period,  # only data newer than what the meeting saw
        )
        .exclude(pemda_code="")
        .exclude(finding__code="")
        .select_related("finding")
    )
    if not items:
        return 0
    current = {
        (f["pemda_code"], f["code"])
        for f in sources.findings_for(pemda_codes={i.pemda_code for i in items}, period=period)
    }
    proposed = 0
    for item in items:
        assert item.finding is not None
        if (item.pemda_code, item.finding.code) not in current:
            _propose(item, period, by)
            proposed += 1
    return proposed


def latest_data_period(until: str) -> str | None:
    """The latest period on or before `until` with match results: a finding that merely
    has no data yet must not look like a recovery."""
    from django.db.models import Max

    from monev.coverage.models import CoverageStat

    stats = CoverageStat.objects.current().filter(period__lte=until)
    found: str | None = stats.aggregate(p=Max("period"))["p"]
    return found


def _propose(item: ActionItem, period: str, by: Any) -> None:
    assert item.finding is not None
    note = _("Indikator pulih pada periode %(p)s: temuan “%(f)s” tidak muncul lagi.") % {
        "p": period,
        "f": item.finding.text[:200],
    }
    link = str(item.finding.data.get("link", "")) or f"/wilayah/{item.pemda_code}/"
    with transaction.atomic():
        item.close_proposed_at, item.close_proposal = timezone.now(), note[:500]
        item.save()
        Evidence.objects.create(
            item=item,
            kind=EvidenceKind.LINK,
            link=link,
            note=_("Data periode %(p)s") % {"p": period},
        )
        _event(item, EventKind.PROPOSED, by, note)
        audit_record(
            actor=by,
            action="action_item.propose_close",
            obj=item,
            pemda_code=item.pemda_code,
            changes={"period": period},
        )
