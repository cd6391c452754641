"""Reads for notifications: a user's choices and the messages sent to them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from monev.accounts.models import User
from monev.notifications.models import CHOOSABLE, Notification, NotificationPreference


@dataclass(frozen=True)
class Preference:
    kind: str
    label: str
    email: bool


def notification_preferences(*, user: User) -> list[Preference]:
    """Every kind a user may switch, with their choice (on unless they switched it off)."""
    off = set(
        NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True)
    )
    return [Preference(kind.value, str(kind.label), kind.value not in off) for kind in CHOOSABLE]


def notification_list(*, user: User, limit: int = 100) -> QuerySet[Notification]:
    """The messages queued for `user`, newest first: their own delivery log."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")[:limit]
