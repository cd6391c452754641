"""Reads of the budgets app: rate rows, budget lines, regulations, budget vs cost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.forms.models import model_to_dict
from django.utils import timezone

from monev.budgets.gap import Comparison, Gap, budget_compare, gap_compute, roster_for
from monev.budgets.models import BudgetLine, ContributionRate, Regulation
from monev.core.scope import Action, get_scoped_or_404
from monev.coverage import selectors as coverage
from monev.regions.models import Pemda


def rate_rows() -> list[dict[str, Any]]:
    """The whole rate table (public reference data), ordered for reading."""
    rows = []
    for rate in ContributionRate.objects.all():
        data = model_to_dict(rate)
        data.pop("id", None)
        for name in ("employer_percent", "worker_percent", "government_percent", "percent"):
            data[name] = str(data[name])
        data["valid_from"] = rate.valid_from.isoformat()
        data["valid_to"] = rate.valid_to.isoformat() if rate.valid_to else None
        data["key"] = rate.key
        rows.append(data)
    return rows


def rate_row(key: str) -> dict[str, Any] | None:
    return next((row for row in rate_rows() if row["key"] == key), None)


def budget_lines(*, user: Any, pemda: str | None = None, year: int | None = None) -> Any:
    lines = BudgetLine.objects.for_user(user).select_related("pemda")
    if pemda:
        lines = lines.filter(pemda__code=pemda)
    if year:
        lines = lines.filter(fiscal_year=year)
    return lines


def regulation_list(*, user: Any, pemda: str | None = None) -> Any:
    rows = Regulation.objects.for_user(user).select_related("pemda")
    return rows.filter(pemda__code=pemda) if pemda else rows


@dataclass
class BudgetSummary:
    pemda: Pemda
    fiscal_year: int
    period: str
    lines: list[BudgetLine]
    gap: Gap
    comparison: list[Comparison]

    def as_dict(self) -> dict[str, Any]:
        return {
            "pemda": self.pemda.code,
            "pemda_name": self.pemda.name,
            "fiscal_year": self.fiscal_year,
            "period": self.period,
            "lines": [budget_line_dict(line) for line in self.lines],
            "gap": self.gap.as_dict(),
            "comparison": [row.as_dict() for row in self.comparison],
        }


def budget_line_dict(line: BudgetLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "pemda": line.pemda.code,
        "fiscal_year": line.fiscal_year,
        "category": line.category,
        "source": line.source,
        "amount": line.amount,
        "planned_headcount": line.planned_headcount,
        "realised_amount": line.realised_amount,
        "note": line.note,
    }


def pemda_for(*, user: Any, code: str, action: Action = "view") -> Pemda:
    """The Pemda if the user may see (or change) it, else Http404."""
    pemda = get_scoped_or_404(Pemda.objects.all(), user, action, code=code)
    assert isinstance(pemda, Pemda)
    return pemda


def budget_summary(
    *, user: Any, pemda_code: str, fiscal_year: int, period: str | None = None
) -> BudgetSummary:
    """Budget lines, cost to close the gap and the comparison, for one Pemda and year.

    Without `period`: the newest period of the fiscal year with current match results for
    the Pemda — the period its coverage page shows — else its newest list in the year.
    """
    pemda = pemda_for(user=user, code=pemda_code)
    if period is None:
        period = default_period(pemda_code=pemda.code, fiscal_year=fiscal_year)
    gap = gap_compute(pemda_code=pemda.code, period=period)
    lines = list(budget_lines(user=user, pemda=pemda.code, year=fiscal_year))
    comparison = budget_compare(pemda_code=pemda.code, fiscal_year=fiscal_year, gap=gap)
    return BudgetSummary(pemda, fiscal_year, period, lines, gap, comparison)


def default_period(*, pemda_code: str, fiscal_year: int) -> str:
    until = f"{fiscal_year}-12"
    matched = coverage.latest_matched_period(until=until, pemda_code=pemda_code)
    if matched and matched.startswith(str(fiscal_year)):
        return str(matched)
    version = roster_for(pemda_code=pemda_code, period=until)
    if version is not None and version.period.startswith(str(fiscal_year)):
        return version.period
    return str(matched or (version.period if version else f"{fiscal_year}-01"))


def budget_overview(*, user: Any, year: int, kanwil: str | None = None) -> list[dict[str, Any]]:
    """Every Pemda in the user's scope with its allocation for `year`; none = not budgeted.

    The first question of a monev meeting ("which Pemda have not budgeted?"), one query.
    """
    pemdas = Pemda.objects.for_user(user).filter(active=True)
    if kanwil:
        pemdas = pemdas.in_kanwil(kanwil)
    in_year = Q(budgets__fiscal_year=year)
    rows = pemdas.annotate(
        total=Coalesce(Sum("budgets__amount", filter=in_year), 0),
        lines=Count("budgets", filter=in_year),
        headcount=Coalesce(Sum("budgets__planned_headcount", filter=in_year), 0),
    ).order_by("code")
    return [
        {
            "pemda": p.code,
            "name": p.name,
            "level": p.level,
            "total": p.total,
            "lines": p.lines,
            "planned_headcount": p.headcount,
            "budgeted": p.lines > 0 and p.total > 0,
        }
        for p in rows
    ]


def latest_fiscal_year(*, user: Any) -> int | None:
    """The newest fiscal year, not after this one, with a budget line or match results in
    the user's scope: where the budget overview opens."""
    this_year = timezone.localdate().year
    lines = BudgetLine.objects.for_user(user).filter(fiscal_year__lte=this_year)
    years = [lines.aggregate(y=Max("fiscal_year"))["y"]]
    latest = coverage.periods(user=user)
    years.append(int(latest[0][:4]) if latest else None)
    present = [y for y in years if y is not None and y <= this_year]
    return max(present) if present else None
