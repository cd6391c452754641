"""Reads of the registry app. Snapshots are national metadata (counts, checksums): any
signed-in user may list them; the rows themselves are never served."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from monev.registry.models import RegistrySnapshot


def snapshot_list(*, user: Any, period: str | None = None) -> QuerySet[RegistrySnapshot]:
    if not getattr(user, "is_authenticated", False):
        return RegistrySnapshot.objects.none()
    rows = RegistrySnapshot.objects.all()
    return rows.filter(period=period) if period else rows
