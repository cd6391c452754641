"""`{% overdue_banner pemda_code=… %}`: the overdue action items a dashboard must show.

Dashboards include it with the region they show: `{% load meetings %}{% overdue_banner
pemda_code=pemda.code %}` on a Pemda page, `kanwil_code=kanwil.code` on a Kanwil page, and
no argument on the national page. Scoped to the user in the template context.
"""

from __future__ import annotations

from typing import Any

from django import template

from monev.meetings.selectors import overdue_items

register = template.Library()


@register.inclusion_tag("meetings/overdue_banner.html", takes_context=True)
def overdue_banner(
    context: dict[str, Any], pemda_code: str | None = None, kanwil_code: str | None = None
) -> dict[str, Any]:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    items = overdue_items(user=user, pemda_code=pemda_code, kanwil_code=kanwil_code)
    return {"overdue_items": list(items[:20])}
