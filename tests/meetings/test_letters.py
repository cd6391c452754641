"""Follow-up letters: numbering scheme, content, PDF, audit, and who may have them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from monev.core.models import AuditEvent
from monev.core.scope import SYSTEM
from monev.meetings import letters
from monev.meetings.models import LetterTemplate
from monev.regions.models import Pemda
from tests.meetings.factories import item_for
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_letter_numbering_follows_the_configured_scheme() -> None:
    item = item_for("16.04")
    lahat = Pemda.objects.get(code="16.04")
    on = dt.date(2022, 9, 20)
    first = letters.letter_issue(pemda=lahat, meeting=item.meeting, issued_on=on, by=SYSTEM)
    second = letters.letter_issue(pemda=lahat, meeting=item.meeting, issued_on=on, by=SYSTEM)
    assert first.number == "001/PMK.MONEV/SUMBAGSEL/IX/2022"
    assert second.number == "002/PMK.MONEV/SUMBAGSEL/IX/2022"
    template = LetterTemplate.objects.get()
    template.number_format = "B-{seq}/{code}/{pemda}/{year}"
    template.save()
    nxt = letters.letter_issue(pemda=lahat, issued_on=dt.date(2023, 1, 5), by=SYSTEM)
    assert nxt.number == "B-1/PMK.MONEV/16.04/2023"  # the sequence restarts each year
    template.number_format = "{nope}/{year}"
    template.save()
    with pytest.raises(letters.MeetingError):
        letters.letter_issue(pemda=lahat, by=SYSTEM)


def test_letter_pdf_holds_addressee_number_findings_and_items(tmp_path: Path) -> None:
    item = item_for("16.04")
    letter = letters.letter_issue(
        pemda=Pemda.objects.get(code="16.04"),
        meeting=item.meeting,
        issued_on=dt.date(2022, 9, 20),
        by=SYSTEM,
    )
    with letter.pdf.open("rb") as f:
        text = pdf_text(f.read(), tmp_path)
    assert "Bupati Lahat" in text
    assert letter.number in text
    assert "20 September 2022" in text
    assert item.what[:40] in text
    for finding in item.meeting.findings.filter(pemda_code="16.04"):
        assert finding.text[:40] in text
    assert "Tembusan" in text
    event = AuditEvent.objects.get(action="letter.issue")
    assert event.pemda_code == "16.04" and event.changes["number"] == letter.number


def test_only_organisers_issue_letters(cast: dict[str, Any]) -> None:
    item = item_for("16.71")
    palembang = Pemda.objects.get(code="16.71")
    for username in ("palembang", "lahat", "auditor"):
        with pytest.raises(PermissionError):
            letters.letter_issue(pemda=palembang, meeting=item.meeting, by=cast[username])
    letters.letter_issue(pemda=palembang, meeting=item.meeting, by=cast["sumbagsel"])


def test_a_pemda_operator_cannot_download_another_pemdas_letter(client_for: Any) -> None:
    letter = letters.letter_issue(pemda=Pemda.objects.get(code="16.04"), by=SYSTEM)
    url = f"/rapat/surat/{letter.pk}/unduh/"
    assert client_for("palembang").get(url).status_code == 404
    own = client_for("lahat").get(url)
    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="letter.download", actor_name="lahat").exists()
