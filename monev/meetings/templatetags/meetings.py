"""`{% overdue_banner pemda_code=… %}`: the overdue action items a dashboard must show.

Dashboards include it with the region they show: `{% load meetings %}{% overdue_banner
pemda_code=pemda.code %}` on a Pemda page, `kanwil_code=kanwil.code` on a Kanwil page, and
no argument on the national page. Scoped to the user in the template context.

The rendered banner is cached per scope, place, language and day under the facts version,
which counts action items and their last change: an item that passes its due date (a new
day), is escalated or is closed shows on the next request, while a busy dashboard does not
query it every time.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from monev.indicators import engine
from monev.indicators.selectors import scope_key, version
from monev.meetings.selectors import overdue_items

register = template.Library()


@register.simple_tag(takes_context=True)
def overdue_banner(
    context: dict[str, Any], pemda_code: str | None = None, kanwil_code: str | None = None
) -> SafeString:
    user = context.get("user") or getattr(context.get("request"), "user", None)

    def build() -> SafeString:
        items = overdue_items(user=user, pemda_code=pemda_code, kanwil_code=kanwil_code)
        html = render_to_string("meetings/overdue_banner.html", {"overdue_items": items[:20]})
        return mark_safe(html)  # noqa: S308 - a template's own output

    today = timezone.localdate().isoformat()  # overdue is computed against today
    key = ("overdue-banner", version(), today, scope_key(user), pemda_code, kanwil_code)
    return engine.cached((*key, get_language()), build)
