"""Reads for meetings, action items and letters; every one is scoped to the user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from monev.core.scope import Action, get_scoped_or_404, scope_for
from monev.meetings.models import (
    OPEN_STATUSES,
    ActionItem,
    EscalationLevel,
    Finding,
    ItemStatus,
    Letter,
    Meeting,
)
from monev.regions.models import Pemda


def can_organise(user: Any, pemda_codes: Iterable[str]) -> bool:
    """National coordinators and Kanwil officers organise meetings over their own regions."""
    scope = scope_for(user, "change")
    if scope.all_regions:
        return True
    if getattr(user, "role", "") not in ("national", "kanwil"):
        return False
    return set(pemda_codes) <= scope.pemda_codes


def meeting_can_organise(*, user: Any, meeting: Meeting) -> bool:
    return can_organise(user, meeting.pemdas.values_list("code", flat=True))


def action_item_can_update(*, user: Any, item: ActionItem) -> bool:
    """The owner Pemda's users (and the organisers) update status and evidence."""
    if item.pemda_code and scope_for(user, "change").allows(item.pemda_code, "change"):
        return True
    return can_organise(user, item.meeting.pemdas.values_list("code", flat=True))


def meeting_list(*, user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.for_user(user).select_related("kanwil")


def meeting_get(*, user: Any, pk: int) -> Meeting:
    meeting = get_scoped_or_404(Meeting.objects.select_related("kanwil"), user, pk=pk)
    assert isinstance(meeting, Meeting)
    return meeting


def meeting_findings(*, user: Any, meeting: Meeting) -> list[dict[str, Any]]:
    """The findings as the user may see them: the frozen snapshot once the meeting is closed."""
    if meeting.is_closed:
        scope = scope_for(user)
        return [
            f
            for f in meeting.findings_snapshot
            if scope.all_regions or not f["pemda_code"] or f["pemda_code"] in scope.pemda_codes
        ]
    rows = Finding.objects.for_user(user).filter(meeting=meeting)
    return [finding_dict(f) for f in rows]


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "pemda_code": finding.pemda_code,
        "code": finding.code,
        "severity": finding.severity,
        "text": finding.text,
        "data": finding.data,
        "auto": finding.auto,
    }


@dataclass(frozen=True)
class ItemFilters:
    meeting: int | None = None
    pemda: str | None = None
    status: str | None = None
    overdue_only: bool = False


def action_item_list(*, user: Any, filters: ItemFilters | None = None) -> QuerySet[ActionItem]:
    filters = filters or ItemFilters()
    items = ActionItem.objects.for_user(user).select_related("meeting", "finding")
    if filters.meeting:
        items = items.filter(meeting_id=filters.meeting)
    if filters.pemda:
        items = items.filter(pemda_code=filters.pemda)
    if filters.status:
        items = items.shown_as(filters.status)
    if filters.overdue_only:
        items = items.overdue()
    return items


def action_item_get(*, user: Any, pk: int, action: Action = "view") -> ActionItem:
    item = get_scoped_or_404(
        ActionItem.objects.select_related("meeting", "finding"), user, action, pk=pk
    )
    assert isinstance(item, ActionItem)
    return item


def overdue_items(
    *, user: Any, pemda_code: str | None = None, kanwil_code: str | None = None
) -> QuerySet[ActionItem]:
    """Overdue items to show on a dashboard: a Pemda's own, and those escalated to its level.

    `pemda_code` "16.04" → the kab/kota's own items; "16" → the province's own items and its
    kab/kota's items escalated to the province; `kanwil_code` → items escalated to the Kanwil;
    neither → items escalated to the national level.
    """
    items = ActionItem.objects.for_user(user).overdue()
    if pemda_code and "." in pemda_code:
        items = items.filter(pemda_code=pemda_code)
    elif pemda_code:
        items = items.filter(
            Q(pemda_code=pemda_code)
            | Q(pemda_code__startswith=f"{pemda_code}.", escalation__gte=EscalationLevel.PROVINCE)
        )
    elif kanwil_code:
        codes = Pemda.objects.filter(kanwil__code=kanwil_code).values("code")
        items = items.filter(pemda_code__in=codes, escalation__gte=EscalationLevel.KANWIL)
    else:
        items = items.filter(escalation__gte=EscalationLevel.NATIONAL)
    return items.select_related("meeting").order_by("due_on", "id")


def open_items_of_meeting(*, user: Any, meeting: Meeting | None) -> list[ActionItem]:
    if meeting is None:
        return []
    return list(
        ActionItem.objects.for_user(user)
        .filter(meeting=meeting, status__in=OPEN_STATUSES)
        .order_by("pemda_code", "due_on", "id")
    )


def letter_list(*, user: Any, pemda: str | None = None) -> QuerySet[Letter]:
    letters = Letter.objects.for_user(user).select_related("pemda", "meeting")
    return letters.filter(pemda__code=pemda) if pemda else letters


def letter_get(*, user: Any, pk: int) -> Letter:
    letter = get_scoped_or_404(Letter.objects.select_related("pemda", "meeting"), user, pk=pk)
    assert isinstance(letter, Letter)
    return letter


def letter_content(*, meeting: Meeting | None, pemda: Pemda, today: dt.date) -> dict[str, Any]:
    """The findings and open action items that concern `pemda`, for a letter."""
    from monev.core.scope import SYSTEM

    if meeting is not None:
        findings = [
            f
            for f in meeting_findings(user=SYSTEM, meeting=meeting)
            if f["pemda_code"] == pemda.code
        ]
        items = ActionItem.objects.filter(meeting=meeting, pemda_code=pemda.code)
    else:
        findings = []
        items = ActionItem.objects.filter(pemda_code=pemda.code)
    return {
        "findings": [{"severity": f["severity"], "text": f["text"]} for f in findings],
        "items": [
            {
                "what": i.what,
                "due_on": i.due_on.isoformat(),
                "status": i.status,
                "status_label": str(ItemStatus(i.status).label),
                "overdue": i.due_on < today,
            }
            for i in items.filter(status__in=OPEN_STATUSES).order_by("due_on", "id")
        ],
    }
