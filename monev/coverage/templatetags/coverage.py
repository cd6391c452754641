"""Formatting of coverage figures: percent, percentage points, a small bar, category labels."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from monev.core import formatting
from monev.rosters.models import WorkerCategory

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """A share 0..1 as Indonesians write a percentage: 46,5%."""
    return formatting.percent(None if value is None else value * 100)


@register.filter
def pp(value: float | None) -> str:
    """A change of a share 0..1 in percentage points: +2,4 poin."""
    return formatting.points(None if value is None else value * 100)


@register.filter
def bar(value: float | None) -> SafeString:
    width = 0 if value is None else max(0, min(100, round(value * 100)))
    return format_html(
        '<span class="bar" style="display:inline-block;width:60px;background:#eee">'
        '<span style="display:block;height:8px;width:{}%;background:#2a7"></span></span>',
        width,
    )


@register.filter
def category_label(value: str) -> str:
    try:
        return str(WorkerCategory(value).label)
    except ValueError:
        return value
