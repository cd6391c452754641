"""Forms of the budgets pages: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monev.budgets.models import BudgetSource, RegulationKind, RiskClass, Segment
from monev.rosters.models import WorkerCategory


class ContributionForm(forms.Form):
    segment = forms.ChoiceField(label=_("Segmen"), choices=Segment.choices, initial="PU")
    wage = forms.CharField(label=_("Upah/penghasilan sebulan (Rp)"), max_length=20)
    risk = forms.ChoiceField(
        label=_("Kelas risiko JKK"), choices=RiskClass.choices, initial="very_low"
    )
    date = forms.DateField(label=_("Bulan iuran (YYYY-MM-DD)"), required=False)
    programs = forms.CharField(label=_("Program (mis. JKK,JKM)"), required=False, max_length=40)
    sector = forms.CharField(label=_("Sektor (untuk diskon)"), required=False, max_length=40)


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori pekerja"), choices=WorkerCategory.choices)
    source = forms.ChoiceField(label=_("Sumber dana"), choices=BudgetSource.choices)
    amount = forms.IntegerField(label=_("Pagu (Rp)"), min_value=0)
    planned_headcount = forms.IntegerField(
        label=_("Jumlah pekerja rencana"), min_value=0, initial=0
    )
    realised_amount = forms.IntegerField(label=_("Realisasi (Rp)"), min_value=0, required=False)
    note = forms.CharField(label=_("Keterangan"), required=False, max_length=300)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File CSV/XLSX"))


class RegulationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=RegulationKind.choices)
    number = forms.CharField(label=_("Nomor"), max_length=100)
    issued_on = forms.DateField(label=_("Tanggal penetapan (YYYY-MM-DD)"))
    title = forms.CharField(label=_("Judul"), max_length=500)
    covers = forms.MultipleChoiceField(
        label=_("Kelompok pekerja yang dicakup"), choices=WorkerCategory.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
    )  # fmt: skip
    document = forms.FileField(label=_("Dokumen (PDF, maks. 10 MB)"), required=False)
