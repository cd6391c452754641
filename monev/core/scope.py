"""Who may see which regions: one place that turns a user into a set of Pemda codes.

Every region-owned row is reachable only through `for_user(user, action)` on its queryset
or through `get_scoped_or_404`; both ask `scope_for(user)`. What a signed-in user's grants
cover is the user model's answer (`accounts.models.User.region_scope`): grants name
regions, so that rule lives above regions, not in core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from django.http import Http404

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

Action = Literal["view", "change"]


@dataclass(frozen=True)
class Scope:
    """The regions a user may act on. `all_regions` means no restriction."""

    all_regions: bool
    pemda_codes: frozenset[str]
    can_change: bool

    def allows(self, pemda_code: str, action: Action = "view") -> bool:
        if action == "change" and not self.can_change:
            return False
        return self.all_regions or pemda_code in self.pemda_codes

    @property
    def province_codes(self) -> frozenset[str]:
        return frozenset(code.split(".")[0] for code in self.pemda_codes)


NOTHING = Scope(all_regions=False, pemda_codes=frozenset(), can_change=False)
EVERYTHING = Scope(all_regions=True, pemda_codes=frozenset(), can_change=True)


class SystemActor:
    """The command line and background jobs act with the operator's full authority."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


class ScopedUser(Protocol):
    """A signed-in user that can say which regions it may act on."""

    is_authenticated: bool
    is_active: bool

    def region_scope(self, action: Action) -> Scope: ...


def scope_for(user: Any, action: Action = "view") -> Scope:
    """The user's scope for `action`; cached on the user object for the request."""
    if isinstance(user, SystemActor):
        return EVERYTHING
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    cached: dict[str, Scope] = user.__dict__.setdefault("_monev_scope", {})
    if action not in cached:
        signed_in: ScopedUser = user
        cached[action] = signed_in.region_scope(action)
    return cached[action]


def restrict(queryset: QuerySet[Any], user: Any, action: Action, field: str) -> QuerySet[Any]:
    """Filter `queryset` to rows whose `field` (a Pemda code path) is in the user's scope."""
    scope = scope_for(user, action)
    if scope.all_regions:
        return queryset
    if not scope.pemda_codes:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": scope.pemda_codes})


def get_scoped_or_404(
    queryset: QuerySet[Any], user: Any, action: Action = "view", **lookup: Any
) -> Model:
    """The one object `lookup` finds among the rows `user` may act on, or 404.

    A row outside the user's scope answers exactly like a row that does not exist, so an
    id reveals nothing.
    """
    scoped = queryset.for_user(user, action)  # type: ignore[attr-defined]
    try:
        obj: Model = scoped.get(**lookup)
    except (scoped.model.DoesNotExist, ValueError):
        raise Http404("not found") from None
    return obj


class ScopedQuerySet:
    """Mixin for region-owned querysets: set `scope_field` to the path of a Pemda code."""

    scope_field: str = "pemda__code"

    def for_user(self, user: Any, action: Action = "view") -> Any:
        return restrict(self, user, action, self.scope_field)  # type: ignore[arg-type]
