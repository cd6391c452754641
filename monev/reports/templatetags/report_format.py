"""Indonesian number and date formats for reports and letters: 1.234.567, 35,2%, Rp1.500.000,
15 September 2022."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from monev.core import formatting

register = template.Library()

MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


@register.filter
def num(value: Any) -> str:
    return formatting.number(None if value == "" else value)


@register.filter
def pct(value: Any) -> str:
    """A share 0..1 as a percentage with one decimal and a decimal comma."""
    return formatting.percent(None if value in (None, "") else 100 * float(value))


@register.filter
def desimal(value: Any) -> str:
    """A score or ratio with one decimal and a decimal comma: 62,4."""
    return formatting.number(None if value == "" else value, 1)


@register.filter
def rupiah(value: Any) -> str:
    return formatting.rupiah(None if value == "" else value)


@register.filter
def rupiah_short(value: Any) -> str:
    """Rp1,5 miliar, Rp380,6 juta: the same words as every page."""
    return formatting.rupiah_short(None if value == "" else value)


@register.filter
def tanggal(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def periode(value: str | None) -> str:
    """ "2022-09" → "September 2022"."""
    if not value:
        return "–"
    return f"{MONTHS[int(value[5:7]) - 1]} {value[:4]}"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def severity_label(value: str) -> str:
    return {"red": "Merah", "amber": "Kuning", "info": "Catatan"}.get(value, value)


_SHORT = (
    ("Pemerintah Provinsi ", "Prov. "),
    ("Pemerintah Kabupaten ", "Kab. "),
    ("Pemerintah Kota ", "Kota "),
    ("Provinsi ", "Prov. "),
    ("Kabupaten ", "Kab. "),
)


@register.filter
def short_name(name: str) -> str:
    """ "Pemerintah Kabupaten Lahat" → "Kab. Lahat" for tables and charts."""
    for long, short in _SHORT:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


@register.filter
def css_string(value: Any) -> str:
    """Text safe inside a double-quoted CSS string (page headers and footers)."""
    text = str(value or "").replace("\\", "\\\\").replace('"', '\\"')
    return " ".join(text.split())


@register.filter
def no_kanwil(name: str) -> str:
    """ "Kanwil Sumatera Bagian Selatan" → "Sumatera Bagian Selatan"."""
    return name[7:] if name.startswith("Kanwil ") else name
