"""The upload form: Pemda (among those the user may change), period, mode, file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from monev.regions.codes import parse_period
from monev.rosters.models import UploadMode, WorkerCategory


class UploadForm(forms.Form):
    pemda: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Pemda"), to_field_name="code"
    )
    period = forms.CharField(
        label=_("Periode (YYYY-MM)"),
        widget=forms.TextInput(attrs={"placeholder": "2024-06", "pattern": r"\d{4}-\d{2}"}),
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=UploadMode.choices,
        initial=UploadMode.STRICT,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Berkas (CSV atau XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    end_categories = forms.MultipleChoiceField(
        label=_("Akhiri kategori"),
        choices=WorkerCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Kategori yang tidak ada di berkas tetap memakai daftar terakhirnya. Centang "
            "sebuah kategori hanya bila Pemda tidak lagi punya pekerja kategori itu mulai "
            "periode ini."
        ),
    )

    def __init__(self, *args: Any, pemdas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pemda"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = pemdas.order_by("code")
        field.label_from_instance = lambda p: f"{p.code} {p.name}"  # type: ignore[method-assign,assignment]
        if pemdas.count() == 1:
            field.initial = pemdas.first()

    def clean_period(self) -> str:
        try:
            return parse_period(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Unggah berkas CSV atau XLSX."))
        return upload
