"""The route registry behind the scope matrix (tests/scope/test_scope_matrix.py).

Every HTML route and API operation is either registered here as a `RouteCase` or listed
as public/exempt with a reason. A route that is neither fails the matrix, so a new route
cannot be forgotten. Apps register their cases in `tests/<app>/routes.py`.

A case describes the route for a region-owned object of a given Pemda. The matrix checks:
- the Pemda's own operator (and national, Kanwil, auditor where allowed) gets 2xx;
- another Pemda's operator gets 403/404 for an object route, and never sees the other
  Pemda's marker text in a list route;
- the Kanwil Sumbagsel officer gets 403/404 for a Pemda outside Sumbagsel;
- anonymous gets a login redirect (HTML) or 401 (API).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# (pemda_code) -> dict of values for `path` placeholders; runs inside the test transaction.
Setup = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class RouteCase:
    name: str  # URL name ("regions:region_detail") or API "METHOD /api/v1/path/{param}"
    path: str  # concrete path with {placeholders} filled from setup(pemda) (+ {pemda})
    api: bool = False
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    setup: Setup | None = None
    # list routes: text that must appear for the own Pemda and not for another Pemda
    marker: Callable[[str], str] | None = None
    # roles (cast usernames) allowed on their own region's object; others must be refused
    allowed: frozenset[str] = frozenset({"national", "sumbagsel", "palembang", "auditor"})
    ok_status: tuple[int, ...] = (200,)
    # "pemda": the object belongs to one Pemda; "kanwil": to a Kanwil (every cast member is
    # in Sumbagsel, so only a Pemda outside it is "other"); "none": no region data, only
    # login is required.
    level: str = "pemda"

    def resolve(self, pemda: str) -> str:
        from monev.regions.models import Pemda

        kanwil = Pemda.objects.filter(code=pemda).values_list("kanwil__code", flat=True).first()
        values: dict[str, Any] = {"pemda": pemda, "kanwil": kanwil, "province": pemda.split(".")[0]}
        if self.setup is not None:
            values.update(self.setup(pemda))
        return self.path.format(**values)


CASES: list[RouteCase] = []
# URL names / API operations that are public or carry no region data, with the reason.
EXEMPT: dict[str, str] = {}


def register(*cases: RouteCase) -> None:
    CASES.extend(cases)


def exempt(name: str, reason: str) -> None:
    EXEMPT[name] = reason
