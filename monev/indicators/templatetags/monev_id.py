"""Template filters for Indonesian number formats (monev/core/formatting.py) and the labels
users read instead of internal codes (worker categories, funding sources, segments)."""

from __future__ import annotations

from typing import Any

from django import template

from monev.core import formatting

register = template.Library()


@register.filter
def angka(value: Any, places: int = 0) -> str:
    return formatting.number(value, int(places))


@register.filter
def persen(value: Any, places: int = 1) -> str:
    return formatting.percent(value, int(places))


@register.filter
def rupiah(value: Any) -> str:
    return formatting.rupiah(value)


@register.filter
def rupiah_singkat(value: Any) -> str:
    return formatting.rupiah_short(value)


@register.filter
def poin(value: Any) -> str:
    return formatting.points(value)


@register.filter
def periode(value: Any) -> str:
    return formatting.period_label(value)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


STATUS_LABELS = {"green": "Hijau", "amber": "Kuning", "red": "Merah", "none": "Belum ada data"}


@register.filter
def kategori(value: Any) -> str:
    """NON_ASN → Non-ASN (any code of a worker category)."""
    return _label("category", value)


@register.filter
def kategori_daftar(values: Any) -> str:
    """["NON_ASN", "RT_RW"] → "Non-ASN, Ketua RT/RW"."""
    return ", ".join(_label("category", v) for v in values or [])


@register.filter
def perubahan(value: Any) -> str:
    """A worker's status change since the previous match, in words (blank when none)."""
    return "" if not value else _label("change", value)


@register.filter
def jenis_tarif(value: Any) -> str:
    return _label("rate_kind", value)


@register.filter
def kelas_risiko(value: Any) -> str:
    return "" if not value else _label("risk", value)


@register.filter
def sumber_dana(value: Any) -> str:
    return _label("funding", value)


@register.filter
def segmen(value: Any) -> str:
    return _label("segment", value)


@register.filter
def spec_name(table: Any, code: str) -> str:
    """The short name an indicator code stands for (a score weight's label)."""
    try:
        return str(table.spec(code).short_id)
    except (KeyError, AttributeError):
        return str(code)


@register.filter
def get_status(value: Any) -> str:
    return STATUS_LABELS.get(str(value), "")


def _label(kind: str, value: object) -> str:
    """The words a user reads for an internal code (`NON_ASN` → "Non-ASN"); blank → "–"."""
    if value is None or value == "":
        return formatting.DASH
    return str(_labels().get(kind, {}).get(str(value), value))


def _labels() -> dict[str, dict[str, str]]:
    from monev.budgets.models import BudgetSource, RateKind, RiskClass, Segment
    from monev.coverage.models import StatusChange
    from monev.rosters.models import FundingSource, WorkerCategory

    return {
        "category": {c.value: str(c.label) for c in WorkerCategory},
        "funding": {c.value: str(c.label) for c in [*FundingSource, *BudgetSource]},
        "segment": {c.value: str(c.label) for c in Segment},
        "change": {c.value: str(c.label) for c in StatusChange},
        "rate_kind": {c.value: str(c.label) for c in RateKind},
        "risk": {c.value: str(c.label) for c in RiskClass},
    }
