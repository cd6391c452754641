"""Who hears about an action item, and what the message says (through notifications).

The owner hears first: the operators of the owner Pemda, the Kanwil officers for an item
BPJS owns, the national coordinators for one a ministry owns. An overdue item escalated
to a higher level is also told to that level: the province's operators, the Kanwil
officers, the national coordinators.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from monev.accounts.models import Role, ScopeKind, User
from monev.accounts.selectors import users_covering
from monev.meetings.models import ActionItem, Agency, EscalationLevel, ItemStatus
from monev.notifications.services import notification_send


def item_context(item: ActionItem, today: dt.date | None = None) -> dict[str, Any]:
    return {
        "what": item.what,
        "due_on": item.due_on,
        "days": (item.due_on - today).days if today else None,
        "meeting": item.meeting.title,
        "owner": item.owner_label,
        "status": str(ItemStatus(_shown(item, today)).label),
        "link": f"/rapat/tindak-lanjut/{item.pk}/",
    }


def _shown(item: ActionItem, today: dt.date | None) -> str:
    """The status the item reads as on `today`: overdue is computed, never stored."""
    if today is not None and item.is_open and item.due_on < today:
        return str(ItemStatus.OVERDUE)
    return item.shown_status


def item_notify(
    *, item: ActionItem, kind: str, key: str, context: dict[str, Any], level: int | None = None
) -> int:
    """Queue `kind` about `item` to its owner's people, or to `level`'s people."""
    pemda_code, roles, users = _audience(item, level)
    sent = notification_send(
        kind=kind,
        key=key,
        context=context,
        pemda_code=pemda_code,
        roles=roles,
        users=users,
    )
    return len(sent)


def _audience(item: ActionItem, level: int | None) -> tuple[str, list[str], list[User]]:
    if level == EscalationLevel.NATIONAL:
        return item.pemda_code, [], _national()
    if level == EscalationLevel.KANWIL:
        return _any_pemda(item), [Role.KANWIL], []
    if level == EscalationLevel.PROVINCE and item.pemda_code:
        # the province's own operators, whose scope covers its kab/kota
        covering = users_covering(pemda_code=item.pemda_code, roles=[Role.PEMDA])
        return item.pemda_code, [], list(covering.filter(scopes__kind=ScopeKind.PROVINCE))
    if item.pemda_code:
        return item.pemda_code, [Role.PEMDA], []
    if item.owner_agency == Agency.BPJS:
        return _any_pemda(item), [Role.KANWIL], []
    return "", [], _national()


def _national() -> list[User]:
    return list(User.objects.filter(role=Role.NATIONAL, is_active=True))


def _any_pemda(item: ActionItem) -> str:
    if item.pemda_code:
        return item.pemda_code
    first = item.meeting.pemdas.order_by("code").values_list("code", flat=True).first()
    return first or ""
