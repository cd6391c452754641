"""Scoped querysets of the meetings app.

A meeting is visible to a user whose regions include one of its Pemda; its findings and
action items only where they concern the user's Pemda (or no Pemda). An action item
escalated to the province level is also visible to the province's Pemda, which is asked
to act on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from monev.core.scope import Action, ScopedQuerySet, scope_for


class MeetingQuerySet(models.QuerySet[Any]):
    def for_user(self, user: Any, action: Action = "view") -> MeetingQuerySet:
        scope = scope_for(user, action)
        if scope.all_regions:
            return self
        if not scope.pemda_codes:
            return self.none()
        ids = (
            self.model.pemdas.through.objects.filter(pemda__code__in=scope.pemda_codes)
            .values("meeting_id")
            .distinct()
        )
        return self.filter(pk__in=models.Subquery(ids))


class FindingQuerySet(ScopedQuerySet, models.QuerySet[Any]):
    scope_field = "pemda_code"

    def for_user(self, user: Any, action: Action = "view") -> FindingQuerySet:
        scope = scope_for(user, action)
        if scope.all_regions:
            return self
        meetings = self.model._meta.get_field("meeting").related_model.objects.for_user(
            user, action
        )
        return self.filter(
            models.Q(pemda_code__in=scope.pemda_codes)
            | models.Q(pemda_code="", meeting__in=models.Subquery(meetings.values("pk")))
        )


class ActionItemQuerySet(models.QuerySet[Any]):
    def for_user(self, user: Any, action: Action = "view") -> ActionItemQuerySet:
        scope = scope_for(user, action)
        if scope.all_regions:
            return self
        meetings = self.model._meta.get_field("meeting").related_model.objects.for_user(
            user, action
        )
        escalated_to_province = models.Q(escalation__gte=1) & models.Q(
            pemda_code__regex=r"^(" + "|".join(_province_pemdas(scope.pemda_codes)) + r")\."
        )
        cond = models.Q(pemda_code__in=scope.pemda_codes) | models.Q(
            pemda_code="", meeting__in=models.Subquery(meetings.values("pk"))
        )
        if action == "view" and _province_pemdas(scope.pemda_codes):
            cond |= escalated_to_province
        return self.filter(cond)

    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=("open", "in_progress"))

    def overdue(self, today: dt.date | None = None) -> ActionItemQuerySet:
        """Open items due before `today` (default: today): overdue is computed, not stored."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def shown_as(self, status: str, today: dt.date | None = None) -> ActionItemQuerySet:
        """Items that read as `status`: "overdue", or a stored status (an open one only
        while its due date has not passed)."""
        today = today or timezone.localdate()
        if status == "overdue":
            return self.overdue(today)
        if status in ("open", "in_progress"):
            return self.filter(status=status, due_on__gte=today)
        return self.filter(status=status)


def _province_pemdas(codes: frozenset[str]) -> list[str]:
    """The province codes whose provincial government (code without a dot) is in `codes`."""
    return sorted(code for code in codes if "." not in code and code.isdigit())


class LetterQuerySet(ScopedQuerySet, models.QuerySet[Any]):
    scope_field = "pemda__code"
