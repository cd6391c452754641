"""The demo's monev meeting: follow-ups of Kanwil Sumbagsel, one of them overdue, so a
newcomer sees the overdue banner, the escalation and the e-mail it sent."""

from __future__ import annotations

import datetime as dt

from monev.core.scope import SYSTEM
from monev.meetings import services
from monev.meetings.models import Meeting

TITLE = "Rapat Monev Jamsostek Kanwil Sumbagsel"


def demo_meeting_load(*, period: str, today: dt.date) -> Meeting | None:
    """A meeting a month and a half ago with three follow-ups: Kota Palembang's overdue,
    Kab. Lahat's due within the week, one for BPJS later. None if it exists already."""
    if Meeting.objects.filter(title=TITLE).exists():
        return None
    held = today - dt.timedelta(days=45)
    meeting = services.meeting_create(
        title=TITLE,
        starts_on=held,
        ends_on=held + dt.timedelta(days=1),
        place="Palembang",
        period=period,
        kanwil="SUMBAGSEL",
        agencies=["KEMENKO_PMK", "KEMENDAGRI", "SETKAB", "KSP", "BPJS"],
        by=SYSTEM,
    )
    items = [
        ("16.71", "", "Anggarkan iuran JKK dan JKM pekerja non-ASN pada APBD Perubahan", -10),
        ("16.04", "", "Terbitkan Perbup pelaksanaan Inpres 2/2021", 5),
        ("", "BPJS", "Sosialisasi pendaftaran perangkat desa ke seluruh kecamatan", 40),
    ]
    for pemda, agency, what, days in items:
        services.action_item_create(
            meeting=meeting,
            pemda_code=pemda,
            owner_agency=agency,
            what=what,
            due_on=today + dt.timedelta(days=days),
            by=SYSTEM,
        )
    services.action_items_escalate(today=today, by=SYSTEM)
    return meeting
