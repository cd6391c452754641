"""Forms of the meeting pages: parse and validate input, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from monev.meetings.models import Agency, AttendeeRole, ItemStatus, Severity
from monev.regions.codes import parse_period


class DateInput(forms.DateInput):
    input_type = "date"


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=300)
    starts_on = forms.DateField(label=_("Tanggal mulai"), widget=DateInput)
    ends_on = forms.DateField(label=_("Tanggal selesai"), widget=DateInput)
    place = forms.CharField(label=_("Tempat"), max_length=200)
    period = forms.CharField(label=_("Periode data (YYYY-MM)"), max_length=7)
    kanwil = forms.CharField(label=_("Kanwil"), max_length=16, required=False)
    province_codes = forms.CharField(
        label=_("atau provinsi (kode, dipisah koma; semua Pemda di provinsi itu)"),
        required=False,
        max_length=200,
    )
    pemda_codes = forms.CharField(
        label=_("Pemda peserta (kode, dipisah koma; kosong = semua Pemda Kanwil)"),
        required=False,
        max_length=4000,
    )
    agencies = forms.MultipleChoiceField(
        label=_("Instansi"),
        choices=Agency.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_period(self) -> str:
        try:
            return parse_period(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_pemda_codes(self) -> list[str]:
        return _codes(self.cleaned_data.get("pemda_codes") or "")

    def clean_province_codes(self) -> list[str]:
        return _codes(self.cleaned_data.get("province_codes") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise forms.ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if not (data.get("kanwil") or data.get("pemda_codes") or data.get("province_codes")):
            raise forms.ValidationError(_("Isi Kanwil, provinsi atau daftar Pemda peserta."))
        return data


def _codes(raw: str) -> list[str]:
    return [c.strip() for c in raw.replace(";", ",").split(",") if c.strip()]


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200)
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    pemda_code = forms.CharField(label=_("Kode Pemda"), max_length=5, required=False)
    agency = forms.ChoiceField(
        label=_("Instansi"), choices=[("", "—"), *Agency.choices], required=False
    )
    role = forms.ChoiceField(label=_("Peran"), choices=AttendeeRole.choices)


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Temuan"), widget=forms.Textarea(attrs={"rows": 2}))
    pemda_code = forms.CharField(label=_("Kode Pemda"), max_length=5, required=False)
    severity = forms.ChoiceField(label=_("Tingkat"), choices=Severity.choices)


class ActionItemForm(forms.Form):
    what = forms.CharField(label=_("Tindak lanjut"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("Tenggat"), widget=DateInput)
    pemda_code = forms.CharField(label=_("Pemilik: kode Pemda"), max_length=5, required=False)
    owner_agency = forms.ChoiceField(
        label=_("atau instansi"), choices=[("", "—"), *Agency.choices], required=False
    )
    finding = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[c for c in ItemStatus.choices if c[0] != ItemStatus.OVERDUE]
    )
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)


class EvidenceForm(forms.Form):
    document = forms.FileField(label=_("Dokumen (PDF, JPG, PNG, XLSX, DOCX)"), required=False)
    link = forms.CharField(label=_("atau tautan ke perubahan data"), max_length=500, required=False)
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)


class LetterForm(forms.Form):
    pemda_code = forms.CharField(label=_("Kode Pemda"), max_length=5)
