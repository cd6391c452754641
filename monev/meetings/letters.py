"""Follow-up letters (surat tindak lanjut) to a Pemda: numbered, rendered to PDF, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monev.core.audit import audit_record
from monev.meetings.models import Letter, LetterCounter, LetterTemplate, Meeting
from monev.meetings.selectors import can_organise, letter_content
from monev.meetings.services import MeetingError
from monev.regions.models import Pemda

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def letter_number(template: LetterTemplate, *, seq: int, on: dt.date, pemda: Pemda) -> str:
    """Format the number with the template's scheme, e.g. "007/PMK.MONEV/IX/2022"."""
    values = {
        "seq": seq,
        "year": on.year,
        "month": on.month,
        "roman_month": ROMAN[on.month - 1],
        "kanwil": pemda.kanwil.code if pemda.kanwil else "",
        "pemda": pemda.code,
        "code": template.number_code,
    }
    try:
        return template.number_format.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise MeetingError(
            _("Format nomor surat %(f)r tidak sah: %(e)s") % {"f": template.number_format, "e": exc}
        ) from None


def _next_seq(template: LetterTemplate, year: int) -> int:
    counter, _created = LetterCounter.objects.select_for_update().get_or_create(
        template=template, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def addressee_for(pemda: Pemda) -> str:
    """ "Gubernur Sumatera Selatan", "Bupati Lahat", "Wali Kota Palembang"."""
    name = pemda.name
    for prefix, head in (
        ("Pemerintah Provinsi ", "Gubernur "),
        ("Pemerintah Kabupaten ", "Bupati "),
        ("Pemerintah Kota ", "Wali Kota "),
        ("Provinsi ", "Gubernur "),
        ("Kabupaten ", "Bupati "),
        ("Kota ", "Wali Kota "),
    ):
        if name.startswith(prefix):
            return head + name[len(prefix) :]
    return name


def letter_issue(
    *,
    pemda: Pemda,
    by: Any,
    meeting: Meeting | None = None,
    template: LetterTemplate | None = None,
    issued_on: dt.date | None = None,
) -> Letter:
    """Number, render and record a follow-up letter to `pemda` about `meeting`'s findings."""
    if not can_organise(by, [pemda.code]):
        raise PermissionError("not allowed to write to this Pemda")
    if meeting is not None and not meeting.pemdas.filter(pk=pemda.pk).exists():
        raise MeetingError(_("Pemda %(c)s bukan peserta rapat ini.") % {"c": pemda.code})
    template = template or LetterTemplate.objects.order_by("id").first()
    if template is None:
        raise MeetingError(_("Belum ada templat surat."))
    on = issued_on or timezone.localdate()
    content = letter_content(meeting=meeting, pemda=pemda, today=on)
    content["opening"] = _fill(template.opening, meeting)
    content["closing"] = _fill(template.closing, meeting)
    with transaction.atomic():
        seq = _next_seq(template, on.year)
        number = letter_number(template, seq=seq, on=on, pemda=pemda)
        letter = Letter(
            template=template,
            meeting=meeting,
            pemda=pemda,
            number=number,
            year=on.year,
            seq=seq,
            issued_on=on,
            addressee=addressee_for(pemda),
            subject=_("Tindak lanjut hasil monitoring dan evaluasi Inpres Nomor 2 Tahun 2021"),
            content=content,
            created_by=by if getattr(by, "pk", None) else None,
        )
        pdf = letter_pdf(letter)
        letter.sha256 = hashlib.sha256(pdf).hexdigest()
        letter.pdf.save(f"surat-{pemda.code}-{on.year}-{seq:04d}.pdf", ContentFile(pdf), save=False)
        letter.save()
        audit_record(
            actor=by,
            action="letter.issue",
            obj=letter,
            pemda_code=pemda.code,
            changes={
                "number": number,
                "sha256": letter.sha256,
                "meeting": meeting.pk if meeting else None,
            },
        )
    return letter


def _fill(text: str, meeting: Meeting | None) -> str:
    from monev.reports.templatetags.report_format import tanggal

    if meeting is None:
        values = {"rapat": _("monitoring dan evaluasi"), "tempat": "-", "tanggal": "-"}
    else:
        days = tanggal(meeting.starts_on)
        if meeting.ends_on != meeting.starts_on:
            days = f"{meeting.starts_on.day}–{tanggal(meeting.ends_on)}"
        values = {"rapat": meeting.title, "tempat": meeting.place, "tanggal": days}
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return text


def letter_pdf(letter: Letter) -> bytes:
    from monev.reports.render import render_pdf

    return render_pdf("meetings/letter.html", {"letter": letter, "t": letter.template})


def letter_download_record(*, letter: Letter, by: Any) -> None:
    audit_record(actor=by, action="letter.download", obj=letter, pemda_code=letter.pemda.code)
