"""Template filters for Indonesian number formats (see monev/indicators/formatting.py)."""

from __future__ import annotations

from typing import Any

from django import template

from monev.indicators import formatting

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
def spec_name(table: Any, code: str) -> str:
    """The short name an indicator code stands for (a score weight's label)."""
    try:
        return str(table.spec(code).short_id)
    except (KeyError, AttributeError):
        return str(code)


@register.filter
def get_status(value: Any) -> str:
    return STATUS_LABELS.get(str(value), "")
