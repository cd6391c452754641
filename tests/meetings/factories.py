"""Meetings, findings and action items for tests, made through the services (as SYSTEM)."""

from __future__ import annotations

import datetime as dt

from monev.core.scope import SYSTEM
from monev.meetings import services
from monev.meetings.models import ActionItem, Meeting

DAY = dt.date(2022, 9, 15)


def meeting_for(pemda: str, *, period: str = "2022-09", title: str = "Rapat monev") -> Meeting:
    return services.meeting_create(
        title=f"{title} {pemda}",
        starts_on=DAY,
        ends_on=DAY + dt.timedelta(days=1),
        place="Palembang",
        period=period,
        pemda_codes=[pemda],
        agencies=["KEMENKO_PMK", "BPJS"],
        by=SYSTEM,
    )


def item_for(
    pemda: str, *, due_on: dt.date | None = None, meeting: Meeting | None = None
) -> ActionItem:
    meeting = meeting or meeting_for(pemda)
    finding = meeting.findings.filter(pemda_code=pemda).first()
    return services.action_item_create(
        meeting=meeting,
        finding=finding,
        pemda_code=pemda,
        what=f"Anggarkan APBD perubahan untuk pekerja non-ASN {pemda}",
        due_on=due_on or DAY + dt.timedelta(days=60),
        by=SYSTEM,
    )
