"""Reads about users: who covers a region (for notifications and other fan-outs)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from monev.accounts.models import ScopeKind, User
from monev.regions.models import Pemda


def users_covering(*, pemda_code: str, roles: Iterable[str]) -> QuerySet[User]:
    """Active users of `roles` whose scope includes `pemda_code`: the same rule as
    `core.scope` (a Kanwil grant, a province grant and its kab/kota, one Pemda, or all
    regions), in one query instead of one per user."""
    users = User.objects.filter(is_active=True, role__in=list(roles))
    target = Pemda.objects.filter(code=pemda_code).values("province_code", "kanwil_id").first()
    if target is None:
        return users.none()
    granted = (
        Q(scopes__kind=ScopeKind.PEMDA, scopes__pemda__code=pemda_code)
        | Q(scopes__kind=ScopeKind.PROVINCE, scopes__pemda__province_code=target["province_code"])
        | Q(scopes__kind=ScopeKind.KANWIL, scopes__kanwil_id=target["kanwil_id"])
    )
    return users.filter(Q(all_regions=True) | Q(is_superuser=True) | granted).distinct()
